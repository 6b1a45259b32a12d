"""attempt-tui benchmark suite: `python bench/run.py [--quick] [--only 1,4,first-row]`.

Runs every figure of BENCHMARKS.md in a real pseudo-terminal (120x40, read with pyte) against
the demo world served over loopback HTTP, prints a table and (full runs) writes BENCHMARKS.md.
Exits 1 when a figure is worse than twice its target or could not be measured.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import os
import platform
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from attempt_tui.compat import UTC  # noqa: E402
from bench import realsize, scenarios  # noqa: E402
from bench.report import GUARD_FACTOR, Figure, failures, markdown_table, median, text_table  # noqa: E402

Scenario = Callable[[scenarios.Mode], Figure | list[Figure]]

SCENARIOS: dict[str, tuple[str, Scenario]] = {
    "1": ("start-up", scenarios.startup),
    "2": ("idle traffic", scenarios.idle),
    "3": ("one change", scenarios.one_change),
    "4": ("page flip", scenarios.page_flip),
    "5": ("memory", scenarios.memory),
    "6": ("request discipline", scenarios.requests),
    "7": ("responsiveness", scenarios.responsiveness),
    "8": ("parsing", scenarios.parsing),
    "9": ("5 MB body", scenarios.big_body),
    "10": ("first row, real-size account", scenarios.real_first_row),
    "11": ("a minute on a 321-endpoint app", scenarios.real_endpoint_walk),
    "12": ("--app cust-27000", scenarios.real_far_app),
    "13": ("go to", scenarios.real_goto),
}

# `--only` takes numbers or these names.
NAMES = {
    "start-up": "1",
    "idle": "2",
    "one-change": "3",
    "page-flip": "4",
    "memory": "5",
    "requests": "6",
    "responsiveness": "7",
    "parsing": "8",
    "big-body": "9",
    "first-row": "10",
    "walk": "11",
    "far-app": "12",
    "goto": "13",
}

TITLES = {
    "1": "Start-up to first message row (--demo)",
    "2": "Idle traffic, poll 1 s, 10 s",
    "3": "One status change: bytes written",
    "4": "Page flip `]`, 250 rows",
    "5": "Memory: RSS growth over 40 pages (20 when quick)",
    "6": "Request discipline",
    "7": "Cursor key with 1.5 s server latency",
    "8": "Parsing a 250-attempt page",
    "9": "Cursor key with a 5 MB response body",
    "10": "First message row, real-size account (--app/--endpoint ids)",
    "11": "A minute on a 321-endpoint app, default poll, moving (15 s when quick)",
    "12": f"--app {realsize.FAR_APP_UID}: its endpoint list on screen",
    "13": "Go to an app uid and an eventId: requests each",
}


def run_scenario(number: str, mode: scenarios.Mode) -> list[Figure]:
    name, scenario = SCENARIOS[number]
    started = time.monotonic()
    print(f"[{number}] {name} …", end="", flush=True)
    try:
        result = scenario(mode)
        figures = result if isinstance(result, list) else [result]
    except Exception as error:
        print()
        traceback.print_exc()
        message = f"{type(error).__name__}: {error}"
        figures = [Figure(number, TITLES[number], error=message, notes=[message])]
    print(f" {time.monotonic() - started:.0f} s")
    return figures


# ----------------------------------------------------------------------------- machine


def _read(path: str) -> str:
    with contextlib.suppress(OSError), open(path) as handle:
        return handle.read()
    return ""


def machine_info() -> dict[str, str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in _read("/proc/cpuinfo").splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    mem_kb = next(
        (
            int(line.split()[1])
            for line in _read("/proc/meminfo").splitlines()
            if line.startswith("MemTotal:")
        ),
        0,
    )
    try:
        from importlib.metadata import version

        textual_version = version("textual")
    except Exception:
        textual_version = "unknown"
    return {
        "cpu": f"{cpu}, {os.cpu_count()} cores",
        "memory": f"{mem_kb / 1024 / 1024:.1f} GiB" if mem_kb else "unknown",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "textual": textual_version,
        "load at start": _load(),
    }


def compile_package() -> None:
    """Byte-compile attempt_tui as pip does when it installs the package. An editable install
    has no .pyc of its own, and with PYTHONDONTWRITEBYTECODE (set on CI's machines) every start
    would compile the whole package from source again: about 80 ms that no installed copy pays.
    """
    import attempt_tui

    compileall.compile_dir(str(Path(attempt_tui.__file__).parent), quiet=1)


def _load() -> str:
    return " ".join(_read("/proc/loadavg").split()[:3]) or "unknown"


def busy_warning(load: str, cores: int | None) -> str | None:
    """A warning when other work was running (1-minute load above half the cores)."""
    try:
        one_minute = float(load.split()[0])
    except (ValueError, IndexError):
        return None
    if one_minute > max(1.0, (cores or 1) / 2):
        return (
            f"warning: the machine was busy (load {load}); absolute times are inflated and "
            "noisy, ratios less so."
        )
    return None


# ----------------------------------------------------------------------------- diagnostics


_IMPORT_PROBE = """
import time
t0 = time.perf_counter()
import {module}
print(time.perf_counter() - t0)
"""


def _probe(code: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return float(out.stdout.strip().splitlines()[-1])


def startup_diagnostics(runs: int = 5) -> list[str]:
    """Where start-up time goes: import costs and the demo world build, medians of `runs`."""
    lines = []
    probes = {
        "import textual.app": _IMPORT_PROBE.format(module="textual.app"),
        "import attempt_tui.ui.app": _IMPORT_PROBE.format(module="attempt_tui.ui.app"),
        "import attempt_tui.demo.server (starlette)": _IMPORT_PROBE.format(
            module="attempt_tui.demo.server"
        ),
        "build_demo() after imports": (
            "from attempt_tui.demo.server import build_demo\n"
            "import time\nt0 = time.perf_counter()\nbuild_demo()\n"
            "print(time.perf_counter() - t0)"
        ),
    }
    for label, code in probes.items():
        values = [_probe(code) for _ in range(runs)]
        lines.append(f"{label}: {median(values) * 1000:.0f} ms")
    lines.append("largest cumulative imports of `import attempt_tui.ui.app` (-X importtime):")
    lines.extend(f"  {line}" for line in top_imports("attempt_tui.ui.app"))
    return lines


def top_imports(module: str, count: int = 12) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return parse_importtime(out.stderr, count)


def parse_importtime(stderr: str, count: int = 12, max_depth: int = 2) -> list[str]:
    """The largest cumulative imports, nested at most `max_depth` levels, from -X importtime."""
    rows: list[tuple[int, int, str]] = []
    for line in stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        parts = line[len("import time:") :].split("|")
        if len(parts) != 3 or not parts[0].strip().isdigit():
            continue  # the header line
        name = parts[2].rstrip()
        depth = (len(name) - len(name.lstrip()) - 1) // 2
        if depth <= max_depth:
            rows.append((int(parts[1]), depth, name.strip()))
    rows.sort(key=lambda row: row[0], reverse=True)
    return [f"{cum / 1000:6.0f} ms  {'  ' * depth}{name}" for cum, depth, name in rows[:count]]


# ----------------------------------------------------------------------------- output


def markdown(
    figures: Sequence[Figure],
    mode: scenarios.Mode,
    machine: dict[str, str],
    diagnostics: list[str],
    elapsed: float,
    warnings: Sequence[str] = (),
) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    q = scenarios.QUICK
    lines = [
        "# Benchmarks",
        "",
        f"Measured {now} by `python bench/run.py{' --quick' if mode.quick else ''}` "
        f"in {elapsed:.0f} s. Every figure runs attempt-tui in a real pseudo-terminal at "
        "120x40 (TERM=xterm-256color, screen read with pyte) against the demo world served "
        "over loopback HTTP by uvicorn (`bench/server.py`: a still world, `live=False`), "
        "unless its notes say otherwise. Ratios are against a baseline measured in the same "
        "run. MISS = worse than the target; FAIL = worse than "
        f"{GUARD_FACTOR:g}x the target (the CI guard, `--quick`, exits non-zero).",
        "",
        "Machine: " + "; ".join(f"{key} {value}" for key, value in machine.items()),
        "",
        *(f"**{warning}**\n" for warning in warnings),
        markdown_table(figures),
        "",
        "## Notes",
        "",
    ]
    for fig in figures:
        text = " ".join(fig.notes) if fig.notes else ""
        if fig.error:
            text = f"could not be measured: {fig.error}"
        lines.append(f"- **{fig.number}. {fig.title}.** {text}")
    if diagnostics:
        lines += ["", "## Where start-up time goes", "", "```", *diagnostics, "```"]
    lines += [
        "",
        "## Method",
        "",
        "- Start-up: from just before `fork` to the first screen update showing a message row "
        "(a status such as `✔ success` next to an event or message id); baseline: "
        "`bench/bare_app.py` (Header, Static, Footer) to its text. Median of interleaved runs "
        "after one warm-up each. The package is byte-compiled first, as pip does when it "
        "installs it (an editable install has no .pyc of its own, and with "
        "PYTHONDONTWRITEBYTECODE set every start would compile it again).",
        "- Bytes: everything the app writes to the pty master, counted as read.",
        "- Latencies: from just before the key is written to the read of the output after "
        "which the screen shows the result (cursor row: the one table row whose background "
        "differs; page: `Page N · 250 messages` with a new first row). A reader thread stamps "
        "each chunk as it is read, so pyte's rendering time is not counted. The bare "
        "DataTable baselines (`bench/bare_table.py` for keys, `bench/bare_flip.py` for page "
        "flips: the same 250 rows swapped in) show the floor of Textual plus harness.",
        f"- `--quick` (CI): {q.startup_runs} start-up runs without warm-up, "
        f"{q.idle_seconds:g} s idle window (scaled to 10 s), {q.change_window:g} s change "
        f"window, {q.flips} flips, {scenarios.MEMORY_PAGES // 2} pages for memory against half "
        f"the limit, {q.request_seconds:g} s of polling, {q.paused_seconds:g} s paused, "
        f"{q.key_presses} keys for 7 and 9, {q.parse_rounds} parsing rounds; no key-latency "
        "baselines.",
        "- Requests: counted by the bench server by method and path template.",
        "- Real size (10-13): `bench/server.py --apps 30000 --endpoints 321 --latency-ms 150 "
        "--rate-limit 20` on loopback. 10: bench/bare_fetch.py (Textual + httpx, one request, "
        "one row) and bench/sdk_first_page.py (svix SDK) as baselines, 5 interleaved runs after"
        " a warm-up, 15 s timeout. 11: requests and 429s from `/_bench/counts`, counted from "
        "process start. 13: --poll 0, requests between enter in the palette and the result, 4 s"
        " timeout. Quick (CI): 10 three runs each (no warm-up) with a 5 s timeout, 11 for "
        "15 s (at most 40 requests), 12 with a 4 s timeout, 13 as in full runs. 12: shown = "
        "the app named in the top bar and the picker's open-app line, and `updated …` in the "
        "top bar (with no endpoint open, said once the app's endpoint list is answered).",
        "- Memory: VmRSS from /proc/<pid>/status of the app process.",
        "",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="attempt-tui benchmarks")
    parser.add_argument(
        "--quick", action="store_true", help="short run for CI (about 2 min on 2 cores)"
    )
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated figure numbers or names, e.g. 1,4 or first-row,goto (names: "
        + ", ".join(f"{name}={number}" for name, number in NAMES.items())
        + ")",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="markdown report path (default: BENCHMARKS.md for full runs, none for --quick)",
    )
    parser.add_argument("--no-write", action="store_true", help="do not write a report")
    args = parser.parse_args(argv)
    mode = scenarios.QUICK if args.quick else scenarios.FULL
    chosen = [NAMES.get(n.strip(), n.strip()) for n in args.only.split(",") if n.strip()]
    chosen = chosen or list(SCENARIOS)
    unknown = [n for n in chosen if n not in SCENARIOS]
    if unknown:
        parser.error(f"unknown figure(s): {', '.join(unknown)}")

    started = time.monotonic()
    compile_package()
    machine = machine_info()
    print("machine: " + "; ".join(f"{k} {v}" for k, v in machine.items()))
    figures: list[Figure] = []
    for number in chosen:
        figures += run_scenario(number, mode)
    diagnostics: list[str] = []
    if not mode.quick and "1" in chosen:
        try:
            diagnostics = startup_diagnostics()
        except Exception as error:
            diagnostics = [f"diagnostics failed: {error}"]
    elapsed = time.monotonic() - started
    machine["load at end"] = _load()
    busy = [busy_warning(machine[key], os.cpu_count()) for key in ("load at start", "load at end")]
    warnings = [next(w for w in busy if w is not None)] if any(busy) else []

    print()
    print(text_table(figures))
    print()
    for fig in figures:
        for note in fig.notes:
            print(f"{fig.number}: {note}")
    for line in diagnostics:
        print(line)
    for warning in warnings:
        print(warning)
    output = args.output
    if output is None and not mode.quick and not args.only:
        output = ROOT / "BENCHMARKS.md"
    if output is not None and not args.no_write:
        output.write_text(markdown(figures, mode, machine, diagnostics, elapsed, warnings))
        print(f"\nwrote {output}")
    failed = failures(figures)
    print(f"\n{len(figures)} figures in {elapsed:.0f} s; ", end="")
    if failed:
        print(
            f"worse than {GUARD_FACTOR:g}x target: "
            + ", ".join(f"{fig.number} ({fig.title}: {fig.status})" for fig in failed)
        )
        return 1
    missed = [fig for fig in figures if not fig.ok]
    print("targets missed: " + (", ".join(fig.number for fig in missed) or "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
