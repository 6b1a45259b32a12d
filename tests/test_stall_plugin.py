"""tests/stall.py, the opt-in plugin that runs tests as a starved process: a test that races
real time passes without it and fails with it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RACY_TEST = """
import asyncio
import time


async def test_two_turns_of_the_loop_take_no_time() -> None:
    started = time.monotonic()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert time.monotonic() - started < 0.05
"""


def run_pytest(tmp_path: Path, *plugin_args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_racy.py").write_text(RACY_TEST)
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *plugin_args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_test_that_races_real_time_passes_alone_and_fails_stalled(tmp_path: Path) -> None:
    alone = run_pytest(tmp_path)
    assert alone.returncode == 0, alone.stdout + alone.stderr
    stalled = run_pytest(
        tmp_path, "-p", "tests.stall", "--stall-probability", "1", "--stall-seconds", "0.05"
    )
    assert stalled.returncode == 1, stalled.stdout + stalled.stderr
    assert "assert " in stalled.stdout
    injected = [line for line in stalled.stdout.splitlines() if "stalls injected" in line]
    assert injected and int(injected[0].split()[-1]) > 0, stalled.stdout
