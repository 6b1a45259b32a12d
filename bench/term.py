"""A program in a real pseudo-terminal: count the bytes it writes, read its screen with pyte."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import termios
import time
from collections.abc import Callable, Mapping, Sequence

import pyte

COLUMNS, LINES = 120, 40


class Timeout(Exception):
    """A wait on the screen ran out of time."""


class PtySession:
    """One child process on its own pty, in its own session (so its group can be killed).

    Every chunk read from the terminal is stamped with `time.perf_counter()` as soon as it
    is read; screen predicates are evaluated after whole batches, and a wait reports the
    stamp of the batch that made the predicate true (an upper bound of the paint time).
    """

    def __init__(
        self,
        argv: Sequence[str],
        *,
        env: Mapping[str, str],
        cwd: str | None = None,
        columns: int = COLUMNS,
        lines: int = LINES,
    ) -> None:
        self.columns, self.lines = columns, lines
        self.screen = pyte.Screen(columns, lines)
        self.stream = pyte.ByteStream(self.screen)
        self.bytes_total = 0
        self.chunks: list[tuple[float, int]] = []  # (stamp, size) of every read
        self.exit_status: int | None = None
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # child: size the terminal before exec, so the first frame is right
            try:
                winsize = struct.pack("HHHH", lines, columns, 0, 0)
                fcntl.ioctl(0, termios.TIOCSWINSZ, winsize)
                if cwd:
                    os.chdir(cwd)
                os.execve(argv[0], list(argv), dict(env))
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        os.set_blocking(fd, False)

    # ------------------------------------------------------------------ reading

    def _read_batch(self, timeout: float) -> tuple[bytes, float] | None:
        """Everything readable within `timeout` s, with the stamp of its last chunk."""
        ready, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if not ready:
            return None
        data = bytearray()
        stamp = time.perf_counter()
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except BlockingIOError:
                break
            except OSError:  # EIO: the child closed the terminal
                if not data:
                    raise EOFError from None
                break
            if not chunk:
                if not data:
                    raise EOFError
                break
            stamp = time.perf_counter()
            self.chunks.append((stamp, len(chunk)))
            data += chunk
        self.bytes_total += len(data)
        return bytes(data), stamp

    def pump(self, seconds: float) -> None:
        """Read and render for `seconds`."""
        end = time.perf_counter() + seconds
        while (left := end - time.perf_counter()) > 0:
            try:
                batch = self._read_batch(left)
            except EOFError:
                return
            if batch is not None:
                self.stream.feed(batch[0])

    def wait_for(self, predicate: Callable[[], bool], timeout: float, what: str = "") -> float:
        """Read until `predicate()` holds; return the perf_counter stamp when it first held."""
        if predicate():
            return time.perf_counter()
        end = time.perf_counter() + timeout
        while (left := end - time.perf_counter()) > 0:
            try:
                batch = self._read_batch(left)
            except EOFError:
                raise Timeout(f"program exited while waiting for {what or 'the screen'}") from None
            if batch is None:
                continue
            data, stamp = batch
            self.stream.feed(data)
            if predicate():
                return stamp
        raise Timeout(f"timed out after {timeout:g} s waiting for {what or 'the screen'}")

    def wait_text(self, text: str, timeout: float) -> float:
        return self.wait_for(lambda: self.contains(text), timeout, repr(text))

    def quiet(self, gap: float, timeout: float) -> bool:
        """Read until nothing is written for `gap` seconds (True) or `timeout` passes."""
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            try:
                batch = self._read_batch(min(gap, end - time.perf_counter()))
            except EOFError:
                return True
            if batch is None:
                return True
            self.stream.feed(batch[0])
        return False

    # ------------------------------------------------------------------ screen

    def lines_text(self) -> list[str]:
        return list(self.screen.display)

    def contains(self, text: str) -> bool:
        return any(text in line for line in self.screen.display)

    def line_backgrounds(self, row: int) -> list[str]:
        line = self.screen.buffer[row]
        return [line[x].bg for x in range(self.columns)]

    # ------------------------------------------------------------------ writing

    def send(self, keys: str | bytes) -> float:
        """Write keys to the program; returns the perf_counter stamp just before the write."""
        data = keys.encode() if isinstance(keys, str) else keys
        stamp = time.perf_counter()
        os.write(self.fd, data)
        return stamp

    # ------------------------------------------------------------------ ending

    def alive(self) -> bool:
        if self.exit_status is not None:
            return False
        pid, status = os.waitpid(self.pid, os.WNOHANG)
        if pid == 0:
            return True
        self.exit_status = status
        return False

    def rss_kb(self) -> int:
        """VmRSS of the child process, in KiB."""
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise RuntimeError("no VmRSS line")

    def close(self, quit_keys: str | None = "q", grace: float = 3.0) -> None:
        """Quit with `quit_keys`, then SIGTERM and SIGKILL the process group if needed."""
        try:
            if quit_keys and self.alive():
                with contextlib.suppress(OSError):
                    self.send(quit_keys)
                end = time.perf_counter() + grace
                while self.alive() and time.perf_counter() < end:
                    self.pump(0.05)
            for sig in (signal.SIGTERM, signal.SIGKILL):
                if not self.alive():
                    break
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.pid, sig)
                end = time.perf_counter() + 1.0
                while self.alive() and time.perf_counter() < end:
                    time.sleep(0.02)
            # The group may outlive its leader (e.g. a grandchild); make sure it is gone.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, signal.SIGKILL)
        finally:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            if self.exit_status is None:
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(self.pid, 0)

    def __enter__(self) -> PtySession:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
