"""WebGPU: chosen by itself only on a real GPU adapter; ``set_backend("webgpu")`` forces it.

Headless Chromium here has no GPU. With ``--enable-unsafe-webgpu`` it offers SwiftShader's
software adapter: ml5py must not pick it by itself (wasm is chosen), and a model forced on it
must give the answers it gives on wasm. When this Chromium offers no adapter at all, the
parity test says so in its skip reason (``-rs`` prints it)."""
from __future__ import annotations

import pytest

from conftest import SESSION_FLAGS, open_page, parse_results

SKETCH = """
from ml5py import ImageClassifier, load_image, get_backend

classifier = ImageClassifier("MobileNet")
bird = load_image("bird.jpg")

async def main():
    results = await classifier.classify(bird)
    print("backend:", get_backend())
    for result in results:
        print(result.label, result.confidence)

main()
"""

ADAPTER = """return navigator.gpu ? navigator.gpu.requestAdapter().then(function (adapter) {
    return adapter ? {architecture: adapter.info.architecture, vendor: adapter.info.vendor} : 'none';
}) : Promise.resolve('no navigator.gpu');"""


@pytest.fixture(scope="module")
def webgpu_driver():
    from browser import chromium

    with chromium(SESSION_FLAGS + ["--enable-unsafe-webgpu"]) as driver:
        yield driver


@pytest.mark.browser
def test_webgpu_forced_on_the_software_adapter_matches_wasm(webgpu_driver, sites, images):
    site = sites(SKETCH, {"bird.jpg": images / "bird.jpg"}, name="webgpu")
    webgpu_driver.get(site.url)
    adapter = webgpu_driver.execute_script(ADAPTER)
    if not isinstance(adapter, dict):
        pytest.skip(f"this Chromium offers no WebGPU adapter ({adapter}), even with "
                    "--enable-unsafe-webgpu: the WebGPU path could not be run here")
    print(f"\nWebGPU adapter: {adapter}")
    automatic = open_page(webgpu_driver, site.page(backend=None), lines=4)
    assert automatic[0] == "backend: wasm", (adapter, automatic)  # a software adapter is never chosen
    forced = open_page(webgpu_driver, site.page(backend="webgpu"), lines=4)
    assert forced[0] == "backend: webgpu", forced
    on_wasm, on_webgpu = parse_results(automatic[1:4]), parse_results(forced[1:4])
    assert [label for label, _ in on_webgpu] == [label for label, _ in on_wasm]
    for (_, a), (_, b) in zip(on_wasm, on_webgpu):
        assert a == pytest.approx(b, abs=2e-3)
