"""Child processes of the benchmarks: the bench server, the app in a pty, the bare baseline."""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from bench.term import COLUMNS, LINES, PtySession

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
PYTHON = sys.executable
# Loopback only: never go through a proxy, whatever the environment says.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def terminal_env(home: str) -> dict[str, str]:
    """A clean environment for programs under test: 120x40 xterm, no user config, no proxy."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": home,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "COLUMNS": str(COLUMNS),
        "LINES": str(LINES),
        "ATTEMPT_TUI_CONFIG": os.path.join(home, "config.toml"),
        "ATTEMPT_TUI_SVIX_CLI_CONFIG": os.path.join(home, "svix.toml"),
        "XDG_CONFIG_HOME": home,
        "XDG_STATE_HOME": os.path.join(home, "state"),
        "XDG_CACHE_HOME": os.path.join(home, "cache"),
        "NO_PROXY": "127.0.0.1,localhost",
        "PYTHONPATH": str(ROOT),
    }
    if "VIRTUAL_ENV" in os.environ:
        env["VIRTUAL_ENV"] = os.environ["VIRTUAL_ENV"]
    return env


@contextlib.contextmanager
def temp_home() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="attempt-bench-") as home:
        yield home


class BenchServerProcess:
    """bench/server.py in its own process group; `url` once it answers."""

    def __init__(self, *args: str, timeout: float = 30.0) -> None:
        self.proc = subprocess.Popen(
            [PYTHON, str(BENCH_DIR / "server.py"), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            env={**os.environ, "NO_PROXY": "127.0.0.1,localhost", "PYTHONPATH": str(ROOT)},
        )
        try:
            self.port = self._read_port(timeout)
            self.url = f"http://127.0.0.1:{self.port}"
            self._wait_ready(timeout)
        except BaseException:
            self.close()
            raise

    def _read_port(self, timeout: float) -> int:
        assert self.proc.stdout is not None
        end = time.monotonic() + timeout
        line = b""
        while time.monotonic() < end and not line.endswith(b"\n"):
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.2)
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 256)
                if not chunk:
                    break
                line += chunk
        if not line.startswith(b"PORT "):
            err = self.proc.stderr.read().decode(errors="replace") if self.proc.stderr else ""
            raise RuntimeError(f"bench server did not start: {line!r} {err[-2000:]}")
        return int(line.split()[1])

    def _wait_ready(self, timeout: float) -> None:
        end = time.monotonic() + timeout
        while True:
            try:
                self.get("info")
                return
            except OSError:
                if time.monotonic() > end:
                    raise
                time.sleep(0.05)

    def _call(self, method: str, name: str, query: str = "") -> Any:
        url = f"{self.url}/_bench/{name}" + (f"?{query}" if query else "")
        request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
        with _OPENER.open(request, timeout=10) as response:
            return json.loads(response.read())

    def get(self, name: str, query: str = "") -> Any:
        return self._call("GET", name, query)

    def post(self, name: str, query: str = "") -> Any:
        return self._call("POST", name, query)

    def close(self) -> None:
        if self.proc.poll() is None:
            for sig in (signal.SIGTERM, signal.SIGKILL):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, sig)
                try:
                    self.proc.wait(timeout=3)
                    break
                except subprocess.TimeoutExpired:
                    continue
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()

    def __enter__(self) -> BenchServerProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def app_argv(*args: str) -> list[str]:
    return [PYTHON, "-m", "attempt_tui", *args]


def real_server_args(server: BenchServerProcess, *extra: str) -> list[str]:
    return app_argv(
        "--server-url", server.url, "--app", "acme-payments", "--endpoint", "ledger-prod", *extra
    )


def start_app(argv: Sequence[str], home: str) -> PtySession:
    env = terminal_env(home)
    env["SVIX_AUTH_TOKEN"] = "bench"
    return PtySession(argv, env=env, cwd=home)
