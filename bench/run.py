"""ml5py benchmark: ms per classification in CPython and in the browser, against plain references.

    .venv/bin/python bench/run.py [--models MobileNet Darknet DoodleNet] [--backends wasm webgl]
                                  [--repeats N] [--webgl-repeats N] [--cpython-threads N]

Prints a table and writes bench/results/latest.json. See bench/README.md for what each
number means.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
MIRROR = REPO_DIR.parent / "shared" / "pretrained"
IMAGE = REPO_DIR.parent / "shared" / "images" / "bird.jpg"
RESULTS = BENCH_DIR / "results" / "latest.json"
MODELS = ["MobileNet", "Darknet", "DoodleNet"]
BACKENDS = ["wasm", "webgl"]
TARGET_BROWSER_RATIO = 1.10  # ml5py / raw TF.js
TARGET_CPYTHON_VS_WASM = 1.00  # CPython ml5py / browser wasm ml5py


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=MODELS, metavar="NAME",
                        help="registry model names (default: %(default)s)")
    parser.add_argument("--backends", nargs="*", default=BACKENDS, choices=BACKENDS,
                        help="TF.js backends to time in Chromium; none: CPython only (default: %(default)s)")
    parser.add_argument("--repeats", type=int, default=30,
                        help="timed classifications per side for CPython and wasm (default: %(default)s)")
    parser.add_argument("--webgl-repeats", type=int, default=20,
                        help="the same for webgl, which is SwiftShader software rendering here and "
                             "slow; never more than --repeats (default: %(default)s)")
    parser.add_argument("--warmup", type=int, default=5,
                        help="untimed classifications per side first (webgl: at most 3) (default: %(default)s)")
    parser.add_argument("--cpython-threads", type=int, default=None,
                        help="limit numpy's BLAS threads (default: OpenBLAS's own choice, all cores)")
    parser.add_argument("--image", type=Path, default=IMAGE, help="photo to classify (default: bird.jpg)")
    parser.add_argument("--json", type=Path, default=RESULTS, help="where to write the results")
    args = parser.parse_args(argv)
    if args.repeats < 1 or args.webgl_repeats < 1 or args.warmup < 0:
        parser.error("--repeats and --webgl-repeats must be at least 1, --warmup at least 0")
    return args


def set_up_environment(args: argparse.Namespace) -> None:
    """Weights from the shared mirror; BLAS threads fixed before numpy is imported."""
    if "ML5PY_MODELS" not in os.environ and MIRROR.is_dir():
        os.environ["ML5PY_MODELS"] = str(MIRROR)
    if args.cpython_threads:
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[name] = str(args.cpython_threads)
    for path in (str(BENCH_DIR), str(REPO_DIR)):
        if path not in sys.path:
            sys.path.insert(0, path)


def blas_info() -> str:
    import numpy as np

    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        name = f"{blas.get('name')} {blas.get('version', '')}".strip()
    except Exception:  # older numpy: no dict mode
        name = "BLAS"
    threads = os.environ.get("OPENBLAS_NUM_THREADS") or f"default ({os.cpu_count()} cores)"
    return f"numpy {np.__version__}, {name}, threads: {threads}"


def _ok(ratio: float, target: float) -> str:
    return "ok" if ratio <= target else "MISSED"


def _same(label_a: str, conf_a: float, label_b: str, conf_b: float) -> str:
    if label_a == label_b and abs(conf_a - conf_b) <= 1e-3:
        return f"same ({label_a.split(',')[0][:14]} {conf_a:.3f})"
    return f"DIFFER: {label_a[:14]} {conf_a:.3f} / {label_b[:14]} {conf_b:.3f}"


def table(report: dict) -> str:
    """The human-readable summary of ``report`` (the same dict that goes to JSON)."""
    meta = report["meta"]
    lines = [
        f"ml5py benchmark {meta['date']}: {meta['image']} ({meta['image_size']}), "
        "ms per classification, median after warm-up",
        f"machine: {meta['machine']}; load average {meta['load_before']:.2f} before, "
        f"{meta['load_after']:.2f} after",
        f"CPython: {meta['cpython']}",
    ]
    for backend, outcome in report["browser"].items():
        env = outcome["env"]
        extra = ""
        if backend == "wasm":
            extra = f"SIMD {env.get('wasm_simd')}, threads {env.get('wasm_threads')}"
        if backend == "webgl":
            extra = f"renderer {env.get('renderer')}"
        lines.append(f"browser {backend}: TF.js {env['tfjs_version']}, {extra}")
    if max(meta["load_before"], meta["load_after"]) > 1.0:
        lines.append("NOTE: the machine was busy with other work (load average > 1): absolute times are "
                     "noisy; the interleaved ratios are the robust part.")
    lines.append("")
    header = (f"{'model':<10} {'runtime':<14} {'n':>3} {'ml5py':>8} {'reference':>9} {'ratio':>6} "
              f"{'paired':>6}  {'target':<14} {'no-net':>7}  {'numTensors':<11} top-1")
    lines += [header, "-" * (len(header) + 24)]
    for name in meta["models"]:
        cp = report["cpython"].get(name)
        if cp:
            (label, conf), (ref_label, ref_conf) = cp["check"]["ml5py_top"][0], cp["check"]["reference_top"][0]
            lines.append(
                f"{name:<10} {'CPython numpy':<14} {len(cp['ml5py']['samples']):>3} "
                f"{cp['ml5py']['median']:>8.1f} {cp['reference']['median']:>9.1f} {cp['ratio']:>6.2f} "
                f"{cp['paired_ratio']:>6.2f}  {'(no target)':<14} {'':>7}  {'':<11} "
                f"{_same(label, conf, ref_label, ref_conf)}")
        for backend, outcome in report["browser"].items():
            result = next((r for r in outcome["results"] if r["model"] == name), None)
            if not result:
                continue
            label = f"browser {backend}" + ("*" if backend == "webgl" else "")
            tensors = f"{result['tensors_before']} -> {result['tensors_after']}"
            check = result["check"]
            lines.append(
                f"{name:<10} {label:<14} {len(result['ml5py']['samples']):>3} "
                f"{result['ml5py']['median']:>8.1f} {result['raw']['median']:>9.1f} {result['ratio']:>6.2f} "
                f"{result['paired_ratio']:>6.2f}  {'<= 1.10 ' + _ok(result['ratio'], TARGET_BROWSER_RATIO):<14} "
                f"{result['stub']['overhead_ms']:>7.2f}  {tensors:<11} "
                f"{_same(check['ml5py_label'], check['ml5py_confidence'], check['raw_label'], check['raw_confidence'])}")
    lines += [
        "",
        "reference: CPython = numpy preprocessing + LayersModel.predict + argsort, no ml5py wrapper;",
        "           browser = raw TF.js on the same page (loadLayersModel; tidy(fromPixels, preprocess,",
        "           predict); await data(); dispose).",
        "ratio = median(ml5py) / median(reference); paired = median of ml5py/reference over adjacent pairs.",
        "no-net = ml5py's extra ms per call with the network replaced by a stub (preprocessing ops,",
        "         promises, reading scores, top-k): what ml5py adds whatever the model.",
        "numTensors = tf.memory().numTensors before -> after the timed loop (equal: no leak).",
    ]
    if "webgl" in report["browser"]:
        lines.append("* webgl runs on SwiftShader (software rendering on the CPU) here: slow and noisy, "
                     "not what a real GPU does.")
    if report["cpython_vs_wasm"]:
        lines += ["", f"{'model':<10} {'CPython ml5py':>14} {'wasm ml5py':>11} {'ratio':>6}  target",
                  "-" * 52]
        for row in report["cpython_vs_wasm"]:
            lines.append(f"{row['model']:<10} {row['cpython_ms']:>14.1f} {row['wasm_ms']:>11.1f} "
                         f"{row['ratio']:>6.2f}  <= 1.00 {_ok(row['ratio'], TARGET_CPYTHON_VS_WASM)}")
    if report["cpython"]:
        lines += ["", "CPython, ms spent outside LayersModel.predict (median predict alone): " + "; ".join(
            f"{name}: predict {cp['predict_only']['median']:.1f}, "
            f"ml5py +{cp['ml5py']['median'] - cp['predict_only']['median']:.1f}, "
            f"reference +{cp['reference']['median'] - cp['predict_only']['median']:.1f}"
            for name, cp in report["cpython"].items())]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    set_up_environment(args)
    import cpython_bench  # after set_up_environment: numpy sees the thread limit
    from browser_bench import run_browser
    from PIL import Image

    started = time.monotonic()
    with Image.open(args.image) as picture:
        image_size = f"{picture.width}x{picture.height}"
    webgl_repeats = min(args.webgl_repeats, args.repeats)
    report: dict = {
        "meta": {
            "date": time.strftime("%Y-%m-%d %H:%M:%S"),
            "models": args.models,
            "backends": args.backends,
            "image": args.image.name,
            "image_size": image_size,
            "repeats": {"cpython": args.repeats, "wasm": args.repeats, "webgl": webgl_repeats},
            "warmup": {"cpython": args.warmup, "wasm": args.warmup, "webgl": min(args.warmup, 3)},
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}",
            "cpython": f"Python {platform.python_version()}, {blas_info()}",
            "models_from": os.environ.get("ML5PY_MODELS"),
            "load_before": os.getloadavg()[0],
        },
    }
    print("\n".join(report["meta"][key] for key in ("machine", "cpython")), flush=True)
    report["cpython"] = cpython_bench.run_cpython(
        args.models, str(args.image), args.repeats, args.warmup,
        progress=lambda line: print(line, flush=True))
    report["browser"], report["browser_error"] = {}, None
    if args.backends:
        try:
            report["browser"] = run_browser(
                args.models, args.backends, report["meta"]["repeats"], report["meta"]["warmup"],
                image=args.image, progress=lambda line: print("  " + line, flush=True))
        except Exception as error:  # keep the CPython half; say why the browser half is missing
            report["browser_error"] = f"{type(error).__name__}: {error}"
    report["cpython_vs_wasm"] = []
    if "wasm" in report["browser"]:
        for result in report["browser"]["wasm"]["results"]:
            cpython_ms = report["cpython"][result["model"]]["ml5py"]["median"]
            wasm_ms = result["ml5py"]["median"]
            report["cpython_vs_wasm"].append({"model": result["model"], "cpython_ms": cpython_ms,
                                              "wasm_ms": wasm_ms, "ratio": cpython_ms / wasm_ms})
    report["meta"]["load_after"] = os.getloadavg()[0]
    report["meta"]["seconds"] = round(time.monotonic() - started, 1)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    print()
    print(table(report))
    if report["browser_error"]:
        print(f"\nThe browser half failed: {report['browser_error']}")
    print(f"\n{report['meta']['seconds']:.0f} s; results written to {args.json}")
    return 1 if report["browser_error"] else 0


if __name__ == "__main__":
    sys.exit(main())
