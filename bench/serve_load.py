"""The dev server under a classroom's load: ml5py's server against http.server's defaults.

    .venv/bin/python bench/serve_load.py [--requests 200] [--rounds 3]

Each round sends ``--requests`` simultaneous GETs (loopback, one thread per client, 60 s
timeout each) for a 2.4 MB weight shard (``/models/...``, from $ML5PY_MODELS or the shared
mirror) and for a 10 MB file of the site, to ml5py's server and to the reference: the same
handler on a plain ``ThreadingHTTPServer`` (listen backlog 5, what ml5py had before the reliability work).
Servers are measured interleaved (ml5py, reference, reference, ml5py...). Printed: seconds
until the last answer, and how many requests failed (resets, timeouts). Load average beside.
"""
from __future__ import annotations

import argparse
import http.client
import os
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("ML5PY_MODELS", str(REPO.parent / "shared" / "pretrained"))

from ml5py.tooling.server import make_server  # noqa: E402

SHARD = "/models/bodypix/mobilenet/float/050/group1-shard1of1.bin"


def reference_server(site: Path) -> ThreadingHTTPServer:
    """ml5py's handler on http.server's own threading server (backlog 5, no idle timeout)."""
    ours = make_server(site, port=0)
    handler = ours.RequestHandlerClass
    ours.server_close()
    plain = type("PlainHandler", (handler,), {"timeout": None})
    server = ThreadingHTTPServer(("127.0.0.1", 0), plain)
    server.daemon_threads = True
    return server


def one_get(port: int, path: str) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("GET", path)
        response = connection.getresponse()
        while response.read(1 << 16):
            pass
        connection.close()
        return response.status == 200
    except Exception:  # a reset or a timeout: counted as a failure
        return False


def load(port: int, path: str, count: int) -> tuple:
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=count) as pool:
        answers = list(pool.map(lambda _: one_get(port, path), range(count)))
    return time.monotonic() - started, answers.count(False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder)
        (site / "big.bin").write_bytes(os.urandom(10 * 1024 * 1024))
        servers = {"ml5py": make_server(site, port=0), "reference": reference_server(site)}
        for server in servers.values():
            threading.Thread(target=server.serve_forever, daemon=True).start()
        for path, label in ((SHARD, "2.4 MB weight shard"), ("/big.bin", "10 MB asset")):
            results = {name: [] for name in servers}
            for round_number in range(options.rounds):
                order = list(servers) if round_number % 2 == 0 else list(reversed(servers))
                for name in order:
                    results[name].append(load(servers[name].server_address[1], path, options.requests))
            line = [f"{options.requests} parallel GETs of the {label}:"]
            for name, runs in results.items():
                seconds = statistics.median(run[0] for run in runs)
                failed = sum(run[1] for run in runs)
                line.append(f"{name} {seconds:.2f} s (median of {len(runs)}), {failed} of "
                            f"{len(runs) * options.requests} failed;")
            ours = statistics.median(r[0] for r in results["ml5py"])
            theirs = statistics.median(r[0] for r in results["reference"])
            line.append(f"ratio ml5py/reference {ours / theirs:.2f} (load average {os.getloadavg()[0]:.2f})")
            print(" ".join(line), flush=True)
        for server in servers.values():
            server.shutdown()
            server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
