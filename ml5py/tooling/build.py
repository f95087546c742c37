"""``ml5py build``: turn a Python sketch into a static web site that runs it in the browser.

The sketch and the ml5py library are compiled to JavaScript modules by Transcrypt; the
pinned TensorFlow.js files (installed by ``npm ci``) are copied next to them, so the site
needs no CDN; the page runs only the parts its models need (``page_scripts.py``); so is
the pinned p5.js, for sketches that use p5 (``sketch_analysis.py``).
Files beside the sketch (photos, a model folder) are copied too, but never private ones
or anything outside the sketch's folder (``site_files``).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable

from ml5py.core.safe_save import clean_debris, move_into_place, temporary_prefix
from ml5py.tooling import (compile_cache, page_config, page_models, page_scripts, site_files, sketch_analysis,
                           sketch_python, straight_line)
from ml5py.tooling.site_files import SITE_MARKER  # noqa: F401 (the marker of a built site; watch.py reads it)

PACKAGE_DIR = Path(__file__).resolve().parents[1]
REPO_DIR = PACKAGE_DIR.parent
WEB_DIR = PACKAGE_DIR / "web"
# Transcrypt's switches for every build (part of the compile cache's key). No ``-b``: each build
# starts in a fresh folder, and the cached library (``compile_cache.py``) must not be wiped.
# ``sketch_python.SWITCHES``: what learners' Python needs (for loops over dicts, format specs).
TRANSCRYPT_FLAGS = ["-m", "-n", "-o", "-k", "-ec", "-t", "-xr"] + sketch_python.SWITCHES
P5_LIBRARY = ("p5/lib", "p5.min.js")  # only for sketches that use p5 (ml5py/sketch_analysis.py)
P5_SOUND_LIBRARY = ("p5/lib/addons", "p5.sound.min.js")  # only for sketches that use p5.sound
# p5 says "p5Ready" once it has looked for a global-mode sketch; ml5py/p5_support/global_mode.py starts p5 after it.
P5_READY_FLAG = ('<script>window.addEventListener("p5Ready", function () '
                 '{ window.ml5pyP5Ready = true; });</script>')


class BuildError(Exception):
    """The sketch could not be built; the message says where and why.

    ``details`` keeps the compiler's raw output (shown by ``ml5py build -v``).
    """

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.details = details


def check_syntax(sketch: Path) -> None:
    """Stop early, with the file and line, if the sketch is not valid Python.

    The browser half understands the Python 3.9 grammar, so newer syntax (``match``) is
    refused here too, with the same kind of message.
    """
    import ast

    source = read_sketch(sketch)
    try:
        tree = compile(source, str(sketch), "exec", ast.PyCF_ONLY_AST)
        for node in ast.walk(tree):
            if type(node).__name__ == "Match":  # report the statement, not where parsing stopped
                raise SyntaxError("`match` needs Python 3.10 or later; the browser understands "
                                  "Python 3.9: use if / elif / else instead", (
                    str(sketch), node.lineno, node.col_offset + 1,
                    source.splitlines()[node.lineno - 1], None, None))
        ast.parse(source, str(sketch), feature_version=(3, 9))
    except SyntaxError as error:
        line = (error.text or "").strip()
        raise BuildError(
            f'File "{sketch.name}", line {error.lineno}: {error.msg}\n    {line}\n'
            "Fix this line and build again."
        ) from None


def check_python(sketch: Path) -> None:
    """Stop at the first line the browser would not run as Python does (``sketch_python.check``)."""
    try:
        sketch_python.check(read_sketch(sketch))
    except sketch_python.SketchPythonError as error:
        raise BuildError(f'File "{sketch.name}", line {error.line}: {error}\n'
                         f"    {read_sketch(sketch).splitlines()[error.line - 1].strip()}\n"
                         "Fix this line and build again.") from None


def node_modules() -> Path:
    """The folder where ``npm ci`` installed TensorFlow.js."""
    folder = REPO_DIR / "node_modules"
    needed = page_scripts.site_libraries(page_scripts.page_scripts(page_scripts.PARTS, None))
    if not all((folder / package_dir / name).is_file() for package_dir, name in needed):
        raise BuildError(
            f"TensorFlow.js is not installed in {folder}. Run `npm ci` in {REPO_DIR} "
            "(or `bash .ci/setup`) first."
        )
    return folder


def compile_sketch(sketch: Path, work: Path, cache: bool = True) -> tuple[Path, str]:
    """Compile the sketch and ml5py with Transcrypt; returns (target folder, module name).

    Only the models the sketch uses are compiled and loaded (``page_models.py``); the
    library comes compiled from the cache when an earlier build made it
    (``compile_cache.py``; ``cache=False`` compiles everything).
    """
    module = sketch.stem if sketch.stem.isidentifier() and sketch.stem not in page_models.GENERATED \
        else "sketch"
    source = work / f"{module}.py"
    shutil.copyfile(sketch, source)
    page_sources = page_models.write_page_modules(source, work)
    command = [sys.executable, "-m", "transcrypt", *TRANSCRYPT_FLAGS,
               "-xp", str(REPO_DIR).replace(" ", "#"), str(source)]
    target = work / "__target__"
    library = compile_cache.CompiledLibrary(compile_cache.key(command[1:-1], page_sources)) if cache else None
    restored = compile_cache.quietly(lambda: library.restore(target, module), []) if library else []
    # a fixed hash seed: the same sources give the same files (Transcrypt lists names from sets)
    environment = dict(os.environ, PYTHONHASHSEED="0")
    finished = subprocess.run(command, cwd=work, capture_output=True, text=True, env=environment)
    output = finished.stdout + finished.stderr
    if finished.returncode != 0 or "Error while compiling" in output or "Aborted" in output:
        from ml5py.tooling.transcrypt_errors import explain, source_line

        problem = explain(output, sketch, source, module)
        if problem.line is None:
            raise BuildError(problem.message + "\nRun with -v to see Transcrypt's own report.",
                             details=output.strip())
        text = source_line(sketch, problem.line)
        raise BuildError(f'File "{sketch.name}", line {problem.line}: {problem.message}\n'
                         f"    {text}\nFix this line and build again "
                         "(-v shows Transcrypt's own report).", details=output.strip())
    compile_cache.drop_unused(target, restored, page_sources)
    if library:
        compile_cache.quietly(lambda: library.store(target, work, page_sources), [])
    repair_star_imports(target)
    return target, module


def imported_modules(app: Path, main: str) -> tuple:
    """The file names of ``main`` and every module it imports, directly or not (sorted)."""
    import re

    found, waiting = set(), [main]
    while waiting:
        name = waiting.pop()
        if name in found or not (app / name).is_file():
            continue
        found.add(name)
        waiting.extend(re.findall(r"""from\s+['"]\./([^'"/]+\.js)['"]""", (app / name).read_text(encoding="utf-8")))
    return tuple(sorted(found))


def repair_star_imports(target: Path) -> None:
    """Fix the one kind of invalid JavaScript Transcrypt 3.9.5 writes: ``import {, a, b} from``.

    A ``from m import *`` whose alphabetically first name was already imported (say through
    another module that re-exports it) gets a leading comma. Only that comma is removed, so
    no line moves and the source maps stay right.
    """
    for module in target.glob("*.js"):
        text = module.read_text(encoding="utf-8")
        if "import {, " in text:
            module.write_text(text.replace("import {, ", "import {"), encoding="utf-8")


def models_config(models_url: str | None, models: list | None = None) -> dict:
    """The registry facts the page needs: those of the tasks ``models`` read (every model's
    when None), each model's once (``page_config.py``)."""
    from ml5py.tooling.page_config import page_config

    return page_config(models_url, models)


def page_html(title: str, module: str, scripts: list, app_modules: tuple = ()) -> str:
    """The page, running ``scripts`` ((npm folder, file) in ``lib/``) in order; ``app_modules``
    (the compiled modules' file names) are preloaded, so the browser fetches them all at once
    while TF.js starts, instead of one import level after another."""
    preloads = "".join(f'<link rel="modulepreload" href="app/{name}">\n  ' for name in app_modules)
    tags = preloads + "\n  ".join(f'<script src="lib/{name}"></script>' for _, name in scripts)
    if P5_LIBRARY in scripts:
        tags += "\n  " + P5_READY_FLAG
    template = (WEB_DIR / "index.html").read_text(encoding="utf-8")
    return template.replace("{title}", title).replace("{module}", module).replace("{scripts}", tags)


def _stderr_note(text: str) -> None:
    print(f"ml5py build: {text}", file=sys.stderr, flush=True)


def read_sketch(sketch: Path) -> str:
    """The sketch's text; a sketch that is not UTF-8 is named, with what to do."""
    try:
        return sketch.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise BuildError(f"{sketch.name} is not UTF-8 text (byte {error.object[error.start]:#04x} at "
                         f"position {error.start} is not UTF-8). Save it as UTF-8 in your editor "
                         "(\"Save with encoding\" or \"Encoding: UTF-8\") and build again.") from None
    except OSError as error:
        raise BuildError(f"Cannot read the sketch {sketch}: {error.strerror}.") from None


def build(sketch: str | Path, out: str | Path, models_url: str | None = None,
          backend: str | None = None, note: Callable[[str], None] | None = _stderr_note) -> Path:
    """Build ``sketch`` into the static site folder ``out`` and return that folder.

    ``models_url``: where the page fetches pretrained weights ("models/" when the dev
    server provides them, a mirror URL, or None for each model's upstream URL).
    ``backend``: force a TF.js backend ("webgpu", "webgl", "wasm", "cpu") instead of choosing.
    ``note``: told each file of the sketch's folder left out for a reason worth saying.
    The site is written beside ``out`` and takes its place when finished: a failed build
    leaves the old site as it was. See ``site_files`` for what is published.
    """
    sketch = Path(sketch).resolve()
    out = Path(os.path.abspath(os.fspath(out)))
    if not sketch.is_file():
        raise BuildError(f"There is no sketch file '{sketch}'. Give the path of a .py file.")
    read_sketch(sketch)
    check_syntax(sketch)
    check_python(sketch)
    modules = node_modules()
    try:
        site_files.check_output_folder(out, sketch)
        assets = site_files.published_files(sketch.parent, skip=[out], note=note)
    except site_files.SiteError as error:
        raise BuildError(str(error)) from None
    if models_url:
        models_url = models_url.rstrip("/") + "/"  # a base URL, with or without its final slash
    models = page_models.models_used(read_sketch(sketch))
    config = models_config(models_url, models)
    config["early_weights"] = page_config.early_weights(read_sketch(sketch), config)
    tfjs = page_scripts.page_scripts(page_scripts.parts_needed(models, read_sketch(sketch)), backend)
    with tempfile.TemporaryDirectory(prefix="ml5py-build-") as temporary:
        source, info = sketch_analysis.prepare(sketch, Path(temporary) / "p5-sketch")
        try:  # ml5.js habits refused at their line; the sketch made to wait for pending results
            source = straight_line.prepare(source, Path(temporary) / "p5-sketch")
        except straight_line.HabitError as error:
            raise BuildError(str(error)) from None
        target, module = compile_sketch(source, Path(temporary))
        straight_line.show_original(target / f"{module}.py", sketch)  # the page quotes the learner's lines
        scripts = tfjs + [P5_LIBRARY] if info.uses_p5 else tfjs
        if info.uses_p5_sound:
            scripts = scripts + [P5_SOUND_LIBRARY]
        if info.uses_p5 and not (modules / P5_LIBRARY[0] / P5_LIBRARY[1]).is_file():
            raise BuildError(f"{sketch.name} is a p5.js sketch, but p5.js is not installed in {modules}. "
                             f"Run `npm ci` in {REPO_DIR} (or `bash .ci/setup`) first.")
        out.parent.mkdir(parents=True, exist_ok=True)
        clean_debris(out)  # what a killed build left beside the site
        staging = Path(tempfile.mkdtemp(prefix=temporary_prefix(out), suffix=".tmp", dir=out.parent))
        try:
            os.chmod(staging, 0o777 & ~_umask())
            # (Transcrypt's .project file holds this machine's paths: the page never needs it)
            shutil.copytree(target, staging / "app", ignore=shutil.ignore_patterns("*.project"))
            _write_site(staging, sketch, module, scripts, modules, config, backend, assets)
            site_files.write_manifest(staging)
            move_into_place(staging, out)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return out


def _write_site(site: Path, sketch: Path, module: str, scripts: list, modules: Path, config: dict,
                backend: str | None, assets: list) -> None:
    """Everything beside the compiled app: libraries, page, configuration, the sketch's files.

    ``scripts``: the files the page runs (TF.js's first, ``page_scripts.py``); ``lib/`` also
    gets the backends the page loads only when chosen."""
    (site / "lib").mkdir()
    tfjs = [entry for entry in scripts if entry[0].startswith("@tensorflow/")]
    for package_dir, name in page_scripts.site_libraries(scripts):
        shutil.copy2(modules / package_dir / name, site / "lib" / name)
    for name in ("ml5py-page.js", "ml5py-page.css"):
        shutil.copy2(WEB_DIR / name, site / name)
    config.update({"lib_url": "lib/", "backend": backend, "sketch": sketch.name})
    config.update(page_scripts.config_facts(tfjs))
    config.update(_isolation_worker(site))
    (site / "ml5py-config.js").write_text(
        "window.ML5PY_CONFIG = " + json.dumps(config, separators=(",", ":")) + ";\n", encoding="utf-8")
    app_modules = imported_modules(site / "app", f"{module}.js")
    (site / "index.html").write_text(page_html(sketch.stem, module, scripts, app_modules), encoding="utf-8")
    for source, where in assets:
        destination = site / where
        if os.path.lexists(destination):
            raise BuildError(f"The sketch's folder holds '{where}', a name the site itself uses. "
                             "Rename it and build again.")
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)


def _isolation_worker(site: Path) -> dict:
    """Put the isolation service worker at the site's root (``isolation.py``); the page's config names it."""
    from ml5py.tooling.isolation import SERVICE_WORKER, service_worker_source

    shutil.copy2(service_worker_source(), site / SERVICE_WORKER)
    shutil.copy2(WEB_DIR / "ml5py-worker.js", site / "ml5py-worker.js")  # models in a worker (ml5py/worker/)
    return {"isolation_worker": SERVICE_WORKER, "worker_script": "ml5py-worker.js"}


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
