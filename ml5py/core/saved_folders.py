"""A folder of files written whole or not at all (CPython): how trained models are saved.

CPython only. Used by the trainable heads (``models/feature_extractor/``) and
``NeuralNetwork`` (``models/neural_network/``): the files go into a new temporary folder,
which then takes the old folder's place, so a failed save leaves the old files whole.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Dict


def write_folder(folder: Any, files: Dict[str, bytes]) -> Path:
    """Write ``files`` as the folder ``folder``, all or nothing.

    The files go into a new temporary folder beside it, which then takes the old folder's
    place (``os.replace``); the old folder is removed only after that. If anything fails,
    the old folder stays as it was and the temporary one is removed.
    """
    target = Path(os.path.abspath(os.fspath(folder)))
    if not target.parent.is_dir():
        raise FileNotFoundError(f"Cannot save to '{folder}': the folder '{target.parent}' does not exist.")
    if target.exists() and not target.is_dir():
        raise FileExistsError(f"Cannot save the model as the folder '{folder}': a file has that name.")
    temporary = Path(tempfile.mkdtemp(prefix="." + target.name + ".", suffix=".tmp", dir=target.parent))
    old = None
    try:
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o777 & ~mask)  # mkdtemp makes it private; a saved model is not
        for name, content in files.items():
            with open(temporary / name, "wb") as file:
                file.write(content)
                file.flush()
                os.fsync(file.fileno())
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix="." + target.name + ".", suffix=".old", dir=target.parent))
            os.replace(target, old / "previous")
        try:
            os.replace(temporary, target)
        except BaseException:
            if old is not None:
                os.replace(old / "previous", target)  # put the old model back
            raise
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return target
