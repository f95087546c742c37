"""NeuralNetwork: ml5.js 1.x's neuralNetwork (``from ml5py import NeuralNetwork``).

The class is ``neural_network.py``; its written-once helpers are the ``nn_*.py`` files; its
twins are ``runtime_cpython.py`` / ``runtime_browser.py`` (numpy's maths in
``network_numpy.py``) and, for its model files, ``network_files_cpython.py`` /
``network_files_browser.py``.
"""
