"""MoveNet single-pose's crop region: where in the picture to look in the next frame.

Written once for CPython and the browser; the same rules as tfjs-models pose-detection
2.1.3. Regions are ``{y_min, x_min, y_max, x_max, height, width}`` in 0..1 of the picture
(they may reach outside it: the crop is then black there). Keypoints are ``{y, x, score}``,
also in 0..1 of the picture.

The first frame looks at a square in the middle of the picture. After each frame, when
the torso is visible (a hip and a shoulder scored above ``MIN_CROP_KEYPOINT_SCORE``), the
next region is a square around the hips' centre that holds the torso (x 1.9) and the body
(x 1.2); otherwise the whole picture, padded to a square.
"""
# __pragma__ ('noopov')

MIN_CROP_KEYPOINT_SCORE = 0.2
COCO_KEYPOINTS = [
    "nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder", "right_shoulder",
    "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip", "right_hip", "left_knee",
    "right_knee", "left_ankle", "right_ankle",
]
LEFT_SHOULDER = 5
RIGHT_SHOULDER = 6
LEFT_HIP = 11
RIGHT_HIP = 12
TORSO = [LEFT_SHOULDER, RIGHT_SHOULDER, LEFT_HIP, RIGHT_HIP]


def region(y_min, x_min, height, width):
    return {"y_min": y_min, "x_min": x_min, "y_max": y_min + height, "x_max": x_min + width,
            "height": height, "width": width}


def init_crop_region(first_frame, width, height):
    """The first frame: the square in the middle. Later: the whole picture, padded to a square."""
    if first_frame:
        if width > height:
            return region(0.0, (width / 2 - height / 2) / width, 1.0, height / width)
        return region((height / 2 - width / 2) / height, 0.0, width / height, 1.0)
    if width > height:
        return region((height / 2 - width / 2) / height, 0.0, width / height, 1.0)
    return region(0.0, (width / 2 - height / 2) / width, 1.0, height / width)


def torso_visible(keypoints):
    """A hip and a shoulder are sure enough to centre the next crop on."""
    hips = keypoints[LEFT_HIP]["score"] > MIN_CROP_KEYPOINT_SCORE or \
        keypoints[RIGHT_HIP]["score"] > MIN_CROP_KEYPOINT_SCORE
    shoulders = keypoints[LEFT_SHOULDER]["score"] > MIN_CROP_KEYPOINT_SCORE or \
        keypoints[RIGHT_SHOULDER]["score"] > MIN_CROP_KEYPOINT_SCORE
    return hips and shoulders


def _ranges(keypoints, targets, center_y, center_x):
    """How far the torso joints, and all sure keypoints, reach from the centre (pixels)."""
    torso_y = 0.0
    torso_x = 0.0
    for index in TORSO:
        torso_y = max(torso_y, abs(center_y - targets[index][0]))
        torso_x = max(torso_x, abs(center_x - targets[index][1]))
    body_y = 0.0
    body_x = 0.0
    for index in range(len(COCO_KEYPOINTS)):
        if keypoints[index]["score"] < MIN_CROP_KEYPOINT_SCORE:
            continue
        body_y = max(body_y, abs(center_y - targets[index][0]))
        body_x = max(body_x, abs(center_x - targets[index][1]))
    return [torso_y, torso_x, body_y, body_x]


def determine_next_crop_region(current, keypoints, width, height):
    """The region for the next frame, from this frame's keypoints (0..1 of the picture)."""
    targets = []
    for index in range(len(COCO_KEYPOINTS)):
        targets.append([keypoints[index]["y"] * height, keypoints[index]["x"] * width])
    if not torso_visible(keypoints):
        return init_crop_region(current is None, width, height)
    center_y = (targets[LEFT_HIP][0] + targets[RIGHT_HIP][0]) / 2
    center_x = (targets[LEFT_HIP][1] + targets[RIGHT_HIP][1]) / 2
    reach = _ranges(keypoints, targets, center_y, center_x)
    half = max(reach[1] * 1.9, reach[0] * 1.9, reach[2] * 1.2, reach[3] * 1.2)
    half = min(half, max(center_x, width - center_x, center_y, height - center_y))
    corner_y = center_y - half
    corner_x = center_x - half
    if half > max(width, height) / 2:
        return init_crop_region(current is None, width, height)
    length = half * 2
    y_min = corner_y / height
    x_min = corner_x / width
    y_max = (corner_y + length) / height
    x_max = (corner_x + length) / width
    return {"y_min": y_min, "x_min": x_min, "y_max": y_max, "x_max": x_max,
            "height": y_max - y_min, "width": x_max - x_min}
