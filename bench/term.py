"""A program in a real pseudo-terminal: count the bytes it writes, read its screen with pyte."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import queue
import select
import signal
import struct
import termios
import threading
import time
from collections.abc import Callable, Mapping, Sequence

import pyte

COLUMNS, LINES = 120, 40
_EOF = b""


class Timeout(Exception):
    """A wait on the screen ran out of time."""


class PtySession:
    """One child process on its own pty, in its own session (so its group can be killed).

    A reader thread drains the terminal and stamps every chunk with `time.perf_counter()`
    the moment it is read, so the stamps do not include the time pyte takes to render
    (the thread only waits for the GIL, at most a switch interval). The caller's thread
    feeds the chunks to pyte in order and checks predicates after each chunk; a wait
    returns the stamp of the chunk after which the predicate first held.
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
        self.bytes_total = 0  # bytes read from the terminal so far (by the reader thread)
        self.chunks: list[tuple[float, int]] = []  # (stamp, size) of every read
        self.exit_status: int | None = None
        self.eof = False
        self._queue: queue.SimpleQueue[tuple[float, bytes]] = queue.SimpleQueue()
        self._stop = threading.Event()
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
        self._reader = threading.Thread(target=self._read_loop, name="pty-reader", daemon=True)
        self._reader.start()

    # ------------------------------------------------------------------ reading

    def _read_loop(self) -> None:
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([self.fd], [], [], 0.1)
                if not ready:
                    continue
                chunk = os.read(self.fd, 65536)
            except BlockingIOError:
                continue
            except (OSError, ValueError):  # EIO once the child is gone, EBADF once closed
                chunk = _EOF
            stamp = time.perf_counter()
            if chunk:
                self.chunks.append((stamp, len(chunk)))
                self.bytes_total += len(chunk)
            self._queue.put((stamp, chunk))
            if not chunk:
                return

    def _next(self, timeout: float) -> tuple[float, bytes] | None:
        """The next chunk (fed to the screen), or None after `timeout`; EOFError at the end."""
        if self.eof:
            raise EOFError
        try:
            stamp, chunk = self._queue.get(timeout=max(0.0, timeout))
        except queue.Empty:
            return None
        if not chunk:
            self.eof = True
            raise EOFError
        self.stream.feed(chunk)
        return stamp, chunk

    def pump(self, seconds: float) -> None:
        """Read and render for `seconds`."""
        end = time.perf_counter() + seconds
        while (left := end - time.perf_counter()) > 0:
            try:
                self._next(left)
            except EOFError:
                time.sleep(max(0.0, end - time.perf_counter()))
                return
        self.drain()

    def drain(self) -> None:
        """Render whatever has been read already."""
        with contextlib.suppress(EOFError):
            while self._next(0) is not None:
                pass

    def wait_for(self, predicate: Callable[[], bool], timeout: float, what: str = "") -> float:
        """Read until `predicate()` holds; return the stamp of the chunk that made it hold."""
        self.drain()
        if predicate():
            return time.perf_counter()
        end = time.perf_counter() + timeout
        while (left := end - time.perf_counter()) > 0:
            try:
                got = self._next(left)
            except EOFError:
                raise Timeout(
                    f"program exited while waiting for {what or 'the screen'}; screen:\n"
                    + self.dump()
                ) from None
            if got is not None and predicate():
                return got[0]
        raise Timeout(
            f"timed out after {timeout:g} s waiting for {what or 'the screen'}; screen:\n"
            + self.dump()
        )

    def wait_text(self, text: str, timeout: float) -> float:
        return self.wait_for(lambda: self.contains(text), timeout, repr(text))

    def quiet(self, gap: float, timeout: float) -> bool:
        """Read until nothing is written for `gap` seconds (True) or `timeout` passes."""
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            try:
                got = self._next(min(gap, end - time.perf_counter()))
            except EOFError:
                return True
            if got is None:
                return True
        return False

    # ------------------------------------------------------------------ screen

    def dump(self) -> str:
        """The screen's non-blank lines, for error messages."""
        return "\n".join(line.rstrip() for line in self.screen.display if line.strip())

    def contains(self, text: str) -> bool:
        return any(text in line for line in self.screen.display)

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

    def cpu_seconds(self) -> float:
        """User plus system CPU time the child process has used so far."""
        with open(f"/proc/{self.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        # Fields 14 and 15 of stat(5), counted after the ")" that ends the command name.
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

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
            self._stop.set()
            self._reader.join(timeout=2.0)
            with contextlib.suppress(OSError):
                os.close(self.fd)
            if self.exit_status is None:
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(self.pid, 0)

    def __enter__(self) -> PtySession:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
