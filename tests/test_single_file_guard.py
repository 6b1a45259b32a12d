"""The single file's boot check: no usable Python on PATH gives one line and exit 2."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import zipfile
from pathlib import Path

import pytest

from scripts.guard_pex import add_guard

# The shape of a pex --sh-boot file: a /bin/sh script, then the zip.
BOOT = b"""#!/bin/sh
set -eu
if [ -x /nonexistent ]; then exec /nonexistent; fi

find_python() {
    echo python3
}
echo "booted"
exit 0
"""


def _pex_like(tmp_path: Path) -> Path:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("__main__.py", "print('hello')\n")
    path = tmp_path / "attempt-tui"
    path.write_bytes(add_guard(BOOT + archive.getvalue(), "3.10", "3.13"))
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def _fake_python(bin_dir: Path, name: str, version: str) -> None:
    bin_dir.mkdir(exist_ok=True)
    fake = bin_dir / name
    fake.write_text(f"#!/bin/sh\nprintf '%s' '{version}'\n")
    fake.chmod(0o755)


def _run(path: Path, bin_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(path), "--version"],
        env={"PATH": str(bin_dir), "HOME": str(bin_dir)},
        capture_output=True,
        text=True,
        timeout=30,
    )


@pytest.mark.parametrize(
    ("pythons", "found"),
    [
        ({"python3.9": "3.9.18"}, "found Python 3.9.18 ({bin}/python3.9)."),
        (
            {"python3": "3.8.10", "python2": "2.7.18"},
            "found Python 3.8.10 ({bin}/python3), Python 2.7.18 ({bin}/python2).",
        ),
        ({"python3.14": "3.14.0"}, "found no python3 on PATH."),
        ({}, "found no python3 on PATH."),
    ],
)
def test_no_usable_python_is_one_line_and_exit_2(
    tmp_path: Path, pythons: dict[str, str], found: str
) -> None:
    path = _pex_like(tmp_path)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, version in pythons.items():
        _fake_python(bin_dir, name, version)
    done = _run(path, bin_dir)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (f"attempt-tui needs Python 3.10 to 3.13; {found.format(bin=bin_dir)}\n")


@pytest.mark.parametrize("name", ["python3.10", "python3.13", "python3"])
def test_a_usable_python_goes_on_to_the_boot_script(tmp_path: Path, name: str) -> None:
    path = _pex_like(tmp_path)
    _fake_python(tmp_path / "bin", "python3.9", "3.9.18")
    _fake_python(tmp_path / "bin", name, "3.12.1" if name == "python3" else name[6:] + ".0")
    done = _run(path, tmp_path / "bin")
    assert (done.returncode, done.stdout) == (0, "booted\n"), done.stderr
    assert zipfile.ZipFile(path).read("__main__.py") == b"print('hello')\n"


def test_the_guard_goes_in_once_and_only_into_a_known_layout(tmp_path: Path) -> None:
    path = _pex_like(tmp_path)
    with pytest.raises(SystemExit, match="already"):
        add_guard(path.read_bytes(), "3.10", "3.13")
    with pytest.raises(SystemExit, match="layout"):
        add_guard(b"#!/usr/bin/env python3\nPK\x03\x04", "3.10", "3.13")
    assert os.access(path, os.X_OK)
