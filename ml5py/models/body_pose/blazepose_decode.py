"""BlazePose's numbers: the detector's anchors and boxes, and the landmark model's points.

Written once for CPython and the browser, on the flat lists the networks' outputs are
read into, following tfjs-models pose-detection 2.1.3 (its MediaPipe calculators):

- ``make_anchors()``: the 2254 SSD anchors of the 224 x 224 detector (strides 8, 16, 32,
  32, 32; two anchors a cell, all of size 1);
- ``decode_detections(values, anchors)``: each anchor's score (sigmoid of its clipped
  logit), box and 4 keypoints (the hips' middle, a point above the head, ...), those
  scoring at least 0.5; ``best_detections`` keeps the best after non-max suppression;
- ``decode_landmarks(values, count, size)``: (x, y, z, visibility) rows to 0..1 points
  with a sigmoid score, ``refine_from_heatmap`` moves each to the weighted middle of its
  heatmap's 7 x 7 neighbourhood when that is sure enough;
- ``unletterbox`` / ``project_points`` / ``project_world`` take points from the network's
  input back to the picture (world points, in metres, are only rotated).
"""
# __pragma__ ('noopov')

import math

DETECTOR_SIZE = 224
STRIDES = [8, 16, 32, 32, 32]
MIN_SCALE = 0.1484375
MAX_SCALE = 0.75
VALUES_PER_ANCHOR = 13  # a logit, then the box (x, y, w, h) and 4 keypoints (x, y), in input pixels
SCORE_CLIP = 100.0
MIN_DETECTION_SCORE = 0.5
IOU_THRESHOLD = 0.3


def _scale(index, count):
    return MIN_SCALE + (MAX_SCALE - MIN_SCALE) * index / (count - 1)


def make_anchors():
    """The anchor centres [{x, y}], layer after layer, cell after cell (all anchors are 1 x 1)."""
    anchors = []
    layer = 0
    while layer < len(STRIDES):
        per_cell = 0
        last = layer
        while last < len(STRIDES) and STRIDES[last] == STRIDES[layer]:
            per_cell += 2  # aspect ratio 1, and the interpolated one
            last += 1
        cells = int(math.ceil(DETECTOR_SIZE / STRIDES[layer]))
        for y in range(cells):
            for x in range(cells):
                for index in range(per_cell):
                    anchors.append({"x": (x + 0.5) / cells, "y": (y + 0.5) / cells})
        layer = last
    return anchors


def _sigmoid(value):
    return 1 / (1 + math.exp(-value))


def decode_detections(values, anchors):
    """The detections scoring at least 0.5: {score, box {x_min, y_min, x_max, y_max, width,
    height}, keypoints [{x, y}] x 4}, in 0..1 of the detector's input."""
    found = []
    for index in range(len(anchors)):
        at = index * VALUES_PER_ANCHOR
        score = _sigmoid(max(-SCORE_CLIP, min(SCORE_CLIP, values[at])))
        if score < MIN_DETECTION_SCORE:
            continue
        anchor = anchors[index]
        x_center = values[at + 1] / DETECTOR_SIZE + anchor["x"]
        y_center = values[at + 2] / DETECTOR_SIZE + anchor["y"]
        width = values[at + 3] / DETECTOR_SIZE
        height = values[at + 4] / DETECTOR_SIZE
        box = {"x_min": x_center - width / 2, "y_min": y_center - height / 2,
               "x_max": x_center + width / 2, "y_max": y_center + height / 2}
        box["width"] = box["x_max"] - box["x_min"]
        box["height"] = box["y_max"] - box["y_min"]
        if box["width"] < 0 or box["height"] < 0:
            continue
        keypoints = []
        for point in range(4):
            keypoints.append({"x": values[at + 5 + 2 * point] / DETECTOR_SIZE + anchor["x"],
                              "y": values[at + 6 + 2 * point] / DETECTOR_SIZE + anchor["y"]})
        found.append({"score": score, "box": box, "keypoints": keypoints, "index": index})
    return found


def _iou(a, b):
    area_a = (a["y_max"] - a["y_min"]) * (a["x_max"] - a["x_min"])
    area_b = (b["y_max"] - b["y_min"]) * (b["x_max"] - b["x_min"])
    if area_a <= 0 or area_b <= 0:
        return 0.0
    y_min = max(a["y_min"], b["y_min"])
    x_min = max(a["x_min"], b["x_min"])
    y_max = min(a["y_max"], b["y_max"])
    x_max = min(a["x_max"], b["x_max"])
    inter = max(y_max - y_min, 0.0) * max(x_max - x_min, 0.0)
    return inter / (area_a + area_b - inter)


def best_detections(detections, max_count):
    """Up to ``max_count`` detections, surest first, none overlapping a surer one by IoU > 0.3."""
    left = []
    for detection in detections:
        left.append(detection)
    kept = []
    while len(left) > 0 and len(kept) < max_count:
        best = 0
        for index in range(1, len(left)):  # the first of equal scores wins (a stable sort's order)
            if left[index]["score"] > left[best]["score"]:
                best = index
        chosen = left.pop(best)
        overlaps = False
        for other in kept:
            if _iou(chosen["box"], other["box"]) > IOU_THRESHOLD:
                overlaps = True
        if not overlaps:
            kept.append(chosen)
    return kept


def unletterbox(points, padding, with_z):
    """Points on the padded input -> on the rect before padding (z scaled as x)."""
    across = 1 - padding["left"] - padding["right"]
    down = 1 - padding["top"] - padding["bottom"]
    moved = []
    for point in points:
        out = _copy(point)
        out["x"] = (point["x"] - padding["left"]) / across
        out["y"] = (point["y"] - padding["top"]) / down
        if with_z:
            out["z"] = point["z"] / across
        moved.append(out)
    return moved


def decode_landmarks(values, count, size, with_score):
    """``count`` rows of (x, y, z[, visibility, presence]) -> points in 0..1 of a ``size`` input."""
    dims = len(values) // count
    points = []
    for index in range(count):
        at = index * dims
        point = {"x": values[at] / size, "y": values[at + 1] / size, "z": values[at + 2] / size}
        if with_score and dims > 3:
            point["score"] = _sigmoid(values[at + 3])
        points.append(point)
    return points


HEATMAP_KERNEL = 7
MIN_CONFIDENCE_TO_REFINE = 0.5


def refine_from_heatmap(points, heatmap, height, width, channels):
    """Each point moved to the weighted middle of its heatmap channel near it (flat [h, w, c] values)."""
    refined = []
    offset = (HEATMAP_KERNEL - 1) // 2
    for index in range(len(points)):
        out = _copy(points[index])
        refined.append(out)
        col = math.trunc(out["x"] * width)
        row = math.trunc(out["y"] * height)
        # as pose-detection 2.1.3 checks it (the row against the height is not checked)
        if col < 0 or col >= width or row < 0 or col >= height:
            continue
        total = 0.0
        weighted_col = 0.0
        weighted_row = 0.0
        most = 0.0
        for y in range(max(0, row - offset), min(height, row + offset + 1)):
            for x in range(max(0, col - offset), min(width, col + offset + 1)):
                value = heatmap[(y * width + x) * channels + index]
                total += value
                most = max(most, value)
                weighted_col += x * value
                weighted_row += y * value
        if most >= MIN_CONFIDENCE_TO_REFINE and total > 0:
            out["x"] = weighted_col / width / total
            out["y"] = weighted_row / height / total
    return refined


def project_points(points, rect):
    """Points in 0..1 of ``rect`` (rotated) -> 0..1 of the picture; z scaled by the rect's width."""
    cos = math.cos(rect["rotation"])
    sin = math.sin(rect["rotation"])
    placed = []
    for point in points:
        x = point["x"] - 0.5
        y = point["y"] - 0.5
        out = _copy(point)
        out["x"] = (cos * x - sin * y) * rect["width"] + rect["x_center"]
        out["y"] = (sin * x + cos * y) * rect["height"] + rect["y_center"]
        out["z"] = point["z"] * rect["width"]
        placed.append(out)
    return placed


def project_world(points, rect):
    """World points (metres, around the hips) turned by the rect's rotation."""
    cos = math.cos(rect["rotation"])
    sin = math.sin(rect["rotation"])
    turned = []
    for point in points:
        out = _copy(point)
        out["x"] = cos * point["x"] - sin * point["y"]
        out["y"] = sin * point["x"] + cos * point["y"]
        turned.append(out)
    return turned


def _copy(point):
    copied = {}
    for key in ["x", "y", "z", "score"]:
        if key in point:
            copied[key] = point[key]
    return copied
