"""Models in a web worker (ml5py/worker/): the same answers as on the main thread, the page's
main thread free while the network works, and no tensors left behind in the worker."""
from __future__ import annotations

import pytest

from conftest import open_page

STILL = """
from ml5py import ImageClassifier, StyleTransfer, load_image

bird = load_image("bird.jpg")

async def main():
    classifier = ImageClassifier("MobileNet")
    style = StyleTransfer("wave")
    await classifier.ready
    await style.ready
    print("where:", classifier.where(), style.where())
    results = await classifier.classify(bird)
    for result in results:
        print(result["label"], result["confidence"])
    painted = await style.transfer(bird)
    window.painted = painted
    print("painted:", painted.width, painted.height)

main()
"""

PIXELS = """var c = window.painted; var ctx = (c.getContext ? c : c.canvas).getContext('2d');
var d = ctx.getImageData(0, 0, c.width, c.height).data; var sum = 0;
for (var i = 0; i < d.length; i += 7) sum = (sum + d[i] * (i % 251)) % 1000000007; return sum;"""


@pytest.mark.browser
def test_worker_gives_the_main_threads_answers(driver, sites, images):
    site = sites(STILL, {"bird.jpg": images / "bird.jpg"}, name="worker-still")
    main = open_page(driver, site.page(worker="0"), lines=5)
    main_pixels = driver.execute_script(PIXELS)
    worker = open_page(driver, site.page(worker="1"), lines=5)
    worker_pixels = driver.execute_script(PIXELS)
    assert main[0] == "where: main thread main thread", main
    assert worker[0] == "where: worker worker", worker
    assert worker[1:] == main[1:], (main, worker)
    assert worker_pixels == main_pixels


LIVE = """
from ml5py import BodyPix, ImageClassifier, StyleTransfer

__pragma__ ('js', '{}', '''
var which = new URLSearchParams (location.search).get ('model') || 'none';
window.live = {results: 0, frames: 0, longest: 0};
new PerformanceObserver (function (list) { list.getEntries ().forEach (function (entry) {
    window.live.longest = Math.max (window.live.longest, entry.duration); }); }).observe ({entryTypes: ['longtask']});
''')
video = None
model = None


def got(result, error):
    if error:
        print("error:", error)
        return
    window.live.results += 1


def setup():
    global video, model
    createCanvas(320, 240)
    video = createCapture(VIDEO)
    video.size(160, 120)
    video.hide()
    if which == "style":
        model = StyleTransfer("wave")
        model.transfer_start(video, got)
    elif which == "mobilenet":
        model = ImageClassifier("MobileNet")
        model.classify_start(video, got)
    elif which == "bodypix":
        video.size(640, 480)  # (heavy enough that every segment is a long task on the main thread)
        model = BodyPix(internal_resolution="full")
        model.segment_start(video, got)
    window.model = model


def draw():
    window.live.frames += 1
    image(video, 0, 0, 320, 240)
    ellipse(mouseX, mouseY, 30, 30)
"""


def _live(driver, url, seconds=6.0, results=2):
    import time

    from browser import wait_for

    open_page(driver, url)
    wait_for(driver, f"return window.live && (window.live.results >= {results} || "
             "new URLSearchParams(location.search).get('model') === 'none' && window.live.frames > 30)",
             timeout=240)
    driver.execute_script("window.live.longest = 0;")  # from here on: the sketch running live
    before = driver.execute_script("return Object.assign({}, window.live)")
    time.sleep(seconds)
    after = driver.execute_script("return Object.assign({}, window.live)")
    return {"draw": (after["frames"] - before["frames"]) / seconds,
            "results": (after["results"] - before["results"]) / seconds, "longest": after["longest"]}


@pytest.mark.browser
def test_style_transfer_in_the_worker_leaves_draw_free(driver, sites):
    site = sites(LIVE, name="worker-live")
    none = _live(driver, site.page(model="none"))
    worker = _live(driver, site.page(model="style", worker="1"))
    main = _live(driver, site.page(model="style", worker="0"))
    print(f"\nno model: draw {none['draw']:.1f} fps; worker: draw {worker['draw']:.1f} fps, "
          f"{worker['results']:.2f} results/s, longest task {worker['longest']:.0f} ms; main thread: "
          f"draw {main['draw']:.1f} fps, {main['results']:.2f} results/s, longest task {main['longest']:.0f} ms")
    assert main["longest"] > 100, main  # the network blocks the page on the main thread
    assert worker["longest"] <= 50, worker
    # draw() against the no-model rate is printed, not asserted (the 2 cores are shared: 0.83-0.98x
    # measured here); against the main thread it is many times faster
    print(f"worker draw / no model: {worker['draw'] / none['draw']:.2f}x")
    assert worker["draw"] >= 3 * main["draw"], (main, worker)


@pytest.mark.browser
@pytest.mark.parametrize("model", ["mobilenet", "bodypix"])
def test_live_classify_and_segment_in_the_worker_leave_the_page_free(driver, sites, model):
    site = sites(LIVE, name="worker-live")
    # one wasm thread both ways (a worker on 2 cores has one)
    worker = _live(driver, site.page(model=model, worker="1", wasm_threads="1"), seconds=4.0)
    main = _live(driver, site.page(model=model, worker="0", wasm_threads="1"), seconds=4.0)
    print(f"\n{model}: worker: draw {worker['draw']:.1f} fps, {worker['results']:.2f} results/s, longest task "
          f"{worker['longest']:.0f} ms; main thread: draw {main['draw']:.1f} fps, {main['results']:.2f} results/s, "
          f"longest task {main['longest']:.0f} ms")
    if model == "bodypix":  # (a MobileNet classification is 53-64 ms here when quiet: printed, too close to 50)
        assert main["longest"] > 50, main  # the browser reports tasks over 50 ms only: there are some
    assert worker["longest"] <= 50, worker
    assert worker["results"] > 0, worker


@pytest.mark.browser
def test_no_tensor_growth_in_the_worker(driver, sites):
    site = sites(LIVE, name="worker-memory")
    from browser import wait_for

    open_page(driver, site.page(model="mobilenet", worker="1"))
    wait_for(driver, "return window.live && window.live.results >= 10", timeout=240)
    first = driver.execute_async_script("window.model.tensors().then(arguments[0])")
    wait_for(driver, "return window.live.results >= 110", timeout=240)
    last = driver.execute_async_script("window.model.tensors().then(arguments[0])")
    assert driver.execute_script("return window.model.where()") == "worker"
    assert last == first, (first, last)


BODYPIX = """
from ml5py import BodyPix, load_image

person = load_image("person.jpg")

async def main():
    bodypix = BodyPix()
    await bodypix.ready
    result = await bodypix.segment(person)
    rows = result.data.tolist()
    window.picture = result.person_mask
    print(bodypix.where(), result.width, result.height, len(rows), sum(result.data), round(result.raw[1000], 6))
    print("poses:", len(result.poses), round(result.poses[0].score, 6) if result.poses else None)
    bodypix.segment_start([person], got, parts=True)


def got(result, error):
    print("live parts:", error, result.width, len(result.parts), sum(result.parts), round(result.raw[1000], 6))

main()
"""


SAMPLES = """var c = window.picture; var ctx = (c.getContext ? c : c.canvas).getContext('2d');
var d = ctx.getImageData(0, 0, c.width, c.height).data; var out = [];
for (var i = 0; i < d.length; i += 13) out.push(d[i]); return out;"""


@pytest.mark.browser
def test_bodypix_masks_are_the_same_in_the_worker(driver, sites, images):
    photo = images / "runner.jpg"
    site = sites(BODYPIX, {"person.jpg": photo}, name="worker-bodypix")
    main = open_page(driver, site.page(worker="0"), lines=3)
    main_pixels = driver.execute_script(SAMPLES)
    worker = open_page(driver, site.page(worker="1"), lines=3)
    worker_pixels = driver.execute_script(SAMPLES)
    assert main[2].startswith("live parts: None ") and worker[2] == main[2], (main, worker)  # parts=True
    assert main[0].startswith("main thread ") and worker[0].startswith("worker "), (main, worker)
    assert worker[0][len("worker "):] == main[0][len("main thread "):] and worker[1] == main[1], (main, worker)
    # the mask pictures: the same pixels, but for the last bit of blending (the page's canvas
    # and the worker's OffscreenCanvas round semi-transparent edges apart)
    assert len(worker_pixels) == len(main_pixels)
    worst = max(abs(a - b) for a, b in zip(worker_pixels, main_pixels))
    differ = sum(a != b for a, b in zip(worker_pixels, main_pixels))
    print(f"\nperson_mask: {differ} of {len(main_pixels)} sampled values differ, by at most {worst}")
    assert worst <= 2, (worst, differ)
