# The page the benchmark opens: the classifiers a learner would write, handed to the
# timing harness (bench/harness.js) through `window`. Compiled by Transcrypt, like any sketch.
#
# The models and photo come from the page address: ?models=MobileNet,Darknet&image=bird.jpg
# (noopov: with operator overloading on, Transcrypt cannot `new` a DOM constructor.)
# __pragma__ ('noopov')

from ml5py import ImageClassifier, load_image, get_backend

query = __new__(URL(window.location.href)).searchParams
names = query.js_get("models") or "MobileNet"
classifiers = {}
for name in names.js_split(","):
    classifiers[name] = ImageClassifier(name)

window.bench_classifiers = classifiers
window.bench_image = load_image(query.js_get("image") or "bird.jpg")
window.bench_get_backend = get_backend
window.bench_sketch_ready = True
