"""The numpy executor of TF.js layers models on the real pretrained files of the mirror
(MobileNet, Darknet-tiny, DoodleNet): they load and predict."""
import json
import os
from pathlib import Path

import numpy as np
import pytest

from ml5py.numpy_executor.layers import LayersModel


# ---------------------------------------------------------------- the real pretrained models


def pretrained_folder() -> Path:
    """$ML5PY_MODELS when it is a folder, else ../shared/pretrained beside the repository."""
    setting = os.environ.get("ML5PY_MODELS", "")
    if setting and not setting.startswith(("http://", "https://")):
        return Path(setting)
    return Path(__file__).resolve().parents[1].parent / "shared" / "pretrained"


@pytest.fixture(scope="module", params=[
    ("mobilenet_v1_0.75_224", (1, 1000)), ("darknet-tiny", (1, 1000)), ("doodlenet", (1, 345))],
    ids=lambda param: param[0])
def real_model(request):
    name, output_shape = request.param
    folder = pretrained_folder() / name
    if not (folder / "model.json").is_file():
        pytest.skip(f"pretrained mirror not found at {folder}; set ML5PY_MODELS to the mirror folder")
    model_json = json.loads((folder / "model.json").read_text())
    return name, output_shape, LayersModel.from_files(model_json, lambda path: (folder / path).read_bytes())


def test_real_models_predict(real_model):
    name, output_shape, model = real_model
    shape = (1,) + tuple(model.input_shape[1:])
    for x in (np.zeros(shape, np.float32), np.random.default_rng(0).uniform(-1, 1, shape).astype(np.float32)):
        y = model.predict(x)
        assert y.shape == output_shape and y.dtype == np.float32, name
        assert np.isfinite(y).all(), name
        if name != "darknet-tiny":  # darknet gives logits; the others probabilities
            assert y.min() >= 0 and abs(float(y.sum()) - 1) < 1e-4, name
