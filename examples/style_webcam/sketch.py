# The webcam, painted like a famous painting, frame after frame.
#
#   ml5py serve sketch.py     (then allow the camera when the browser asks)
#
# A p5.js sketch written in Python: p5 calls setup() once, then draw() for every frame.
# Press any key to switch to the next painting's style.

from ml5py import StyleTransfer

styles = StyleTransfer.styles()     # ["la_muse", "mathura", ... "wreck"]
current = 0                         # which style we use now
loaded = {}                         # the styles loaded so far, by name: each loads only once
video = None
style = None
painting = None                     # the last painted frame
status = "loading..."


def setup():
    global video
    createCanvas(640, 480)
    video = createCapture(VIDEO)        # the webcam, as a p5 video
    video.size(320, 240)                # small frames paint faster
    video.hide()                        # we draw the painting instead
    use_style()


def use_style():
    # stop the old style, take the new one (loading it the first time), paint every new frame
    global style, status
    if style:
        style.transfer_stop()
    name = styles[current]
    if name not in loaded:
        status = "loading " + name + "..."
        loaded[name] = StyleTransfer(name)
    style = loaded[name]
    style.transfer_start(video, got_painting)   # paints the newest frame, again and again


def got_painting(result, error):
    # called with each painted frame (a p5 image the size of the video)
    global painting, status
    if error:
        status = str(error)
        return
    painting = result
    status = styles[current]


def draw():
    if painting:
        image(painting, 0, 0, width, height)    # stretched to fill the canvas
    else:
        image(video, 0, 0, width, height)
    fill(255)
    stroke(0)
    strokeWeight(4)
    textSize(24)
    text(status + "   (any key: next style)", 10, height - 20)


def keyPressed():
    global current
    current = (current + 1) % len(styles)
    use_style()
