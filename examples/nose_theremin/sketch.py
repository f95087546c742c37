# Nose theremin: move your head up and down to play. BodyPose follows your nose, and its
# height sets the pitch of a note (higher nose, higher note); p5.sound plays it.
#
#   ml5py serve sketch.py     (allow the camera, then click the page to switch the sound on)
#
# Browsers only play sound after a click or a key press on the page.

from ml5py import BodyPose

nose = None         # where the nose is (None until BodyPose sees one)
sound_on = False


def preload():
    global body_pose
    body_pose = BodyPose(model_type="SINGLEPOSE_LIGHTNING")   # one person, the fastest model


def setup():
    global video, tone
    createCanvas(640, 480)
    video = createCapture(VIDEO)
    video.size(640, 480)
    video.hide()
    tone = Oscillator("sine")           # a pure tone; try "triangle", "sawtooth" or "square"
    body_pose.detect_start(video, got_poses)


def got_poses(poses, error):
    global nose
    if poses and poses[0].nose.confidence > 0.3:
        nose = poses[0].nose
    else:
        nose = None                     # nobody there, or the nose is hidden


def mousePressed():
    global sound_on
    userStartAudio()                    # the browser lets the page make sound now
    if not sound_on:
        tone.start()
        sound_on = True


def draw():
    image(video, 0, 0, width, height)
    if nose is None:
        tone.amp(0, 0.2)                # fade out over 0.2 seconds
        return
    pitch = map(nose.y, height, 0, 110, 880)    # bottom of the picture: 110 Hz, top: 880 Hz
    tone.freq(pitch, 0.1)               # glide to the new pitch in 0.1 seconds
    tone.amp(0.5, 0.1)
    fill(255, 0, 0)
    noStroke()
    circle(nose.x, nose.y, 30)
    fill(255)
    textSize(24)
    text(str(round(pitch)) + " Hz" if sound_on else "click to play", 20, 40)
