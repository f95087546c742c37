"""Write ml5py/p5_support/p5_names.py: every name p5.js puts in a global-mode sketch's scope.

    .venv/bin/python ml5py/p5_support/make_p5_names.py

Loads the pinned p5.js (node_modules/p5/lib/p5.min.js, from `npm ci`) in headless
Chromium, starts it in global mode and sorts the names it defines on `window` into
functions, constants and variables (the values p5 keeps up to date, such as mouseX). The
names of the event handlers a sketch may define are facts from the p5.js reference, listed here.
Run it again after changing the p5 version in package.json, and commit the result.
"""
from __future__ import annotations

import json
import sys
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
P5_DIR = REPO / "node_modules" / "p5"
OUT = REPO / "ml5py" / "p5_support" / "p5_names.py"

# The functions a sketch defines for p5 to call (p5.js 1.x reference, "Events" and "Structure").
EVENTS = [
    "preload", "setup", "draw",
    "mousePressed", "mouseReleased", "mouseClicked", "doubleClicked", "mouseMoved",
    "mouseDragged", "mouseWheel",
    "keyPressed", "keyReleased", "keyTyped",
    "touchStarted", "touchMoved", "touchEnded",
    "windowResized", "deviceMoved", "deviceTurned", "deviceShaken",
]

PAGE = """<!doctype html><html><head><script src="p5.min.js"></script></head><body><script>
var before = new Set(Object.getOwnPropertyNames(window));
window.setup = function () { noLoop(); };
window.addEventListener("load", function () { setTimeout(function () {
  var out = {functions: [], constants: [], variables: []};
  Object.getOwnPropertyNames(window).forEach(function (name) {
    if (before.has(name) || name.charAt(0) === "_" || name === "setup") return;
    if (typeof window[name] === "function") out.functions.push(name);
    else if (/^[A-Z][A-Z0-9_]*$/.test(name)) out.constants.push(name);  // PI, CENTER, VIDEO
    else out.variables.push(name);  // kept up to date by p5: mouseX, width, frameCount
  });
  // names the page already had that p5 replaces in global mode (print, ...)
  Object.getOwnPropertyNames(p5.prototype).forEach(function (name) {
    if (before.has(name) && name.charAt(0) !== "_" && name !== "constructor" &&
        typeof p5.prototype[name] === "function") out.functions.push(name);
  });
  out.version = p5.VERSION;
  window.names = out;
}, 100); });
</script></body></html>"""


def collect() -> dict:
    sys.path.insert(0, str(REPO / "tests"))
    from browser import chromium, wait_for

    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "index.html").write_text(PAGE)
        (Path(folder) / "p5.min.js").write_bytes((P5_DIR / "lib" / "p5.min.js").read_bytes())
        handler = partial(SimpleHTTPRequestHandler, directory=folder)
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            with chromium() as driver:
                driver.get(f"http://127.0.0.1:{server.server_address[1]}/index.html")
                return wait_for(driver, "return window.names", timeout=60)
        finally:
            server.shutdown()


def main() -> None:
    names = collect()
    package_version = json.loads((P5_DIR / "package.json").read_text())["version"]
    assert names["version"] == package_version, (names["version"], package_version)
    lines = [
        f'"""Names p5.js {package_version} defines for a global-mode sketch (made by ml5py/p5_support/make_p5_names.py)."""',
        "",
        f"P5_VERSION = {package_version!r}",
        "",
    ]
    for title, values in (("EVENTS", EVENTS), ("FUNCTIONS", names["functions"]),
                          ("CONSTANTS", names["constants"]), ("VARIABLES", names["variables"])):
        values = sorted(set(values)) if title != "EVENTS" else values
        lines.append(f"{title} = frozenset({{")
        row = "   "
        for value in values:
            item = f" {value!r},"
            if len(row) + len(item) > 95:
                lines.append(row)
                row = "   "
            row += item
        lines += [row, "})", ""]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {OUT}: {len(names['functions'])} functions, {len(names['constants'])} constants, "
          f"{len(names['variables'])} variables")


if __name__ == "__main__":
    main()
