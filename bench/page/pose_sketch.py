# The page bench/pose_bench.py opens: the BodyPose models a learner would make, handed to the
# timing harness (bench/pose_harness.js) through `window`. Compiled by Transcrypt, like any sketch.
# The bench writes ROWS (a list of [name, keyword options]) in place of the word below.
# __pragma__ ('noopov')

from ml5py import BodyPose, load_image

rows = ROWS
window.bench_models = {}
waiting = []
for row in rows:
    options = row[1]
    model = BodyPose(options["model"], model_type=options["model_type"])
    window.bench_models[row[0]] = model
    waiting.append(model.ready)
window.bench_image = load_image("frame.png")  # a 640x480 frame, written by the bench
waiting.append(window.bench_image.ready)


def ready(results):
    window.bench_sketch_ready = True


Promise.all(waiting).then(ready)
