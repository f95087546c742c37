"""PoseNet's poses from BodyPix's keypoint maps: the multi-person decoding of body-pix 2.2.1.

Written once for CPython and the browser, on plain lists of numbers. BodyPix's network
also gives, on its output grid (one cell per ``output_stride`` pixels of its input): a
score for each of the 17 keypoints (``heatmaps``, after a sigmoid), the offset from the
cell to the keypoint (``offsets``: 17 y's then 17 x's) and, along each of the 16 edges
of the body's tree, the displacement to the next keypoint forward and backward. The
decoding, as tfjs-models body-pix's ``decodeMultiplePoses``:

1. every cell whose score is at least ``score_threshold`` and the largest in its 3 x 3
   neighbourhood is a candidate root, in a max-heap by score;
2. the best root not within ``nms_radius`` pixels of the same keypoint of a pose already
   found starts a pose; the tree is walked from it (backward edges, then forward ones),
   each step displaced, then refined twice by the target keypoint's offsets;
3. the pose's score is the mean of its keypoints' scores, counting 0 for keypoints within
   ``nms_radius`` of the same keypoint of an earlier pose; at most ``max_detections``.

Positions come out in the network input's pixels; ``scale_poses`` maps them back to the
picture (undoing the resize and the padding).
"""
# __pragma__ ('noopov')

import math

# PoseNet's keypoint names (camelCase, as body-pix and ml5.js 0.x's PoseNet name them)
PART_NAMES = ["nose", "leftEye", "rightEye", "leftEar", "rightEar", "leftShoulder", "rightShoulder",
              "leftElbow", "rightElbow", "leftWrist", "rightWrist", "leftHip", "rightHip", "leftKnee",
              "rightKnee", "leftAnkle", "rightAnkle"]
NUM_KEYPOINTS = 17
# the body's tree as (parent, child) keypoint ids: body-pix's POSE_CHAIN
POSE_CHAIN = [[0, 1], [1, 3], [0, 2], [2, 4], [0, 5], [5, 7], [7, 9], [5, 11], [11, 13], [13, 15],
              [0, 6], [6, 8], [8, 10], [6, 12], [12, 14], [14, 16]]
LOCAL_MAXIMUM_RADIUS = 1
OFFSET_REFINE_STEPS = 2


class _Grid:
    """A height x width x channels map held as one flat list, row after row."""

    def __init__(self, values, height, width, channels):
        self.values = values
        self.height = height
        self.width = width
        self.channels = channels

    def at(self, y, x, channel):
        return self.values[(y * self.width + x) * self.channels + channel]


class _MaxHeap:
    """body-pix's max-heap (its exact layout, so that equal scores come out in its order)."""

    def __init__(self):
        self.items = []
        self.last = -1

    def push(self, item):
        self.last += 1
        if self.last < len(self.items):
            self.items[self.last] = item
        else:
            self.items.append(item)
        k = self.last
        while k > 0 and self._less(math.floor(k / 2), k):
            self._swap(k, math.floor(k / 2))
            k = math.floor(k / 2)

    def pop(self):
        best = self.items[0]
        self._swap(0, self.last)
        self.last -= 1
        k = 0
        while 2 * k <= self.last:
            j = 2 * k
            if j < self.last and self._less(j, j + 1):
                j += 1
            if not self._less(k, j):
                break
            self._swap(k, j)
            k = j
        self.items[self.last + 1] = None
        return best

    def empty(self):
        return self.last == -1

    def _less(self, i, j):
        return self.items[i]["score"] < self.items[j]["score"]

    def _swap(self, i, j):
        item = self.items[i]
        self.items[i] = self.items[j]
        self.items[j] = item


def _js_round(value):
    return math.floor(value + 0.5)


def _clamp(value, low, high):
    return low if value < low else (high if value > high else value)


def _is_local_maximum(scores, keypoint, score, y, x):
    for near_y in range(max(y - LOCAL_MAXIMUM_RADIUS, 0), min(y + LOCAL_MAXIMUM_RADIUS + 1, scores.height)):
        for near_x in range(max(x - LOCAL_MAXIMUM_RADIUS, 0), min(x + LOCAL_MAXIMUM_RADIUS + 1, scores.width)):
            if scores.at(near_y, near_x, keypoint) > score:
                return False
    return True


def _candidates(scores, score_threshold):
    heap = _MaxHeap()
    for y in range(scores.height):
        for x in range(scores.width):
            for keypoint in range(scores.channels):
                score = scores.at(y, x, keypoint)
                if score >= score_threshold and _is_local_maximum(scores, keypoint, score, y, x):
                    heap.push({"score": score, "y": y, "x": x, "id": keypoint})
    return heap


def _image_point(y, x, keypoint, offsets, stride):
    return {"y": y * stride + offsets.at(y, x, keypoint), "x": x * stride + offsets.at(y, x, keypoint + NUM_KEYPOINTS)}


def _nearest_cell(point, stride, scores):
    return [_clamp(_js_round(point["y"] / stride), 0, scores.height - 1),
            _clamp(_js_round(point["x"] / stride), 0, scores.width - 1)]


def _traverse(edge, source, target_id, scores, offsets, stride, displacements):
    """The keypoint ``target_id`` reached from ``source`` along ``edge``, refined by offsets."""
    edges = displacements.channels // 2
    cell = _nearest_cell(source["position"], stride, scores)
    point = {"y": source["position"]["y"] + displacements.at(cell[0], cell[1], edge),
             "x": source["position"]["x"] + displacements.at(cell[0], cell[1], edges + edge)}
    for step in range(OFFSET_REFINE_STEPS):
        cell = _nearest_cell(point, stride, scores)
        point = {"y": cell[0] * stride + offsets.at(cell[0], cell[1], target_id),
                 "x": cell[1] * stride + offsets.at(cell[0], cell[1], target_id + NUM_KEYPOINTS)}
    cell = _nearest_cell(point, stride, scores)
    return {"position": point, "part": PART_NAMES[target_id], "score": scores.at(cell[0], cell[1], target_id)}


def _decode_pose(root, scores, offsets, stride, forward, backward):
    keypoints = [None for index in range(NUM_KEYPOINTS)]
    keypoints[root["id"]] = {"score": root["score"], "part": PART_NAMES[root["id"]],
                             "position": _image_point(root["y"], root["x"], root["id"], offsets, stride)}
    for edge in range(len(POSE_CHAIN) - 1, -1, -1):  # child -> parent
        source, target = POSE_CHAIN[edge][1], POSE_CHAIN[edge][0]
        if keypoints[source] is not None and keypoints[target] is None:
            keypoints[target] = _traverse(edge, keypoints[source], target, scores, offsets, stride, backward)
    for edge in range(len(POSE_CHAIN)):  # parent -> child
        source, target = POSE_CHAIN[edge][0], POSE_CHAIN[edge][1]
        if keypoints[source] is not None and keypoints[target] is None:
            keypoints[target] = _traverse(edge, keypoints[source], target, scores, offsets, stride, forward)
    return keypoints


def _near_earlier_pose(poses, squared_radius, point, keypoint):
    for pose in poses:
        other = pose["keypoints"][keypoint]["position"]
        dy = other["y"] - point["y"]
        dx = other["x"] - point["x"]
        if dy * dy + dx * dx <= squared_radius:
            return True
    return False


def decode_poses(maps, stride, max_detections=10, score_threshold=0.4, nms_radius=20):
    """Poses ``[{"score", "keypoints": [{"score", "part", "position": {x, y}}]}]`` in input pixels.

    ``maps``: ``[heatmaps, offsets, forward, backward]``, each ``[values, height, width,
    channels]`` (a flat list and its shape).
    """
    grids = [_Grid(m[0], m[1], m[2], m[3]) for m in maps]
    scores, offsets, forward, backward = grids[0], grids[1], grids[2], grids[3]
    heap = _candidates(scores, score_threshold)
    squared_radius = nms_radius * nms_radius
    poses = []
    while len(poses) < max_detections and not heap.empty():
        root = heap.pop()
        point = _image_point(root["y"], root["x"], root["id"], offsets, stride)
        if _near_earlier_pose(poses, squared_radius, point, root["id"]):
            continue
        keypoints = _decode_pose(root, scores, offsets, stride, forward, backward)
        total = 0.0
        for index in range(len(keypoints)):
            if not _near_earlier_pose(poses, squared_radius, keypoints[index]["position"], index):
                total += keypoints[index]["score"]
        poses.append({"keypoints": keypoints, "score": total / len(keypoints)})
    return poses


def pose_records(poses, make_record):
    """The poses as ml5.js 0.x's PoseNet gives them: ``score``, ``keypoints`` (``{score, part,
    position: {x, y}}``) and each keypoint by name (``pose.leftWrist``: ``{x, y, confidence}``)."""
    records = []
    for pose in poses:
        fields = {"score": pose["score"], "keypoints": []}
        for point in pose["keypoints"]:
            position = point["position"]
            fields["keypoints"].append(make_record({"score": point["score"], "part": point["part"],
                                                    "position": make_record({"x": position["x"], "y": position["y"]})}))
            fields[point["part"]] = make_record({"x": position["x"], "y": position["y"], "confidence": point["score"]})
        records.append(make_record(fields))
    return records


def scale_poses(poses, height, width, resized, padding):
    """From the network input's pixels to the picture's: undo the resize, then the padding."""
    scale_y = (height + padding[0] + padding[1]) / resized[0]
    scale_x = (width + padding[2] + padding[3]) / resized[1]
    for pose in poses:
        for point in pose["keypoints"]:
            point["position"] = {"x": point["position"]["x"] * scale_x - padding[2],
                                 "y": point["position"]["y"] * scale_y - padding[0]}
    return poses
