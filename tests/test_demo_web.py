"""`attempt-tui demo-web` driven in headless Chromium: message rows render and keys reach the app.

Needs textual-serve (the web extra), playwright (the test extra; it drives Debian's chromium, it
downloads no browser) and Debian's `chromium` package, which `.ci/run` installs. Without one of
them the test is skipped with a reason that says which, shown in the run's summary (-rs).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from tests.conftest import repo_root

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# As root on a machine with no network: no sandbox, no GPU, no background connections; no
# WebGL, so xterm.js draws its rows as DOM text the test can read instead of on a canvas.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-3d-apis",
    "--disable-webgl",
]
WAIT_MS = 90_000  # a ceiling for a loaded machine, not a measurement
ROWS_JS = "(document.querySelector('.xterm-rows') || {innerText: ''}).innerText"


def _not_runnable() -> str | None:
    if importlib.util.find_spec("textual_serve") is None:
        return "textual-serve (the web extra) is not installed: pip install -e '.[test]'"
    if importlib.util.find_spec("playwright") is None:
        return "playwright (the test extra) is not installed: pip install -e '.[test]'"
    if not os.path.exists(CHROMIUM):
        return (
            f"Debian's chromium is not installed ({CHROMIUM} is missing): "
            "apt-get install chromium (.ci/run does)"
        )
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + WAIT_MS / 1000
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"demo-web exited with {server.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"demo-web did not listen on port {port}")


@pytest.fixture
def demo_web_url() -> Iterator[str]:
    reason = _not_runnable()
    if reason is not None:
        pytest.skip(f"NOT RUN: {reason}")
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(repo_root()))
    server = subprocess.Popen(
        [sys.executable, "-m", "attempt_tui", "demo-web", "--port", str(port)],
        cwd=repo_root(),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own group: the demo processes it starts end with it
    )
    try:
        _wait_for_port(port, server)
        yield f"http://127.0.0.1:{port}/"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@pytest.mark.long
def test_the_demo_renders_message_rows_in_chromium_and_takes_keys(demo_web_url: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(demo_web_url)

            def shows(text: str) -> None:
                page.wait_for_function(f"{ROWS_JS}.includes({text!r})", timeout=WAIT_MS)

            # The demo opens on its failing endpoint, a failure highlighted.
            page.wait_for_function(
                f"/(pending|fail|success).*(msg_|evt_)/.test({ROWS_JS})", timeout=WAIT_MS
            )
            shows("Page 1 · 50 messages")
            page.locator(".xterm-helper-textarea").focus()
            page.keyboard.press("?")
            shows("Keys · escape closes")
            page.keyboard.press("Escape")
            page.wait_for_function(f"!{ROWS_JS}.includes('Keys · escape closes')", timeout=WAIT_MS)
        finally:
            browser.close()
