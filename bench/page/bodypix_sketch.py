# The page bench/bodypix_bench.py opens: the BodyPix a learner would write, handed to the
# timing harness (bench/bodypix_harness.js) through `window`. Compiled by Transcrypt, like any sketch.
# __pragma__ ('noopov')

from ml5py import BodyPix, load_image

bodypix = BodyPix()  # MobileNetV1 0.75, 2-byte weights, stride 16, internal_resolution "medium"
window.bench_bodypix = bodypix
window.bench_image = load_image("frame.png")  # a 640x480 frame, written by the bench


def ready(results):
    window.bench_sketch_ready = True


Promise.all([bodypix.ready, window.bench_image.ready]).then(ready)
