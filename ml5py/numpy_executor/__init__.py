"""Runs TF.js models (layers and graph models) on numpy, in CPython."""
