"""BodyPose: body keypoints from MoveNet (one person or six) and BlazePose.

``body_pose.py`` is the public class, written once for CPython and the browser, with its
model logic (``movenet*.py``, ``trackers.py``, ``blazepose*.py``, ``filters.py``,
``pose_results.py``, also written once); ``runtime_cpython.py`` / ``runtime_browser.py`` are
its two runtime twins (``image_transform_numpy.py``: the CPython one's warp).
"""
