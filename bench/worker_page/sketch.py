# The live sketch of bench/worker_bench.py: a webcam drawn every frame with a circle at the
# mouse, while one model works on every new frame (?model=mobilenet|bodypix|style|none).
from ml5py import BodyPix, ImageClassifier, StyleTransfer

# (two lines of JavaScript: the page's address, and the longest main-thread task seen)
__pragma__ ('js', '{}', """
var which = new URLSearchParams (location.search).get ('model') || 'none';
window.bench = {results: 0, frames: 0, first: null, errors: 0, longest: 0};
new PerformanceObserver (function (list) { list.getEntries ().forEach (function (entry) {
    window.bench.longest = Math.max (window.bench.longest, entry.duration); }); }).observe ({entryTypes: ['longtask']});
""")
video = None
model = None


def got(result, error):
    if error:
        window.bench.errors += 1
        print("error:", error)
        return
    if window.bench.first is None:
        window.bench.first = performance.now()  # ms since the page started loading
    window.bench.results += 1


def setup():
    global video, model
    createCanvas(320, 240)
    video = createCapture(VIDEO)
    if which == "style":
        video.size(256, 256)
    else:
        video.size(640, 480)
    video.hide()
    if which == "mobilenet":
        model = ImageClassifier("MobileNet")
        model.classify_start(video, got)
    elif which == "bodypix":
        model = BodyPix(internal_resolution="medium")
        model.segment_start(video, got)
    elif which == "style":
        model = StyleTransfer("wave")
        model.transfer_start(video, got)


def draw():
    window.bench.frames += 1
    image(video, 0, 0, 320, 240)
    ellipse(mouseX, mouseY, 30, 30)
