"""On a Python older than 3.10, every way in says in one line what it needs, and exits 2."""

from __future__ import annotations

import subprocess

import pytest

from attempt_tui.pyversion import EXIT_TOO_OLD, too_old_message
from scripts.find_python import find_python
from tests.conftest import repo_root

OLD_PYTHONS = ("3.9", "3.6", "2.7")


def test_the_message_names_what_is_needed_and_what_was_found() -> None:
    assert too_old_message((3, 9, 18, "final", 0), "/usr/bin/python3.9") == (
        "attempt-tui needs Python 3.10 or newer; this is Python 3.9.18 (/usr/bin/python3.9)."
    )
    assert too_old_message((3, 10, 0, "final", 0), "/x") is None
    assert too_old_message() is None  # the one running the tests


@pytest.mark.parametrize("version", OLD_PYTHONS)
@pytest.mark.parametrize(
    "way_in",
    [
        ["-m", "attempt_tui", "--version"],
        ["-m", "attempt_tui", "--demo"],
        # what the `attempt-tui` console script does
        ["-c", "import sys; from attempt_tui.cli import main; sys.exit(main())"],
        ["-c", "import attempt_tui.demo_web"],
    ],
    ids=["module-version", "module-demo", "console-script", "demo-web"],
)
def test_an_old_python_gets_one_line_and_exit_2(version: str, way_in: list[str]) -> None:
    python = find_python(version)
    if python is None:
        pytest.skip(f"NOT RUN: no Python {version} on this machine to try the check with")
    done = subprocess.run(
        [python, *way_in], cwd=repo_root(), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == EXIT_TOO_OLD, done.stderr
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith(
        f"attempt-tui needs Python 3.10 or newer; this is Python {version}."
    )
