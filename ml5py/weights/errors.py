"""What can go wrong with a model's files, as exceptions a learner can read (and code can catch).

CPython only. ``registry.py`` re-exports them, so ``registry.ModelFileError`` keeps working.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional, Tuple


class UnknownModelError(ValueError):
    """A model name that is neither in the registry nor a path or URL."""


class ModelFileError(OSError):
    """A model file could not be found, downloaded or trusted.

    Attributes (``None`` when they do not apply): ``path`` (local file), ``url``.
    """

    def __init__(self, message: str, path: Optional[Path] = None, url: Optional[str] = None):
        super().__init__(message)
        self.path = path
        self.url = url

    def __str__(self) -> str:
        return str(self.args[0])


class DownloadError(ModelFileError):
    """A download failed: host unreachable, HTTP error, connection dropped.

    Extra attribute: ``status``, the HTTP status code when the server answered one, else None.
    """

    def __init__(self, message: str, path: Optional[Path] = None, url: Optional[str] = None,
                 status: Optional[int] = None):
        super().__init__(message, path=path, url=url)
        self.status = status


class ChecksumError(ModelFileError):
    """A file's size or sha256 differs from what the registry expects.

    Extra attributes: ``expected_size``, ``actual_size``, ``expected_sha256``, ``actual_sha256``.
    """

    def __init__(self, message: str, path: Optional[Path] = None, url: Optional[str] = None,
                 expected: Tuple[int, str] = (0, ""), actual: Tuple[int, str] = (0, "")):
        super().__init__(message, path=path, url=url)
        self.expected_size, self.expected_sha256 = expected
        self.actual_size, self.actual_sha256 = actual
