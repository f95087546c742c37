"""NeuralNetwork (issue 12, ``from ml5py import NeuralNetwork``): ml5.js 1.x's neuralNetwork, in one folder.

| file | runs in | job |
|---|---|---|
| ``neural_network.py`` | both | the class: options, data, train, classify/predict, files |
| ``nn_options.py``, ``nn_data.py``, ``nn_meta.py``, ``nn_layers.py``, ``nn_training.py`` | both | options; examples; ml5.js's metadata; layers and seeded weights; the training loop |
| ``nn_data_files.py``, ``nn_model_files.py`` | both | data files (ml5.js JSON, CSV); model files (model.json, model_meta.json) |
| ``runtime_cpython_network.py``, ``network_numpy.py`` | CPython | the numpy twin |
| ``runtime_browser_network.py`` | browser | the TF.js twin |
"""
