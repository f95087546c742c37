# Which body part is where? BodyPix colours 24 parts: face, arms, hands, torso, legs, feet.
#
#   ml5py serve sketch.py     (then allow the camera when the browser asks)
#
# Left parts are light, right parts dark; each limb has its own colour.
# Move the mouse over yourself to see the name of the part under it.

from ml5py import BodyPix

video = None
result = None


def setup():
    global video, bodypix
    createCanvas(640, 480)
    video = createCapture(VIDEO)
    video.size(640, 480)
    video.hide()
    bodypix = BodyPix()
    bodypix.segment_start(video, got_parts, parts=True)   # parts=True: the 24 parts too


def got_parts(new_result, error):
    global result
    if error:
        print("BodyPix:", error)
        return
    result = new_result


def draw():
    image(video, 0, 0, width, height)
    if result is None:
        return
    tint(255, 190)                       # a little see-through
    image(result.parts_mask, 0, 0, width, height)
    noTint()
    # the part under the mouse: result.parts has one number per pixel, row after row
    x = floor(mouseX * result.width / width)
    y = floor(mouseY * result.height / height)
    if 0 <= x < result.width and 0 <= y < result.height:
        part = result.parts[y * result.width + x]
        if part >= 0:
            fill(255)
            stroke(0)
            strokeWeight(4)
            textSize(24)
            text(result.part_names[part], 10, height - 20)
