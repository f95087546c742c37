# Draw with the mouse: DoodleNet guesses what you are drawing, while you draw.
#
#   ml5py serve sketch.py
#
# A p5.js sketch written in Python. DoodleNet learned 345 kinds of doodles (cat, house,
# bicycle...) from the drawings people made in Google's "Quick, Draw!" game.
# Press any key to start a new drawing.

from ml5py import ImageClassifier

label = "draw something!"


def setup():
    global paper, classifier
    createCanvas(280, 320)
    paper = createGraphics(280, 280)        # only the drawing goes on the paper
    paper.background(255)
    classifier = ImageClassifier("DoodleNet")
    classifier.classify_start(paper, got_results)   # look at the paper again and again


def got_results(results, error):
    global label
    if error:
        label = str(error)
        return
    best = results[0]
    label = best["label"] + " (" + str(round(best["confidence"] * 100)) + "%)"


def draw():
    if mouseIsPressed:                      # draw a black line where the mouse went
        paper.stroke(0)
        paper.strokeWeight(16)
        paper.line(pmouseX, pmouseY, mouseX, mouseY)
    background(230)
    image(paper, 0, 0)
    noStroke()
    fill(0)
    textSize(20)
    text(label, 10, height - 12)            # DoodleNet's best guess


def keyPressed():
    paper.background(255)                   # a clean sheet of paper
