"""BodyPose's results, as ml5.js 1.x gives them: a list of poses, each keypoint also by name.

Written once for CPython and the browser. An estimator (MoveNet, BlazePose) hands over
raw poses (see ``estimators.py``): keypoints ``{x, y, score}`` in the picture's
pixels, a ``score``, maybe a ``box``, an ``id``, ``keypoints3D`` and a ``mask``. Here they
become records readable as ``pose["nose"]`` and ``pose.nose``::

    pose.keypoints    [{x, y, confidence, name}, ...]   (model order)
    pose.confidence   the pose's score
    pose.box          {x_min, y_min, width, height, x_max, y_max} in pixels
    pose.id           the tracking id (None without tracking)
    pose.nose         {x, y, confidence, name} (every keypoint by name; with 3D points
                      also ``keypoint3D``)
    pose.keypoints3D  [{x, y, z, confidence, name}, ...] in metres (BlazePose), else None
    pose.mask         the person mask (BlazePose with enable_segmentation), else None

``flipped`` mirrors x for a mirrored webcam (``width - x``; 3D points are left as they are).
"""
# __pragma__ ('noopov')

from ml5py.runtime import rt

# Keypoints at least this sure outline a pose's box when the model gives none.
BOX_MIN_CONFIDENCE = 0.2


def _field(raw, key):
    if key in raw:
        return raw[key]
    return None


def _x(x, width, flipped):
    return width - x if flipped else x


def _keypoint(raw_point, name, width, flipped):
    return rt.named_record({"x": _x(raw_point["x"], width, flipped), "y": raw_point["y"],
                            "confidence": raw_point["score"], "name": name})


def _keypoint3d(raw_point, name):
    return rt.named_record({"x": raw_point["x"], "y": raw_point["y"], "z": raw_point["z"],
                            "confidence": raw_point["score"], "name": name})


def _box(raw_box, keypoints, width, flipped):
    """The pose's box in pixels: the model's, else the one around its surest keypoints."""
    if raw_box is None:
        sure = []
        for point in keypoints:
            if point["confidence"] >= BOX_MIN_CONFIDENCE:
                sure.append(point)
        if len(sure) == 0:
            sure = keypoints
        x_min = sure[0]["x"]
        x_max = x_min
        y_min = sure[0]["y"]
        y_max = y_min
        for point in sure:
            x_min = min(x_min, point["x"])
            x_max = max(x_max, point["x"])
            y_min = min(y_min, point["y"])
            y_max = max(y_max, point["y"])
    else:  # the model's box, in the picture's pixels before any mirroring
        x_min = raw_box["x_min"]
        x_max = raw_box["x_max"]
        if flipped:
            x_min = width - raw_box["x_max"]
            x_max = width - raw_box["x_min"]
        y_min = raw_box["y_min"]
        y_max = raw_box["y_max"]
    return rt.record({"x_min": x_min, "y_min": y_min, "width": x_max - x_min, "height": y_max - y_min,
                      "x_max": x_max, "y_max": y_max})


def make_pose(raw, names, width, flipped):
    """One pose record from one raw pose."""
    keypoints = []
    for index in range(len(raw["keypoints"])):
        keypoints.append(_keypoint(raw["keypoints"][index], names[index], width, flipped))
    raw_3d = _field(raw, "keypoints3D")
    points_3d = None
    if raw_3d is not None:
        points_3d = []
        for index in range(len(raw_3d)):
            points_3d.append(_keypoint3d(raw_3d[index], names[index]))
    fields = {"keypoints": keypoints, "confidence": raw["score"],
              "box": _box(_field(raw, "box"), keypoints, width, flipped),
              "id": _field(raw, "id"), "keypoints3D": points_3d, "mask": _field(raw, "mask")}
    for index in range(len(keypoints)):
        point = keypoints[index]
        named = {"x": point["x"], "y": point["y"], "confidence": point["confidence"], "name": point["name"]}
        if points_3d is not None:
            named["keypoint3D"] = points_3d[index]
        fields[names[index]] = rt.named_record(named)
    return rt.record(fields)


def make_poses(raw_poses, names, width, flipped):
    """The list of pose records a sketch gets."""
    poses = []
    for raw in raw_poses:
        poses.append(make_pose(raw, names, width, flipped))
    return poses
