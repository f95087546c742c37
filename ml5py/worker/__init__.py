"""Models in a web worker: the page's proxy (``remote.py``) and the worker's host (``web/ml5py-worker.js``)."""
