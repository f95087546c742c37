"""A relative ML5PY_MODELS is read against the folder the program started in."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import MIRROR, REPO

SCRIPT = textwrap.dedent("""
    import os, subprocess, sys
    import ml5py
    os.chdir(sys.argv[1])  # a program that changes folder after importing ml5py
    classifier = ml5py.ImageClassifier("MobileNet")
    print(classifier.classify(ml5py.load_image(sys.argv[2]))[0]["label"])
    child = subprocess.run([sys.executable, "-c", "import os; print(os.environ['ML5PY_MODELS'])"],
                           capture_output=True, text=True)
    print(child.stdout.strip())
""")


def test_relative_models_folder_is_resolved_once_at_start(tmp_path: Path, images: Path) -> None:
    start, elsewhere = tmp_path / "start", tmp_path / "elsewhere"
    start.mkdir()
    elsewhere.mkdir()
    (start / "models").symlink_to(MIRROR.resolve(), target_is_directory=True)
    env = {**os.environ, "ML5PY_MODELS": "models", "ML5PY_CACHE": str(tmp_path / "cache")}
    finished = subprocess.run([sys.executable, "-c", SCRIPT, str(elsewhere), str(images / "bird.jpg")],
                              cwd=start, env=env, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    label, passed_on = finished.stdout.splitlines()
    assert label == "robin, American robin, Turdus migratorius"
    assert passed_on == str(start / "models")  # absolute for the programs ml5py starts


def test_ci_runs_the_readme_test_command_exactly() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    command = subprocess.run(["bash", str(REPO / ".ci" / "readme_test_command")], capture_output=True,
                             text=True, check=True).stdout.strip()
    assert command == "bash .ci/setup && ML5PY_MODELS=../shared/pretrained .venv/bin/python -m pytest -q -rs"
    assert f"```sh\n{command}\n```" in readme
    ci_run = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert 'bash -c "$command"' in ci_run and "ML5PY_MODELS" not in ci_run


def test_models_base_urls_and_folders_work_with_or_without_a_final_slash(monkeypatch):
    from ml5py.weights import registry

    entry = registry.find_entry("DoodleNet")
    urls = set()
    for setting in ("http://mirror.example/models", "http://mirror.example/models/"):
        monkeypatch.setenv("ML5PY_MODELS", setting)
        urls.add(registry.mirror_url_for(entry, "model.json"))
    assert urls == {"http://mirror.example/models/doodlenet/model.json"}
    for setting in (str(MIRROR), str(MIRROR) + "/"):
        monkeypatch.setenv("ML5PY_MODELS", setting)
        assert registry.model_file(entry, "model.json").samefile(MIRROR / "doodlenet" / "model.json")
