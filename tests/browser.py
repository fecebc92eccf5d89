"""Headless Chromium for the HTML tests and docs/screenshots.py: Debian's ``chromium``, driven by Playwright.

Playwright's own browser download is never used: the system browser is launched, with the
flags it needs as root on a machine with no network.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from typing import Any

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    """The system Chromium (``BIDCHECK_CHROMIUM``, else ``chromium`` on PATH), or None."""
    return os.environ.get("BIDCHECK_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def why_no_browser() -> str | None:
    """Why no browser can run here (to skip with), or None when one can."""
    if chromium_path() is None:
        return "no Chromium here: install Debian's chromium package (apt-get install -y chromium; .ci/run does)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright's Python client is not installed: pip install -e '.[test]'"
    return None


@contextlib.contextmanager
def open_browser() -> Iterator[Any]:
    """A launched headless Chromium (a Playwright ``Browser``), closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def read_page(browser: Any, page_file: Any, script: str) -> tuple[Any, list[str]]:
    """Open ``page_file`` (a Path) in ``browser``; what ``script`` (a JS function) reads from its DOM, and
    everything that went wrong loading it (console errors and warnings, uncaught exceptions, dialogs,
    requests for anything but the page itself)."""
    page = browser.new_page()
    faults: list[str] = []
    page.on("console", lambda message: faults.append(f"console {message.type}: {message.text}") if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: faults.append(f"page error: {error}"))
    page.on("dialog", lambda dialog: (faults.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on("request", lambda request: faults.append(f"request: {request.url}") if request.url != page_file.as_uri() else None)
    page.goto(page_file.as_uri())
    page.wait_for_load_state("load")
    seen = page.evaluate(script)
    page.close()
    return seen, faults
