"""The build cache: the compiled library is reused, and a build from it is the build without it.

A build restores the library's compiled modules from ``$ML5PY_CACHE/build-cache`` and
Transcrypt compiles only the sketch. The site must be the same, byte for byte, as one
compiled from nothing (the one line that may differ is Transcrypt's "compiled at" time), and
a change to the library must be compiled, never served from the cache.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from conftest import EXAMPLE, write_sketch
from ml5py.tooling import build, compile_cache, page_models

RUNTIME = "org.transcrypt.__runtime__"


def compiled(sketch: Path, work: Path, cache: bool) -> dict:
    """What ``compile_sketch`` wrote: file name -> bytes (Transcrypt's .project, with this
    machine's temporary paths, never reaches a site)."""
    work.mkdir(parents=True)
    target, _ = build.compile_sketch(sketch, work, cache=cache)
    return {path.name: path.read_bytes() for path in sorted(target.iterdir()) if path.suffix != ".project"}


def without_times(files: dict) -> dict:
    """Each .js file without its first line ("// Transcrypt'ed from Python, <date and time>")."""
    def cut(name: str, data: bytes) -> bytes:
        if name.endswith(".js") and data.startswith(b"// Transcrypt'ed from Python, "):
            return data.split(b"\n", 1)[1]
        return data
    return {name: cut(name, data) for name, data in files.items()}


def entry_for(sketch: Path, tmp_path: Path) -> compile_cache.CompiledLibrary:
    """The cache entry a build of ``sketch`` uses."""
    folder = tmp_path / "page-modules"
    folder.mkdir(exist_ok=True)
    sources = page_models.write_page_modules(sketch, folder)
    command = ["-m", "transcrypt", *build.TRANSCRYPT_FLAGS, "-xp", str(build.REPO_DIR).replace(" ", "#")]
    return compile_cache.CompiledLibrary(compile_cache.key(command, sources))


def test_a_build_from_the_cache_equals_one_without_it(tmp_path, monkeypatch):
    monkeypatch.setenv("ML5PY_CACHE", str(tmp_path / "cache"))
    # another sketch with the same models fills the cache first, with a module the example lacks
    other = write_sketch(tmp_path / "other", "import random\nfrom ml5py import ImageClassifier\n"
                                             "print(random.random(), ImageClassifier)\n")
    compiled(other, tmp_path / "work-other", cache=True)
    entry = entry_for(EXAMPLE, tmp_path)
    assert entry.folder.parent == tmp_path / "cache" / "build-cache"
    assert {RUNTIME, "ml5py.core.images_browser", "random"} <= set(entry.modules())

    fresh = compiled(EXAMPLE, tmp_path / "work-fresh", cache=False)
    first = compiled(EXAMPLE, tmp_path / "work-1", cache=True)
    second = compiled(EXAMPLE, tmp_path / "work-2", cache=True)
    assert "random.js" not in fresh and "ml5py.core.images_browser.map" in fresh
    assert sorted(first) == sorted(fresh) == sorted(second)
    for name in fresh:
        assert without_times(first)[name] == without_times(fresh)[name], name
        assert without_times(second)[name] == without_times(fresh)[name], name
    # the library came from the cache (its compile time is the cache's), the sketch did not
    held = (entry.folder / f"{RUNTIME}.js").read_bytes()
    assert first[f"{RUNTIME}.js"] == held and second[f"{RUNTIME}.js"] == held
    assert not (entry.folder / "sketch.js").exists()


def test_a_changed_library_is_compiled_again(tmp_path, monkeypatch):
    """A copy of the package stands in for ml5py; changing one of its modules changes the key,
    and the next build compiles the change (the old entry is not used)."""
    monkeypatch.setenv("ML5PY_CACHE", str(tmp_path / "cache"))
    repo = tmp_path / "repo"
    shutil.copytree(build.PACKAGE_DIR, repo / "ml5py", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(build, "REPO_DIR", repo)
    monkeypatch.setattr(compile_cache, "PACKAGE_DIR", repo / "ml5py")
    sketch = write_sketch(tmp_path / "sketch", "from ml5py import ImageClassifier\nprint(ImageClassifier)\n")

    before = entry_for(sketch, tmp_path)
    first = compiled(sketch, tmp_path / "work-1", cache=True)
    assert b"a changed library" not in first["ml5py.core.results.js"]
    assert "ml5py.core.results" in before.modules()

    results = repo / "ml5py" / "core" / "results.py"
    results.write_text(results.read_text() + '\n\ndef changed():\n    return "a changed library"\n')
    after = entry_for(sketch, tmp_path)
    assert after.folder != before.folder
    second = compiled(sketch, tmp_path / "work-2", cache=True)
    assert b"a changed library" in second["ml5py.core.results.js"]
    assert b"a changed library" in (after.folder / "ml5py.core.results.js").read_bytes()
    assert b"a changed library" not in (before.folder / "ml5py.core.results.js").read_bytes()


def test_the_key_names_the_compiler_and_the_page_s_models(tmp_path):
    command = ["-m", "transcrypt", *build.TRANSCRYPT_FLAGS]
    classify = page_models.page_modules(page_models.models_used("from ml5py import ImageClassifier\n"))
    style = page_models.page_modules(page_models.models_used("from ml5py import StyleTransfer\n"))
    assert compile_cache.key(command, classify) == compile_cache.key(command, dict(classify))
    assert compile_cache.key(command, classify) != compile_cache.key(command, style)
    assert compile_cache.key(command, classify) != compile_cache.key(command + ["-sf"], classify)


def test_the_cache_keeps_a_bounded_number_of_entries(tmp_path):
    root = tmp_path / "build-cache"
    for number in range(compile_cache.KEEP_ENTRIES + 3):
        (root / f"{number:032x}").mkdir(parents=True)
    (root / "not-ours").mkdir()
    compile_cache.prune(root, keep=f"{0:032x}")
    left = sorted(folder.name for folder in root.iterdir())
    assert len(left) == compile_cache.KEEP_ENTRIES + 1 and "not-ours" in left and f"{0:032x}" in left


def test_a_cache_that_cannot_be_written_only_costs_time(tmp_path, monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would go")
    monkeypatch.setenv("ML5PY_CACHE", str(blocked))
    files = compiled(EXAMPLE, tmp_path / "work", cache=True)
    assert "sketch.js" in files and f"{RUNTIME}.js" in files
