"""Find a Python interpreter of a given version on this machine: `find_python.py 3.10`.

Prints the interpreter's path, or says on stderr which version it could not find and where it
looked, and exits 1. Looks at `python3.X` on PATH (only if it really runs: a pyenv shim of a
version that is not active does not), then pyenv's versions, then /usr/bin and /usr/local/bin.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path


def _interpreter(path: str, version: str) -> str | None:
    """The real executable behind `path` (not a pyenv shim) if it runs as Python `version`."""
    try:
        found = subprocess.run(
            [
                path,
                "-c",
                "import sys; print('%d.%d' % sys.version_info[:2]); print(sys.executable)",
            ],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = found.stdout.split("\n")
    if found.returncode != 0 or len(lines) < 2 or lines[0] != version or not lines[1]:
        return None
    return lines[1]


def candidates(version: str) -> list[str]:
    """Where a `python<version>` may be, in the order they are tried."""
    name = f"python{version}"
    places = [shutil.which(name)]
    pyenv_root = os.environ.get("PYENV_ROOT") or str(Path.home() / ".pyenv")
    places += sorted(glob.glob(f"{pyenv_root}/versions/{version}.*/bin/{name}"), reverse=True)
    places += [f"/usr/local/bin/{name}", f"/usr/bin/{name}"]
    return [place for place in dict.fromkeys(places) if place]


def find_python(version: str) -> str | None:
    for place in candidates(version):
        found = _interpreter(place, version)
        if found is not None:
            return found
    return None


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: find_python.py 3.X", file=sys.stderr)
        return 2
    version = argv[0]
    found = find_python(version)
    if found is None:
        looked = ", ".join(candidates(version)) or f"python{version} on PATH"
        print(f"Python {version} not found (looked at: {looked})", file=sys.stderr)
        return 1
    print(found)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
