"""classify_start / classify_stop in CPython: frames in order, stop from the callback."""
from __future__ import annotations

import numpy as np
import pytest

from ml5py import ImageClassifier, load_image
from ml5py.runtime import rt


@pytest.fixture(scope="module")
def classifier(mirror):
    return ImageClassifier("DoodleNet")


@pytest.fixture(scope="module")
def frames(images):
    bird = load_image(images / "bird.jpg")
    blank = np.full((64, 64, 3), 255, np.uint8)
    return [bird, blank, bird.pixels, images / "bird.jpg"]


def test_classify_start_classifies_each_frame_in_order(classifier, frames):
    seen = []
    classifier.classify_start(frames, lambda results, error: seen.append((results, error)))
    assert len(seen) == len(frames) and all(error is None for _, error in seen)
    expected = [classifier.classify(frame)[0]["label"] for frame in frames]
    assert [results[0]["label"] for results, _ in seen] == expected
    assert seen[0][0][0]["label"] == seen[2][0][0]["label"] == seen[3][0][0]["label"]  # same photo


def test_classify_stop_from_the_callback_reads_no_more_frames(classifier, frames):
    read, seen = [], []

    def video():
        for index in range(1000):
            read.append(index)
            yield frames[index % len(frames)]

    def got_results(results, error):
        seen.append(results)
        if len(seen) == 3:
            classifier.classify_stop()

    assert classifier.classify_start(video(), got_results) is None
    assert len(seen) == 3 and read == [0, 1, 2]


def test_k_one_image_a_batch_array_and_errors(classifier, frames):
    seen = []
    classifier.classify_start(frames[0], 5, lambda results: seen.append(len(results)))
    assert seen == [5]  # one picture is one frame
    batch = np.stack([frames[1], frames[1]])
    classifier.classify_start(batch, lambda results: seen.append(len(results)), k=2)
    assert seen == [5, 2, 2]  # an N x H x W x 3 array is N frames
    errors = []
    classifier.classify_start([frames[0], "no-such-file.jpg", frames[0]],
                              lambda results, error: errors.append(error))
    assert errors[0] is None and isinstance(errors[1], FileNotFoundError)
    assert len(errors) == 2, "an error stops the loop"
    with pytest.raises(TypeError, match="classify_start needs the function"):
        classifier.classify_start(frames, None)


def test_an_error_in_the_callback_is_raised(classifier, frames):
    def broken(results):
        raise ZeroDivisionError("in the learner's callback")

    with pytest.raises(ZeroDivisionError):
        classifier.classify_start(frames, broken)
    seen = []
    classifier.classify_start(frames[:1], lambda results: seen.append(1))  # starts again
    assert seen == [1]


def test_image_from_pixels_makes_an_image_that_classifies(classifier, frames):
    picture = rt.image_from_pixels(np.asarray(frames[0].pixels, np.float32) + 0.3).result()
    assert (picture.width, picture.height) == (frames[0].width, frames[0].height)
    assert np.array_equal(picture.to_numpy(), frames[0].pixels)
    assert classifier.classify(picture)[0]["label"] == classifier.classify(frames[0])[0]["label"]
