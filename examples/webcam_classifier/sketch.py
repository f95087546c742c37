# What does the webcam see? MobileNet names it, frame after frame.
#
#   ml5py serve sketch.py     (then allow the camera when the browser asks)
#
# A p5.js sketch written in Python: p5 calls setup() once, then draw() for every frame.
# Press any key to pause the classifier, and again to go on.

from ml5py import ImageClassifier

video = None
label = "waiting..."
paused = False


def setup():
    global video, classifier
    createCanvas(640, 480)
    video = createCapture(VIDEO)        # the webcam, as a p5 video
    video.size(640, 480)
    video.hide()                        # we draw it on the canvas ourselves
    classifier = ImageClassifier("MobileNet")
    classifier.classify_start(video, got_results)   # classify every new frame


def got_results(results, error):
    # called with each frame's results, best guess first
    global label
    if error:
        label = str(error)
        return
    label = results[0]["label"]


def draw():
    image(video, 0, 0)                  # the webcam picture
    fill(255)
    stroke(0)
    strokeWeight(4)
    textSize(32)
    text(label, 10, height - 20)        # what MobileNet thinks it is


def keyPressed():
    global paused
    paused = not paused
    if paused:
        classifier.classify_stop()      # no more results after this
    else:
        classifier.classify_start(video, got_results)
