"""Models in a web worker: the page's stand-ins (``proxy.py``, ``channel.py``, ``remote.py``) and the worker's host (``web/ml5py-worker.js``)."""
