"""The browser runtime: TensorFlow.js tensors and loaders, HTML images, JS promises.

Only Transcrypt compiles this file and its parts (the twin for CPython is
``runtime_cpython.py``). Every function here has the same name and meaning as there, so
the model classes are written once. Here "pending" values are JavaScript promises, so
``await`` works on what the public methods return.

``ml5py.runtime`` hands this module to the models as ``rt``. It only gathers the parts,
one job each, every one with its CPython twin of the same suffix:

- ``runtime_browser_core``: pending values, the page, images, live loops, tensor ops,
  backends, fetching weights, models, embeddings (KNNClassifier);
- ``runtime_browser_style``: style transfer (issue 4);
- ``runtime_browser_bodypix``: BodyPix (issue 5);
- ``runtime_browser_training``: training (issue 6);
- ``neural_network/runtime_browser_network`` and ``..._network_files``: NeuralNetwork (issue 12).

A new function goes in the part it belongs to; the parts import from the core, never
from here or from one another.
"""
from ml5py.runtime_browser_core import *  # noqa: F401,F403
from ml5py.runtime_browser_style import *  # noqa: F401,F403
from ml5py.runtime_browser_bodypix import *  # noqa: F401,F403
from ml5py.runtime_browser_training import *  # noqa: F401,F403
from ml5py.neural_network.runtime_browser_network import *  # noqa: F401,F403
from ml5py.neural_network.runtime_browser_network_files import *  # noqa: F401,F403
