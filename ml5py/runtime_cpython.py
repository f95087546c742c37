"""The CPython runtime: numpy tensors, our numpy model executor, Pillow images.

Its twin for the browser is ``runtime_browser.py``; both offer the same functions, so the
model classes above them are written once. Here "pending" values are ``Settled`` boxes
that already hold a value or an error: CPython code runs straight through, in order.

``ml5py.runtime`` hands this module to the models as ``rt``. It only gathers the parts,
one job each, every one with its browser twin of the same suffix:

- ``runtime_cpython_core``: pending values, images, live loops, tensor ops, models,
  backends, embeddings (KNNClassifier), the hint for p5 sketches run from CPython;
- ``runtime_cpython_style``: style transfer (issue 4);
- ``runtime_cpython_bodypix``: BodyPix (issue 5);
- ``runtime_cpython_training``: training (issue 6);
- ``neural_network/runtime_cpython_network``: NeuralNetwork (issue 12).

A new function goes in the part it belongs to; the parts import from the core, never
from here or from one another.
"""
from ml5py.runtime_cpython_core import *  # noqa: F401,F403
from ml5py.runtime_cpython_style import *  # noqa: F401,F403
from ml5py.runtime_cpython_bodypix import *  # noqa: F401,F403
from ml5py.runtime_cpython_training import *  # noqa: F401,F403
from ml5py.neural_network.runtime_cpython_network import *  # noqa: F401,F403
