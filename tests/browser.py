"""Headless Chromium for the browser tests: start it, open a page, wait for what it prints.

Chromium runs with a fresh profile and a resolver rule that keeps it on loopback, so the
tests never reach outside this machine.
"""
from __future__ import annotations

import shutil
import tempfile
import time
from contextlib import contextmanager
from typing import Iterator

CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--disable-quic", "--disable-dev-shm-usage",
    '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
    "--window-size=1024,768",
]


def chromium_binaries() -> tuple[str, str]:
    """Paths of chromium and chromedriver, or an error saying how to install them."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver = shutil.which("chromedriver")
    if not browser or not driver:
        raise RuntimeError(
            "Browser tests need Debian's chromium and chromium-driver: run `bash .ci/setup` "
            "(or apt-get install chromium chromium-driver)."
        )
    return browser, driver


@contextmanager
def chromium(extra_flags: list[str] | None = None) -> Iterator["object"]:
    """A Selenium WebDriver for headless Chromium with a throwaway profile."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver_path = chromium_binaries()
    profile = tempfile.mkdtemp(prefix="ml5py-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in CHROMIUM_FLAGS + list(extra_flags or []) + [f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_script_timeout(110)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def wait_for(driver, script: str, timeout: float = 240.0, interval: float = 0.25,
             error_fails: bool = True):
    """Poll ``script`` (JS returning a value) until it is truthy; fail with the page's state.

    An error the page shows fails at once, unless ``error_fails`` is False (a test that
    expects the page to show one while it waits for the sketch's own output).
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = driver.execute_script(script)
        if value:
            return value
        error = driver.execute_script(
            "var e = document.getElementById('ml5py-error'); return e && !e.hidden ? e.textContent : null;")
        if error and error_fails:
            raise AssertionError(f"The page shows an error: {error}")
        time.sleep(interval)
    state = driver.execute_script(
        "return {status: (document.getElementById('ml5py-status')||{}).textContent,"
        " output: (document.getElementById('ml5py-output')||{}).textContent}")
    raise AssertionError(f"Timed out after {timeout:.0f}s waiting for `{script}`; page state: {state}")


def printed_lines(driver) -> list[str]:
    """Lines the sketch printed (mirrored onto the page by ml5py-page.js)."""
    return list(driver.execute_script("return window.ml5py ? window.ml5py.lines : [];"))
