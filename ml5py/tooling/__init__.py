"""The ml5py command and what only CPython runs to build and serve sketches."""
