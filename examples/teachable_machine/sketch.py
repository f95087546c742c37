# Teachable machine: teach MobileNet three new things with your webcam.
#
#   ml5py serve sketch.py     (then allow the camera when the browser asks)
#
# 1. Hold something up and press 1, 2 or 3 to add the webcam picture as an example of
#    that class. Add a few of each (10 is plenty), moving it around a little.
# 2. Press T to train (a few seconds). Then the sketch names what it sees, live.
# 3. Press S to save: the browser downloads model.json, weights.bin and metadata.json.
#    Put them in one folder next to a sketch: ImageClassifier("my_model") loads it,
#    in the browser and in CPython.

from ml5py import FeatureExtractor

CLASSES = ["rock", "paper", "scissors"]
status = "Press 1, 2 or 3 to add examples, then T to train"
label = ""
counts = [0, 0, 0]


def setup():
    global video, model
    createCanvas(640, 480)
    video = createCapture(VIDEO)        # the webcam, as a p5 video
    video.size(640, 480)
    video.hide()                        # we draw it on the canvas ourselves
    features = FeatureExtractor("MobileNet")
    model = features.classification()   # a small network that learns from MobileNet's features


def keyPressed():
    global status
    if key == "1" or key == "2" or key == "3":
        number = int(key) - 1
        counts[number] += 1
        model.add_image(video, CLASSES[number])     # this webcam picture is an example
    elif key == "t" or key == "T":
        status = "Training..."
        model.train(on_progress=show_progress, callback=trained)
    elif key == "s" or key == "S":
        status = "Saving..."
        model.save("my_model", saved)


def show_progress(epoch, loss, val_loss):
    # called after each pass over the examples: the loss should go down
    global status
    status = "Training... epoch " + str(epoch) + ", loss " + str(round(loss, 3))


def trained(history, error):
    global status
    if error:
        status = str(error)
        return
    status = "Trained! Press S to save"
    model.classify_start(video, got_result)   # name what the webcam sees, frame after frame


def saved(files, error):
    global status
    if error:
        status = str(error)     # say, S before T: nothing trained to save yet
        return
    status = "Saved: put the three files in a folder called my_model"


def got_result(results, error):
    global label
    if error:
        label = str(error)
        return
    best = results[0]
    label = best["label"] + " (" + str(round(best["confidence"] * 100)) + "%)"


def draw():
    image(video, 0, 0)
    fill(255)
    stroke(0)
    strokeWeight(4)
    textSize(18)
    text(status, 10, 30)
    text("examples: " + ", ".join([CLASSES[i] + " " + str(counts[i]) for i in range(3)]), 10, 60)
    textSize(40)
    text(label, 10, height - 20)
