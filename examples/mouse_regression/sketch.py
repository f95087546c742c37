# Mouse regression: draw a curve with your clicks; a NeuralNetwork learns it.
#
#   ml5py serve sketch.py
#
# 1. Click on the canvas to add points: each says "at this x, the curve is at this y".
#    Click a few dozen along any shape you like, left to right.
# 2. Press T to train. Then the network predicts y for every x: move the mouse, and the
#    red dot follows the curve it learned (a prediction every frame, in draw()).

from ml5py import NeuralNetwork

status = "Click to add points, then press T to train"
points = []
predicted = None      # the network's y for the mouse's x
trained = False


def setup():
    global nn
    createCanvas(640, 480)
    nn = NeuralNetwork(task="regression", hidden_units=32)


def mousePressed():
    if mouseX < 0 or mouseX > width or mouseY < 0 or mouseY > height:
        return
    points.append([mouseX, mouseY])
    nn.add_data({"x": mouseX}, {"y": mouseY})


def keyPressed():
    global status
    if key == "t" or key == "T":
        status = "Training..."
        nn.normalize_data()                  # x and y to 0..1 (predictions come back in pixels)
        nn.train(epochs=80, batch_size=8, while_training=show_progress, callback=done_training)


def show_progress(epoch, logs):
    global status
    status = "Training... epoch " + str(epoch + 1) + ", loss " + str(round(logs["loss"], 4))


def done_training(history, error):
    global status, trained
    if error:
        status = str(error)                  # say, T before any points
        return
    trained = True
    status = "Trained! Move the mouse"


def got_prediction(results, error):
    global predicted
    if not error:
        predicted = results[0]["value"]


def draw():
    background(250)
    noStroke()
    fill(0, 0, 255)
    for point in points:
        circle(point[0], point[1], 8)
    if trained:
        nn.predict({"x": mouseX}, got_prediction)   # fast enough for every frame
        if predicted is not None:
            fill(255, 0, 0)
            circle(mouseX, predicted, 16)
    fill(0)
    textSize(18)
    text(status, 10, 30)
