"""The browser runtime: TensorFlow.js tensors and loaders, HTML images, JS promises.

Only Transcrypt compiles this file and its parts (the twin for CPython is
``runtime_cpython.py``). Every function here has the same name and meaning as there, so
the model classes are written once. Here "pending" values are JavaScript promises, so
``await`` works on what the public methods return.

``ml5py.runtime`` hands this module to the models as ``rt``. It only gathers the parts,
one job each, every one with its CPython twin of the same suffix:

- ``core/*_browser.py`` (was ``runtime_browser_core``): pending values, the page, images, live loops, tensor ops,
  backends, fetching weights, models, embeddings (KNNClassifier);
- ``runtime_browser_style``: style transfer (issue 4);
- ``runtime_browser_bodypix``: BodyPix (issue 5);
- ``runtime_browser_training``: training (issue 6).

A new function goes in the part it belongs to; the parts import from the core, never
from here or from one another.
"""
from ml5py.core.pending_browser import *  # noqa: F401,F403
from ml5py.core.images_browser import *  # noqa: F401,F403
from ml5py.core.tensors_browser import *  # noqa: F401,F403
from ml5py.core.loading_browser import *  # noqa: F401,F403
from ml5py.core.data_browser import *  # noqa: F401,F403
from ml5py.models.style_transfer.runtime_browser import *  # noqa: F401,F403
from ml5py.models.body_pix.runtime_browser import *  # noqa: F401,F403
from ml5py.models.feature_extractor.runtime_browser import *  # noqa: F401,F403
from ml5py.models.knn_classifier.runtime_browser import *  # noqa: F401,F403
