"""``ml5py build``: turn a Python sketch into a static web site that runs it in the browser.

The sketch and the ml5py library are compiled to JavaScript modules by Transcrypt; the
pinned TensorFlow.js files (installed by ``npm ci``) are copied next to them, so the site
needs no CDN; so is the pinned p5.js, for sketches that use p5 (``sketch_analysis.py``).
Files beside the sketch (photos, a model folder) are copied too.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ml5py.tooling import compile_cache, page_models, sketch_analysis

PACKAGE_DIR = Path(__file__).resolve().parents[1]
REPO_DIR = PACKAGE_DIR.parent
WEB_DIR = PACKAGE_DIR / "web"
SITE_MARKER = ".ml5py-site"
# Transcrypt's switches for every build (part of the compile cache's key). No ``-b``: each build
# starts in a fresh folder, and the cached library (``compile_cache.py``) must not be wiped.
TRANSCRYPT_FLAGS = ["-m", "-n", "-o", "-k", "-ec", "-t", "-xr"]
SKIPPED_ASSETS = {"__pycache__", "__target__", "node_modules", ".venv", "venv", "site"}
LIBRARIES = [
    # (npm package folder, file) copied into lib/ of every site
    ("@tensorflow/tfjs/dist", "tf.min.js"),
    ("@tensorflow/tfjs-backend-wasm/dist", "tf-backend-wasm.min.js"),
    ("@tensorflow/tfjs-backend-wasm/dist", "tfjs-backend-wasm.wasm"),
    ("@tensorflow/tfjs-backend-wasm/dist", "tfjs-backend-wasm-simd.wasm"),
    ("@tensorflow/tfjs-backend-wasm/dist", "tfjs-backend-wasm-threaded-simd.wasm"),
]
P5_LIBRARY = ("p5/lib", "p5.min.js")  # only for sketches that use p5 (ml5py/sketch_analysis.py)
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

    source = sketch.read_text(encoding="utf-8")
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


def node_modules() -> Path:
    """The folder where ``npm ci`` installed TensorFlow.js."""
    folder = REPO_DIR / "node_modules"
    if not (folder / "@tensorflow" / "tfjs").is_dir():
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


def copy_assets(sketch_dir: Path, out: Path) -> None:
    """Copy what sits beside the sketch (photos, model folders), but no Python or build output."""
    out_resolved = out.resolve()
    for item in sketch_dir.iterdir():
        if item.name.startswith(".") or item.name in SKIPPED_ASSETS or item.suffix == ".py":
            continue
        if item.resolve() == out_resolved or out_resolved in item.resolve().parents:
            continue
        if item.is_dir():
            if (item / SITE_MARKER).exists():
                continue  # an earlier build's output
            shutil.copytree(item, out / item.name, dirs_exist_ok=True)
        else:
            shutil.copy2(item, out / item.name)


def prepare_out_dir(out: Path) -> None:
    """Empty ``out`` for a new build, refusing to wipe a folder ml5py did not make."""
    if out.exists():
        if any(out.iterdir()) and not (out / SITE_MARKER).exists():
            raise BuildError(
                f"The output folder {out} already holds files that ml5py did not build. "
                "Choose an empty or new folder with -o."
            )
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / SITE_MARKER).write_text("built by ml5py; safe to delete\n")


def page_html(title: str, module: str, libraries: list = LIBRARIES, app_modules: tuple = ()) -> str:
    """The page; ``app_modules`` (the compiled modules' file names) are preloaded, so the browser
    fetches them all at once while TF.js starts, instead of one import level after another."""
    preloads = "".join(f'<link rel="modulepreload" href="app/{name}">\n  ' for name in app_modules)
    scripts = preloads + "\n  ".join(f'<script src="lib/{name}"></script>'
                                     for _, name in libraries if name.endswith(".js"))
    if P5_LIBRARY in libraries:
        scripts += "\n  " + P5_READY_FLAG
    template = (WEB_DIR / "index.html").read_text(encoding="utf-8")
    return template.replace("{title}", title).replace("{module}", module).replace("{scripts}", scripts)


def build(sketch: str | Path, out: str | Path, models_url: str | None = None,
          backend: str | None = None) -> Path:
    """Build ``sketch`` into the static site folder ``out`` and return that folder.

    ``models_url``: where the page fetches pretrained weights ("models/" when the dev
    server provides them, a mirror URL, or None for each model's upstream URL).
    ``backend``: force a TF.js backend ("webgl", "wasm", "cpu") instead of choosing.
    """
    sketch = Path(sketch).resolve()
    out = Path(out).resolve()
    if not sketch.is_file():
        raise BuildError(f"There is no sketch file '{sketch}'. Give the path of a .py file.")
    check_syntax(sketch)
    modules = node_modules()
    config = models_config(models_url, page_models.models_used(sketch.read_text(encoding="utf-8")))
    with tempfile.TemporaryDirectory(prefix="ml5py-build-") as temporary:
        source, info = sketch_analysis.prepare(sketch, Path(temporary) / "p5-sketch")
        target, module = compile_sketch(source, Path(temporary))
        prepare_out_dir(out)
        # (Transcrypt's .project file holds this machine's paths: the page never needs it)
        shutil.copytree(target, out / "app", ignore=shutil.ignore_patterns("*.project"))
    libraries = LIBRARIES + [P5_LIBRARY] if info.uses_p5 else LIBRARIES
    if info.uses_p5 and not (modules / P5_LIBRARY[0] / P5_LIBRARY[1]).is_file():
        raise BuildError(f"{sketch.name} is a p5.js sketch, but p5.js is not installed in {modules}. "
                         f"Run `npm ci` in {REPO_DIR} (or `bash .ci/setup`) first.")
    (out / "lib").mkdir()
    for package_dir, name in libraries:
        shutil.copy2(modules / package_dir / name, out / "lib" / name)
    for name in ("ml5py-page.js", "ml5py-page.css"):
        shutil.copy2(WEB_DIR / name, out / name)
    config.update({"lib_url": "lib/", "backend": backend, "sketch": sketch.name})
    (out / "ml5py-config.js").write_text(
        "window.ML5PY_CONFIG = " + json.dumps(config, separators=(",", ":")) + ";\n", encoding="utf-8")
    app_modules = imported_modules(out / "app", f"{module}.js")
    (out / "index.html").write_text(page_html(sketch.stem, module, libraries, app_modules), encoding="utf-8")
    copy_assets(sketch.parent, out)
    return out
