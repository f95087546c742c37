"""BlazePose: 33 body keypoints of one person, with 3D points in metres and a person mask.

Written once for CPython and the browser, with the steps of tfjs-models pose-detection
2.1.3's tfjs runtime (MediaPipe's pose landmark graph):

1. without a region of interest from the last frame, the person detector looks at the
   whole picture (letterboxed to 224 x 224, values -1..1); its surest detection's two
   keypoints (the hips' middle, then a point giving the body's size and direction) make a
   square, rotated region of interest, 1.25 times the body (``blazepose_geometry``);
2. that region, cut out and turned upright (256 x 256, values 0..1), goes through the
   landmark model: 39 points (33 keypoints, 2 that steer the next region, 4 unused),
   refined on their heatmaps, 3D world points, a pose score and a person mask
   (``blazepose_decode``); a pose score below ``min_pose_score`` (0.5) means nobody,
   and the detector looks again on the next frame;
3. in a video (a timestamp per frame), ``enable_smoothing`` runs visibilities through
   low-pass filters and points through 1-euro filters (``filters.py``), and the next
   frame's region comes from this frame's two steering points, without the detector;
   ``smooth_segmentation`` blends each mask with the last where the new one is unsure.

``estimate`` answers a still picture (``timestamp_us`` None) as a freshly made detector
would, leaving a running video's state alone.
"""
# __pragma__ ('noopov')

from ml5py.models.body_pose.blazepose_decode import (best_detections, decode_detections, decode_landmarks, make_anchors,
                                                  project_points, project_world, refine_from_heatmap, unletterbox)
from ml5py.models.body_pose.blazepose_geometry import (alignment_rect, input_plan, inverse_matrix, projective_transform,
                                                    roi_from_points)
from ml5py.models.body_pose.blazepose_options import DETECTOR_ID, LANDMARK_IDS, check_blazepose_options
from ml5py.models.body_pose.blazepose_parts import (BLAZEPOSE_CONNECTIONS, BLAZEPOSE_KEYPOINTS, LandmarkSmoothing,
                                                 WorldSmoothing)
from ml5py.models.body_pose.options import check_picture_size
from ml5py.runtime import rt

LANDMARK_SIZE = 256
DETECTOR_SIZE = 224
KEYPOINT_COUNT = 33
ALL_LANDMARKS = 39
HEATMAP_SIZE = 64
SEGMENTATION_BLEND = 0.7  # how much of the last mask an unsure pixel keeps
LANDMARK_OUTPUTS = ["ld_3d", "output_poseflag", "activation_heatmap", "world_3d", "activation_segmentation"]


class _Stream:
    """What BlazePose remembers from frame to frame of one video."""

    def __init__(self, world):
        self.roi = None
        self.smoothing = None  # LandmarkSmoothing, made on the first smoothed frame
        self.world = world  # pose-detection keeps the world points' filter when it loses the person
        self.mask = None  # the last (smoothed) mask tensor


class BlazePose:
    """The BlazePose estimator behind ``BodyPose("BlazePose")``."""

    keypoint_names = BLAZEPOSE_KEYPOINTS
    connections = BLAZEPOSE_CONNECTIONS

    @staticmethod
    def check_options(options):
        return check_blazepose_options(options)

    def __init__(self, options):
        self.options = options
        self.model_type = options["model_type"]
        self.anchors = make_anchors()
        self.sources = [None, None]
        self.models = [None, None]  # the detector, the landmark model
        self._stream = _Stream(WorldSmoothing())

    def load(self):
        locations = [self.options["detector_model_url"], self.options["landmark_model_url"]]
        ids = [DETECTOR_ID, LANDMARK_IDS[self.model_type]]

        def one(index):
            def got_source(source):
                self.sources[index] = source
                return rt.after(rt.load_pose_graph(source, locations[index]), keep)

            def keep(model):
                self.models[index] = model
                return model
            return rt.after(rt.find_pose_model(ids[index]), got_source)

        return rt.after(rt.when_all([one(0), one(1)]), lambda models: self)

    def reset(self):
        self._forget(self._stream)
        self._stream = _Stream(WorldSmoothing())

    def dispose(self):
        self._forget(self._stream)
        for index in range(2):
            if self.models[index] is not None:
                rt.dispose_pose_graph(self.models[index])
                self.models[index] = None

    def _forget(self, stream):
        if stream.mask is not None:
            rt.dispose(stream.mask)
            stream.mask = None

    def _lost(self, stream):
        """Nobody found: the detector looks again next time (as pose-detection's reset)."""
        self._forget(stream)
        stream.roi = None
        stream.smoothing = None

    def estimate(self, media, timestamp_us):
        """A pending ``{"poses": [...], "width": w, "height": h}`` (keypoints in pixels)."""
        if self.models[1] is None:
            raise ValueError("This BodyPose was disposed of: make a new BodyPose() to find poses again.")
        stream = _Stream(WorldSmoothing()) if timestamp_us is None else self._stream
        size = [0, 0]

        def grab():
            image = rt.pixels(media)
            size[0] = image.shape[1]
            size[1] = image.shape[0]
            check_picture_size(size[0], size[1])
            return image

        image = rt.tidy(grab)  # kept until both networks have seen it

        def with_roi(roi):
            if roi is None:
                self._lost(stream)
                return self._answer([], size, image, stream)
            return rt.after(self._landmarks(image, roi, size, timestamp_us, stream),
                            lambda poses: self._answer(poses, size, image, stream))

        if stream.roi is not None:
            return with_roi(stream.roi)
        return rt.after(self._detect(image, size), with_roi)

    def _answer(self, poses, size, image, stream):
        rt.dispose(image)
        if stream is not self._stream:
            self._forget(stream)
        return {"poses": poses, "width": size[0], "height": size[1]}

    def _output(self, index, name):
        """The output node to ask for: as the page's model facts name it (a model_url: the signature's name)."""
        own = self.options["detector_model_url" if index == 0 else "landmark_model_url"]
        if own is not None:
            return None if index == 0 else name
        outputs = self.sources[index]["outputs"]
        return outputs[name] if name in outputs else name

    # ------------------------------------------------------------ the detector

    def _detect(self, image, size):
        """A pending region of interest around the surest person, or None."""
        plan = input_plan(None, size[0], size[1], DETECTOR_SIZE)

        def network():
            batch = rt.blazepose_input(image, plan["transform"], DETECTOR_SIZE, 2 / 255, -1)
            return rt.run_pose_graph(self.models[0], batch, self.sources[0]["input"], self._output(0, "person"))

        def decode(values):
            found = best_detections(decode_detections(values, self.anchors), 1)
            if len(found) == 0:
                return None
            points = unletterbox(found[0]["keypoints"], plan["padding"], False)
            return roi_from_points(points, size[0], size[1])

        return rt.after(rt.read(rt.tidy(network)), decode)

    # ------------------------------------------------------------ the landmarks

    def _landmarks(self, image, roi, size, timestamp_us, stream):
        plan = input_plan(roi, size[0], size[1], LANDMARK_SIZE)
        names = LANDMARK_OUTPUTS if self.options["enable_segmentation"] else LANDMARK_OUTPUTS[:4]
        outputs = []
        for name in names:
            outputs.append(self._output(1, name))

        def network():
            batch = rt.blazepose_input(image, plan["transform"], LANDMARK_SIZE, 1 / 255, 0)
            return rt.run_pose_graph_outputs(self.models[1], batch, self.sources[1]["input"], outputs)

        tensors = rt.tidy(network)
        reads = []
        for index in range(4):
            reads.append(rt.read(tensors[index]))
        segmentation = tensors[4] if len(tensors) > 4 else None

        def decode(values):
            if values[1][0] < self.options["min_pose_score"]:
                if segmentation is not None:
                    rt.dispose(segmentation)
                self._lost(stream)
                return []
            pose = self._pose(values, roi, plan, size, timestamp_us, stream)
            if segmentation is None:
                return [pose]
            return rt.after(self._mask(segmentation, plan, size, stream), lambda mask: self._with_mask(pose, mask))

        return rt.after(rt.when_all(reads), decode)

    def _with_mask(self, pose, mask):
        pose["mask"] = mask
        return [pose]

    def _pose(self, values, roi, plan, size, timestamp_us, stream):
        width = size[0]
        height = size[1]
        raw = decode_landmarks(values[0], ALL_LANDMARKS, LANDMARK_SIZE, True)
        raw = refine_from_heatmap(raw, values[2], HEATMAP_SIZE, HEATMAP_SIZE, ALL_LANDMARKS)
        keypoints = project_points(unletterbox(raw[:KEYPOINT_COUNT], plan["padding"], True), roi)
        steering = project_points(unletterbox(raw[KEYPOINT_COUNT:KEYPOINT_COUNT + 2], plan["padding"], True), roi)
        world = decode_landmarks(values[3], ALL_LANDMARKS, 1, False)[:KEYPOINT_COUNT]
        for index in range(KEYPOINT_COUNT):
            world[index]["score"] = raw[index]["score"]
        world = project_world(world, roi)
        if timestamp_us is not None and self.options["enable_smoothing"]:
            if stream.smoothing is None:
                stream.smoothing = LandmarkSmoothing()
            scale_rect = alignment_rect(steering, 1, 0, width, height)
            smoothed = stream.smoothing.apply(keypoints, steering, world, timestamp_us, width, height, scale_rect)
            keypoints = smoothed[0]
            steering = smoothed[1]
            world = stream.world.apply(world, timestamp_us)
        stream.roi = roi_from_points(steering, width, height)
        placed = []
        for point in keypoints:
            placed.append({"x": point["x"] * width, "y": point["y"] * height, "score": point["score"]})
        return {"keypoints": placed, "keypoints3D": world, "score": values[1][0], "box": None, "id": None}

    def _mask(self, segmentation, plan, size, stream):
        """A pending picture of the person mask in the picture's pixels (smoothed across frames)."""
        back = projective_transform(inverse_matrix(plan["matrix"]), [LANDMARK_SIZE, LANDMARK_SIZE], size)
        previous = stream.mask if self.options["smooth_segmentation"] else None

        def project():
            return rt.blazepose_mask(segmentation, back, size[0], size[1], previous, SEGMENTATION_BLEND)

        mask = rt.tidy(project)
        rt.dispose(segmentation)
        if self.options["smooth_segmentation"]:
            if previous is not None:
                rt.dispose(previous)
            stream.mask = mask
            return rt.pose_mask_picture(mask, size[0], size[1], False, self.options["flipped"])
        return rt.pose_mask_picture(mask, size[0], size[1], True, self.options["flipped"])
