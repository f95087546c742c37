# Pose classifier: teach a NeuralNetwork your own poses, with BodyPose and your webcam.
#
#   ml5py serve sketch.py     (then allow the camera when the browser asks)
#
# 1. Stand where the camera sees you. Strike a pose and press 1, 2 or 3 a few times (say
#    10, moving a little) to add it as an example of that pose; then the other poses.
# 2. Press T to train (a few seconds). Then the sketch names your pose, live.
# 3. Press S to save: the browser downloads model.json, model_meta.json and
#    model.weights.bin. Put them in a folder: nn.load("my_poses") brings them back
#    (ml5.js's neuralNetwork loads them too).

from ml5py import BodyPose, NeuralNetwork

POSES = ["arms up", "arms wide", "hands down"]
status = "Strike a pose and press 1, 2 or 3; then T to train"
label = ""
counts = [0, 0, 0]
pose = None        # the last pose BodyPose found
trained = False


def setup():
    global video, body_pose, nn
    createCanvas(640, 480)
    video = createCapture(VIDEO)
    video.size(640, 480)
    video.hide()
    body_pose = BodyPose()
    body_pose.detect_start(video, got_poses)       # every new webcam frame
    nn = NeuralNetwork(task="classification")     # learns pose name from keypoints


def pose_numbers(found):
    # the network's inputs: each keypoint's x and y (17 keypoints: 34 numbers)
    numbers = []
    for point in found["keypoints"]:
        numbers.append(point["x"])
        numbers.append(point["y"])
    return numbers


def got_poses(poses, error):
    global pose
    if error or len(poses) == 0:
        pose = None
        return
    pose = poses[0]
    if trained:
        nn.classify(pose_numbers(pose), got_label)


def keyPressed():
    global status
    if key == "1" or key == "2" or key == "3":
        if pose is None:
            status = "No one in sight: step in front of the camera"
            return
        number = int(key) - 1
        counts[number] += 1
        nn.add_data(pose_numbers(pose), [POSES[number]])
    elif key == "t" or key == "T":
        status = "Training..."
        nn.normalize_data()                        # pixels to 0..1: every keypoint counts alike
        nn.train(epochs=50, while_training=show_progress, callback=done_training)
    elif key == "s" or key == "S":
        nn.save("my_poses", saved)


def show_progress(epoch, logs):
    global status
    status = "Training... epoch " + str(epoch + 1) + ", loss " + str(round(logs["loss"], 3))


def done_training(history, error):
    global status, trained
    if error:
        status = str(error)                        # say, T before any examples
        return
    trained = True
    status = "Trained! Press S to save"


def saved(files, error):
    global status
    status = str(error) if error else "Saved: put the three files in a folder called my_poses"


def got_label(results, error):
    global label
    if not error:
        label = results[0]["label"] + " (" + str(round(results[0]["confidence"] * 100)) + "%)"


def draw():
    image(video, 0, 0)
    if pose is not None:
        fill(0, 255, 0)
        noStroke()
        for point in pose["keypoints"]:
            if point["confidence"] > 0.3:
                circle(point["x"], point["y"], 10)
    fill(255)
    stroke(0)
    strokeWeight(4)
    textSize(18)
    text(status, 10, 30)
    text("examples: " + ", ".join([POSES[i] + " " + str(counts[i]) for i in range(3)]), 10, 60)
    textSize(40)
    text(label, 10, height - 20)
