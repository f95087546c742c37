# A skeleton over the webcam: BodyPose finds up to six people and their 17 keypoints
# (nose, eyes, shoulders, elbows, wrists, hips, knees, ankles), and we draw lines between them.
#
#   ml5py serve sketch.py     (then allow the camera when the browser asks)
#
# Nothing the camera sees leaves the computer: the network runs in the browser.

from ml5py import BodyPose

poses = []          # the latest poses, one per person


def preload():
    global body_pose
    body_pose = BodyPose()              # MoveNet MultiPose Lightning, as ml5.js's bodyPose()


def setup():
    global video, skeleton
    createCanvas(640, 480)
    video = createCapture(VIDEO)        # the webcam, as a p5 video
    video.size(640, 480)
    video.hide()                        # we draw it on the canvas ourselves
    body_pose.detect_start(video, got_poses)   # find the poses in every new frame
    skeleton = body_pose.get_skeleton()         # pairs [a, b]: draw a line from keypoint a to b


def got_poses(results, error):
    global poses
    if error:
        print("BodyPose:", error)
        return
    poses = results


def draw():
    image(video, 0, 0, width, height)
    for pose in poses:
        stroke(255, 0, 0)
        strokeWeight(3)
        for a, b in skeleton:
            start = pose.keypoints[a]
            end = pose.keypoints[b]
            if start.confidence > 0.1 and end.confidence > 0.1:   # only lines the model is sure of
                line(start.x, start.y, end.x, end.y)
        noStroke()
        fill(0, 255, 0)
        for point in pose.keypoints:
            if point.confidence > 0.1:
                circle(point.x, point.y, 10)
        fill(255)
        text("person " + str(pose.id), pose.box.x_min, pose.box.y_min - 5)
