"""The CPython runtime: numpy tensors, our numpy model executor, Pillow images.

Its twin for the browser is ``runtime_browser.py``; both offer the same functions, so the
model classes above them are written once. Here "pending" values are ``Settled`` boxes
that already hold a value or an error: CPython code runs straight through, in order.

``ml5py.runtime`` hands this module to the models as ``rt``. It only gathers twins:

- the core's, ``ml5py/core/*_cpython.py``: pending values, images and live loops, tensor
  ops and backends, loading models, plain data (embeddings, JSON, text files);
- every model's ``runtime_cpython.py``, as listed in ``ml5py/models/catalogue.py``.

A model's function goes in its own twin; what two models need goes in the core. No two
twins may offer the same name (``_gather`` refuses it), so nothing is silently shadowed.
"""
from importlib import import_module as _import_module

from ml5py.core.pending_cpython import *  # noqa: F401,F403
from ml5py.core.images_cpython import *  # noqa: F401,F403
from ml5py.core.tensors_cpython import *  # noqa: F401,F403
from ml5py.core.loading_cpython import *  # noqa: F401,F403
from ml5py.core.layer_steps_cpython import *  # noqa: F401,F403
from ml5py.core.data_cpython import *  # noqa: F401,F403
from ml5py.core.habits_cpython import *  # noqa: F401,F403
from ml5py.models.catalogue import MODELS as _MODELS
from ml5py.p5_support import python_hint as _python_hint  # noqa: F401 (says how to run a p5 sketch)


def _gather(module_name: str) -> None:
    """Offer the public names of the twin ``module_name`` here, as a star import would."""
    namespace = globals()
    for name, value in vars(_import_module(module_name)).items():
        if name.startswith("_"):
            continue
        if name in namespace and namespace[name] is not value:
            raise ImportError(f"Two runtime twins offer '{name}' ({module_name} and "
                              f"{getattr(namespace[name], '__module__', 'the core')}): rename one, "
                              "or move it to ml5py/core/ if both models need it.")
        namespace[name] = value


for _model in _MODELS:
    if _model.twins:
        _gather(_model.twin("cpython"))
