# Portrait mode for a webcam: BodyPix finds the person, and everything else goes soft.
# An installation piece: put it on a big screen, walk past, and only you stay sharp.
#
#   ml5py serve sketch.py     (then allow the camera when the browser asks)
#
# Nothing the camera sees leaves the computer: the network runs in the browser.
# Press any key to see the mask BodyPix makes; press again to go back.

from ml5py import BodyPix

video = None
person = None          # the latest mask: the person kept, the rest transparent
show_mask = False


def setup():
    global video, bodypix, small
    createCanvas(640, 480)
    small = createGraphics(64, 48)      # a tiny copy of the room: stretched back up, it is a blur
    video = createCapture(VIDEO)        # the webcam, as a p5 video
    video.size(640, 480)
    video.hide()                        # we draw it on the canvas ourselves
    bodypix = BodyPix(internal_resolution="medium")
    bodypix.segment_start(video, got_person)   # find the person in every new frame


def got_person(result, error):
    global person
    if error:
        print("BodyPix:", error)
        return
    person = result.person_mask


def draw():
    if show_mask:
        background(0)
        if person is not None:
            image(person, 0, 0, width, height)
        return
    small.image(video, 0, 0, small.width, small.height)   # the whole room, shrunk...
    small.filter(BLUR, 1, False)        # ...softened (False: on the CPU, quick at this size)...
    image(small, 0, 0, width, height)   # ...and stretched back: blurred
    if person is not None:
        image(person, 0, 0, width, height)   # and the person, sharp, on top


def keyPressed():
    global show_mask
    show_mask = not show_mask
