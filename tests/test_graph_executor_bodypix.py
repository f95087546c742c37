"""The numpy executor of TF.js graph models on the real BodyPix files: the ten files of the
mirror must load and run, and TF.js itself (the npm package the pages load, run by node) is
the reference for a whole BodyPix model."""
import os
import shutil
import subprocess

import numpy as np
import pytest
from conftest import IMAGES, MIRROR, REPO

from ml5py.numpy_executor.graph import GraphModel

BODYPIX = MIRROR / "bodypix" / "mobilenet"
VARIANTS = ["float/050", "quant1/050", "quant2/050", "quant1/075", "quant2/075"]


# ---------------------------------------------------------------- the BodyPix files


CHANNELS = {"float_segments": 1, "float_part_heatmaps": 24, "float_heatmaps": 17, "float_short_offsets": 34,
            "float_long_offsets": 34, "float_part_offsets": 48, "MobilenetV1/displacement_fwd_2/BiasAdd": 32,
            "MobilenetV1/displacement_bwd_2/BiasAdd": 32}


def photo(height, width):
    """harriet.jpg at height x width, as BodyPix feeds it: x / 127.5 - 1, with a batch axis."""
    from PIL import Image
    with Image.open(IMAGES / "harriet.jpg") as image:
        pixels = np.asarray(image.convert("RGB").resize((width, height), Image.BILINEAR), np.float32)
    return (pixels / np.float32(127.5) - np.float32(1))[None]


@pytest.mark.parametrize("stride", [16, 8])
@pytest.mark.parametrize("variant", VARIANTS)
def test_every_bodypix_file_loads_and_runs(variant, stride):
    model = GraphModel.from_files(BODYPIX / variant / f"model-stride{stride}.json")
    assert model.input_names == ["sub_2"]
    assert model.input_shapes == {"sub_2": (1, None, None, 3)}
    assert sorted(model.output_names) == sorted(CHANNELS)
    results = model.execute({"sub_2": photo(161, 129)}, list(CHANNELS))
    for (name, channels), result in zip(CHANNELS.items(), results):
        assert result.shape == (1, 160 // stride + 1, 128 // stride + 1, channels), name
        assert result.dtype == np.float32 and np.isfinite(result).all(), name
    part_offsets = results[list(CHANNELS).index("float_part_offsets")]
    assert part_offsets.min() >= 0 and part_offsets.max() <= 1  # the graph clips them to [0, 1]


@pytest.mark.parametrize("stride", [16, 8])
def test_two_byte_weights_give_nearly_the_float_answers(stride):
    """quant2 (uint16) stays close to float32. (quant1, uint8, drifts much further at this
    small size - TF.js gives the same drift: see test_bodypix_matches_tfjs_graph_model.)"""
    x = photo(161, 129)
    outputs = ["float_segments", "float_part_heatmaps"]
    exact = GraphModel.from_files(BODYPIX / "float/050" / f"model-stride{stride}.json").execute(x, outputs)
    quantised = GraphModel.from_files(BODYPIX / "quant2/050" / f"model-stride{stride}.json").execute(x, outputs)
    for name, want, got in zip(outputs, exact, quantised):
        assert np.abs(got - want).max() < 0.01 * float(want.max() - want.min()), name
    assert ((quantised[0] > 0) == (exact[0] > 0)).mean() > 0.99


# ---------------------------------------------------------------- TF.js itself as the reference

TFJS_SCRIPT = r"""
const tf = require('@tensorflow/tfjs');
const fs = require('fs'); const path = require('path');
(async () => {
  const [modelJson, input, height, width, outDir] = process.argv.slice(2);
  await tf.setBackend('cpu');
  const model = JSON.parse(fs.readFileSync(modelJson));
  const folder = path.dirname(modelJson);
  const specs = [].concat(...model.weightsManifest.map(g => g.weights));
  const data = Buffer.concat([].concat(...model.weightsManifest.map(
      g => g.paths.map(p => fs.readFileSync(path.join(folder, p))))));
  const weightData = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  const graph = await tf.loadGraphModel(tf.io.fromMemory(
      {modelTopology: model.modelTopology, weightSpecs: specs, weightData, format: model.format}));
  const raw = fs.readFileSync(input);
  const x = tf.tensor(new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4), [1, +height, +width, 3]);
  const names = ['float_segments', 'float_part_heatmaps', 'float_short_offsets'];
  const results = graph.execute({sub_2: x}, names);
  names.forEach((name, i) => fs.writeFileSync(path.join(outDir, name + '.bin'),
                                              Buffer.from(results[i].dataSync().buffer)));
})().catch(error => { console.error(error); process.exit(1); });
"""


@pytest.mark.browser
@pytest.mark.parametrize("variant,stride", [("quant2/075", 16), ("quant2/075", 8), ("quant1/050", 8)])
def test_bodypix_matches_tfjs_graph_model(tmp_path, variant, stride):
    """The npm TF.js 4.22 that the pages load, run by node on its CPU backend, is the reference.

    Stride 8 also pins TF.js's reading of the files' dilations [2, 2, 1, 1] as (2, 1).
    Marked ``browser``: it needs the JavaScript half (node and node_modules), like the pages.
    """
    if os.environ.get("ML5PY_SKIP_BROWSER") == "1":
        pytest.skip("ML5PY_SKIP_BROWSER=1: tests of the JavaScript half skipped on purpose")
    node_binary = shutil.which("node")
    if node_binary is None or not (REPO / "node_modules" / "@tensorflow" / "tfjs").is_dir():
        pytest.fail("This test needs node and the npm packages: install Node.js, then run `npm install` "
                    "in the repository.", pytrace=False)
    model_json = BODYPIX / variant / f"model-stride{stride}.json"
    x = photo(161, 129)
    x.astype("<f4").tofile(tmp_path / "input.bin")
    (tmp_path / "reference.js").write_text(TFJS_SCRIPT)
    env = dict(os.environ, NODE_PATH=str(REPO / "node_modules"))
    subprocess.run([node_binary, str(tmp_path / "reference.js"), str(model_json), str(tmp_path / "input.bin"),
                    "161", "129", str(tmp_path)], check=True, env=env, timeout=120, capture_output=True)
    names = ["float_segments", "float_part_heatmaps", "float_short_offsets"]
    results = GraphModel.from_files(model_json).execute({"sub_2": x}, names)
    for name, got in zip(names, results):
        want = np.fromfile(tmp_path / f"{name}.bin", "<f4").reshape(got.shape)
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=2e-4 * float(np.abs(want).max()), err_msg=name)
