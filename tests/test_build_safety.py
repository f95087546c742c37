"""`ml5py build` and `ml5py serve` publish nothing private and delete nothing of the learner's
(a non-UTF-8 sketch, -o naming a file, a models URL without its final slash)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import write_sketch
from ml5py.tooling.build import BuildError, build
from ml5py.tooling.site_files import SITE_MARKER

PRIVATE = ["passwd_link", "home_link/.ssh/id_rsa", "photos/.env", "photos/.git/config",
           "photos/settings.py", "photos/__pycache__/settings.cpython-311.pyc", "node_modules/left/pad.js",
           "venv/bin/python3", "my_env/lib/site.txt", "sketch.py", ".hidden/notes.txt", "app/sketch.project"]
PUBLISHED = ["photos/bird.jpg", "photos/inner/notes.txt", "inside_link.jpg", "photos_link/bird.jpg"]


def private_folder(tmp_path: Path, images: Path) -> Path:
    folder = tmp_path / "sketch"
    write_sketch(folder, "print('hi')\n", {
        "photos/bird.jpg": images / "bird.jpg", "photos/inner/notes.txt": b"shared notes",
        "photos/.env": b"SECRET=1", "photos/.git/config": b"[core]", "photos/settings.py": b"KEY = 'x'",
        "photos/__pycache__/settings.cpython-311.pyc": b"\0", "node_modules/left/pad.js": b"1",
        "venv/pyvenv.cfg": b"home = /usr", "venv/bin/python3": b"#!", "my_env/conda-meta/x": b"",
        "my_env/lib/site.txt": b"1", ".hidden/notes.txt": b"mine"})
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_rsa").write_text("-----BEGIN PRIVATE KEY-----")
    (folder / "passwd_link").symlink_to("/etc/passwd")
    (folder / "home_link").symlink_to(home, target_is_directory=True)
    (folder / "inside_link.jpg").symlink_to(folder / "photos" / "bird.jpg")
    (folder / "photos_link").symlink_to("photos", target_is_directory=True)
    return folder


def test_build_publishes_only_the_sketch_folders_own_public_files(tmp_path, images):
    folder = private_folder(tmp_path, images)
    notes = []
    out = build(folder / "sketch.py", tmp_path / "site", note=notes.append)
    for name in PUBLISHED:
        assert (out / name).is_file() and not (out / name).is_symlink(), name
    for name in PRIVATE:
        assert not os.path.lexists(out / name), f"{name} was published"
    assert not (out / "home_link").exists()
    assert notes == [f"left out home_link: it links to {tmp_path / 'home'}, outside the sketch's folder",
                     "left out passwd_link: it links to /etc/passwd, outside the sketch's folder"]
    every = [p for p in out.rglob("*") if p.is_file()]
    assert not [p for p in every if str(tmp_path) in p.read_text(errors="replace")], "a local path leaked"
    manifest = json.loads((out / SITE_MARKER).read_text())
    assert sorted(manifest["files"]) == sorted(p.relative_to(out).as_posix() for p in every if p.name != SITE_MARKER)


def test_serve_answers_none_of_the_private_files(tmp_path, images):
    from ml5py.tooling.server import make_server, url_of
    from ml5py.tooling.watch import LiveBuilder
    import threading

    folder = private_folder(tmp_path, images)
    builder = LiveBuilder(folder / "sketch.py", tmp_path / "work", log=lambda text: None, models_url="models/",
                          note=lambda text: None)
    assert builder.build() is None
    server = make_server(builder.live.root, port=0, live=builder.live)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for name in PRIVATE + ["home_link/", "photos/.git/", ".ml5py-site", "%2e%2e/home/.ssh/id_rsa"]:
            with pytest.raises(urllib.error.HTTPError) as info:
                urllib.request.urlopen(url_of(server) + name, timeout=30)
            assert info.value.code in (403, 404), name
        for name in PUBLISHED:
            assert urllib.request.urlopen(url_of(server) + name, timeout=30).status == 200
    finally:
        server.shutdown()
        server.server_close()


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ml5py.tooling.cli", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize("link, to", [("photos/loop", ".."), ("a/b/up", "../../a")])
def test_a_symlink_loop_is_one_line_and_leaves_no_half_site(tmp_path, link, to):
    folder = tmp_path / "sketch"
    write_sketch(folder, "print('hi')\n", {"photos/bird.txt": b"x", "a/b/c.txt": b"x"})
    (folder / link).symlink_to(to, target_is_directory=True)
    finished = cli("build", "sketch.py", "-o", "../site", cwd=folder)
    assert finished.returncode == 1
    lines = finished.stderr.strip().splitlines()
    assert len(lines) == 1 and f"'{link}' links back to the folder" in lines[0] and "a loop" in lines[0], lines
    assert len(lines[0]) < 300 and "Traceback" not in finished.stderr
    assert sorted(os.listdir(tmp_path)) == ["sketch"]


def test_build_refuses_to_replace_the_sketch_or_files_the_last_build_did_not_write(tmp_path, images):
    site = tmp_path / "site"
    write_sketch(site, "print('hi')\n", {"bird.jpg": images / "bird.jpg"})
    for out in (".", "..", str(tmp_path)):  # `cd site && ml5py build sketch.py -o .`
        finished = cli("build", "sketch.py", "-o", out, cwd=site)
        assert finished.returncode == 1 and "holds the sketch sketch.py: building there would replace it" in \
            finished.stderr, finished.stderr
    assert sorted(os.listdir(site)) == ["bird.jpg", "sketch.py"]
    built = tmp_path / "built"
    assert cli("build", "site/sketch.py", "-o", "built", cwd=tmp_path).returncode == 0
    (built / "my_photo.jpg").write_bytes(b"mine")
    (built / "lib" / "extra.js").write_text("mine too")
    finished = cli("build", "site/sketch.py", "-o", "built", cwd=tmp_path)
    assert finished.returncode == 1
    assert "holds files the last build did not write (lib/extra.js, my_photo.jpg)" in finished.stderr
    assert (built / "my_photo.jpg").read_bytes() == b"mine"
    (built / "my_photo.jpg").unlink()
    (built / "lib" / "extra.js").unlink()
    assert cli("build", "site/sketch.py", "-o", "built", cwd=tmp_path).returncode == 0  # its own: replaced
    (built / SITE_MARKER).write_text("built by ml5py; safe to delete\n")  # an older ml5py kept no list
    finished = cli("build", "site/sketch.py", "-o", "built", cwd=tmp_path)
    assert finished.returncode == 1 and "built by an older ml5py" in finished.stderr


def test_a_failed_build_keeps_the_old_site_whole(tmp_path, monkeypatch):
    import ml5py.tooling.build as build_module

    folder = tmp_path / "sketch"
    write_sketch(folder, "print('hi')\n", {"photo.jpg": b"1"})
    out = build(folder / "sketch.py", tmp_path / "site")
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    real_copy = build_module.shutil.copy2

    def full_disk(source, destination, **options):
        if Path(destination).name == "photo.jpg":
            raise OSError(28, "No space left on device (pretend)")
        return real_copy(source, destination, **options)

    monkeypatch.setattr(build_module.shutil, "copy2", full_disk)
    with pytest.raises(OSError, match="No space left"):
        build(folder / "sketch.py", out)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == before
    assert sorted(os.listdir(tmp_path)) == ["site", "sketch"]


def test_clear_errors_for_a_non_utf8_sketch_and_an_output_file(tmp_path):
    folder = tmp_path / "sketch"
    folder.mkdir()
    (folder / "sketch.py").write_bytes("print('café')\n".encode("latin-1"))
    finished = cli("build", "sketch.py", "-o", "site", cwd=folder)
    assert finished.returncode == 1 and "Traceback" not in finished.stderr
    assert "sketch.py is not UTF-8 text (byte 0xe9 at position 10" in finished.stderr
    assert "Save it as UTF-8" in finished.stderr
    (folder / "sketch.py").write_text("print('hi')\n")
    (folder / "notes.txt").write_text("mine")
    finished = cli("build", "sketch.py", "-o", "notes.txt", cwd=folder)
    assert finished.returncode == 1 and "-o names the file" in finished.stderr and "Give a folder name" in finished.stderr
    assert (folder / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/models", "http://127.0.0.1:9/models/"])
def test_a_models_url_works_with_or_without_its_final_slash(tmp_path, url):
    write_sketch(tmp_path / "sketch", "print('hi')\n")
    out = build(tmp_path / "sketch" / "sketch.py", tmp_path / "site", models_url=url)
    config = json.loads((out / "ml5py-config.js").read_text().split("=", 1)[1].rstrip().rstrip(";"))
    assert config["models_url"] == "http://127.0.0.1:9/models/"
