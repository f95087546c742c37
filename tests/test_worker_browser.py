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
