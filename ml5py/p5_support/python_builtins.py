"""Python's own builtins under other names, for ``ml5py/p5_support/global_mode.py`` (which shadows them).

Only Transcrypt compiles this file. Here ``map`` still means Python's map; in
``ml5py/p5_support/global_mode.py`` the name belongs to the dispatcher that also understands p5's ``map``.
"""
# __pragma__ ('noopov')

python_map = map
python_filter = filter
python_set = set
python_int = int
python_float = float
python_hex = hex
