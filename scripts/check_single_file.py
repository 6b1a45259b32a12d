"""Run the single file (scripts/build-single-file) on given Pythons, as a jump host would.

    check_single_file.py dist/attempt-tui 3.10 3.13            what CI runs
    check_single_file.py dist/attempt-tui 3.11 --runs 5 --venv .venv/bin/attempt-tui

For each version, the file runs with a PATH holding only that Python (so nothing else on this
machine can be picked) and an empty pex cache (so the first start is a cold one): `--version`,
then the demo in a pseudo-terminal until its first message row, cold (first start: the file
unpacks itself into the cache) and warm (later starts). It checks that the venv the file made
runs that very Python. `--venv CMD` times an installed `attempt-tui` the same way, warm, for
comparison (BENCHMARKS.md). Times are wall-clock seconds on this machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import screen as scr  # noqa: E402
from bench.term import PtySession  # noqa: E402
from scripts.find_python import find_python  # noqa: E402

DEMO = ("--demo", "--app", "acme-payments", "--endpoint", "ledger-prod")
FIRST_ROW_TIMEOUT = 120.0  # a ceiling for a cold start on a loaded machine


def host_env(home: Path, python: str | None) -> dict[str, str]:
    """A bare environment; PATH holds only `python` (as python3.X and python3), if given."""
    bin_dir = home / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    if python is not None:
        version = Path(python).name.removeprefix("python")
        for name in (f"python{version}", "python3"):
            link = bin_dir / name
            if not link.exists():
                link.symlink_to(python)
    return {
        "HOME": str(home),
        "PATH": str(bin_dir),
        "PEX_ROOT": str(home / "pex-root"),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "COLORTERM": "truecolor",
    }


def version_run(argv: Sequence[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [*argv, "--version"], env=env, capture_output=True, text=True, timeout=300
    )
    took = time.perf_counter() - started
    if done.returncode != 0 or not done.stdout.startswith("attempt-tui "):
        raise SystemExit(f"{argv[0]} --version failed ({done.returncode}): {done.stderr[-2000:]}")
    return took


def first_row(argv: Sequence[str], env: dict[str, str], home: Path) -> float:
    with PtySession([*argv, *DEMO], env=env, cwd=str(home)) as session:
        try:
            stamp = session.wait_for(
                lambda: scr.has_message_row(session.screen), FIRST_ROW_TIMEOUT, "a message row"
            )
        except Exception:
            print(session.dump(), file=sys.stderr)
            raise
        return stamp - session.started


def venv_python(pex_root: Path) -> Path:
    """The interpreter behind the venv the file installed under its pex cache."""
    found = sorted(pex_root.glob("venvs/*/*/*/bin/python")) + sorted(
        pex_root.glob("venvs/*/*/bin/python")
    )
    if not found:
        raise SystemExit(f"no venv under {pex_root}")
    return found[0].resolve()


def check_file(path: Path, version: str, runs: int) -> dict[str, float]:
    python = find_python(version)
    if python is None:
        raise SystemExit(f"check_single_file: Python {version} not found")
    times: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="single-file-") as tmp:
        cold_version_home = Path(tmp) / "cold-version"
        times["version_cold"] = version_run([str(path)], host_env(cold_version_home, python))
        home = Path(tmp) / "host"
        env = host_env(home, python)
        times["first_row_cold"] = first_row([str(path)], env, home)
        used = venv_python(Path(env["PEX_ROOT"]))
        if used != Path(python).resolve():
            raise SystemExit(f"the file ran {used}, not Python {version} ({python})")
        times["version_warm"] = statistics.median(
            version_run([str(path)], env) for _ in range(max(runs, 3))
        )
        times["first_row_warm"] = statistics.median(
            first_row([str(path)], env, home) for _ in range(runs)
        )
    return times


def check_refusal(path: Path, version: str = "3.9") -> None:
    """With only an older Python on PATH, one line and exit 2 (not pex's page of text)."""
    python = find_python(version)
    if python is None:
        print(f"NOT RUN: the refusal on Python {version} (none on this machine)", flush=True)
        return
    with tempfile.TemporaryDirectory(prefix="single-file-old-") as tmp:
        env = host_env(Path(tmp), python)
        done = subprocess.run(
            [str(path), "--version"], env=env, capture_output=True, text=True, timeout=120
        )
    wanted = f"attempt-tui needs Python 3.10 to 3.13; found Python {version}."
    if done.returncode != 2 or not done.stderr.startswith(wanted) or done.stderr.count("\n") != 1:
        raise SystemExit(f"on Python {version}: exit {done.returncode}, {done.stderr!r}")
    print(f"single file on Python {version}: refused in one line, exit 2", flush=True)


def check_installed(command: str, runs: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="venv-install-") as tmp:
        home = Path(tmp)
        env = host_env(home, None)
        # The first start after the install (its bytecode was compiled by pip), then warm ones.
        times = {"first_row_first": first_row([command], env, home)}
        times["version_warm"] = statistics.median(version_run([command], env) for _ in range(3))
        times["first_row_warm"] = statistics.median(
            first_row([command], env, home) for _ in range(runs)
        )
    return times


def show(label: str, times: dict[str, float]) -> None:
    parts = [f"{name} {seconds:.2f} s" for name, seconds in times.items()]
    print(f"{label}: " + ", ".join(parts), flush=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("versions", nargs="+", metavar="3.X")
    parser.add_argument("--runs", type=int, default=1, help="warm runs to take the median of")
    parser.add_argument("--venv", metavar="CMD", help="an installed attempt-tui to compare")
    args = parser.parse_args(argv)
    args.file = args.file.resolve()
    size = args.file.stat().st_size
    print(f"{args.file}: {size / 1e6:.1f} MB", flush=True)
    check_refusal(args.file)
    for version in args.versions:
        show(f"single file on Python {version}", check_file(args.file, version, args.runs))
    if args.venv:
        show(f"installed {args.venv}", check_installed(os.path.abspath(args.venv), args.runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
