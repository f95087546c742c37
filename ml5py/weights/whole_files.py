"""Small whole files of a model (its ``model.json``, ``metadata.json``, a checkpoint manifest):
read from a URL (bounded, checked) and written into the cache whole or not at all.

CPython only. Builds on ``registry.py`` (its downloads, errors and cache-writing guard), for
``user_models.py`` and ``models/style_transfer/style_sources.py``.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Dict, List  # noqa: F401

from ml5py.core.safe_save import clean_debris, temporary_prefix
from ml5py.weights.errors import DownloadError
from ml5py.weights.registry import _NETWORK_ERRORS, _cache_writing, _download_error, _open
from ml5py.weights.transfer import TransferError, read_body


def write_atomic(dest: Path, data: bytes) -> None:
    with _cache_writing(dest.parent):
        dest.parent.mkdir(parents=True, exist_ok=True)
        clean_debris(dest)
        fd, tmp_name = tempfile.mkstemp(prefix=temporary_prefix(dest), suffix=".part", dir=dest.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp_name, dest)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise


MAX_JSON_BYTES = 64 * 1024 * 1024  # a model.json or metadata.json larger than this is not one


def read_url(url: str, what: str, entry: Dict[str, Any], limit: int = MAX_JSON_BYTES) -> bytes:
    pieces: List[bytes] = []
    try:
        with _open(url) as response:
            read_body(response, pieces.append, limit)
    except _NETWORK_ERRORS as exc:
        raise _download_error(exc, what, url, entry) from None
    except TransferError as problem:
        raise DownloadError(f"Could not download {what} from {url}: {problem}.", url=url) from None
    return b"".join(pieces)
