# BlazePose over the webcam: one person's 33 keypoints (fingers, heels and toes too), their
# outline as a mask, and how far their wrists are from their hips, in metres (3D points).
#
#   ml5py serve sketch.py     (then allow the camera when the browser asks)
#
# Nothing the camera sees leaves the computer: the networks run in the browser.

from ml5py import BodyPose

poses = []          # the latest poses (BlazePose finds one person)


def preload():
    global body_pose
    body_pose = BodyPose("BlazePose", enable_segmentation=True)   # the person mask too


def setup():
    global video, skeleton
    createCanvas(640, 480)
    video = createCapture(VIDEO)        # the webcam, as a p5 video
    video.size(640, 480)
    video.hide()                        # we draw it on the canvas ourselves
    body_pose.detect_start(video, got_poses)
    skeleton = body_pose.get_skeleton()  # pairs [a, b]: draw a line from keypoint a to b


def got_poses(results, error):
    global poses
    if error:
        print("BodyPose:", error)
        return
    poses = results


def draw():
    image(video, 0, 0, width, height)
    for pose in poses:
        tint(255, 120)                  # the mask, see-through: red where the person is
        image(pose.mask, 0, 0, width, height)
        noTint()
        stroke(255, 255, 0)
        strokeWeight(2)
        for a, b in skeleton:
            start = pose.keypoints[a]
            end = pose.keypoints[b]
            if start.confidence > 0.5 and end.confidence > 0.5:
                line(start.x, start.y, end.x, end.y)
        # 3D points are in metres, around the middle of the hips
        wrist = pose.left_wrist.keypoint3D
        noStroke()
        fill(255)
        textSize(18)
        text("left wrist: " + str(round(wrist.y, 2)) + " m below the hips", 10, 24)
