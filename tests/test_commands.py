"""`demo-web`, `completion` and the exit codes in --help and the README."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from attempt_tui import cli, completion, demo_web
from attempt_tui.exit_codes import EXIT_CODES
from tests.conftest import repo_root


def test_help_and_readme_list_the_same_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    help_text = capsys.readouterr().out
    assert "exit status:" in help_text
    readme = (repo_root() / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    for code, _meaning in EXIT_CODES:
        assert f"\n  {code} " in help_text
        assert f"| {code} |" in section
    assert len([line for line in section.splitlines() if line.startswith("| ")]) == (
        len(EXIT_CODES) + 2  # the header and its rule
    )


@pytest.mark.parametrize("shell", completion.SHELLS)
def test_completion_prints_the_shell_code(shell: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["completion", shell]) == 0
    code = capsys.readouterr().out
    assert "attempt-tui" in code
    assert "_ARGCOMPLETE" in code


def test_completion_of_an_unknown_shell_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["completion", "tcsh"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def _complete(line: str, tmp_path: Path) -> list[str]:
    """What the shell code gets back from attempt-tui for the command line `line`."""
    out = tmp_path / "completions"
    env = dict(
        os.environ,
        PYTHONPATH=str(repo_root()),
        _ARGCOMPLETE="1",
        _ARGCOMPLETE_IFS="\n",
        COMP_LINE=line,
        COMP_POINT=str(len(line)),
        _ARGCOMPLETE_STDOUT_FILENAME=str(out),
    )
    done = subprocess.run(
        [sys.executable, "-m", "attempt_tui"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return sorted(word.strip() for word in out.read_text().split("\n"))


def test_the_shell_gets_subcommands_flags_and_choices(tmp_path: Path) -> None:
    assert _complete("attempt-tui demo-", tmp_path) == ["demo-server", "demo-web"]
    assert _complete("attempt-tui --read", tmp_path) == ["--read-only"]
    assert {"bash", "fish", "zsh"} <= set(_complete("attempt-tui completion ", tmp_path))


@pytest.mark.skipif(shutil.which("bash") is None, reason="NOT RUN: no bash on this machine")
def test_bash_registers_the_completion(capsys: pytest.CaptureFixture[str]) -> None:
    cli.main(["completion", "bash"])
    code = capsys.readouterr().out
    done = subprocess.run(
        ["bash", "-c", f"{code}\ncomplete -p attempt-tui"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("attempt-tui")


def test_demo_web_without_the_web_extra_says_how_to_get_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(demo_web, "web_extra_installed", lambda: False)
    monkeypatch.setattr(demo_web, "serve_demo_web", lambda *a: pytest.fail("served"))
    assert cli.main(["demo-web"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "pip install 'attempt-tui[web]'" in err


def test_demo_web_serves_this_python_running_the_demo(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    served: list[tuple[str, str, int]] = []
    monkeypatch.setattr(demo_web, "web_extra_installed", lambda: True)
    monkeypatch.setattr(demo_web, "serve_demo_web", lambda *a: served.append(a))
    argv = ["demo-web", "--port", "9001", "--tour", "--seed", "3", "--apps", "40"]
    assert cli.main([*argv, "--latency-ms", "150"]) == 0
    [(command, host, port)] = served
    assert (host, port) == ("127.0.0.1", 9001)
    assert shlex.split(command) == [
        sys.executable,
        "-m",
        "attempt_tui",
        "--demo",
        "--tour",
        "--seed",
        "3",
        "--apps",
        "40",
        "--latency-ms",
        "150",
    ]
    assert "open http://127.0.0.1:9001" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:8072"),
        ("0.0.0.0", "http://127.0.0.1:8072"),
        ("::1", "http://[::1]:8072"),
        ("localhost", "http://localhost:8072"),
    ],
)
def test_the_page_connects_back_to_an_address_a_browser_can_use(host: str, url: str) -> None:
    assert demo_web.public_url(host, 8072) == url


@pytest.mark.parametrize("command", ["demo-server", "demo-web"])
def test_a_server_that_cannot_listen_exits_3_without_a_traceback(command: str) -> None:
    import socket

    if command == "demo-web" and not demo_web.web_extra_installed():
        pytest.skip("NOT RUN: textual-serve (the web extra) is not installed")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "attempt_tui", command, "--port", str(port)],
            cwd=repo_root(),
            env=dict(os.environ, PYTHONPATH=str(repo_root())),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr
    assert "address already in use" in done.stderr
