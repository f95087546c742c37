"""Pacing a worker's live loop (ml5py/worker/pacing.py, ``keep_draw=``): the loop rests when its
work slows the page's frames, so that draw() keeps its share of its own rate; unasked, no rest."""
from __future__ import annotations

import pytest

from conftest import open_page
from test_error_lines import wait_for_error_box

# A stand-in for a worker's step that slows the page while it runs, as a network in a worker
# does on a machine with few cores: 150 ms in which the page's thread is busy 60 ms at a time,
# so that at most one animation frame in four comes. Each run loops the paced step for 4 s and counts.
SYNTHETIC = """
from ml5py.worker.pacing import paced

__pragma__ ('js', '{}', '''
function slowing_step () {
    return new Promise (function (resolve) {
        var end = performance.now () + 150;
        (function chunk () {
            var until = performance.now () + 60;
            while (performance.now () < until) {}
            if (performance.now () < end) setTimeout (chunk, 0); else resolve ('done');
        }) ();
    });
}
window.run_paced = function (keep) {
    var frames = 0, working = 0, steps = 0, on = true, began = performance.now ();
    var counting = function () { frames += 1; if (on) requestAnimationFrame (counting); };
    requestAnimationFrame (counting);
    var step = paced (function (frame) {
        var start = performance.now ();
        return slowing_step ().then (function (value) { working += performance.now () - start; steps += 1; return value; });
    }, keep);
    var next = function () {
        if (performance.now () - began > 4000) {
            on = false;
            var seconds = (performance.now () - began) / 1000;
            return {fps: frames / seconds, working: working / 1000 / seconds, steps: steps};
        }
        return step (null).then (next);
    };
    return next ();
};
''')
print("ready")
"""

RESTING_FPS = """var frames = 0, began = performance.now (); return new Promise (function (resolve) {
    (function count () { frames += 1; if (performance.now () - began < 1500) requestAnimationFrame (count);
                         else resolve (frames / ((performance.now () - began) / 1000)); }) (); });"""


@pytest.mark.browser
def test_a_paced_loop_rests_so_that_draw_keeps_its_rate(driver, sites):
    site = sites(SYNTHETIC, name="worker-pacing")
    open_page(driver, site.page(), lines=1)
    resting = driver.execute_script(RESTING_FPS)
    unpaced = driver.execute_script("return window.run_paced(0)")
    paced = driver.execute_script("return window.run_paced(0.9)")
    print(f"\nno step: {resting:.1f} fps; unpaced: {unpaced}; keep_draw=0.9: {paced}")
    # unpaced, the step runs all the time and the page's frames slow down
    assert unpaced["working"] > 0.85, unpaced
    assert unpaced["fps"] < 0.5 * resting, (resting, unpaced)
    # paced, it rests most of the time (keeping 0.9 of 60 fps against 15 while it works calls for
    # working 0.13 of the time; pacing.py's least share is 1/4) and draw() gets most of its frames
    # back; the step still runs again and again
    assert 0.15 < paced["working"] < 0.45, paced
    assert paced["fps"] > unpaced["fps"] * 1.5 and paced["fps"] > 0.7 * resting, (resting, unpaced, paced)
    assert paced["steps"] >= 5, paced


BAD_KEEP = """
from ml5py import StyleTransfer

print("made")
style = StyleTransfer("wave", worker=True, keep_draw=1.5)
"""


@pytest.mark.browser
@pytest.mark.parametrize("worker", ["1", "0"])
def test_a_keep_draw_that_is_not_a_share_says_what_to_give(driver, sites, worker):
    site = sites(BAD_KEEP, name="worker-bad-keep")
    text = wait_for_error_box(driver, site.page(worker=worker))
    assert text.startswith("sketch.py, line 4: ValueError: keep_draw=1.5 cannot be used: give the share of "
                           "draw()'s frame rate to keep while a model works in a web worker"), text
    assert "keep_draw=0.9" in text


LIVE = """
from ml5py import ImageClassifier
from ml5py.worker.pacing import pace_watch

window.results = 0


def got(results, error):
    window.results += 1
    window.watch = pace_watch()   # (None until a paced loop ran)


def setup():
    createCanvas(160, 120)
    video = createCapture(VIDEO)
    video.size(160, 120)
    video.hide()
    classifier = ImageClassifier("MobileNet")
    classifier.classify_start(video, got)
    print("where:", classifier.where())


def draw():
    background(200)
"""


@pytest.mark.browser
@pytest.mark.parametrize("query, where, paced", [
    ({"worker": "1", "keep_draw": "0.9"}, "worker", True),
    ({"worker": "1"}, "worker", False),
    ({"worker": "0", "keep_draw": "0.9"}, "main thread", False),  # (nothing to pace on the main thread)
])
def test_a_live_loop_in_the_worker_is_paced_when_asked(driver, sites, query, where, paced):
    site = sites(LIVE, name="worker-paced-live")
    lines = open_page(driver, site.page(**query), lines=1, until="return window.results >= 8")
    assert lines == [f"where: {where}"]
    watch = driver.execute_script("return window.watch")
    if paced:
        assert watch["busy_frames"] > 0 and watch["busy_ms"] > 0, watch
    else:
        assert watch is None, watch
