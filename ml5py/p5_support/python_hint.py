"""The hint for p5 sketches run with ``python sketch.py``: CPython has no canvas, so it says how
to run the sketch in a browser instead. Imported (for its effect) by ``ml5py/runtime_cpython.py``.
"""
from __future__ import annotations

import atexit
import inspect
import sys
from pathlib import Path


# ---------------------------------------------------------------- p5 sketches run from CPython

def _hint_for_p5_sketches() -> None:
    """At exit of ``python sketch.py``: if it was a p5 sketch, say how to run it instead.

    CPython has no canvas, so ``setup()``/``draw()`` never run here; silence would puzzle.
    """
    main = sys.modules.get("__main__")
    script = sys.argv[0] if sys.argv else ""  # (__main__.__file__ is gone by exit time)
    if not script.endswith(".py") or main is None:
        return  # a notebook, pytest, python -c ...
    defined = [name for name in ("preload", "setup", "draw")
               if inspect.isfunction(getattr(main, name, None))
               and getattr(main, name).__module__ == "__main__"]
    if defined:
        print(f"{Path(script).name} is a p5.js sketch (it defines {', '.join(n + '()' for n in defined)}), "
              f"and p5 sketches run in a browser. Try: ml5py serve {Path(script).name}", file=sys.stderr)


atexit.register(_hint_for_p5_sketches)
