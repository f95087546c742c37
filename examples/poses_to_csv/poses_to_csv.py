# Write the body keypoints of every frame of a video (or of every photo in a folder) to a
# CSV file, for a spreadsheet or pandas: one row per person per frame.
#
#   python poses_to_csv.py squats.mp4 squats.csv       (a video: needs ffmpeg installed)
#   python poses_to_csv.py my_photos/ photos.csv       (a folder of .jpg / .png photos)
#   python poses_to_csv.py squats.mp4 squats.csv BlazePose   (33 keypoints of one person)
#
# Columns: frame, time (seconds), source, person (a tracking id: the same person keeps
# it from frame to frame; BlazePose: empty), confidence, then x, y and confidence of each of
# the 17 keypoints (33 with BlazePose) (nose_x, nose_y, nose_confidence, left_eye_x, ...), in
# the picture's pixels.
# Runs in CPython, on numpy: nothing needs a browser.

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from ml5py import BodyPose, load_image

PHOTO_TYPES = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif"}


def video_facts(video):
    """Width, height and frames per second of a video, as ffprobe reports them."""
    report = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                             "stream=width,height,r_frame_rate", "-of", "json", str(video)],
                            capture_output=True, text=True, check=True)
    stream = json.loads(report.stdout)["streams"][0]
    top, bottom = stream["r_frame_rate"].split("/")
    return stream["width"], stream["height"], float(top) / float(bottom)


def video_frames(video, width, height):
    """The video's frames one by one, as height x width x 3 pictures (ffmpeg decodes them)."""
    decoder = subprocess.Popen(["ffmpeg", "-v", "error", "-i", str(video), "-f", "rawvideo",
                                "-pix_fmt", "rgb24", "-"], stdout=subprocess.PIPE)
    size = width * height * 3
    while True:
        data = decoder.stdout.read(size)
        if len(data) < size:
            break
        yield np.frombuffer(data, np.uint8).reshape(height, width, 3)
    decoder.wait()


def header(names):
    columns = ["frame", "time", "source", "person", "confidence"]
    for name in names:
        columns += [name + "_x", name + "_y", name + "_confidence"]
    return columns


def rows(frame, time, source, poses):
    for pose in poses:
        row = [frame, round(time, 3), source, pose.id, round(pose.confidence, 4)]
        for point in pose.keypoints:
            row += [round(point.x, 2), round(point.y, 2), round(point.confidence, 4)]
        yield row


def main(source, out_file, model="MoveNet"):
    body_pose = BodyPose(model)         # MoveNet MultiPose: up to six people, with tracking ids
    source = Path(source)
    with open(out_file, "w", newline="") as out:
        table = csv.writer(out)
        table.writerow(header(body_pose.keypoint_names))
        if source.is_dir():             # photos: each one a still picture of its own
            photos = sorted(p for p in source.iterdir() if p.suffix.lower() in PHOTO_TYPES)
            for number, photo in enumerate(photos):
                table.writerows(rows(number, 0.0, photo.name, body_pose.detect(load_image(photo))))
            print(f"{len(photos)} photos -> {out_file}")
            return
        width, height, fps = video_facts(source)
        count = [0]

        def got_poses(poses, error):    # called for each frame, in order
            if error:
                print("BodyPose:", error)
                return
            table.writerows(rows(count[0], count[0] / fps, source.name, poses))
            count[0] += 1

        # frame i is seen at i / fps seconds: the keypoints are smoothed as in the browser
        body_pose.detect_start(video_frames(source, width, height), got_poses, fps=fps)
        print(f"{count[0]} frames ({width}x{height}, {fps:g} fps) -> {out_file}")


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit("Usage: python poses_to_csv.py VIDEO_OR_FOLDER OUT.csv [MoveNet or BlazePose]")
    main(*sys.argv[1:])
