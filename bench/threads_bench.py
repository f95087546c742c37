"""numpy's BLAS threads for each model's work in CPython: 1 against 2, quiet and beside a busy
process (which models ml5py runs on one thread by default, blas_threads.py).

One process; for each workload, calls on 1 and 2 OpenBLAS threads take turns (1, 2, 2,
1, ...), first with nothing else started by the benchmark ("quiet": the machine's own
load is printed beside it), then with one competing process (a Python busy loop). While
it runs, ``OPENBLAS_NUM_THREADS`` is set so ml5py's own one-thread rule
(``numpy_executor/blas_threads.py``) stands aside and the count set here holds.

Workloads: the layers models' network (``predict`` on a prepared batch: MobileNet, Darknet,
DoodleNet), StyleTransfer on 256 x 256 pixels, BodyPix's segment on 640 x 480, an epoch
of NeuralNetwork (1,000 examples of 34 numbers) and of a trainable head (100 embeddings).

    .venv/bin/python bench/threads_bench.py --repeats 10
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from checkouts import SHARED, load_average

IMAGES = SHARED / "images"


def workloads() -> dict:
    """name -> a function doing one call."""
    from ml5py import BodyPix, FeatureExtractor, ImageClassifier, NeuralNetwork, StyleTransfer, load_image, rt
    from ml5py.models.image_classifier.image_classifier import model_input

    photo = load_image(str(IMAGES / "bird.jpg"))
    work = {}
    for name in ("MobileNet", "Darknet", "DoodleNet"):
        classifier = ImageClassifier(name)
        batch = model_input(classifier.source, classifier.model, photo)
        work[f"{name} network"] = lambda classifier=classifier, batch=batch: rt.predict(classifier.model, batch)
    style = StyleTransfer("scream")
    square = load_image(str(IMAGES / "harriet.jpg")).to_numpy()[:256, :256]
    work["StyleTransfer 256x256"] = lambda: style.transfer(square)
    bodypix = BodyPix()
    frame = np.full((480, 640, 3), 128, np.uint8)
    harriet = load_image(str(IMAGES / "harriet.jpg")).to_numpy()[:480]  # 480 x 480 of the portrait
    frame[:, 80: 80 + harriet.shape[1]] = harriet
    work["BodyPix segment 640x480"] = lambda: bodypix.segment(frame)
    rng = np.random.default_rng(0)
    network = NeuralNetwork(task="classification")
    for index in range(1000):
        label = int(index % 3)
        network.add_data(list(rng.normal(label, 1.0, 34)), [str(label)])
    network.normalize_data()
    network.train(epochs=1)
    work["NeuralNetwork epoch"] = lambda: network.train(epochs=1)
    head = FeatureExtractor("MobileNet").classification({"epochs": 1})
    for index in range(100):
        head.add_image(list(np.abs(rng.normal(index % 3, 1.0, 768))), str(index % 3))
    head.train(1)
    work["trainable head epoch"] = lambda: head.train(1)
    return work


@contextmanager
def competing(count: int):
    """``count`` busy processes while the block runs."""
    processes = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]
    try:
        time.sleep(0.5 if count else 0)
        yield
    finally:
        for process in processes:
            process.kill()
            process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=10, help="timed calls per thread count (default 10)")
    parser.add_argument("--only", default="", help="comma-separated workload names (default all)")
    args = parser.parse_args()
    os.environ.setdefault("ML5PY_MODELS", str(SHARED / "pretrained"))
    os.environ["OPENBLAS_NUM_THREADS"] = "2"  # ml5py's one-thread rule stands aside (see the docstring)
    from ml5py.numpy_executor import blas_threads

    functions = blas_threads._openblas()
    if functions is None:
        raise SystemExit("numpy does not use OpenBLAS here: nothing to compare")
    set_threads = functions[1]
    work = workloads()
    if args.only:
        work = {name: fn for name, fn in work.items() if any(part in name for part in args.only.split(","))}
    print(f"{'workload':26s} {'condition':10s} {'1 thread':>10s} {'2 threads':>10s} {'1/2':>6s}  load average")
    for condition, busy in (("quiet", 0), ("+1 busy", 1)):
        with competing(busy):
            for name, call in work.items():
                times = {1: [], 2: []}
                for threads in (1, 2):
                    set_threads(threads)
                    call()  # warm-up
                for turn in range(args.repeats):
                    for threads in ((1, 2) if turn % 2 == 0 else (2, 1)):
                        set_threads(threads)
                        start = time.perf_counter()
                        call()
                        times[threads].append((time.perf_counter() - start) * 1000)
                one, two = statistics.median(times[1]), statistics.median(times[2])
                print(f"{name:26s} {condition:10s} {one:8.1f} ms {two:8.1f} ms {one / two:6.2f}  {load_average()}",
                      flush=True)
    set_threads(2)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
