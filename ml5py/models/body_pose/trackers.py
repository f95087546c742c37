"""Tracking ids for MoveNet MultiPose: the same person keeps the same ``id`` from frame to frame.

Written once for CPython and the browser, with the rules of tfjs-models pose-detection
2.1.3. Each new pose is linked, greedily (surest pose first), to the unlinked track it is
most similar to, if that similarity reaches ``min_similarity``; a pose linked to no track
starts a new one with the next id. Tracks not seen for ``max_age`` milliseconds are
dropped, and only the ``max_tracks`` freshest are kept.

- ``BoundingBoxTracker``: similarity = intersection over union of the boxes.
- ``KeypointTracker``: object keypoint similarity (as COCO's keypoint evaluation) over the
  keypoints both poses are sure of.

Poses are dicts with ``keypoints`` (``{x, y, score}``, 0..1 of the picture) and ``box``
(``{x_min, y_min, x_max, y_max, width, height}``); ``apply`` sets their ``id``.
"""
# __pragma__ ('noopov')

import math

DEFAULT_KEYPOINT_TRACKER_CONFIG = {
    "max_tracks": 18, "max_age": 1000, "min_similarity": 0.2,
    "keypoint_tracker_params": {
        "keypoint_confidence_threshold": 0.3,
        # COCO's per-keypoint falloffs (cocodataset.org/#keypoints-eval)
        "keypoint_falloff": [0.026, 0.025, 0.025, 0.035, 0.035, 0.079, 0.079, 0.072, 0.072, 0.062,
                             0.062, 0.107, 0.107, 0.087, 0.087, 0.089, 0.089],
        "min_number_of_keypoints": 4,
    },
}
DEFAULT_BOUNDING_BOX_TRACKER_CONFIG = {"max_tracks": 18, "max_age": 1000, "min_similarity": 0.15}


def _copy_keypoints(keypoints):
    copied = []
    for point in keypoints:
        copied.append({"x": point["x"], "y": point["y"], "score": point["score"]})
    return copied


class Tracker:
    """Links poses to tracks; ``similarity(pose, track)`` is the subclass's."""

    def __init__(self, config):
        self.tracks = []
        self.max_tracks = config["max_tracks"]
        self.max_age = config["max_age"] * 1000  # milliseconds -> microseconds
        self.min_similarity = config["min_similarity"]
        self.next_id = 1

    def apply(self, poses, timestamp):
        """Give each pose (in order, surest first) an ``id``; ``timestamp`` in microseconds."""
        if timestamp is None:  # a still picture: no history (pose-detection drops every track then)
            self.tracks = []
            self._assign(poses, timestamp)
            self.tracks = self.tracks[:self.max_tracks]
            return poses
        self._drop_old(timestamp)
        self._assign(poses, timestamp)
        self._keep_freshest()
        return poses

    def track_ids(self):
        ids = []
        for track in self.tracks:
            ids.append(track["id"])
        return ids

    def reset(self):
        self.tracks = []

    def _drop_old(self, timestamp):
        kept = []
        for track in self.tracks:
            if timestamp - track["last_timestamp"] <= self.max_age:
                kept.append(track)
        self.tracks = kept

    def _assign(self, poses, timestamp):
        unmatched_tracks = []
        for index in range(len(self.tracks)):
            unmatched_tracks.append(index)
        unmatched_poses = []
        for pose_index in range(len(poses)):
            pose = poses[pose_index]
            if len(unmatched_tracks) == 0:
                unmatched_poses.append(pose_index)
                continue
            best_track = -1
            best = -1
            for track_index in unmatched_tracks:
                similarity = self.similarity(pose, self.tracks[track_index])
                if similarity >= self.min_similarity and similarity > best:
                    best_track = track_index
                    best = similarity
            if best_track >= 0:
                track = self.tracks[best_track]
                self.tracks[best_track] = self._track(pose, timestamp, track["id"])
                pose["id"] = track["id"]
                unmatched_tracks.remove(best_track)
            else:
                unmatched_poses.append(pose_index)
        for pose_index in unmatched_poses:
            track = self._track(poses[pose_index], timestamp, None)
            self.tracks.append(track)
            poses[pose_index]["id"] = track["id"]

    def _keep_freshest(self):
        """Freshest tracks first (a stable sort, as JavaScript's), at most ``max_tracks``."""
        ordered = []
        for track in self.tracks:
            position = len(ordered)
            while position > 0 and ordered[position - 1]["last_timestamp"] < track["last_timestamp"]:
                position -= 1
            ordered.insert(position, track)
        self.tracks = ordered[:self.max_tracks]

    def _track(self, pose, timestamp, track_id):
        if track_id is None:
            track_id = self.next_id
            self.next_id += 1
        track = {"id": track_id, "last_timestamp": timestamp, "keypoints": _copy_keypoints(pose["keypoints"])}
        if "box" in pose and pose["box"] is not None:
            box = pose["box"]
            track["box"] = {"x_min": box["x_min"], "y_min": box["y_min"], "x_max": box["x_max"],
                            "y_max": box["y_max"], "width": box["width"], "height": box["height"]}
        return track


class BoundingBoxTracker(Tracker):
    """Similarity: the boxes' intersection over their union."""

    def similarity(self, pose, track):
        a = pose["box"]
        b = track["box"]
        x_min = max(a["x_min"], b["x_min"])
        y_min = max(a["y_min"], b["y_min"])
        x_max = min(a["x_max"], b["x_max"])
        y_max = min(a["y_max"], b["y_max"])
        if x_min >= x_max or y_min >= y_max:
            return 0.0
        intersection = (x_max - x_min) * (y_max - y_min)
        return intersection / (a["width"] * a["height"] + b["width"] * b["height"] - intersection)


class KeypointTracker(Tracker):
    """Similarity: object keypoint similarity over the keypoints both are sure of."""

    def __init__(self, config):
        Tracker.__init__(self, config)
        params = config["keypoint_tracker_params"]
        self.keypoint_threshold = params["keypoint_confidence_threshold"]
        self.keypoint_falloff = params["keypoint_falloff"]
        self.min_keypoints = params["min_number_of_keypoints"]

    def similarity(self, pose, track):
        box_area = self._area(track["keypoints"]) + 1e-6
        total = 0
        count = 0
        for index in range(len(pose["keypoints"])):
            mine = pose["keypoints"][index]
            theirs = track["keypoints"][index]
            if mine["score"] < self.keypoint_threshold or theirs["score"] < self.keypoint_threshold:
                continue
            count += 1
            d_squared = (mine["x"] - theirs["x"]) ** 2 + (mine["y"] - theirs["y"]) ** 2
            x = 2 * self.keypoint_falloff[index]
            total += math.exp(-1 * d_squared / (2 * box_area * x ** 2))
        if count < self.min_keypoints:
            return 0.0
        return total / count

    def _area(self, keypoints):
        """The area of the box around the sure keypoints (within 0..1, as pose-detection's)."""
        min_x = 1.0
        max_x = 0.0
        min_y = 1.0
        max_y = 0.0
        for point in keypoints:
            if point["score"] > self.keypoint_threshold:
                min_x = min(min_x, point["x"])
                max_x = max(max_x, point["x"])
                min_y = min(min_y, point["y"])
                max_y = max(max_y, point["y"])
        return (max_x - min_x) * (max_y - min_y)
