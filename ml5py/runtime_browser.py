"""The browser runtime: TensorFlow.js tensors and loaders, HTML images, JS promises.

Only Transcrypt compiles this file and its twins (the twin for CPython is
``runtime_cpython.py``). Every function here has the same name and meaning as there, so
the model classes are written once. Here "pending" values are JavaScript promises, so
``await`` works on what the public methods return.

``ml5py.runtime`` hands this module to the models as ``rt``. It only gathers twins:

- the core's, ``ml5py/core/*_browser.py``: pending values and the page, images and live
  loops, tensor ops and backends, loading models (checked, cached weights), plain data;
- ``ml5py_page_runtime``: a module ``ml5py build`` writes beside each sketch, which
  star-imports the ``runtime_browser.py`` of each model the sketch uses (and the models
  those use), so a page loads no other model's code (``tooling/page_models.py``).
"""
from ml5py.core.pending_browser import *  # noqa: F401,F403
from ml5py.core.images_browser import *  # noqa: F401,F403
from ml5py.core.tensors_browser import *  # noqa: F401,F403
from ml5py.core.loading_browser import *  # noqa: F401,F403
from ml5py.core.layer_steps_browser import *  # noqa: F401,F403
from ml5py.core.data_browser import *  # noqa: F401,F403
from ml5py.core.habits_browser import *  # noqa: F401,F403
from ml5py_page_runtime import *  # noqa: F401,F403
