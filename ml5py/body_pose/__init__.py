"""BodyPose (issue 11): body keypoints from MoveNet (one person or six) and BlazePose.

``body_pose.py`` is the public class, written once for CPython and the browser;
``movenet*.py``, ``trackers.py``, ``filters.py`` and ``pose_results.py`` are its model logic
(also written once); ``runtime_cpython_pose.py`` / ``runtime_browser_pose.py`` are the two
runtime twins, gathered into ``ml5py.runtime_cpython`` / ``ml5py.runtime_browser``.
"""
