"""``ml5py serve`` rebuilds on save and the page reloads by itself; build errors show on it.

One ``ml5py serve`` process (as a learner starts it) and the session's headless Chromium:
edit the sketch, break it, fix it, and watch the page follow. A static site from
``ml5py build`` must not poll anything.
"""
from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import page_state, write_sketch

RELOAD_TIMEOUT = 60.0


def start_serve(sketch: Path) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "ml5py.tooling.cli", "serve", str(sketch), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first_line = process.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:\d+/", first_line)
    if not match:
        process.kill()
        raise AssertionError(f"ml5py serve printed {first_line!r}; stderr: {process.stderr.read()}")
    return process, match.group(0)


def get(url: str, path: str) -> tuple[int, bytes]:
    host, port = url.split("//")[1].rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wait_until(driver, check, what: str, timeout: float = RELOAD_TIMEOUT) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = page_state(driver)
        except Exception:  # the page is reloading right now
            state = None
        if state is not None and check(state):
            return state
        time.sleep(0.2)
    raise AssertionError(f"Timed out waiting for {what}; page state: {page_state(driver)}")


def save(sketch: Path, source: str) -> None:
    sketch.write_text(source, encoding="utf-8")


@pytest.mark.browser
def test_serve_rebuilds_on_save_and_shows_build_errors_on_the_page(driver, tmp_path):
    sketch = write_sketch(tmp_path / "live", 'print("version 1")\n')
    process, url = start_serve(sketch)
    try:
        status, body = get(url, "/__ml5py__/version")
        assert status == 200 and json.loads(body) == {"version": 1, "error": None}

        driver.get(url)
        wait_until(driver, lambda s: s["lines"] == ["version 1"], "the first build's output")
        driver.execute_script("window.same_page = true;")

        save(sketch, 'message = "version 2"\nprint(message)\n')
        state = wait_until(driver, lambda s: s["lines"] == ["version 2"], "the page to reload")
        assert driver.execute_script("return window.same_page === undefined"), "the page did not reload"
        assert state["error"] == ""

        # a broken save: the page keeps running and shows where; the server stays up
        save(sketch, 'message = "version 3"\n\nprint(message\nprint("done")\n')
        state = wait_until(driver, lambda s: "could not build" in s["error"], "the build error")
        assert 'File "sketch.py", line 3' in state["error"] or 'line 4' in state["error"], state
        assert "reloads by itself" in state["error"], state
        assert process.poll() is None, "ml5py serve stopped on a build error"
        assert json.loads(get(url, "/__ml5py__/version")[1])["error"]

        # an error only Transcrypt finds is shown the same way
        save(sketch, 'first, *rest = [1, 2, 3]\nprint(first)\n')
        state = wait_until(driver, lambda s: 'File "sketch.py", line 1' in s["error"],
                           "the Transcrypt error")
        assert "rest = items[1:]" in state["error"], state

        save(sketch, 'print("version 3")\n')
        state = wait_until(driver, lambda s: s["lines"] == ["version 3"], "the fixed sketch")
        assert state["error"] == "", state
    finally:
        process.terminate()
        process.wait(timeout=30)
    output = process.stdout.read()
    assert "rebuilding" in output and "Rebuilt" in output, output


def test_serve_starts_even_when_the_first_build_fails(tmp_path):
    sketch = write_sketch(tmp_path / "broken", 'print("oops"\n')
    process, url = start_serve(sketch)
    try:
        state = json.loads(get(url, "/__ml5py__/version")[1])
        assert 'File "sketch.py", line 1' in state["error"], state
        status, page = get(url, "/")
        assert status == 200 and b"ml5py.live(" in page and b'id="ml5py-error"' in page
        save(sketch, 'print("fixed")\n')
        deadline = time.monotonic() + RELOAD_TIMEOUT
        while time.monotonic() < deadline and json.loads(get(url, "/__ml5py__/version")[1])["error"]:
            time.sleep(0.2)
        state = json.loads(get(url, "/__ml5py__/version")[1])
        assert state == {"version": 2, "error": None}, state
        assert b"app/sketch.js" in get(url, "/")[1]
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert "line 1" in process.stderr.read()


def test_a_static_site_does_not_poll(example_site):
    from browser_behaviour_helpers import raw_get

    status, _, body = raw_get(example_site.server, "/")
    assert status == 200 and b"__ml5py__" not in body and b"ml5py.live(" not in body
    assert raw_get(example_site.server, "/__ml5py__/version")[0] == 404
    assert b"__ml5py__" not in (example_site.out / "index.html").read_bytes()


def test_live_site_switches_folders_whole_and_keeps_the_last_good_one(tmp_path):
    from ml5py.tooling.server import LiveSite, make_server, url_of

    first, second = tmp_path / "site-1", tmp_path / "site-2"
    for folder, text in [(first, "one"), (second, "two")]:
        folder.mkdir()
        (folder / "index.html").write_text(f"<html><body><p>{text}</p></body></html>")
        (folder / f"only-in-{text}.txt").write_text(text)
    live = LiveSite(first)
    live.publish(root=first)
    server = make_server(first, port=0, live=live)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = url_of(server)
    try:
        status, page = get(url, "/")
        assert status == 200 and b"<p>one</p>" in page
        assert page.index(b"ml5py.live(") < page.index(b"</body>")  # injected in the body
        assert b'"version": 1' in page

        live.publish(error='File "sketch.py", line 2: oops')  # a failed build: same site
        assert get(url, "/only-in-one.txt") == (200, b"one")
        assert json.loads(get(url, "/__ml5py__/version")[1]) == {
            "version": 2, "error": 'File "sketch.py", line 2: oops'}

        live.publish(root=second)  # a finished build: all of it at once
        assert get(url, "/only-in-one.txt")[0] == 404
        assert get(url, "/only-in-two.txt") == (200, b"two")
        assert json.loads(get(url, "/__ml5py__/version")[1]) == {"version": 3, "error": None}
    finally:
        server.shutdown()
        server.server_close()


def test_a_waiting_page_hears_of_the_next_build_when_it_is_published(tmp_path):
    """The page's long poll: ``?after=N`` answers as soon as build N+1 is published, not before."""
    from ml5py.tooling.server import LiveSite, make_server, url_of

    (tmp_path / "index.html").write_text("<html><body></body></html>")
    live = LiveSite(tmp_path)
    live.publish(root=tmp_path)
    server = make_server(tmp_path, port=0, live=live)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = url_of(server)
    answers = []
    waiting = threading.Thread(target=lambda: answers.append(get(url, "/__ml5py__/version?after=1")))
    try:
        assert json.loads(get(url, "/__ml5py__/version?after=0")[1])["version"] == 1  # newer already: at once
        waiting.start()
        waiting.join(0.5)
        assert waiting.is_alive() and not answers, "answered before a new build was published"
        live.publish(error="line 3: oops")
        waiting.join(30)
        assert answers and json.loads(answers[0][1]) == {"version": 2, "error": "line 3: oops"}
    finally:
        server.shutdown()
        server.server_close()
