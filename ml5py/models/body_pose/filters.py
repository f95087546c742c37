"""Smoothing filters for keypoints across video frames, as tfjs-models pose-detection 2.1.3 has them.

Written once for CPython and the browser (plain numbers, no tensors). Timestamps are in
microseconds, as pose-detection counts them.

- ``LowPassFilter(alpha)``: exponential smoothing, ``stored + alpha * (value - stored)``;
  with a ``threshold`` the step is ``alpha * threshold * asinh((value - stored) / threshold)``
  (small jitters damped, big moves followed).
- ``OneEuroFilter(config)``: the 1-euro filter (Casiez et al. 2012): the faster a value
  moves, the less it is smoothed. ``config`` holds ``frequency``, ``min_cut_off``,
  ``beta``, ``derivate_cut_off`` and optionally ``threshold_cut_off`` / ``threshold_beta``.
- ``KeypointsOneEuroFilter(config)``: one 1-euro filter per keypoint coordinate (x, y and
  z when there is one); with ``disable_value_scaling`` false, speeds are divided by the
  object's scale and objects smaller than ``min_allowed_object_scale`` pass unfiltered.
"""
# __pragma__ ('noopov')

import math

MICRO_SECONDS_TO_SECOND = 1e-6


class LowPassFilter:
    """Exponential smoothing of one number; the first value passes unchanged."""

    def __init__(self, alpha):
        self.alpha = alpha
        self.initialized = False
        self.raw_value = 0.0
        self.stored_value = 0.0

    def apply(self, value, threshold=None):
        if self.initialized:
            if threshold is None:
                result = self.stored_value + self.alpha * (value - self.stored_value)
            else:
                result = self.stored_value + self.alpha * threshold * math.asinh(
                    (value - self.stored_value) / threshold)
        else:
            result = value
            self.initialized = True
        self.raw_value = value
        self.stored_value = result
        return result

    def apply_with_alpha(self, value, alpha, threshold=None):
        self.alpha = alpha
        return self.apply(value, threshold)

    def has_last_raw_value(self):
        return self.initialized

    def last_raw_value(self):
        return self.raw_value

    def reset(self):
        self.initialized = False


class OneEuroFilter:
    """The 1-euro filter of one number over time (``apply(value, micro_seconds, value_scale)``)."""

    def __init__(self, config):
        self.frequency = config["frequency"]
        self.min_cut_off = config["min_cut_off"]
        self.beta = config["beta"]
        self.threshold_cut_off = _optional(config, "threshold_cut_off")
        self.threshold_beta = _optional(config, "threshold_beta")
        self.derivate_cut_off = config["derivate_cut_off"]
        self.x = LowPassFilter(self.get_alpha(self.min_cut_off))
        self.dx = LowPassFilter(self.get_alpha(self.derivate_cut_off))
        self.last_timestamp = 0

    def apply(self, value, micro_seconds, value_scale):
        if value is None:
            return value
        now = math.trunc(micro_seconds)
        if self.last_timestamp >= now:
            return value  # not a later frame: nothing to smooth against
        if self.last_timestamp != 0 and now != 0:
            self.frequency = 1 / ((now - self.last_timestamp) * MICRO_SECONDS_TO_SECOND)
        self.last_timestamp = now
        if self.x.has_last_raw_value():
            d_value = (value - self.x.last_raw_value()) * value_scale * self.frequency
        else:
            d_value = 0
        ed_value = self.dx.apply_with_alpha(d_value, self.get_alpha(self.derivate_cut_off))
        cut_off = self.min_cut_off + self.beta * abs(ed_value)
        threshold = None
        if self.threshold_cut_off is not None:
            threshold = self.threshold_cut_off + self.threshold_beta * abs(ed_value)
        return self.x.apply_with_alpha(value, self.get_alpha(cut_off), threshold)

    def get_alpha(self, cut_off):
        return 1.0 / (1.0 + (self.frequency / (2 * math.pi * cut_off)))


class KeypointsOneEuroFilter:
    """1-euro filters for a list of keypoints ``{x, y[, z], ...}``: a new list, other fields kept."""

    def __init__(self, config):
        self.config = config
        self.x_filters = None
        self.y_filters = None
        self.z_filters = None

    def apply(self, keypoints, micro_seconds, object_scale):
        if keypoints is None:
            self.reset()
            return None
        self._make_filters(len(keypoints))
        value_scale = 1
        if not _optional(self.config, "disable_value_scaling"):
            if object_scale < self.config["min_allowed_object_scale"]:
                return [_copy(keypoint) for keypoint in keypoints]
            value_scale = 1.0 / object_scale
        smoothed = []
        for index in range(len(keypoints)):
            keypoint = keypoints[index]
            out = _copy(keypoint)
            out["x"] = self.x_filters[index].apply(keypoint["x"], micro_seconds, value_scale)
            out["y"] = self.y_filters[index].apply(keypoint["y"], micro_seconds, value_scale)
            if _optional(keypoint, "z") is not None:
                out["z"] = self.z_filters[index].apply(keypoint["z"], micro_seconds, value_scale)
            smoothed.append(out)
        return smoothed

    def reset(self):
        self.x_filters = None
        self.y_filters = None
        self.z_filters = None

    def _make_filters(self, count):
        if self.x_filters is not None and len(self.x_filters) == count:
            return
        self.x_filters = [OneEuroFilter(self.config) for index in range(count)]
        self.y_filters = [OneEuroFilter(self.config) for index in range(count)]
        self.z_filters = [OneEuroFilter(self.config) for index in range(count)]


def _optional(fields, key):
    """``fields[key]``, or None when it is missing (in both runtimes)."""
    if key in fields:
        value = fields[key]
        if value is not None:
            return value
    return None


def _copy(keypoint):
    """A shallow copy of a keypoint dict."""
    copied = {}
    for key in ["x", "y", "z", "score", "name"]:
        if key in keypoint:
            copied[key] = keypoint[key]
    return copied
