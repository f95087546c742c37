"""The shared argument checks in the browser: the same words as in CPython."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import open_page
from test_image_classifier import write_teachable_machine_model

SKETCH = """
from ml5py import ImageClassifier, KNNClassifier, StyleTransfer

outcomes = []


def note(what, work):
    try:
        work()
        outcomes.append([what, "no error"])
    except Exception as error:
        outcomes.append([what, str(error)])


def report(mismatch):
    window.outcomes = JSON.stringify(outcomes)
    window.mismatch = JSON.stringify(mismatch)
    print("done")


classifier = ImageClassifier("MobileNet")
knn = KNNClassifier()
knn.add_example([1, 0], "a")
picture = document.createElement("canvas")
for k in [0, -3, 2.5, float("nan"), float("inf"), "x", [5], True]:
    note("classify k", lambda: classifier.classify(picture, k))
    note("knn k", lambda: knn.classify([1, 0], k))
note("classify callback", lambda: classifier.classify(picture, 3, 5))
note("knn load callback", lambda: knn.load({"examples": []}, "loaded"))
note("style callback", lambda: StyleTransfer("scream", 5))
mismatch = []
ImageClassifier("my-model", lambda model, error: report([str(error), model is None]))
"""


@pytest.mark.browser
def test_bad_k_callbacks_and_label_counts_are_refused_in_the_browser(driver, sites, tmp_path: Path):
    write_teachable_machine_model(tmp_path / "my-model")
    (tmp_path / "my-model" / "metadata.json").write_text(json.dumps({"labels": ["a", "b", "c"]}))
    assets = {f"my-model/{name}": (tmp_path / "my-model" / name).read_bytes()
              for name in ("model.json", "weights.bin", "metadata.json")}
    site = sites(SKETCH, assets, name="arguments")
    assert open_page(driver, site.page("cpu"), lines=1) == ["done"]
    outcomes = json.loads(driver.execute_script("return window.outcomes;"))
    for what, message in outcomes[:16]:
        meaning = "how many results to return" if what == "classify k" else "how many nearest examples vote"
        assert f"k ({meaning}) should be a whole number of at least 1; got " in message, (what, message)
    assert outcomes[16][1].startswith("classify's callback must be a function such as def got_results(")
    assert outcomes[17][1].startswith("KNNClassifier.load's callback must be a function")
    assert outcomes[18][1].startswith("StyleTransfer's callback must be a function")
    error, no_model = json.loads(driver.execute_script("return window.mismatch;"))
    assert "has 2 outputs but its metadata.json lists 3 labels" in error and no_model
