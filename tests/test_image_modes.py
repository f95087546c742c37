"""Every picture mode Pillow opens decodes as a browser does; bad pixels are refused by every
model."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image as PILImage

from image_files import huge_png_header, picture_files
from ml5py import BodyPix, FeatureExtractor, ImageClassifier, StyleTransfer, load_image


@pytest.fixture(scope="module")
def files(tmp_path_factory, images):
    folder = tmp_path_factory.mktemp("modes")
    return folder, picture_files(folder, images / "bird.jpg")


MODES = ["grey16.png", "grey_alpha16.png", "rgb16.png", "rgba16.png", "palette.png",
         "palette_transparent.png", "bilevel.png", "cmyk.tif", "float01.tif", "float255.tif",
         "grey16.tif", "grey32.tif"]


@pytest.mark.parametrize("name", MODES)
def test_each_mode_decodes_to_its_8_bit_picture(files, name):
    folder, expected = files
    pixels = load_image(folder / name).to_numpy()
    assert pixels.dtype == np.uint8 and pixels.shape == expected[name].shape
    assert np.array_equal(pixels, expected[name]), (
        f"{name} ({PILImage.open(folder / name).mode}) decodes with a largest difference of "
        f"{np.abs(pixels.astype(int) - expected[name]).max()} from its 8-bit picture")


def test_a_16_bit_grey_photo_gets_the_8_bit_answer(tmp_path, images):
    from image_files import png_16_bit

    grey = np.asarray(PILImage.open(images / "bird.jpg").convert("L"))
    PILImage.fromarray(grey).save(tmp_path / "grey8.png")
    png_16_bit(tmp_path / "grey16.png", grey[..., None].astype(np.uint32) * 257)
    assert abs(load_image(tmp_path / "grey16.png").to_numpy().mean() - grey.mean()) < 1e-9
    classifier = ImageClassifier("MobileNet")
    assert classifier.classify(tmp_path / "grey16.png") == classifier.classify(tmp_path / "grey8.png")


def test_pillow_images_of_any_mode_are_read_the_same_way(files):
    folder, expected = files
    with PILImage.open(folder / "grey16.png") as picture:
        assert np.array_equal(load_image_from_pillow(picture), expected["grey16.png"])


def load_image_from_pillow(picture):
    from ml5py.core.image_files import to_rgb_pixels

    return to_rgb_pixels(picture)


def test_float_files_that_are_not_pictures_are_refused_with_their_name(tmp_path):
    values = np.full((8, 8), 0.5, np.float32)
    values[2, 3] = np.nan
    PILImage.fromarray(values, "F").save(tmp_path / "nan.tif")
    with pytest.raises(ValueError, match="nan.tif' holds values that are not numbers"):
        load_image(tmp_path / "nan.tif")
    PILImage.fromarray(np.full((8, 8), 1000.0, np.float32), "F").save(tmp_path / "bright.tif")
    with pytest.raises(ValueError, match="bright.tif' holds values up to 1000; ml5py reads float pictures as 0..1"):
        load_image(tmp_path / "bright.tif")


def test_a_decompression_bomb_is_refused_with_a_size_to_use(tmp_path):
    huge_png_header(tmp_path / "huge.png", 20000, 10000)
    with pytest.raises(ValueError) as info:
        load_image(tmp_path / "huge.png")
    message = str(info.value)
    assert "huge.png' is 20000 x 10000 pixels (200 megapixels): more than ml5py reads safely" in message
    assert "for example 13377 x 6688 pixels" in message


@pytest.mark.parametrize("bad", [None, 5, 2.5, ["bird.jpg"], b"bird.jpg"], ids=repr)
def test_load_image_names_what_it_needs(bad):
    with pytest.raises(TypeError, match=r'load_image needs the name of an image file, such as "bird.jpg"'):
        load_image(bad)


def bad_arrays():
    nan = np.full((32, 32, 3), 100.0, np.float32)
    nan[3, 4, 1] = np.nan
    inf = np.full((32, 32, 3), 100.0)
    inf[5, 6, 0] = np.inf
    return [("nan", nan, ValueError, "the pixel at row 3, column 4 is nan"),
            ("inf", inf, ValueError, "the pixel at row 5, column 6 is inf"),
            ("complex", np.full((32, 32, 3), 100 + 1j), TypeError, "holds complex numbers"),
            ("bool", np.ones((32, 32, 3), bool), TypeError, "must hold numbers; got dtype bool")]


@pytest.fixture(scope="module")
def models():
    return {"ImageClassifier.classify": ImageClassifier("MobileNet").classify,
            "FeatureExtractor.infer": FeatureExtractor("MobileNet").infer,
            "StyleTransfer.transfer": StyleTransfer("scream").transfer,
            "BodyPix.segment": BodyPix().segment}


@pytest.mark.parametrize("what, array, error, message", bad_arrays(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_model_refuses_nan_infinite_complex_and_boolean_pixels(models, what, array, error, message):
    for name, method in models.items():
        with pytest.raises(error, match=message):
            method(array)
        errors = []
        method(array, lambda result, problem: errors.append((result, problem)))
        assert errors[0][0] is None and message in str(errors[0][1]), name
