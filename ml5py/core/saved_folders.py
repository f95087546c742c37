"""A folder of files written whole or not at all (CPython): how trained models are saved.

CPython only. Used by the trainable heads (``models/feature_extractor/``) and
``NeuralNetwork`` (``models/neural_network/``), through ``core/safe_save.py``: a folder is
replaced only when it holds nothing but a saved model (else ``NotOursError`` names what it
holds and suggests a new name), and the new folder takes the old one's place in one step.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict

from ml5py.core.safe_save import check_model_folder, replace_folder


def write_folder(folder: Any, files: Dict[str, bytes], saver: str = "model.save") -> Path:
    """Write ``files`` as the folder ``folder``, all or nothing.

    ``saver`` is how the learner called the save (``model.save``, ``nn.save``), for the
    message that suggests a new folder name.
    """
    return replace_folder(Path(folder), files,
                          lambda target: check_model_folder(target, saver, written=list(files)))
