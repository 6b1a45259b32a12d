"""Give a `--sh-boot` pex the package's one-line refusal when the host has no Python it can use.

`guard_pex.py FILE OLDEST NEWEST` inserts a POSIX sh check into FILE's boot script, after its
fast path (taken only once a compatible Python has run it) and before it looks for an
interpreter. Without a python3.X in OLDEST..NEWEST (or a python3/python of those versions) on
PATH, the file prints one line (what it needs, what it found) and exits 2, where pex would print
a page about interpreter constraints and exit 1. The zip after the script is left as it is:
readers find a zip from its end, so a longer script in front does not matter.
"""

from __future__ import annotations

import sys
from pathlib import Path

ZIP_START = b"PK\x03\x04"
ANCHOR = b"\nfind_python() {"
MARK = b"# attempt-tui: the one-line refusal"

GUARD = """
{mark}
if [ -z "${{PEX_PYTHON:-}}" -a -z "${{PEX_PYTHON_PATH:-}}" ]; then
    _at_found=""
    _at_usable=""
    _at_ask='import sys; sys.stdout.write("%d.%d.%d" % sys.version_info[:3])'
    for _at_name in {names} python3 python python3.9 python3.8 python3.7 python3.6 python2; do
        _at_path="$(command -v "${{_at_name}}" 2>/dev/null || true)"
        [ -n "${{_at_path}}" ] || continue
        _at_version="$("${{_at_path}}" -c "${{_at_ask}}" 2>/dev/null || true)"
        [ -n "${{_at_version}}" ] || continue
        case "${{_at_version}}" in
            {patterns}) _at_usable=1; break ;;
        esac
        _at_found="${{_at_found:+${{_at_found}}, }}Python ${{_at_version}} (${{_at_path}})"
    done
    if [ -z "${{_at_usable}}" ]; then
        _at_found="${{_at_found:-no python3 on PATH}}"
        echo >&2 "attempt-tui needs Python {oldest} to {newest}; found ${{_at_found}}."
        exit 2
    fi
fi
"""


def guard_script(oldest: str, newest: str) -> bytes:
    major, low = (int(part) for part in oldest.split("."))
    high = int(newest.split(".")[1])
    minors = [f"{major}.{minor}" for minor in range(high, low - 1, -1)]
    return GUARD.format(
        mark=MARK.decode(),
        names=" ".join(f"python{version}" for version in minors),
        patterns="|".join(f"{version}.*" for version in minors),
        oldest=oldest,
        newest=newest,
    ).encode()


def add_guard(pex: bytes, oldest: str, newest: str) -> bytes:
    boot_end = pex.index(ZIP_START)
    boot, archive = pex[:boot_end], pex[boot_end:]
    if MARK in boot:
        raise SystemExit("the guard is there already")
    if not boot.startswith(b"#!/bin/sh") or ANCHOR not in boot:
        raise SystemExit("not a --sh-boot pex of the expected layout (pex changed?)")
    at = boot.index(ANCHOR)
    return boot[:at] + guard_script(oldest, newest) + boot[at:] + archive


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: guard_pex.py FILE OLDEST NEWEST  (e.g. 3.10 3.13)", file=sys.stderr)
        return 2
    path = Path(argv[0])
    path.write_bytes(add_guard(path.read_bytes(), argv[1], argv[2]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
