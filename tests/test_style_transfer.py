"""StyleTransfer in CPython: the network against a plain numpy reference written from the
checkpoint's layout, sizes (odd, 1x1, alpha), styles by name, folder and URL, bad input,
live frames, the pixel limit, and ``ml5py stylize``."""
from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image as PILImage

from ml5py import StyleTransfer, load_image
from ml5py.models.style_transfer import runtime_cpython as runtime_cpython_style
from ml5py.models.style_transfer.checkpoint import CorruptCheckpointError, read_checkpoint
from ml5py.tooling.cli import main as cli_main
from ml5py.weights.registry import ModelFileError, UnknownModelError
from ml5py.models.style_transfer.style_transfer import check_variables, expected_shapes

from conftest import REPO, run_cpython

STYLES = ["la_muse", "mathura", "matilde_perez", "matta", "rain_princess", "scream", "udnie", "wave",
          "wreck"]


@pytest.fixture(scope="module")
def scream(mirror):
    return StyleTransfer("scream")


@pytest.fixture(scope="module")
def photo(images):
    return load_image(images / "harriet_128x128.jpg")


# ---------------------------------------------------------------- a reference network

def reference_conv(x, kernel, stride):
    """'same' convolution of an H x W x C image: a loop over the kernel's taps, float64."""
    kh, kw, _, cout = kernel.shape
    h, w, _ = x.shape
    oh, ow = -(-h // stride), -(-w // stride)
    pad_h, pad_w = max((oh - 1) * stride + kh - h, 0), max((ow - 1) * stride + kw - w, 0)
    padded = np.pad(x, ((pad_h // 2, pad_h - pad_h // 2), (pad_w // 2, pad_w - pad_w // 2), (0, 0)))
    out = np.zeros((oh, ow, cout))
    for a in range(kh):
        for b in range(kw):
            window = padded[a: a + (oh - 1) * stride + 1: stride, b: b + (ow - 1) * stride + 1: stride]
            out += window @ kernel[a, b]
    return out


def reference_conv_transpose(x, kernel, stride):
    """Transposed 'same' convolution to twice the size: scatter every pixel's taps, float64."""
    kh, kw, cout, _ = kernel.shape
    h, w, _ = x.shape
    oh, ow = h * stride, w * stride
    top = max((h - 1) * stride + kh - oh, 0) // 2
    left = max((w - 1) * stride + kw - ow, 0) // 2
    canvas = np.zeros((oh + kh + stride, ow + kw + stride, cout))
    for i in range(h):
        for j in range(w):
            canvas[i * stride: i * stride + kh, j * stride: j * stride + kw] += kernel @ x[i, j]
    return canvas[top: top + oh, left: left + ow]


def reference_norm(x, shift, scale):
    mean = x.mean(axis=(0, 1))
    variance = ((x - mean) ** 2).mean(axis=(0, 1))
    return scale * (x - mean) / np.sqrt(variance + 1e-3) + shift


def reference_network(variables, pixels):
    """The network as the pretrained README describes it, in float64 numpy."""
    v = [variables["Variable" if i == 0 else f"Variable_{i}"].astype(np.float64) for i in range(48)]
    relu = functools.partial(np.maximum, 0)

    def layer(x, first, stride, with_relu=True, transpose=False):
        x = (reference_conv_transpose if transpose else reference_conv)(x, v[first], stride)
        x = reference_norm(x, v[first + 1], v[first + 2])
        return relu(x) if with_relu else x

    x = layer(pixels.astype(np.float64), 0, 1)
    x = layer(x, 3, 2)
    x = layer(x, 6, 2)
    for first in (9, 15, 21, 27, 33):
        x = x + layer(layer(x, first, 1), first + 3, 1, with_relu=False)
    x = layer(x, 39, 2, transpose=True)
    x = layer(x, 42, 2, transpose=True)
    x = layer(x, 45, 1, with_relu=False)
    out = np.clip(np.tanh(x) * 150 + 127.5, 0, 255)
    return np.clip(np.round(out[: pixels.shape[0], : pixels.shape[1]]), 0, 255).astype(np.uint8)


@pytest.mark.parametrize("size", [(24, 24), (13, 19)])
def test_network_matches_a_plain_numpy_reference(scream, mirror, photo, size):
    pixels = photo.to_numpy()[: size[0], : size[1]]
    expected = reference_network(read_checkpoint(mirror / "style-transfer" / "scream"), pixels)
    result = scream.transfer(pixels).to_numpy()
    assert result.shape == expected.shape == pixels.shape
    difference = np.abs(result.astype(int) - expected.astype(int))
    assert difference.max() <= 1 and np.mean(difference == 0) > 0.99, difference.max()


# ---------------------------------------------------------------- results and sizes

def test_transfer_gives_an_image_of_the_input_size(scream, photo, tmp_path):
    got = []
    result = scream.transfer(photo, lambda picture, error: got.append((picture, error)))
    assert got == [(result, None)]
    pixels = result.to_numpy()
    assert pixels.dtype == np.uint8 and pixels.shape == (128, 128, 3)
    # a painting, not the photo
    assert np.mean(np.abs(pixels.astype(int) - photo.to_numpy().astype(int))) > 20
    result.save(tmp_path / "out.png")
    assert np.array_equal(np.asarray(PILImage.open(tmp_path / "out.png")), pixels)
    # the same picture again: the same painting (nothing kept between calls)
    assert np.array_equal(scream.transfer(photo).to_numpy(), pixels)


@pytest.mark.parametrize("shape", [(1, 1), (1, 7), (5, 1), (3, 5), (31, 17), (66, 2)])
def test_odd_and_tiny_sizes(scream, shape):
    pixels = np.random.default_rng(1).integers(0, 256, shape + (3,), dtype=np.uint8)
    result = scream.transfer(pixels).to_numpy()
    assert result.shape == shape + (3,)


def test_alpha_is_dropped(scream, photo):
    rgb = photo.to_numpy()[:40, :30]
    rgba = np.dstack([rgb, np.random.default_rng(2).integers(0, 256, (40, 30), dtype=np.uint8)])
    assert np.array_equal(scream.transfer(rgba).to_numpy(), scream.transfer(rgb).to_numpy())


def test_every_style_loads_and_paints_differently(photo):
    assert StyleTransfer.styles() == STYLES
    small = photo.to_numpy()[:32, :32]
    paintings = [StyleTransfer(name).transfer(small).to_numpy() for name in STYLES]
    for index, painting in enumerate(paintings):
        for other in paintings[index + 1:]:
            assert not np.array_equal(painting, other)


def test_too_big_a_picture_says_what_size_to_use(scream, monkeypatch):
    big = np.zeros((2100, 2100, 3), np.uint8)
    with pytest.raises(ValueError, match=r"2100 x 2100 pixels.*Make it smaller first, for example 2048 x 2048"):
        scream.transfer(big)
    errors = []
    scream.transfer(big, lambda result, error: errors.append(error))
    assert isinstance(errors[0], ValueError)


def test_convolution_bands_give_the_same_result(monkeypatch):
    rng = np.random.default_rng(3)
    x = rng.uniform(-1, 1, (1, 37, 23, 5)).astype(np.float32)
    kernel = rng.uniform(-1, 1, (9, 9, 5, 4)).astype(np.float32)
    for stride in (1, 2):
        whole = runtime_cpython_style.conv2d(x, kernel, stride)
        monkeypatch.setattr(runtime_cpython_style, "_BAND_BYTES", 4 * 23 * 81 * 5 * 3)  # 3 rows a band
        banded = runtime_cpython_style.conv2d(x, kernel, stride)
        monkeypatch.undo()
        assert banded.shape == whole.shape
        assert np.allclose(banded, whole, atol=1e-5)
        reference = reference_conv(x[0].astype(np.float64), kernel.astype(np.float64), stride)
        assert np.allclose(whole[0], reference, atol=1e-4)


# ---------------------------------------------------------------- styles by name, folder, URL

def test_unknown_style_lists_the_valid_ones():
    with pytest.raises(UnknownModelError, match="Unknown style 'picasso'. Valid styles are: la_muse, mathura"):
        StyleTransfer("picasso")
    errors = []
    StyleTransfer("MobileNet", lambda style, error: errors.append(str(error)))
    assert "Valid styles are: la_muse" in errors[0] and "image-classifier" in errors[0]
    assert errors[0].count("wreck") == 1, errors[0]  # the list once, not twice
    with pytest.raises(UnknownModelError, match="folder \\(ending in /, as in 'my_style/'\\)"):
        StyleTransfer("my_style")  # a folder name needs its slash
    with pytest.raises(TypeError, match="A style is named by a string"):
        StyleTransfer(42)


def copy_style(mirror: Path, folder: Path) -> Path:
    shutil.copytree(mirror / "style-transfer" / "wave", folder)
    return folder


def test_a_checkpoint_folder_works_like_the_name(mirror, photo, tmp_path):
    folder = copy_style(mirror, tmp_path / "my style")
    expected = StyleTransfer("wave").transfer(photo).to_numpy()
    assert np.array_equal(StyleTransfer(str(folder)).transfer(photo).to_numpy(), expected)
    assert np.array_equal(StyleTransfer(str(folder / "manifest.json")).transfer(photo).to_numpy(), expected)


def test_corrupt_checkpoint_names_the_file(mirror, tmp_path):
    folder = copy_style(mirror, tmp_path / "broken")
    (folder / "Variable_12").write_bytes((folder / "Variable_12").read_bytes()[:1000])
    with pytest.raises(CorruptCheckpointError, match=r"Variable_12 holds 1000 bytes.*download the checkpoint's"):
        StyleTransfer(str(folder))
    (folder / "Variable_12").unlink()
    with pytest.raises(ModelFileError, match=r"Variable_12 .*is missing"):
        StyleTransfer(str(folder))
    with pytest.raises(ModelFileError, match="There is no checkpoint folder"):
        StyleTransfer(str(tmp_path / "nowhere") + "/")


def test_a_checkpoint_of_another_network_is_refused(tmp_path):
    variables = {f"Variable_{i}" if i else "Variable": np.zeros(shape, np.float32)
                 for i, shape in enumerate(expected_shapes())}
    variables["Variable_40"] = np.zeros([32], np.float32)
    with pytest.raises(ValueError, match=r"Variable_40 has shape \[32\] where the network needs \[64\]"):
        check_variables(variables, "mine")
    variables["Variable_40"] = np.zeros([64], np.float32)
    del variables["Variable_47"]
    with pytest.raises(ValueError, match="no variable Variable_47"):
        check_variables(variables, "mine")


def test_a_checkpoint_url_is_downloaded_once(mirror, photo, tmp_path, monkeypatch):
    monkeypatch.setenv("ML5PY_CACHE", str(tmp_path / "cache"))
    served = copy_style(mirror, tmp_path / "site" / "wave")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path / "site"))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/wave/"
        expected = StyleTransfer("wave").transfer(photo).to_numpy()
        assert np.array_equal(StyleTransfer(url).transfer(photo).to_numpy(), expected)
        shutil.rmtree(served)  # the copy in the cache is used from now on
        assert np.array_equal(StyleTransfer(url + "manifest.json").transfer(photo).to_numpy(), expected)
        with pytest.raises(ModelFileError, match="404"):
            StyleTransfer(f"http://127.0.0.1:{server.server_address[1]}/other/")
        assert not list((tmp_path / "cache").rglob("*.part"))
        # a file cut short on the server: the error names its URL, and nothing bad is kept
        broken = copy_style(mirror, tmp_path / "site" / "broken")
        (broken / "Variable_9").write_bytes((broken / "Variable_9").read_bytes()[:64])
        broken_url = f"http://127.0.0.1:{server.server_address[1]}/broken/"
        with pytest.raises(CorruptCheckpointError, match=f"{broken_url}Variable_9 holds 64 bytes"):
            StyleTransfer(broken_url)
        shutil.rmtree(broken)
        copy_style(mirror, broken)  # fixed on the server: the next try downloads it again
        assert np.array_equal(StyleTransfer(broken_url).transfer(photo).to_numpy(), expected)
    finally:
        server.shutdown()
        server.server_close()


# ---------------------------------------------------------------- live frames

def test_transfer_start_paints_each_frame_and_stops_from_the_callback(scream, photo):
    frames = [photo, photo.to_numpy()[:20, :30], photo]
    seen = []
    scream.transfer_start(frames, lambda result, error: seen.append(result.to_numpy().shape))
    assert seen == [(128, 128, 3), (20, 30, 3), (128, 128, 3)]
    read = []

    def video():
        for index in range(100):
            read.append(index)
            yield frames[1]

    def got(result, error):
        seen.append(error)
        if len(seen) == 5:
            scream.transfer_stop()

    scream.transfer_start(video(), got)
    assert read == [0, 1]
    errors = []
    scream.transfer_start([frames[1], "no-such-file.jpg", frames[1]], lambda result, error: errors.append(error))
    assert errors[0] is None and isinstance(errors[1], FileNotFoundError) and len(errors) == 2


# ---------------------------------------------------------------- ml5py stylize

def test_stylize_command(images, tmp_path, capsys):
    small = tmp_path / "small.png"
    PILImage.open(images / "harriet_128x128.jpg").crop((0, 0, 40, 30)).save(small)
    not_a_picture = tmp_path / "notes.txt"
    not_a_picture.write_text("hello")
    out = tmp_path / "prints"
    status = cli_main(["stylize", "udnie", str(small), str(images / "harriet_128x128.jpg"),
                       str(not_a_picture), "-o", str(out)])
    err = capsys.readouterr().err
    assert status == 1, err  # one input was skipped
    assert sorted(p.name for p in out.iterdir()) == ["harriet_128x128_udnie.png", "small_udnie.png"]
    assert "3/3" in err and "skipped" in err and "notes.txt" in err
    written = np.asarray(PILImage.open(out / "small_udnie.png"))
    assert np.array_equal(written, StyleTransfer("udnie").transfer(load_image(small)).to_numpy())

    assert cli_main(["stylize", "udnie", str(small), "-o", str(out)]) == 0  # replaces, no leftovers
    assert sorted(p.name for p in out.iterdir()) == ["harriet_128x128_udnie.png", "small_udnie.png"]

    assert cli_main(["stylize", "picasso", str(small), "-o", str(tmp_path / "none")]) == 1
    err = capsys.readouterr().err
    assert "Unknown style 'picasso'. Valid styles are: la_muse" in err
    assert cli_main(["stylize", "wave", str(tmp_path / "missing.jpg"), "-o", str(tmp_path / "none")]) == 1
    assert "No such picture" in capsys.readouterr().err
    assert not (tmp_path / "none").exists()


def test_stylize_keeps_pictures_of_the_same_name_apart(images, tmp_path, capsys):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    PILImage.open(images / "harriet_128x128.jpg").crop((0, 0, 20, 16)).save(tmp_path / "a" / "photo.png")
    PILImage.open(images / "harriet_128x128.jpg").crop((30, 30, 50, 46)).save(tmp_path / "b" / "photo.jpg")
    out = tmp_path / "prints"
    first, second = str(tmp_path / "a" / "photo.png"), str(tmp_path / "b" / "photo.jpg")
    assert cli_main(["stylize", "wave", first, second, first, "-o", str(out)]) == 0
    assert "2 pictures painted" in capsys.readouterr().err  # the same file twice: painted once
    assert sorted(p.name for p in out.iterdir()) == ["photo_wave.png", "photo_wave_2.png"]
    wave = StyleTransfer("wave")
    for source, written in [(first, "photo_wave.png"), (second, "photo_wave_2.png")]:
        expected = wave.transfer(load_image(source)).to_numpy()
        assert np.array_equal(np.asarray(PILImage.open(out / written)), expected), written


def test_stylize_into_a_file_says_to_give_a_folder(images, tmp_path, capsys):
    taken = tmp_path / "prints"
    taken.write_text("not a folder")
    assert cli_main(["stylize", "wave", str(images / "harriet_128x128.jpg"), "-o", str(taken)]) == 1
    err = capsys.readouterr().err
    assert f"The output folder {taken} is a file" in err and "folder" in err
    assert taken.read_text() == "not a folder"


def test_stylize_photo_example_saves_the_painting(images, tmp_path):
    sketch = tmp_path / "sketch.py"
    shutil.copyfile(REPO / "examples" / "stylize_photo" / "sketch.py", sketch)
    shutil.copyfile(images / "harriet_128x128.jpg", tmp_path / "me.jpg")
    assert run_cpython(sketch, "me.jpg") == ["Saved me_scream.png - 128 x 128 pixels"]
    expected = StyleTransfer("scream").transfer(load_image(tmp_path / "me.jpg")).to_numpy()
    assert np.array_equal(np.asarray(PILImage.open(tmp_path / "me_scream.png")), expected)


def test_the_page_config_knows_the_styles():
    from ml5py.tooling.build import models_config

    task = models_config("models/")["tasks"]["style-transfer"]
    assert task["names"] == STYLES
    assert task["aliases"]["scream"] == task["aliases"]["style-transfer/scream"] == "style-transfer/scream"
    scream = task["sources"]["style-transfer/scream"]
    assert scream["id"] == "style-transfer/scream"
    assert len(scream["files"]) == 49 and all(len(f["sha256"]) == 64 for f in scream["files"].values())


def test_shift_then_scale_is_the_checkpoint_order(photo):
    """The checkpoint stores each instance norm's shift before its scale. Read that way,
    every style's painting follows the photo's light and dark; read the other way round, it
    does not (the picture comes out nearly flat or inverted)."""
    gray = lambda pixels: pixels.astype(np.float64).mean(axis=2).ravel()  # noqa: E731
    small = np.asarray(PILImage.fromarray(photo.to_numpy()).resize((64, 64), PILImage.BILINEAR))
    original = gray(small)
    for name in STYLES:
        style = StyleTransfer(name)
        right = np.corrcoef(gray(style.transfer(small).to_numpy()), original)[0, 1]
        swapped = list(style.weights)
        for norm in range(1, 48, 3):
            swapped[norm], swapped[norm + 1] = swapped[norm + 1], swapped[norm]
        style.weights = swapped
        wrong = np.corrcoef(gray(style.transfer(small).to_numpy()), original)[0, 1]
        assert right > wrong + 0.1, (name, right, wrong)
