"""An opt-in pytest plugin that runs tests the way a starved process runs (`-p tests.stall`).

Before some of the event loop's callbacks, the whole process stops for a while: time passes
and nothing runs. That is what happens when CI runs a suite at idle priority beside another
one. A test that passes only when little real time passes between its steps fails here.

    .venv/bin/python -m pytest -n 0 -p tests.stall --stall-probability 0.02 \\
        --stall-seconds 0.3 tests/test_worker.py

`--stall-gil` keeps the GIL held through each stall, so threads stop too (for example the
uvicorn server of the tests that serve the demo over HTTP). `--stall-seed` picks which
callbacks stall, so a failure can be replayed.
"""

from __future__ import annotations

import asyncio.events
import ctypes
import random
import time
from collections.abc import Callable
from typing import Any

import pytest

_stalls = 0


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("stall", "stop the process at random, as a starved one stops")
    group.addoption("--stall-probability", type=float, default=0.01, help="per callback")
    group.addoption("--stall-seconds", type=float, default=0.3, help="length of each stall")
    group.addoption("--stall-seed", type=int, default=0, help="which callbacks stall")
    group.addoption(
        "--stall-gil", action="store_true", help="hold the GIL while stalled (threads stop)"
    )


def _stopper(config: pytest.Config) -> Callable[[], None]:
    seconds = config.getoption("--stall-seconds")
    if config.getoption("--stall-gil"):
        usleep = ctypes.PyDLL(None).usleep  # called through PyDLL, it keeps the GIL
        return lambda: usleep(int(seconds * 1_000_000))
    return lambda: time.sleep(seconds)


def pytest_configure(config: pytest.Config) -> None:
    chance = random.Random(config.getoption("--stall-seed"))
    probability = config.getoption("--stall-probability")
    stop = _stopper(config)
    run = asyncio.events.Handle._run

    def stalling_run(handle: Any) -> None:
        global _stalls
        if chance.random() < probability:
            _stalls += 1
            stop()
        run(handle)

    asyncio.events.Handle._run = stalling_run  # type: ignore[method-assign]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    terminalreporter.write_line(f"stalls injected: {_stalls}")
