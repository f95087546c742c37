"""Shared by the browser behaviour tests (and test_serve_reload): waiting for a page's error
box, and a raw GET to the dev server."""
from __future__ import annotations

import http.client
import time

from conftest import PAGE_TIMEOUT, page_state


def wait_for_error(driver, url: str, lines: int = 0, timeout: float = PAGE_TIMEOUT):
    """Open ``url``; wait until the page's error box shows and ``lines`` lines are printed."""

    driver.get(url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = page_state(driver)
        if state["error"] and len(state["lines"]) >= lines:
            return state["lines"], state["error"]
        time.sleep(0.25)
    raise AssertionError(f"Timed out waiting for an error on the page; page state: {page_state(driver)}")


def raw_get(server, path: str):
    """GET ``path`` exactly as written (no client-side normalisation): (status, headers, body)."""
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", f"{host}:{port}")
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()
