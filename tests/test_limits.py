"""Inputs too big for memory are refused at once with a size to use."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from ml5py import BodyPix, FeatureExtractor, KNNClassifier
from ml5py.models.style_transfer.checkpoint import read_checkpoint


@pytest.fixture(scope="module")
def bodypix():
    return BodyPix()


def test_bodypix_refuses_a_50_megapixel_picture_at_double_resolution(bodypix):
    huge = np.zeros((7072, 7072, 3), np.uint8)  # 50 MP (zeros: no memory until written)
    with pytest.raises(ValueError) as info:
        BodyPix(internal_resolution=2).segment(huge)
    assert "This picture is 7072 x 7072 pixels, more than BodyPix can find a person mask in: 16777216 " \
           "pixels at most. Make it smaller first, for example 4096 x 4096 pixels" in str(info.value)


def test_bodypix_refuses_a_network_size_too_big_and_suggests_a_resolution(bodypix):
    with pytest.raises(ValueError) as info:
        BodyPix(internal_resolution=2).segment(np.zeros((3000, 4000, 3), np.uint8))
    message = str(info.value)
    assert "With internal_resolution=2 BodyPix would look at this 4000 x 3000 picture at 8001 x 6001 pixels" in message
    assert "Use a smaller internal_resolution (\"medium\" is the default)" in message
    assert "for example 1182 x 886 pixels" in message


def test_bodypix_with_parts_has_its_own_limit(bodypix):
    with pytest.raises(ValueError, match=r"more than BodyPix can find body parts \(24 maps at the picture's size\) "
                                         r"in: 4194304 pixels at most.* for example 2508 x 1672 pixels"):
        bodypix.segment_with_parts(np.zeros((2000, 3000, 3), np.uint8))
    assert bodypix.segment(np.zeros((2000, 3000, 3), np.uint8))["width"] == 3000  # without parts: fine


@pytest.mark.parametrize("units", [10 ** 9, 10001, 0])
def test_hidden_units_are_bounded(units):
    with pytest.raises(ValueError, match=f"hidden_units should be a whole number from 1 to 10000; got {units}"):
        FeatureExtractor("MobileNet").classification({"hidden_units": units})


def test_deeply_nested_json_is_refused_clearly(tmp_path: Path):
    deep = "[" * 100_000 + "]" * 100_000
    with pytest.raises(ValueError, match="nests lists or objects thousands of levels deep"):
        KNNClassifier().load(deep)
    (tmp_path / "knn.json").write_text('{"examples": ' + deep + "}")
    with pytest.raises(ValueError, match="nests lists or objects thousands of levels deep"):
        KNNClassifier().load(str(tmp_path / "knn.json"))
    (tmp_path / "style").mkdir()
    (tmp_path / "style" / "manifest.json").write_text(deep)
    with pytest.raises(OSError, match="nests its JSON thousands of levels deep"):
        read_checkpoint(tmp_path / "style")
