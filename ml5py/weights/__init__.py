"""Pretrained weights: the registry, learners' own models, downloads and the cache (CPython)."""
