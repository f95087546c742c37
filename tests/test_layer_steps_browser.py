"""A layers model runs as fused steps in the browser (``core/layer_steps_browser.py``): each batch
norm folded into the convolution before it, its activation fused; the same results as TF.js's
``model.predict``, without TF.js's single-threaded ``FusedBatchNorm`` and ``Minimum`` passes."""
from __future__ import annotations

import json

import pytest

from conftest import open_page

SKETCH = """
from ml5py import ImageClassifier, FeatureExtractor, rt

def compare(model, name):
    x = tf.randomUniform([1, 224, 224, 3], -1, 1, "float32", 7)

    def kernels(info):
        return sorted(set([k.js_name for k in info.kernels]))

    def with_ours(ours):
        # (TF.js hands every profile the same object: read ours before the next one)
        our_kernels = kernels(ours)
        a = ours.result.dataSync()

        def with_theirs(theirs):
            before = tf.memory().numTensors
            for i in range(3):
                rt.tidy(lambda: rt.predict(model, x).dispose())
            grown = tf.memory().numTensors - before
            b = theirs.result.dataSync()
            worst = 0
            for i in range(len(a)):
                worst = max(worst, abs(a[i] - b[i]))
            print(name + " " + JSON.stringify({"ours": our_kernels, "theirs": kernels(theirs), "worst": worst,
                                               "size": len(a), "grown": grown, "steps": len(model.ml5py_steps),
                                               "layers": len(model.layers)}))
        return tf.profile(lambda: tf.keep(model.predict(x))).then(with_theirs)

    return tf.profile(lambda: tf.keep(rt.predict(model, x))).then(with_ours)

def classifier_ready(model, error):
    compare(classifier.model, "classifier").then(lambda ignored: features.ready).then(
        lambda ignored: compare(features.model, "features"))

classifier = ImageClassifier("MobileNet", classifier_ready)
features = FeatureExtractor("MobileNet")
"""


@pytest.mark.browser
@pytest.mark.parametrize("backend", ["wasm", "cpu"])
def test_mobilenet_runs_as_fused_steps_with_tfjs_results(driver, sites, backend):
    site = sites(SKETCH, name="layer-steps")
    lines = open_page(driver, site.page(backend), lines=2)
    for line, name, size in ((lines[0], "classifier", 1000), (lines[1], "features", None)):
        assert line.startswith(name + " "), lines
        got = json.loads(line[len(name) + 1:])
        assert "FusedBatchNorm" in got["theirs"] and "FusedBatchNorm" not in got["ours"], got
        assert "Minimum" not in got["ours"], got
        assert got["steps"] < got["layers"] - 20, got  # 27 batch norms and 27 ReLU6s folded in
        assert got["worst"] < 1e-4, got
        assert got["grown"] == 0, got  # folded once, nothing left behind by a step
        if size:
            assert got["size"] == size, got
