"""Where ml5py looks for models: ``$ML5PY_MODELS`` and ``$ML5PY_CACHE``, made absolute once.

CPython only. A relative folder in either variable means "relative to the folder the
program started in". ``import ml5py`` resolves it there, before anything can change the
current folder, and writes the absolute path back into ``os.environ``, so a sketch that
changes folder later, and every program ml5py starts (a sketch run by the tests, the
dev server's builds), read the same folder. URLs are left as they are.
"""
from __future__ import annotations

import os

ENV_MODELS = "ML5PY_MODELS"
ENV_CACHE = "ML5PY_CACHE"


def _is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def absolute_setting(value: str, start: str) -> str:
    """``value`` (a folder or a URL) with a relative folder resolved against ``start``."""
    value = value.strip()
    if not value or _is_url(value):
        return value
    return os.path.normpath(os.path.join(start, os.path.expanduser(value)))


def resolve_folder_settings(start: str | None = None) -> None:
    """Make relative ``ML5PY_MODELS`` / ``ML5PY_CACHE`` folders absolute in ``os.environ``."""
    start = start or os.getcwd()
    for name in (ENV_MODELS, ENV_CACHE):
        value = os.environ.get(name, "")
        if value.strip():
            os.environ[name] = absolute_setting(value, start)
