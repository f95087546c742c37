"""The ``ml5py`` command: build, serve, fetch.

    ml5py serve sketch.py          build the sketch and open it at http://127.0.0.1:8000/
    ml5py build sketch.py -o site  write a static site any web server can host
    ml5py fetch MobileNet          download a model now, for offline classrooms
    ml5py stylize scream *.jpg -o prints   repaint photos in a painting's style
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path


def _build(args: argparse.Namespace) -> int:
    import os

    from ml5py.tooling.build import build

    models_url = args.models
    mirror = os.environ.get("ML5PY_MODELS", "")
    if models_url is None and mirror.startswith(("http://", "https://")):
        models_url = mirror.rstrip("/") + "/"  # a web mirror serves the page too
    out = build(args.sketch, args.out, models_url=models_url, backend=args.backend)
    print(f"Built {args.sketch} into {out}")
    print("Host that folder with any static web server (pages must be served over http).")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from ml5py.tooling.server import make_server, url_of
    from ml5py.tooling.server_hosts import exposure_warning
    from ml5py.tooling.watch import LiveBuilder, Watcher

    sketch = Path(args.sketch)
    if not sketch.is_file():
        from ml5py.tooling.build import BuildError

        raise BuildError(f"There is no sketch file '{sketch.resolve()}'. Give the path of a .py file.")
    with tempfile.TemporaryDirectory(prefix="ml5py-site-") as work:
        server = _listen(make_server, Path(work), args)  # first: a busy port is said at once
        builder = LiveBuilder(sketch, Path(work), models_url="models/", backend=args.backend)
        watcher = None if args.no_reload else Watcher(sketch, lambda: rebuild())
        error = builder.build()
        server.live = builder.live
        print(f"Serving {args.sketch} at {url_of(server)}  (press Ctrl+C to stop)", flush=True)
        warning = exposure_warning(args.host, server.server_address[1])
        if warning:
            print(warning, file=sys.stderr, flush=True)
        if error:
            _report_build_error(error, builder, args.verbose)

        def rebuild() -> None:
            print(f"{sketch.name} changed: rebuilding...", flush=True)
            problem = builder.build()
            if problem:
                _report_build_error(problem, builder, args.verbose)
            else:
                print("Rebuilt: the page reloads by itself.", flush=True)

        if watcher:
            watcher.start()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("\nStopped.")
        finally:
            if watcher:
                watcher.stop()
            server.server_close()
    return 0


def _listen(make_server, site: Path, args: argparse.Namespace):
    """The dev server, listening; a busy port or an address that is not this computer's is explained."""
    import errno
    import socket

    from ml5py.tooling.build import BuildError

    try:
        return make_server(site, args.host, args.port, verbose=args.verbose)
    except socket.gaierror:
        raise BuildError(f"--host {args.host} is not an address this computer can listen on (it names no "
                         "address). Leave out --host to use 127.0.0.1 (this computer only), or use "
                         "--host 0.0.0.0 for every machine on the network.") from None
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise BuildError(f"Port {args.port} is already in use (is another ml5py serve running?). "
                             f"Stop that one, or pick another port: --port {args.port + 1}.") from None
        if error.errno == errno.EACCES:
            raise BuildError(f"Port {args.port} needs administrator rights on this computer: pick a port "
                             "from 1024 up, e.g. --port 8000.") from None
        if error.errno in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT):
            raise BuildError(f"--host {args.host} is not an address of this computer. Leave out --host "
                             "to use 127.0.0.1, or use --host 0.0.0.0 for every machine on the network.") from None
        raise


def _port(text: str) -> int:
    """argparse type for --port: a whole number from 0 (any free port) to 65535."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port: use a whole number from 1024 to 65535, "
                                         "e.g. --port 8000 (0 picks a free one)")
    return port


def _report_build_error(error: str, builder, verbose: bool) -> None:
    print(f"ml5py serve: {error}\n(the page shows this too; save a fix and it reloads)",
          file=sys.stderr, flush=True)
    if verbose and builder.details:
        print(f"\nTranscrypt's own report:\n{builder.details}", file=sys.stderr, flush=True)


def _fetch(args: argparse.Namespace) -> int:
    from ml5py.weights import registry
    from ml5py.weights.fetch import fetch

    names = args.names or (registry.model_names() if args.all else [])
    if not names:
        print("Name a model to download, e.g. `ml5py fetch MobileNet`, or use --all. "
              f"Models: {', '.join(registry.model_names())}", file=sys.stderr)
        return 2
    for name in names:
        fetch(name, progress=True)
    return 0


def _stylize(args: argparse.Namespace) -> int:
    from ml5py.tooling.stylize import stylize

    return stylize(args.style, args.inputs, args.out)


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="ml5py", description="Friendly machine learning for Python sketches.")
    commands = main.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="build a sketch into a static web site")
    build.add_argument("sketch", help="your sketch, e.g. sketch.py")
    build.add_argument("-o", "--out", default="site", help="output folder (default: site)")
    build.add_argument("--models", default=None,
                       help="base URL of a model mirror for the page (default: $ML5PY_MODELS if it "
                            "is a URL, else each model's upstream URL)")
    build.add_argument("--backend", choices=["webgpu", "webgl", "wasm", "cpu"], default=None,
                       help="force a TensorFlow.js backend (default: the best this browser has)")
    build.add_argument("-v", "--verbose", action="store_true",
                       help="on a compile error, also show Transcrypt's own report")
    build.set_defaults(run=_build)

    serve = commands.add_parser("serve", help="build a sketch and serve it on this computer")
    serve.add_argument("sketch", help="your sketch, e.g. sketch.py")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1, this computer only; 0.0.0.0 opens "
                            "the sketch to every machine on the network)")
    serve.add_argument("--port", type=_port, default=8000, help="port (default: 8000; 0 picks a free one)")
    serve.add_argument("--backend", choices=["webgpu", "webgl", "wasm", "cpu"], default=None)
    serve.add_argument("-v", "--verbose", action="store_true",
                       help="log every request (and show Transcrypt's own report on errors)")
    serve.add_argument("--no-reload", action="store_true",
                       help="do not rebuild and reload the page when the sketch changes")
    serve.set_defaults(run=_serve)

    fetch = commands.add_parser("fetch", help="download pretrained models now, for offline use")
    fetch.add_argument("names", nargs="*", help="model names, e.g. MobileNet")
    fetch.add_argument("--all", action="store_true", help="download every model in the registry")
    fetch.set_defaults(run=_fetch)

    stylize = commands.add_parser("stylize", help="repaint image files in the style of a painting")
    stylize.add_argument("style", help="a style name (e.g. scream, wave, udnie) or a checkpoint folder/URL")
    stylize.add_argument("inputs", nargs="+", metavar="INPUT", help="image files")
    stylize.add_argument("-o", "--out", default="stylized",
                         help="output folder (default: stylized); pictures are written as NAME_STYLE.png")
    stylize.set_defaults(run=_stylize)
    return main


def main(argv: list[str] | None = None) -> int:
    from ml5py.tooling.build import BuildError

    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except BuildError as error:
        print(f"ml5py {args.command}: {error}", file=sys.stderr)
        if getattr(args, "verbose", False) and error.details:
            print(f"\nTranscrypt's own report:\n{error.details}", file=sys.stderr)
        return 1
    except (OSError, ValueError) as error:
        print(f"ml5py {args.command}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
