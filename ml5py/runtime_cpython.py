"""The CPython runtime: numpy tensors, our numpy model executor, Pillow images.

Its twin for the browser is ``runtime_browser.py``; both offer the same functions, so the
model classes above them are written once. Here "pending" values are ``Settled`` boxes
that already hold a value or an error: CPython code runs straight through, in order.

``ml5py.runtime`` hands this module to the models as ``rt``. It only gathers the parts,
one job each, every one with its browser twin of the same suffix:

- ``core/*_cpython.py`` (was ``runtime_cpython_core``): pending values, images, live loops, tensor ops, models,
  backends, embeddings (KNNClassifier), the hint for p5 sketches run from CPython;
- ``runtime_cpython_style``: style transfer (issue 4);
- ``runtime_cpython_bodypix``: BodyPix (issue 5);
- ``runtime_cpython_training``: training (issue 6).

A new function goes in the part it belongs to; the parts import from the core, never
from here or from one another.
"""
from ml5py.core.pending_cpython import *  # noqa: F401,F403
from ml5py.core.images_cpython import *  # noqa: F401,F403
from ml5py.core.tensors_cpython import *  # noqa: F401,F403
from ml5py.core.loading_cpython import *  # noqa: F401,F403
from ml5py.core.data_cpython import *  # noqa: F401,F403
from ml5py.models.style_transfer.runtime_cpython import *  # noqa: F401,F403
from ml5py.models.body_pix.runtime_cpython import *  # noqa: F401,F403
from ml5py.models.feature_extractor.runtime_cpython import *  # noqa: F401,F403
from ml5py.models.knn_classifier.runtime_cpython import *  # noqa: F401,F403
from ml5py.p5_support import python_hint  # noqa: F401,E402 (says how to run a p5 sketch, at exit)
