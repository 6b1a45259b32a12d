"""Without a terminal the dashboard refuses to start (one line, exit 2); subcommands still work."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from attempt_tui import cli


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "ATTEMPT_TUI_CONFIG": str(tmp_path / "c.toml"),
        "ATTEMPT_TUI_SVIX_CLI_CONFIG": str(tmp_path / "s.toml"),
    }
    env.pop("SVIX_AUTH_TOKEN", None)
    return {**env, **extra}


def _run(args: list[str], tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    """`python -m attempt_tui ARGS` with stdin, stdout and stderr not a terminal."""
    return subprocess.run(
        [sys.executable, "-m", "attempt_tui", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(tmp_path, **extra),
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "extra"),
    [
        (["--demo"], {}),
        (["--demo", "--tour"], {}),
        ([], {"SVIX_AUTH_TOKEN": "sk_terminal-test.eu"}),
    ],
)
def test_the_dashboard_without_a_terminal_prints_one_hint_and_exits_2(
    args: list[str], extra: dict[str, str], tmp_path: Path
) -> None:
    result = _run(args, tmp_path, **extra)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "needs a terminal" in lines[0] and "ssh -t" in lines[0]
    assert "stdin, stdout and stderr are not one" in lines[0]
    assert "\x1b" not in result.stderr  # no escape codes written anywhere


@pytest.mark.parametrize(
    ("args", "expected_out"),
    [
        (["--version"], "attempt-tui "),
        (["--help"], "usage: attempt-tui"),
        (["demo-server", "--help"], "usage: attempt-tui demo-server"),
        (["config", "--demo"], "demo             yes"),
    ],
)
def test_commands_that_need_no_terminal_still_work(
    args: list[str], expected_out: str, tmp_path: Path
) -> None:
    result = _run(args, tmp_path)
    assert result.returncode == 0, result.stderr
    assert expected_out in result.stdout
    assert "needs a terminal" not in result.stderr


def test_the_hint_names_only_the_streams_that_are_not_terminals(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    leader, follower = pty.openpty()
    try:
        with open(follower, "w", closefd=False) as tty:
            monkeypatch.setattr(sys, "stdin", tty)
            monkeypatch.setattr(sys, "stdout", tty)
            monkeypatch.setattr(sys, "stderr", tty)
            assert cli._not_terminals() is None
            monkeypatch.setattr(sys, "stdout", io.StringIO())
            assert cli._not_terminals() == "stdout is"
            monkeypatch.setattr(sys, "stdin", None)
            assert cli._not_terminals() == "stdin and stdout are"
    finally:
        os.close(leader)
        os.close(follower)


def test_a_missing_token_is_still_explained_first(tmp_path: Path) -> None:
    result = _run([], tmp_path)
    assert result.returncode == 2
    assert "SVIX_AUTH_TOKEN" in result.stderr
    assert "needs a terminal" not in result.stderr
