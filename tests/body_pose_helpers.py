"""Shared by the BodyPose tests: the photos, poses as plain lists, their comparison, video frames."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
# three_people.jpg carries an ICC profile, which Chromium (skcms) and Pillow (LittleCMS) turn
# into sRGB with +-1 differences on 2% of the values: enough to move a faint keypoint of
# MultiPose by a few pixels. The parity tests therefore give both runtimes its pixels as
# ml5py's CPython decoder reads them (a PNG, no profile): they compare the models, not the
# JPEG decoders (pose.jpg and harriet.jpg decode to the same pixels in both).
PHOTOS = ["pose.jpg", "three_people.png", "harriet.jpg"]
SQUATS = SHARED / "video" / "squats.mp4"  # 720 x 1280, 5 frames per second, 65 frames
SQUATS_FPS = 5


def plain_poses(poses) -> list:
    """CPython's poses in the shape the test sketches write them (see their ``plain``)."""
    out = []
    for pose in poses:
        box = pose.box
        out.append({"keypoints": [[p.x, p.y, p.confidence, p.name] for p in pose.keypoints],
                    "confidence": pose.confidence, "id": pose.id,
                    "box": [box.x_min, box.y_min, box.width, box.height], "nose": [pose.nose.x, pose["nose"].y]})
    return out


def close_poses(label: str, got: list, want: list, ids: bool = False, pixels: float = 1.0,
                scores: float = 1e-3, faint: float = 0.0) -> int:
    """The same people, keypoints within ``pixels``, scores within ``scores`` (and ids equal).

    ``faint``: a keypoint that both sides score below it may differ. MoveNet decodes each
    keypoint with an argmax over a heatmap; where two cells are within float rounding of
    each other (a faint wrist, 6e-8 apart on Thunder's harriet.jpg) numpy and TF.js's
    kernels can pick different cells. The pose's score (a mean of its keypoints') may then
    differ by a few hundredths. Returns how many keypoints were let off that way.
    """
    assert len(got) == len(want), f"{label}: {len(got)} poses, expected {len(want)}"
    let_off = 0
    for index, (mine, theirs) in enumerate(zip(got, want)):
        assert [p[3] for p in mine["keypoints"]] == [p[3] for p in theirs["keypoints"]], f"{label}: names"
        differing = 0
        for a, b in zip(mine["keypoints"], theirs["keypoints"]):
            apart = max(abs(a[0] - b[0]), abs(a[1] - b[1]))
            if apart <= pixels and abs(a[2] - b[2]) <= scores:
                continue
            assert max(a[2], b[2]) < faint, (f"{label}, pose {index}: {a[3]} {apart:.4f} px and "
                                             f"{abs(a[2] - b[2]):.2e} in score apart ({a} vs {b})")
            differing += 1
        allowed = scores if differing == 0 else 0.05
        assert abs(mine["confidence"] - theirs["confidence"]) <= allowed, f"{label}, pose {index}: pose score"
        if ids:
            assert mine.get("id") == theirs.get("id"), f"{label}, pose {index}: id {mine.get('id')} != {theirs.get('id')}"
        let_off += differing
    if let_off:
        print(f"\n{label}: {let_off} faint keypoint(s) decoded at another heatmap cell", end="")
    return let_off


def photo_files(folder: Path, images: Path, all_png: bool = False) -> dict:
    """{name: path} of ``PHOTOS``; three_people.png made from three_people.jpg (see above).

    ``all_png``: every photo as a PNG of its CPython pixels (``pose.png`` ...), for WebGL,
    where Chromium hands TF.js a JPEG's pixels decoded on the GPU path (+-1 differences).
    """
    from ml5py import load_image

    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for name in PHOTOS:
        jpeg = images / (name.rsplit(".", 1)[0] + ".jpg")
        if name.endswith(".png") or all_png:
            png = folder / (name.rsplit(".", 1)[0] + ".png")
            load_image(jpeg).save(png)
            files[png.name] = png
        else:
            files[name] = jpeg
    return files


def ffmpeg() -> str:
    found = shutil.which("ffmpeg")
    assert found, "These tests need Debian's ffmpeg to read squats.mp4: run `bash .ci/setup`."
    return found


def squat_frames(folder: Path, count: int, width: int = 360, height: int = 640) -> list:
    """The first ``count`` frames of squats.mp4, scaled, as PNG files ``squat_000.png``..."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([ffmpeg(), "-v", "error", "-i", str(SQUATS), "-vf", f"scale={width}:{height}",
                    "-frames:v", str(count), str(folder / "squat_%03d.png")], check=True, timeout=120)
    frames = sorted(folder.glob("squat_*.png"))
    assert len(frames) == count, f"ffmpeg wrote {len(frames)} frames of {SQUATS}, expected {count}"
    return frames
