"""NeuralNetwork in the browser (TF.js) against CPython (numpy), files with ml5.js 1.4.0: a
model CPython saved loads in the browser (by URL and from a file input) and in ml5.js 1.4.0
(on the same page), one the browser saved and one ml5.js saved load in CPython, with the
same answers (within 1e-5); ml5.js's saved data loads in CPython; save_data writes the
same text.
"""
from __future__ import annotations

import json
import re
import time
from pathlib import Path

import numpy as np
import pytest

from browser import wait_for
from conftest import REPO, open_page
from ml5py import NeuralNetwork
from neural_network_browser_helpers import PROBES, SKETCH_START
from test_neural_network import colour_network, colour_task

ML5JS = REPO / "node_modules" / "ml5" / "dist" / "ml5.min.js"

FILES_SKETCH = SKETCH_START + """
# the page's downloads (ml5py's and ml5.js's saves) are kept in window.nn_files instead
__pragma__ ('js', '{}', 'window.nn_files = {}; HTMLAnchorElement.prototype.click = function () { ' +
            'var name = this.download; fetch (this.href).then (function (r) { return r.arrayBuffer (); })' +
            '.then (function (b) { window.nn_files [name] = Array.from (new Uint8Array (b)); }); };')


async def main():
    task = await load_task()
    out = {}
    for place in ["cpython_model", "cpython_model/model.json"]:
        loaded = NeuralNetwork()
        await loaded.load(place)
        out[place] = await answers(loaded, task.probes)
    colours = NeuralNetwork(task="classification")
    for row in task.colours:
        colours.add_data(row[0], row[1])
    colours.normalize_data()
    await colours.train(epochs=5)
    out["browser"] = await answers(colours, task.probes)
    await colours.save("browser_model")
    clothes = NeuralNetwork()
    for row in task.clothes:
        clothes.add_data(row[0], row[1])
    await clothes.save_data("clothes")
    await clothes.save_data("clothes.csv")

    async def load_files(files):
        chosen = NeuralNetwork()
        await chosen.load(files)
        return await answers(chosen, task.probes)

    window.nn_load_files = load_files
    window.nn_out = out
    print("done")

main()
"""

ML5JS_PART = """
const task = arguments[0];
const done = (result) => { window.ml5js_out = result; };
const step = (name) => { window.ml5js_step = name; };
const script = document.createElement('script');
script.src = 'ml5.min.js';
script.onerror = () => done({error: 'ml5.min.js did not load'});
script.onload = async () => {
  try {
    const answers = async (nn) => {
      const found = [];
      for (const probe of task.probes) {
        const results = await nn.classify(probe);
        found.push(results.map((r) => [r.label, r.confidence]));
      }
      return found;
    };
    step('load');
    const fromCpython = ml5.neuralNetwork({task: 'classification'});
    // an absolute URL: ml5.js 1.4.0 appends a relative one to the page's URL, ?backend=wasm and all
    await fromCpython.load(new URL('cpython_model/model.json', location.href).href);
    step('train');
    const own = ml5.neuralNetwork({task: 'classification'});
    for (const row of task.colours) own.addData([row[0].r, row[0].g, row[0].b], [row[1].colour]);
    own.normalizeData();
    await new Promise((resolve) => own.train({epochs: 3}, resolve));  // (ml5.js: train(options, done))
    step('save');
    await own.save('ml5js_model');
    await own.saveData('ml5js_data');
    step('classify');
    done({fromCpython: await answers(fromCpython), own: await answers(own), backend: tf.getBackend()});
  } catch (error) { done({error: String(error) + ' ' + error.stack}); }
};
document.head.appendChild(script);
"""


def _files(driver, names, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        files = driver.execute_script("return window.nn_files")
        if all(name in files for name in names):
            return {name: bytes(files[name]) for name in names}
        time.sleep(0.2)
    raise AssertionError(f"The page did not save {names}; it saved {sorted(files)}")


def _write(folder: Path, files: dict) -> Path:
    folder.mkdir()
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return folder


def _close(got, expected, atol=1e-5):
    assert [[label for label, _ in one] for one in got] == [[label for label, _ in one] for one in expected]
    np.testing.assert_allclose([[c for _, c in one] for one in got], [[c for _, c in one] for one in expected],
                               rtol=0, atol=atol)


@pytest.mark.browser
def test_models_and_data_travel_between_cpython_the_browser_and_ml5js(driver, sites, tmp_path):
    assert ML5JS.is_file(), "npm ci installs ml5 1.4.0 (package.json devDependencies) for this test"
    cpython = colour_network(colour_task(120))
    cpython.train(epochs=5)
    saved = cpython.save(tmp_path / "cpython_model")
    expected = [[[r.label, r.confidence] for r in cpython.classify(probe)] for probe in PROBES]
    clothes = [[{"weather": "sunny", "temperature": 25.5}, {"wear": "t-shirt"}],
               [{"weather": "rain, cold", "temperature": 3}, {"wear": "coat"}]]
    task = {"colours": colour_task(120), "probes": PROBES, "clothes": clothes}
    assets = {f"cpython_model/{name}": content for name, content in saved.items()}
    assets.update({"task.json": json.dumps(task).encode(), "ml5.min.js": ML5JS})
    site = sites(FILES_SKETCH, assets, name="nn-files")
    assert open_page(driver, site.page("wasm"), lines=1, timeout=300) == ["done"]
    out = driver.execute_script("return window.nn_out")
    _close(out["cpython_model"], expected)
    _close(out["cpython_model/model.json"], expected)

    driver.execute_script("var i = document.createElement('input'); i.type = 'file'; i.multiple = true; "
                          "i.id = 'nn-files'; document.body.appendChild(i);")
    driver.find_element("id", "nn-files").send_keys("\n".join(
        str(tmp_path / "cpython_model" / name) for name in ["model.json", "model_meta.json", "model.weights.bin"]))
    driver.execute_script("window.nn_load_files(document.getElementById('nn-files').files)"
                          ".then(function (found) { window.nn_from_files = found; });")
    _close(wait_for(driver, "return window.nn_from_files", timeout=60), expected)  # a file input's FileList

    browser_model = _write(tmp_path / "browser_model", _files(
        driver, ["model.json", "model_meta.json", "model.weights.bin", "clothes.json", "clothes.csv"]))
    assert (browser_model / "model.json").read_bytes() == saved["model.json"]  # written once: the same file
    from_browser = NeuralNetwork()
    from_browser.load(browser_model)
    _close([[[r.label, r.confidence] for r in from_browser.classify(p)] for p in PROBES], out["browser"])
    on_cpython = NeuralNetwork()
    for inputs, outputs in clothes:
        on_cpython.add_data(inputs, outputs)
    for name in ["clothes.json", "clothes.csv"]:
        on_cpython.save_data(str(tmp_path / name))
        assert (browser_model / name).read_bytes() == (tmp_path / name).read_bytes(), name

    driver.execute_script(ML5JS_PART, task)
    try:
        ml5js = wait_for(driver, "return window.ml5js_out", timeout=240)
    except AssertionError as error:
        raise AssertionError(f"ml5.js's part did not finish ({error}); last step: " +
                             str(driver.execute_script("return window.ml5js_step"))) from None
    assert "error" not in ml5js, ml5js.get("error")
    assert ml5js["backend"] == "wasm"
    _close(ml5js["fromCpython"], expected)  # ml5py -> ml5.js 1.4.0
    files = _files(driver, ["ml5js_model.json", "ml5js_model_meta.json", "ml5js_model.weights.bin"])
    folder = _write(tmp_path / "ml5js", files)
    dated = [name for name in driver.execute_script("return Object.keys(window.nn_files)")
             if re.fullmatch(r"\d+-\d+-\d+_\d+-\d+-\d+\.json", name)]
    assert len(dated) == 1  # ml5.js 1.4.0's saveData(name) ignores the name: the date and time instead
    (folder / "ml5js_data.json").write_bytes(_files(driver, dated)[dated[0]])
    from_ml5js = NeuralNetwork()
    from_ml5js.load(str(folder / "ml5js_model.json"))  # ml5.js 1.4.0 -> ml5py
    _close([[[r.label, r.confidence] for r in from_ml5js.classify(p)] for p in PROBES], ml5js["own"])
    data = NeuralNetwork(task="classification")
    data.load_data(str(folder / "ml5js_data.json"))
    assert data._data.rows[0] == {"xs": {"0": task["colours"][0][0]["r"], "1": task["colours"][0][0]["g"],
                                         "2": task["colours"][0][0]["b"]}, "ys": {"0": task["colours"][0][1]["colour"]}}
    assert len(data._data.rows) == 120
    data.normalize_data()
    assert data.train(epochs=2)["loss"][1] < data.train(epochs=1)["loss"][0] + 1
