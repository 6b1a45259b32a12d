"""Run the real `attempt-tui` in a pseudo-terminal against a real HTTP server, and read back
every byte it writes; pyte keeps the visible screen.

`tests.served.ServedInThread` serves the hostile API with uvicorn on a free localhost port.
`PtyApp` starts `python -m attempt_tui ...` on a new pty (TERM=xterm-256color, fixed size),
sends keys, waits for screen text, and always kills the child (by its own pid) on close.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import pyte

KEYS: dict[str, bytes] = {
    "enter": b"\r",
    "tab": b"\t",
    "shift+tab": b"\x1b[Z",
    "escape": b"\x1b",
    "up": b"\x1b[A",
    "down": b"\x1b[B",
    "right": b"\x1b[C",
    "left": b"\x1b[D",
    "ctrl+p": b"\x10",
    "ctrl+r": b"\x12",
    "backspace": b"\x7f",
}


class PtyApp:
    """The app on a pty: `output` is every byte it wrote, `screen` what a terminal shows."""

    def __init__(
        self,
        args: list[str],
        env: Mapping[str, str],
        *,
        cwd: Path,
        size: tuple[int, int] = (120, 40),
    ) -> None:
        columns, rows = size
        self.output = bytearray()
        self.screen = pyte.Screen(columns, rows)
        self._stream = pyte.ByteStream(self.screen)
        self._lock = threading.Lock()
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self._master = master
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "attempt_tui", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=dict(env),
            cwd=cwd,
            start_new_session=True,  # its own process group, so close() can end all of it
            close_fds=True,
        )
        os.close(slave)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self._master], [], [], 0.1)
                if not ready:
                    if self.proc.poll() is not None:
                        return
                    continue
                chunk = os.read(self._master, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self._lock:
                self.output.extend(chunk)
                self._stream.feed(chunk)

    def text(self) -> str:
        with self._lock:
            return "\n".join(self.screen.display)

    def send(self, *keys: str) -> None:
        for key in keys:
            os.write(self._master, KEYS.get(key, key.encode()))
            # A lone ESC is only a key once no sequence follows it.
            time.sleep(0.25 if key == "escape" else 0.05)

    def wait_for(
        self, check: str | Callable[[str], bool], timeout: float = 20.0, what: str = ""
    ) -> str:
        """Wait until the visible screen contains `check` (or `check(screen)` is true)."""
        predicate = check if callable(check) else (lambda screen: check in screen)
        waited = 0.0  # sleep asked for, not time passed: a busy machine's waits do not count
        while True:
            screen = self.text()
            if predicate(screen):
                return screen
            if self.proc.poll() is not None:
                raise AssertionError(
                    f"the app exited ({self.proc.returncode}) waiting for {what or check!r}:\n"
                    f"{screen}\n{bytes(self.output[-2000:])!r}"
                )
            if waited > timeout:
                raise AssertionError(f"timed out waiting for {what or check!r}; screen:\n{screen}")
            time.sleep(0.05)
            waited += 0.05

    def settle(self, quiet: float = 0.2, timeout: float = 10.0) -> None:
        """Wait until the app has written nothing for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        last = -1
        since = time.monotonic()
        while time.monotonic() < deadline:
            size = len(self.output)
            if size != last:
                last, since = size, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return
            time.sleep(0.05)

    def quit(self, timeout: float = 5.0, tries: int = 3) -> int | None:
        """Press q (after escape, should a dialog still be open); the exit code, or None."""
        for _ in range(tries):
            self.send("q")
            try:
                return self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.send("escape")
        return None

    def close(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        self._reader.join(timeout=5)
        os.close(self._master)
