"""``import ml5`` in Python: a pointer to ml5py (ml5.js is JavaScript; ml5py is its Python twin)."""
from ml5py.core.name_hints import IMPORT_ML5

raise ImportError(IMPORT_ML5)
