"""BodyPix in CPython: known answers on the shared photos, every variant, effects, bad input."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image as PILImage

from conftest import IMAGES
from ml5py import BodyPix, load_image
from ml5py.models.body_pix.body_pix import resize_plan, valid_size
from ml5py.models.body_pix.parts import DEFAULT_PALETTE
from ml5py.core.image_files import Image

VARIANTS = [(0.5, 4), (0.5, 1), (0.5, 2), (0.75, 1), (0.75, 2)]


@pytest.fixture(scope="module")
def bodypix() -> BodyPix:
    return BodyPix()


@pytest.fixture(scope="module")
def harriet() -> Image:
    return load_image(IMAGES / "harriet.jpg")


@pytest.fixture(scope="module")
def parts_result(bodypix, harriet):
    return bodypix.segment_with_parts(harriet)


def test_harriet_is_about_a_fifth_person(parts_result, harriet) -> None:
    result = parts_result
    assert (result.width, result.height) == (harriet.width, harriet.height) == (480, 560)
    assert result.data.shape == result.raw.shape == result.parts.shape == (560, 480)
    assert result.data.dtype == np.uint8 and result.raw.dtype == np.float32 and result.parts.dtype == np.int32
    fraction = float(result.data.mean())
    assert 0.15 <= fraction <= 0.35, fraction
    # the person is in the middle of the portrait, not in its corners
    assert result.data[280, 240] == 1 and result.data[:20, :20].sum() == 0 and result.data[:20, -20:].sum() == 0
    assert np.array_equal(result.data, (result.raw > np.float32(0.7)).astype(np.uint8))
    assert 0 <= result.raw.min() and result.raw.max() <= 1


def test_parts_only_where_the_person_is(parts_result) -> None:
    result = parts_result
    assert result.part_names[0] == "left_face" and len(result.part_names) == 24
    assert np.array_equal(result.parts >= 0, result.data == 1)
    assert result.parts.min() == -1 and result.parts.max() <= 23
    face = {result.part_names.index("left_face"), result.part_names.index("right_face")}
    assert int(result.parts[150, 240]) in face  # the face of the portrait
    assert int(np.bincount(result.parts[result.parts >= 0]).argmax()) == result.part_names.index("torso_front")


def test_masks_show_what_their_names_say(parts_result, harriet) -> None:
    person = parts_result.person_mask.to_numpy()
    background = parts_result.background_mask.to_numpy()
    assert person.shape == background.shape == (560, 480, 4)
    assert np.array_equal(person[..., 3], parts_result.data * 255)
    assert np.array_equal(background[..., 3], (1 - parts_result.data) * 255)
    assert np.array_equal(person[..., :3], harriet.to_numpy()) and np.array_equal(background[..., :3], harriet.to_numpy())
    parts = parts_result.parts_mask.to_numpy()
    assert np.array_equal(parts[..., 3], parts_result.data * 255)
    y, x = np.argwhere(parts_result.parts == 12)[0]  # torso_front
    assert parts[y, x, :3].tolist() == DEFAULT_PALETTE[12]


def test_masks_save_as_transparent_png(parts_result, tmp_path) -> None:
    parts_result.person_mask.save(tmp_path / "cutout.png")
    saved = np.asarray(PILImage.open(tmp_path / "cutout.png"))
    assert saved.shape == (560, 480, 4) and np.array_equal(saved, parts_result.person_mask.to_numpy())
    parts_result.person_mask.save(tmp_path / "cutout.jpg")  # no alpha in JPEG: black behind the person
    assert PILImage.open(tmp_path / "cutout.jpg").mode == "RGB"


def test_a_failed_save_leaves_nothing_half_written(parts_result, tmp_path, monkeypatch) -> None:
    mask = parts_result.person_mask
    with pytest.raises(ValueError, match=r"Cannot save an image as '.*cutout.xyz': the extension '.xyz' .* "
                                         r"End the name with .png"):
        mask.save(tmp_path / "cutout.xyz")
    with pytest.raises(FileNotFoundError, match="there is no folder .*Create it first"):
        mask.save(tmp_path / "no_folder" / "cutout.png")
    (tmp_path / "cutout.png").write_bytes(b"an older file")

    def fails_half_way(self, file, *args, **kwargs):
        with open(file, "wb") as out:
            out.write(b"half a PNG")
        raise OSError("disk full")

    monkeypatch.setattr(PILImage.Image, "save", fails_half_way)
    with pytest.raises(OSError, match="disk full"):
        mask.save(tmp_path / "cutout.png")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cutout.png"]  # no temporary file left
    assert (tmp_path / "cutout.png").read_bytes() == b"an older file"  # the older file untouched


def test_a_mask_can_be_segmented_again(bodypix, parts_result) -> None:
    again = bodypix.segment(parts_result.person_mask)  # RGBA in: read like a browser (transparent = black)
    assert again.data.shape == (560, 480)


def test_resize_plan_is_body_pix_s() -> None:
    assert valid_size(240, 16) == 241 and valid_size(241, 16) == 241 and valid_size(240.5, 16) == 241
    assert valid_size(140, 8) == 137
    plan = resize_plan(480, 640, "medium", 16)
    assert plan["size"] == [241, 321]
    assert plan["padding"] == [0, 0, 0, 0]  # 241 x 321 is wider than 480 x 640 by less than half a pixel
    assert resize_plan(560, 480, 0.3, 8)["size"] == [valid_size(168, 8), valid_size(144, 8)] == [169, 145]
    # a long thin picture at low resolution: 1 x 17, padded left and right to that shape
    assert resize_plan(40, 100, "low", 16) == {"size": [1, 17], "padding": [0, 0, 290, 290]}
    assert resize_plan(100, 40, "low", 16) == {"size": [17, 1], "padding": [290, 290, 0, 0]}


@pytest.mark.parametrize("multiplier, quant_bytes", VARIANTS)
@pytest.mark.parametrize("stride", [16, 8])
def test_every_variant_loads_and_runs(multiplier, quant_bytes, stride) -> None:
    model = BodyPix(multiplier=multiplier, quant_bytes=quant_bytes, output_stride=stride,
                    internal_resolution="full")
    result = model.segment_with_parts(IMAGES / "harriet_128x128.jpg")
    assert result.data.shape == result.parts.shape == (128, 128)
    assert model.source["id"] == ("bodypix/mobilenet/" + ("float" if quant_bytes == 4 else f"quant{quant_bytes}")
                                  + ("/050" if multiplier == 0.5 else "/075"))
    assert 0 <= result.raw.min() and result.raw.max() <= 1 and result.raw.std() > 0.01  # it saw something
    assert np.array_equal(result.parts >= 0, result.data == 1)


def test_callbacks_and_ready(harriet) -> None:
    ready = []
    model = BodyPix(lambda loaded, error: ready.append((loaded, error)), internal_resolution="low")
    assert ready == [(model, None)]
    got = []
    returned = model.segment(harriet, lambda result, error: got.append((result.width, error)))
    assert got == [(480, None)] and returned.width == 480


def test_blur_background_keeps_the_person_sharp(bodypix, harriet, parts_result) -> None:
    blurred = bodypix.blur_background(harriet, amount=12)
    assert isinstance(blurred, Image) and (blurred.width, blurred.height) == (480, 560)
    out = blurred.to_numpy().astype(int)
    original = harriet.to_numpy().astype(int)
    data = parts_result.data
    inner = np.zeros_like(data, dtype=bool)
    inner[100:450, 150:350] = True  # well inside the person, far from the soft edge
    person = inner & (data == 1)
    assert np.abs(out[person] - original[person]).mean() < 3
    assert np.abs(out[data == 0] - original[data == 0]).mean() > 2  # the background changed
    # blurred: the background's pixel-to-pixel steps shrink
    steps = lambda image: np.abs(np.diff(image[:60, :, :], axis=1)).mean()  # noqa: E731  (top band: background)
    assert steps(out) < 0.6 * steps(original)
    assert np.array_equal(bodypix.blur_background(harriet, amount=0).to_numpy(), harriet.to_numpy())


def test_replace_background(bodypix, harriet, parts_result) -> None:
    green = np.zeros((10, 20, 3), np.uint8)
    green[..., 1] = 255
    out = bodypix.replace_background(harriet, green).to_numpy().astype(int)
    assert out.shape == (560, 480, 3)
    assert out[:20, :20].tolist() == [[[0, 255, 0]] * 20] * 20  # a corner: background
    assert np.abs(out[250:300, 220:260] - harriet.to_numpy()[250:300, 220:260].astype(int)).max() <= 1


def test_palette_option() -> None:
    names_first = BodyPix(palette={"torso_front": [1, 2, 3]})
    result = names_first.segment_with_parts(IMAGES / "harriet.jpg")
    colours = result.parts_mask.to_numpy()
    assert colours[result.parts == 12][:, :3].tolist()[0] == [1, 2, 3]
    listed = BodyPix(palette=[[index, 0, 0] for index in range(24)])
    result = listed.segment_with_parts(IMAGES / "harriet.jpg")
    on = result.parts >= 0
    assert np.array_equal(result.parts_mask.to_numpy()[on][:, 0], result.parts[on])


@pytest.mark.parametrize("palette, message", [
    ([[0, 0, 0]] * 3, "A palette is a list of 24 colours"),
    ({"tail": [0, 0, 0]}, "unknown body part 'tail'"),
    ({"left_face": [0, 0, 300]}, "The colour for left_face must be [r, g, b]"),
    ([[0, 0, 0]] * 23 + [[0, 0]], "The colour for right_feet must be [r, g, b] with numbers from 0 to 255; got [0, 0]"),
])
def test_bad_palette(palette, message) -> None:
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        BodyPix(palette=palette)


def test_part_names_are_the_registry_s() -> None:
    """A palette dict is checked against PART_NAMES before the model loads: they must be the model's."""
    from ml5py.weights import registry
    from ml5py.models.body_pix.body_pix import variant_id
    from ml5py.models.body_pix.parts import PART_NAMES

    for multiplier, quant_bytes in [(0.5, 1), (0.5, 2), (0.5, 4), (0.75, 1), (0.75, 2)]:
        entry = registry.find_entry(variant_id(multiplier, quant_bytes), task="body-segmentation")
        assert entry["part_names"] == PART_NAMES


@pytest.mark.parametrize("options, message", [
    ({"multiplier": 1.0}, "Invalid multiplier 1.0. Valid multipliers are: 0.50, 0.75"),
    ({"multiplier": "0.75"}, "Invalid multiplier '0.75'. Valid multipliers are"),  # text, in quotes
    ({"quant_bytes": 3}, "Invalid quant_bytes 3. Valid values are: 1, 2"),
    ({"quant_bytes": 4}, "quant_bytes=4 (float32 weights) exists only for multiplier 0.50"),
    ({"output_stride": 32}, "Invalid output_stride 32. Valid strides are: 8, 16"),
    ({"internal_resolution": "ultra"}, "Invalid internal_resolution 'ultra'. Use one of: low, medium, high, full"),
    ({"internal_resolution": 3}, "or a number from 0.1 to 2.0"),
    ({"segmentation_threshold": 1.5}, "Invalid segmentation_threshold 1.5. It is a number from 0 to 1"),
    ({"architecture": "ResNet50"}, "Unknown architecture 'ResNet50'. ml5py's BodyPix has: MobileNetV1"),
])
def test_invalid_options_list_the_valid_ones(options, message) -> None:
    with pytest.raises(ValueError) as info:
        BodyPix(**options)
    assert message in str(info.value)


def test_not_an_image(bodypix) -> None:
    with pytest.raises(TypeError, match="Cannot use a dict as an image"):
        bodypix.segment({"not": "an image"})
    errors = []
    assert bodypix.segment(42, lambda result, error: errors.append(error)) is None
    assert isinstance(errors[0], TypeError)
    with pytest.raises(FileNotFoundError):
        bodypix.blur_background("no_such_photo.jpg")


def test_a_callback_that_is_not_a_function(bodypix, harriet) -> None:
    with pytest.raises(TypeError, match=r"BodyPix takes its options as keywords, e.g. BodyPix\(multiplier=0.5"):
        BodyPix({"multiplier": 0.5})  # as ml5.js's bodyPix(options)
    with pytest.raises(TypeError, match="segment's callback must be a function such as def got"):
        bodypix.segment(harriet, "got")
    with pytest.raises(TypeError, match="blur_background's callback must be a function .*; got 5"):
        bodypix.blur_background(harriet, 3, 5)


def test_bad_effect_arguments(bodypix, harriet) -> None:
    with pytest.raises(ValueError, match="blur_background's amount is a number of pixels, 0 or more; got -1"):
        bodypix.blur_background(harriet, amount=-1)
    with pytest.raises(FileNotFoundError, match="Could not find the image file 'green.jpg'"):
        bodypix.replace_background(harriet, "green.jpg")
    with pytest.raises(TypeError, match="Cannot use a int as an image"):
        bodypix.replace_background(harriet, 7)


def test_a_1x1_image_is_a_clear_error(bodypix) -> None:
    with pytest.raises(ValueError, match="The picture is 1x1 pixels: too small to find a person in. "
                                         "BodyPix needs at least 16x16"):
        bodypix.segment(np.zeros((1, 1, 3), np.uint8))


def test_no_person_gives_an_empty_mask(bodypix) -> None:
    solid = np.full((90, 120, 3), 200, np.uint8)
    result = bodypix.segment_with_parts(solid)
    assert result.data.sum() == 0 and (result.parts == -1).all()
    assert (result.person_mask.to_numpy()[..., 3] == 0).all()
    assert (result.background_mask.to_numpy()[..., 3] == 255).all()
    bird = bodypix.segment(IMAGES / "bird.jpg")
    assert bird.data.mean() < 0.02  # a robin: (almost) no person


def test_segment_start_runs_each_frame_and_stops(bodypix) -> None:
    frames = [np.full((40, 40, 3), value, np.uint8) for value in (0, 100, 200)]
    seen = []

    def got(result, error):
        seen.append((result.width, error))
        if len(seen) == 2:
            bodypix.segment_stop()

    bodypix.segment_start(frames, got)
    assert seen == [(40, None), (40, None)]
    with pytest.raises(TypeError, match="segment_start needs the function"):
        bodypix.segment_start(frames, None)
