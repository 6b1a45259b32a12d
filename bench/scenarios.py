"""The figures. Each scenario starts its own processes and returns a `Figure`."""

from __future__ import annotations

import asyncio
import gc
import itertools
import json
import os
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench import realsize
from bench import screen as scr
from bench.procs import (
    BENCH_DIR,
    PYTHON,
    BenchServerProcess,
    app_argv,
    real_server_args,
    start_app,
    temp_home,
    terminal_env,
)
from bench.report import Figure, Measure, median, percentile
from bench.server import path_template
from bench.term import PtySession

BIG_BODY_BYTES = 5 * 1024 * 1024
MEMORY_PAGES = 40  # quick runs flip through half as many, against half the limit
MEMORY_LIMIT_MB = 30.0
PAGE_SIZE = 250
# Enough messages at the busiest endpoint for MEMORY_PAGES pages of PAGE_SIZE, plus slack.
BIG_WORLD_MESSAGES = 12_000
START_TIMEOUT = 30.0
# Worlds for byte counts are this old, so no "N seconds ago" text changes while watching.
AGED_WORLD_SECONDS = 3600.0
SLOW_SERVER_SECONDS = 1.5
FAR_SERVER_SECONDS = 0.1
VISIBLE_LISTS = 3
PAINT_TIMEOUT = 10.0
# Guards for targets not reached yet (see where each is used).
STARTUP_CEILING = 4.0  # known miss: 3.03x in the full run of 2026-12-02 02:51 UTC x1.3
STARTUP_TARGET = 2.5
FLIP_TARGET = 1.5
FLIP_CEILING: float | None = None

DETAIL_PATHS = (
    "GET /api/v1/app/{id}/attempt/msg/{id}",
    "GET /api/v1/app/{id}/msg/{id}",
    "GET /api/v1/app/{id}/msg/{id}/endpoint",
)
ATTEMPTS_BY_MSG = DETAIL_PATHS[0]


@dataclass(frozen=True)
class Mode:
    quick: bool
    startup_runs: int
    idle_seconds: float
    settle_seconds: float
    change_window: float
    flips: int
    flip_runs: int
    memory_runs: int
    request_seconds: float
    paused_seconds: float
    key_presses: int
    parse_rounds: int
    parse_per_round: int


FULL = Mode(
    quick=False,
    startup_runs=7,
    idle_seconds=10.0,
    settle_seconds=3.0,
    change_window=7.0,
    flips=20,
    flip_runs=2,
    memory_runs=2,
    request_seconds=60.0,
    paused_seconds=10.0,
    key_presses=30,
    parse_rounds=50,
    parse_per_round=50,
)
QUICK = Mode(
    quick=True,
    startup_runs=3,
    idle_seconds=4.0,
    settle_seconds=1.5,
    change_window=4.0,
    flips=4,
    flip_runs=1,
    memory_runs=1,
    request_seconds=5.0,
    paused_seconds=2.0,
    key_presses=8,
    parse_rounds=15,
    parse_per_round=30,
)


# ----------------------------------------------------------------------------- helpers


def _open_app(session: PtySession, server: BenchServerProcess | None = None) -> dict[str, Any]:
    """Wait for the first message row, then for the detail of the selected message."""
    session.wait_for(lambda: scr.has_message_row(session.screen), START_TIMEOUT, "a message row")
    info = server.get("info") if server is not None else {}
    if server is not None:
        first = info["rows"][0]["msg_id"]
        session.wait_for(
            lambda: scr.detail_shows(session.screen, first), START_TIMEOUT, "the first detail"
        )
    return info


def _settle(session: PtySession, gap: float = 0.3, timeout: float = 3.0) -> None:
    session.quiet(gap, timeout)


def _bursts(
    chunks: list[tuple[float, int]], since: float, gap: float = 0.05
) -> list[tuple[float, int]]:
    """(offset from `since` in s, bytes) of each write burst (chunks closer than `gap` s)."""
    bursts: list[tuple[float, int]] = []
    last = -1.0
    for stamp, size in chunks:
        if stamp < since:
            continue
        if bursts and stamp - last <= gap:
            bursts[-1] = (bursts[-1][0], bursts[-1][1] + size)
        else:
            bursts.append((stamp - since, size))
        last = stamp
    return bursts


def _ident(row: dict[str, Any]) -> str:
    return row["event_id"] or row["msg_id"]


def _ms(seconds: float) -> float:
    return seconds * 1000.0


def _cursor_line(session: PtySession) -> int | None:
    row = scr.cursor_row(session.screen)
    return row.line if row else None


# ----------------------------------------------------------------------------- 1 start-up


def startup(mode: Mode) -> Figure:
    """Process start to first message row (--demo), against a bare Textual app."""
    app_times: list[float] = []
    bare_times: list[float] = []
    app_cpu: list[float] = []
    bare_cpu: list[float] = []
    argv = app_argv("--demo", "--app", "acme-payments", "--endpoint", "ledger-prod")
    bare = [PYTHON, str(BENCH_DIR / "bare_app.py")]
    from bench.bare_app import READY

    def launch(
        command: list[str], ready: Callable[[PtySession], bool], *, app: bool, keep: bool
    ) -> None:
        stamp, cpu = _time_start(command, ready, app=app)
        if keep:
            (app_times if app else bare_times).append(stamp)
            (app_cpu if app else bare_cpu).append(cpu)

    # Full runs discard one warm-up of each (bytecode and page caches); runs interleave.
    # They also measure the floors (bench/start_floors.py): the bare app after the imports.
    warm_up = 0 if mode.quick else 1
    floors: dict[str, list[float]] = {} if mode.quick else {name: [] for name in FLOORS}
    for run in range(mode.startup_runs + warm_up):
        keep = run >= warm_up
        launch(bare, lambda s: s.contains(READY), app=False, keep=keep)
        launch(argv, lambda s: scr.has_message_row(s.screen), app=True, keep=keep)
        for name, times in floors.items():
            floor = [PYTHON, str(BENCH_DIR / "start_floors.py"), name]
            stamp, _ = _time_start(floor, lambda s: s.contains(READY), app=False)
            if keep:
                times.append(stamp)
    app_ms, bare_ms = _ms(median(app_times)), _ms(median(bare_times))
    ratios = sorted(a / b for a, b in zip(app_times, bare_times, strict=True))
    fig = Figure("1", "Start-up to first message row (--demo)")
    # Known miss: before its first row, --demo imports httpx, pydantic and Starlette and
    # builds the demo world (together about 1.3x the whole bare app), then draws a screen
    # of ~50 widgets. The floors (full runs) show the imports alone take 2.0-2.4x of the
    # bare app. The ceiling holds today's level so it cannot creep up.
    fig.measures.append(
        Measure("ratio", app_ms / bare_ms, STARTUP_TARGET, "x", ceiling=STARTUP_CEILING)
    )
    fig.baseline = f"bare Textual app {bare_ms:.0f} ms"
    fig.notes.append(
        f"attempt-tui --demo --app acme-payments --endpoint ledger-prod: median {app_ms:.0f} ms "
        f"(min {_ms(min(app_times)):.0f}, max {_ms(max(app_times)):.0f}) over "
        f"{len(app_times)} runs; bare app median {bare_ms:.0f} ms "
        f"(min {_ms(min(bare_times)):.0f}, max {_ms(max(bare_times)):.0f}); "
        f"per-run ratios {ratios[0]:.2f}..{ratios[-1]:.2f}. CPU time used by the first paint "
        f"(load-independent): app {_ms(median(app_cpu)):.0f} ms, bare app "
        f"{_ms(median(bare_cpu)):.0f} ms. --demo alone opens on the failing endpoint, not the "
        "busiest one, so the busiest endpoint is opened by flag. "
        f"If not reached, the CI guard holds it to {STARTUP_CEILING:g}x (today's level x1.3) "
        f"instead of {STARTUP_TARGET * 2:g}x. Before its "
        "first row --demo must import httpx, pydantic and Starlette and build the demo world "
        "(see 'Where start-up time goes'), about as much CPU as the whole bare app."
    )
    if floors:
        fig.notes.append(
            "Floors, the bare app started after part of the app's start and nothing else "
            "(bench/start_floors.py, medians of the same runs): "
            + "; ".join(
                f"{FLOORS[name]} {_ms(median(times)):.0f} ms, {_ms(median(times)) / bare_ms:.2f}x"
                for name, times in floors.items()
            )
            + "."
        )
    return fig


FLOORS = {
    "stack": "after importing pydantic, httpx, Starlette and the Textual widgets the app uses",
    "imports": "after importing every module the app imports before its first row",
    "world": "after those imports and the demo world built",
}


def _time_start(
    command: list[str], ready: Callable[[PtySession], bool], *, app: bool
) -> tuple[float, float]:
    """Seconds from fork until `ready` holds, and the CPU seconds used by then; `app` starts
    attempt-tui (its token and settings), otherwise a plain program in the same terminal."""
    with temp_home() as home:
        if app:
            session = start_app(command, home)
        else:
            session = PtySession(command, env=terminal_env(home), cwd=home)
        try:
            stamp = session.wait_for(lambda: ready(session), START_TIMEOUT, "first paint")
            cpu = session.cpu_seconds()
        finally:
            session.close()
    return stamp - session.started, cpu


# ----------------------------------------------------------------------------- 2 idle


@dataclass(frozen=True)
class Watch:
    """What the terminal saw during a window."""

    written: int
    bursts: list[tuple[float, int]]
    changed_lines: list[int]
    requests: int


def _watch(session: PtySession, server: BenchServerProcess, seconds: float) -> Watch:
    before = session.screen.display[:]
    server.post("reset")
    start_bytes = session.bytes_total
    since = time.perf_counter()
    session.pump(seconds)
    after = session.screen.display
    changed = [n for n, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    return Watch(
        session.bytes_total - start_bytes,
        _bursts(session.chunks, since),
        changed,
        sum(server.get("counts")["counts"].values()),
    )


def _burst_text(bursts: list[tuple[float, int]], limit: int = 8) -> str:
    shown = ", ".join(f"+{offset:.2f} s {size} B" for offset, size in bursts[:limit])
    more = f", … {len(bursts) - limit} more" if len(bursts) > limit else ""
    return f"{len(bursts)} write bursts ({shown}{more})" if bursts else "no writes"


def _idle_watch(age: float, seconds: float, settle: float) -> Watch:
    with BenchServerProcess("--age", str(age)) as server, temp_home() as home:
        session = start_app(real_server_args(server, "--poll", "1"), home)
        try:
            _open_app(session, server)
            session.pump(settle)  # let the first endpoint-stats refresh etc. pass
            return _watch(session, server, seconds)
        finally:
            session.close()


def idle(mode: Mode) -> Figure:
    """Bytes written in 10 s at poll 1 s while nothing changes."""
    watch = _idle_watch(AGED_WORLD_SECONDS, mode.idle_seconds, mode.settle_seconds)
    per_10s = watch.written * 10.0 / mode.idle_seconds
    fig = Figure("2", "Idle traffic, poll 1 s, 10 s")
    fig.measures.append(Measure("", per_10s, 1024, "B"))
    fig.baseline = "—"
    fig.notes.append(
        f"{watch.written} bytes in {mode.idle_seconds:g} s: {_burst_text(watch.bursts)}; "
        f"screen lines changed: {watch.changed_lines[:12] or 'none'}; {watch.requests} "
        f"requests served meanwhile. The world is {AGED_WORLD_SECONDS:g} s old, so relative "
        'times ("an hour ago") cannot change in the window.'
    )
    if not mode.quick:
        fresh = _idle_watch(0.0, mode.idle_seconds, mode.settle_seconds)
        fig.notes.append(
            f"With a world whose newest messages are seconds old, the Created column's "
            f'"N seconds ago" cells change: {fresh.written} bytes in {mode.idle_seconds:g} s, '
            f"{_burst_text(fresh.bursts)}, lines {fresh.changed_lines[:14]}."
        )
    return fig


# ----------------------------------------------------------------------------- 3 one change


def one_change(mode: Mode) -> Figure:
    """Bytes written when one visible message (above the cursor) changes status."""
    cursor_row_index, changed_row_index = 3, 1
    with BenchServerProcess("--age", str(AGED_WORLD_SECONDS)) as server, temp_home() as home:
        session = start_app(real_server_args(server, "--poll", "1"), home)
        try:
            info = _open_app(session, server)
            rows = info["rows"]
            session.send("j" * cursor_row_index)
            target = _ident(rows[cursor_row_index])
            session.wait_for(
                lambda: (
                    (row := scr.cursor_row(session.screen)) is not None
                    and scr.same_message(row.ident, target)
                ),
                PAINT_TIMEOUT,
                "the cursor on row 3",
            )
            wanted = rows[cursor_row_index]["msg_id"]
            session.wait_for(
                lambda: scr.detail_shows(session.screen, wanted), PAINT_TIMEOUT, "row 3's detail"
            )
            session.pump(mode.settle_seconds)
            idle_watch = (  # the same window with nothing changing (figure 2 in quick runs)
                None if mode.quick else _watch(session, server, mode.change_window)
            )
            before = scr.cursor_row(session.screen)
            flipped = server.post("flip", f"row={changed_row_index}")
            changed_ident = flipped["event_id"] or flipped["msg_id"]
            new_label = "success" if flipped["after"] == 0 else "fail"
            start_bytes = session.bytes_total
            flip_time = time.perf_counter()
            painted = session.wait_for(
                lambda: (
                    (row := scr.find_row(session.screen, changed_ident)) is not None
                    and row.status == new_label
                ),
                PAINT_TIMEOUT,
                "the changed status",
            )
            session.pump(max(0.0, flip_time + mode.change_window - time.perf_counter()))
            written = session.bytes_total - start_bytes
            bursts = _bursts(session.chunks, flip_time)
            after = scr.cursor_row(session.screen)
        finally:
            session.close()
    fig = Figure("3", "One status change: bytes written")
    fig.measures.append(Measure("", written, 4096, "B"))
    stayed = before is not None and after is not None and before.ident == after.ident
    same_line = before is not None and after is not None and before.line == after.line
    fig.checks.append(("cursor stays on its message", stayed and same_line))
    idle_text = f"{idle_watch.written} B" if idle_watch else "not measured (quick)"
    fig.baseline = f"idle {idle_text} in the same window"
    fig.notes.append(
        f"{written} bytes in the {mode.change_window:g} s after row 1 changed status "
        f"(cursor on row 3; a 7 s window always holds one endpoint-stats refresh, which "
        f"comes every 6 polls): "
        f"{_burst_text(bursts)}; the same window idle: {idle_text}. The change was "
        f"painted {_ms(painted - flip_time):.0f} ms after the server changed (poll 1 s); "
        f"cursor before {before.ident if before else None} on line "
        f"{before.line if before else None}, after {after.ident if after else None} on line "
        f"{after.line if after else None}."
    )
    return fig


# ----------------------------------------------------------------------------- 4/5 paging


def _flip_pages(
    session: PtySession,
    flips: int,
    *,
    settle: bool,
    on_page: Callable[[int], None] | None = None,
) -> list[float]:
    """Press `]` `flips` times; the key-to-painted latency (s) of each.

    With `settle`, each flip starts from a quiet screen: the detail of the new page's first
    row is shown and nothing is written for 0.1 s. Without, the next key follows the paint.
    """
    latencies: list[float] = []
    for _ in range(flips):
        info = scr.page_info(session.screen)
        rows = scr.message_rows(session.screen)
        if info is None or not rows:
            raise RuntimeError("no page info or rows on screen before a page flip")
        number, first = info[0], rows[0].ident

        def flipped(number: int = number, first: str | None = first) -> bool:
            now = scr.page_info(session.screen)
            top = scr.message_rows(session.screen)
            return now is not None and now[0] == number + 1 and bool(top) and top[0].ident != first

        pressed = session.send("]")
        painted = session.wait_for(flipped, PAINT_TIMEOUT, f"page {number + 1}")
        latencies.append(painted - pressed)
        if settle:
            top = scr.message_rows(session.screen)[0].ident or ""
            session.wait_for(
                lambda top=top: scr.detail_shows(session.screen, top), PAINT_TIMEOUT, "detail"
            )
            _settle(session, gap=0.1, timeout=3.0)
        if on_page is not None:
            on_page(number + 1)
    return latencies


def _client_page_times(
    url: str, app_id: str, endpoint_id: str, pages: int, repeat: int
) -> list[float]:
    """The baseline: SvixClient fetching and parsing the same pages, alone."""
    from attempt_tui.api.budget import RequestBudget
    from attempt_tui.api.client import SvixClient
    from attempt_tui.secret import Secret

    async def run() -> list[float]:
        # A budget that never throttles: the baseline measures the server, not the limiter.
        budget = RequestBudget(rate=1e6, burst=10**6, max_in_flight=64)
        client = SvixClient(Secret("bench"), url, budget=budget)
        try:
            iterators: list[str | None] = [None]
            for _ in range(pages):
                page = await client.list_attempted_messages(
                    app_id, endpoint_id, limit=PAGE_SIZE, iterator=iterators[-1], with_content=False
                )
                iterators.append(page.iterator)
            times: list[float] = []
            for _ in range(repeat):
                for iterator in iterators[1 : pages + 1]:
                    started = time.perf_counter()
                    page = await client.list_attempted_messages(
                        app_id, endpoint_id, limit=PAGE_SIZE, iterator=iterator, with_content=False
                    )
                    times.append(time.perf_counter() - started)
                    assert len(page.data) == PAGE_SIZE
            return times
        finally:
            await client.aclose()
            budget.close()

    return asyncio.run(run())


def _start_on_first_page(server: BenchServerProcess, home: str) -> PtySession:
    """The app showing page 1 of PAGE_SIZE rows at the busiest endpoint, polling off."""
    session = start_app(
        real_server_args(server, "--poll", "0", "--page-size", str(PAGE_SIZE)), home
    )
    try:
        _open_app(session, server)
        session.wait_for(
            lambda: scr.page_info(session.screen) == (1, PAGE_SIZE), PAINT_TIMEOUT, "page 1 info"
        )
    except BaseException:
        session.close()
        raise
    return session


def _flip_run(server: BenchServerProcess, flips: int) -> list[float]:
    """One app on page 1 of 250 rows, flipping `flips` times from a quiet screen."""
    with temp_home() as home:
        session = _start_on_first_page(server, home)
        try:
            _settle(session, gap=0.5, timeout=5.0)
            return _flip_pages(session, flips, settle=True)
        finally:
            session.close()


_STATUS_LABELS = {0: "✔ success", 1: "… pending", 2: "✖ fail", 3: "⟳ sending", 4: "⊘ canceled"}


def _page_rows(url: str, app_id: str, endpoint_id: str, pages: int) -> list[list[list[str]]]:
    """The first `pages` pages of PAGE_SIZE messages as rows of the bare flip table."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    out: list[list[list[str]]] = []
    iterator: str | None = None
    for _ in range(pages):
        query = f"limit={PAGE_SIZE}&with_content=false" + (
            f"&iterator={iterator}" if iterator else ""
        )
        request = urllib.request.Request(
            f"{url}/api/v1/app/{app_id}/endpoint/{endpoint_id}/msg?{query}",
            headers={"Authorization": "Bearer bench"},
        )
        with opener.open(request, timeout=30) as response:
            page = json.loads(response.read())
        out.append(
            [
                [
                    _STATUS_LABELS.get(item["status"], str(item["status"])),
                    "an hour ago",
                    item["eventType"],
                    item.get("eventId") or item["id"],
                ]
                for item in page["data"]
            ]
        )
        iterator = page["iterator"]
    return out


def _bare_flips(pages: list[list[list[str]]], flips: int) -> list[float]:
    """The same flips on bench/bare_flip.py: a bare DataTable swapping in the same rows."""
    with temp_home() as home:
        path = os.path.join(home, "pages.json")
        with open(path, "w") as out:
            json.dump(pages, out)
        session = PtySession(
            [PYTHON, str(BENCH_DIR / "bare_flip.py"), path], env=terminal_env(home), cwd=home
        )
        try:
            session.wait_for(
                lambda: scr.page_info(session.screen) == (1, PAGE_SIZE), START_TIMEOUT, "table"
            )
            _settle(session, gap=0.5, timeout=5.0)
            return _flip_pages(session, flips, settle=True)
        finally:
            session.close()


def page_flip(mode: Mode) -> Figure:
    """`]` on 250-row pages: key to painted, against a bare DataTable swapping the same rows."""
    latencies: list[float] = []
    with BenchServerProcess("--messages", str(BIG_WORLD_MESSAGES)) as server:
        info = server.get("info")
        ids = (server.url, info["app_id"], info["endpoint_id"])
        bare = _bare_flips(_page_rows(*ids, mode.flips + 1), mode.flips)
        client = _client_page_times(*ids, mode.flips, repeat=3)
        for _ in range(mode.flip_runs):
            latencies += _flip_run(server, mode.flips)
        far: tuple[list[float], list[float]] | None = None
        if not mode.quick:
            # Loopback answers in a few ms; with a far-away server the ratio reads differently.
            server.post("delay", f"seconds={FAR_SERVER_SECONDS}")
            far = (_client_page_times(*ids, 10, repeat=1), _flip_run(server, 10))
    p50, p95 = _ms(percentile(latencies, 50)), _ms(percentile(latencies, 95))
    b50, b95 = _ms(percentile(bare, 50)), _ms(percentile(bare, 95))
    c50, c95 = _ms(percentile(client, 50)), _ms(percentile(client, 95))
    fig = Figure("4", "Page flip `]`, 250 rows")
    # The target is against the bare DataTable in the same run: an absolute p95 (the figure's
    # old target, 150 ms) follows the machine's load and is reported in the notes only.
    fig.measures.append(Measure("p95/bare", p95 / b95, FLIP_TARGET, "x", ceiling=FLIP_CEILING))
    fig.baseline = f"bare DataTable p50 {b50:.0f} ms, p95 {b95:.0f} ms"
    fig.notes.append(
        f"{len(latencies)} flips: p50 {p50:.0f} ms, p95 {p95:.0f} ms, max "
        f"{_ms(max(latencies)):.0f} ms (p50/bare p50 {p50 / b50:.2f}x). Baseline: "
        f"bench/bare_flip.py, a bare Textual DataTable that clears and adds the same "
        f"{PAGE_SIZE} rows per `]` (the floor of the stack), {len(bare)} flips in the same "
        "harness. --poll 0 so no poll overlaps a flip; each flip starts from a quiet screen "
        "(detail of the new page's first row loaded). The next page is prefetched, so a flip "
        f"is mostly drawing {PAGE_SIZE} new rows. The client alone (SvixClient fetching the "
        f"same pages, with_content=false, unthrottled budget) takes p50 {c50:.0f} ms, p95 "
        f"{c95:.0f} ms over {len(client)} fetches."
    )
    if FLIP_CEILING is not None and p95 / b95 > FLIP_TARGET:
        fig.notes.append(
            f"Ceiling (target not met yet): the guard holds p95/bare to {FLIP_CEILING:g}x, "
            "today's level x1.3."
        )
    if far is not None:
        client_far, app_far = _ms(median(far[0])), _ms(median(far[1]))
        fig.notes.append(
            f"With every answer delayed {_ms(FAR_SERVER_SECONDS):.0f} ms (a far server): "
            f"client alone p50 {client_far:.0f} ms, app p50 {app_far:.0f} ms "
            f"(p95 {_ms(percentile(far[1], 95)):.0f} ms), ratio {app_far / client_far:.2f}x."
        )
    return fig


def memory(mode: Mode) -> Figure:
    """RSS growth flipping through 40 pages of 250 messages."""
    growths: list[float] = []
    details: list[str] = []
    pages = MEMORY_PAGES // 2 if mode.quick else MEMORY_PAGES
    limit = MEMORY_LIMIT_MB * pages / MEMORY_PAGES
    with BenchServerProcess("--messages", str(BIG_WORLD_MESSAGES)) as server:
        for _ in range(mode.memory_runs):
            with temp_home() as home:
                session = _start_on_first_page(server, home)
                try:
                    session.pump(mode.settle_seconds)
                    first = session.rss_kb()
                    samples: dict[int, int] = {}

                    def sample(
                        page: int, s: PtySession = session, out: dict[int, int] = samples
                    ) -> None:
                        if page % 10 == 0:
                            out[page] = s.rss_kb()

                    _flip_pages(session, pages - 1, settle=False, on_page=sample)
                    session.pump(mode.settle_seconds)
                    last = session.rss_kb()
                finally:
                    session.close()
            growths.append((last - first) / 1024.0)
            trail = ", ".join(f"p{page} {kb / 1024:.0f}" for page, kb in sorted(samples.items()))
            sampled = sorted(samples)
            slope = (
                (samples[sampled[-1]] - samples[sampled[0]]) / 1024 / (sampled[-1] - sampled[0])
                if len(sampled) > 1
                else 0.0
            )
            details.append(
                f"{first / 1024:.0f} -> {last / 1024:.0f} MB ({trail}; "
                f"{slope:.2f} MB per page from p{sampled[0]} on)"
            )
    growth = median(growths)
    fig = Figure("5", f"Memory: RSS growth over {pages} pages")
    fig.measures.append(Measure("", growth, limit, "MB"))
    fig.baseline = "RSS after page 1"
    fig.notes.append(
        f"VmRSS of the app process after page 1 vs after page {pages} "
        f"({pages * PAGE_SIZE:,} messages; each page shown as soon as the last one painted), "
        f"{len(growths)} run(s): " + "; ".join(details)
    )
    return fig


# ----------------------------------------------------------------------------- 6 requests


def requests(mode: Mode) -> list[Figure]:
    """Requests per poll per list, none while paused, and debounced detail loads."""
    hold_keys = 100
    with BenchServerProcess() as server, temp_home() as home:
        argv = real_server_args(server, "--poll", "1", "--page-size", str(PAGE_SIZE))
        session = start_app(argv, home)
        try:
            info = _open_app(session, server)
            rows = info["rows"]
            session.pump(mode.settle_seconds)
            # (a) one view, polling
            server.post("reset")
            session.pump(mode.request_seconds)
            polling = server.get("counts")["counts"]
            # (b) paused
            session.send("p")
            session.wait_text("PAUSED", PAINT_TIMEOUT)
            session.pump(1.5)  # let requests already in flight finish
            server.post("reset")
            session.pump(mode.paused_seconds)
            paused = server.get("counts")["counts"]
            session.send("p")
            session.pump(1.0)
            # (c) holding j
            server.post("reset")
            sent: list[float] = []
            for _ in range(hold_keys):
                sent.append(session.send("j"))
                session.pump(max(0.0, sent[-1] + 1 / 30 - time.perf_counter()))
            final = rows[hold_keys]
            shown = True
            try:
                session.wait_for(
                    lambda: scr.detail_shows(session.screen, final["msg_id"]),
                    PAINT_TIMEOUT,
                    "row 100's detail",
                )
            except Exception:
                shown = False
            session.pump(0.5)
            cursor = scr.cursor_row(session.screen)
            log = server.get("log")["log"]
        finally:
            session.close()

    # A window of T s at poll 1 s can hold T + 1 turns of a lane, depending on where it falls.
    turns = mode.request_seconds + 1
    per_kind = {kind: count / turns for kind, count in sorted(polling.items())}
    worst_kind, worst = max(per_kind.items(), key=lambda item: item[1])
    total = sum(polling.values())
    fig_a = Figure("6a", "Requests per poll per list (poll 1 s)")
    fig_a.measures.append(Measure("max per path", worst, 1.0, "/poll"))
    fig_a.baseline = "—"
    fig_a.notes.append(
        f"{total} requests in {mode.request_seconds:g} s on the busiest endpoint's page 1 "
        f"(250 rows), divided by {turns:g} possible poll turns: "
        + ", ".join(f"{kind} {rate:.2f}" for kind, rate in per_kind.items())
        + f". Worst path: {worst_kind}. In all {total / turns:.2f} per poll for "
        f"{VISIBLE_LISTS} visible lists (endpoint picker with its stats, messages, the "
        "highlighted message's attempts); where the message was sent is asked for only "
        "while the Destinations or Timeline tab is open (not here)."
    )

    fig_b = Figure("6b", "Requests while paused")
    fig_b.measures.append(Measure("", float(sum(paused.values())), 0.0, "req"))
    fig_b.baseline = "—"
    fig_b.notes.append(f"{mode.paused_seconds:g} s paused: {paused or 'no requests'}.")

    detail_log = [entry for entry in log if _template(entry) in DETAIL_PATHS]
    # Count up to and including the load of the final row; later ones are its regular polls.
    cut = next(
        (
            index
            for index, entry in enumerate(detail_log)
            if _template(entry) == ATTEMPTS_BY_MSG and final["msg_id"] in entry[2]
        ),
        len(detail_log) - 1,
    )
    caused = detail_log[: cut + 1]
    row_of = {row["msg_id"]: index for index, row in enumerate(rows)}
    loaded_rows = [
        row_of.get(entry[2].rstrip("/").rsplit("/", 1)[-1], -1)
        for entry in caused
        if _template(entry) == ATTEMPTS_BY_MSG
    ]
    loads = len(loaded_rows)
    fig_c = Figure("6c", "Holding j for 100 rows: detail loads")
    fig_c.measures.append(Measure("", float(loads), 10.0, "loads"))
    on_final = cursor is not None and scr.same_message(cursor.ident, _ident(final))
    fig_c.checks.append(("last row's detail shown", shown and on_final))
    fig_c.baseline = "—"
    fig_c.notes.append(
        f"100 `j` at 30/s from row 0: {loads} detail loads ({len(caused)} HTTP requests: "
        f"attempts and message) until row 100's detail was requested; rows "
        f"loaded: {loaded_rows} (largest gap between two key writes "
        f"{_ms(max(b - a for a, b in itertools.pairwise(sent))):.0f} ms, debounce 150 ms); "
        f"cursor ends on {cursor.ident if cursor else None} (row 100 is {_ident(final)}); "
        f"its detail shown: {shown}."
    )
    return [fig_a, fig_b, fig_c]


def _template(entry: list[Any]) -> str:
    return f"{entry[1]} {path_template(entry[2])}"


# ----------------------------------------------------------------------------- 7 responsive


def _key_latencies(
    session: PtySession,
    presses: int,
    intervals: tuple[float, ...],
    before_key: Callable[[], None] | None = None,
    after_key: Callable[[str], None] | None = None,
) -> list[float]:
    """Alternate j/k between rows 0 and 1; time from each key to the cursor repainted."""
    rows = scr.message_rows(session.screen)
    lines = (rows[0].line, rows[1].line)
    latencies: list[float] = []
    for index in range(presses):
        key = "j" if index % 2 == 0 else "k"
        expected = lines[1] if key == "j" else lines[0]
        if before_key is not None:
            before_key()
        pressed = session.send(key)
        painted = session.wait_for(
            lambda expected=expected: _cursor_line(session) == expected, 5.0, "the cursor"
        )
        latencies.append(painted - pressed)
        if after_key is not None:
            after_key(key)
        rest = intervals[index % len(intervals)] - (time.perf_counter() - pressed)
        session.pump(max(0.0, rest))
    return latencies


def _key_floor(presses: int) -> str:
    """The same key measurement on a bare Textual DataTable: harness plus Textual floor."""
    with temp_home() as home:
        session = PtySession(
            [PYTHON, str(BENCH_DIR / "bare_table.py")], env=terminal_env(home), cwd=home
        )
        try:
            session.wait_for(lambda: _cursor_line(session) is not None, START_TIMEOUT, "table")
            session.pump(0.5)
            floor = _key_latencies(session, presses, (0.23, 0.41, 0.17, 0.61, 0.33))
        finally:
            session.close()
    p50, p95 = _ms(median(floor)), _ms(percentile(floor, 95))
    return f"bare DataTable p50 {p50:.0f} ms, p95 {p95:.0f} ms"


def responsiveness(mode: Mode) -> Figure:
    """Cursor keys against a server that answers after 1.5 s."""
    in_flight: list[int] = []
    with BenchServerProcess() as server, temp_home() as home:
        session = start_app(real_server_args(server, "--poll", "1"), home)
        try:
            _open_app(session, server)
            # Slow from now on (starting slow only makes the start-up longer).
            server.post("delay", f"seconds={SLOW_SERVER_SECONDS}")
            session.pump(2.0)  # every lane now has a slow request in flight
            latencies = _key_latencies(
                session,
                mode.key_presses,
                (0.23, 0.41, 0.17, 0.61, 0.33),
                before_key=lambda: in_flight.append(server.get("counts")["in_flight"]),
            )
        finally:
            session.close()
    p50, p95 = _ms(percentile(latencies, 50)), _ms(percentile(latencies, 95))
    busy = sum(1 for n in in_flight if n > 0)
    fig = Figure("7", "Cursor key with 1.5 s server latency")
    fig.measures.append(Measure("p95", p95, 50, "ms"))
    fig.baseline = "—" if mode.quick else _key_floor(mode.key_presses)
    fig.notes.append(
        f"{len(latencies)} j/k presses: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max "
        f"{_ms(max(latencies)):.1f} ms; a request was in flight at {busy} of "
        f"{len(in_flight)} presses (poll 1 s)."
    )
    return fig


# ----------------------------------------------------------------------------- 8 parsing


def parsing(mode: Mode) -> Figure:
    """Our models against the svix SDK's on the same 250-attempt page (in-process)."""
    from svix.models import ListResponseMessageAttemptOut

    from attempt_tui.api.client import _ATTEMPT_PAGE

    with BenchServerProcess() as server:
        info = server.get("info")
        url = (
            f"{server.url}/api/v1/app/{info['app_id']}/attempt/endpoint/"
            f"{info['endpoint_id']}?limit=250"
        )
        request = urllib.request.Request(url, headers={"Authorization": "Bearer bench"})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(request, timeout=30) as response:
            raw = response.read()
    count = len(json.loads(raw)["data"])

    candidates: dict[str, Callable[[], object]] = {
        "ours": lambda: _ATTEMPT_PAGE.model_validate_json(raw),
        "sdk_json": lambda: ListResponseMessageAttemptOut.model_validate_json(raw),
        "sdk_own": lambda: ListResponseMessageAttemptOut.model_validate(json.loads(raw)),
    }
    for parse in candidates.values():  # warm up (schema build, caches)
        parse()
    per_round: dict[str, list[float]] = {name: [] for name in candidates}
    names = list(candidates)
    for round_number in range(mode.parse_rounds):
        # Each parser runs in its own block after a full collection, in an order that
        # rotates per round: interleaved, each one paid for the garbage the one before left.
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            parse = candidates[name]
            gc.collect()
            samples: list[float] = []
            for _ in range(mode.parse_per_round):
                started = time.perf_counter()
                parse()
                samples.append(time.perf_counter() - started)
            per_round[name].append(median(samples))
    ratios = [o / s for o, s in zip(per_round["ours"], per_round["sdk_json"], strict=True)]
    ratios_own = [o / s for o, s in zip(per_round["ours"], per_round["sdk_own"], strict=True)]
    ours, sdk = _ms(median(per_round["ours"])), _ms(median(per_round["sdk_json"]))
    sdk_own = _ms(median(per_round["sdk_own"]))
    fig = Figure("8", "Parsing a 250-attempt page")
    fig.measures.append(Measure("ours/SDK", median(ratios), 1.0, "x"))
    fig.baseline = f"svix SDK {sdk:.2f} ms"
    fig.notes.append(
        f"{count} attempts, {len(raw) / 1024:.0f} KiB with response bodies; "
        f"Page[MessageAttemptOut].model_validate_json {ours:.2f} ms vs "
        f"ListResponseMessageAttemptOut.model_validate_json {sdk:.2f} ms: ratio median "
        f"{median(ratios):.2f} (p10 {percentile(ratios, 10):.2f}, p90 "
        f"{percentile(ratios, 90):.2f}) over {mode.parse_rounds} rounds of "
        f"{mode.parse_per_round} (each parser in its own block after gc.collect(), order "
        f"rotating per round); the SDK's own client path (json.loads + model_validate) "
        f"takes {sdk_own:.2f} ms (ours/that {median(ratios_own):.2f})."
    )
    return fig


# ----------------------------------------------------------------------------- 9 big body


def big_body(mode: Mode) -> Figure:
    """A 5 MB response body on the selected message: cursor keys must still repaint fast."""
    marker = "BENCH-BIG-BODY"
    shown_after: list[float] = []
    with BenchServerProcess("--big-body", str(BIG_BODY_BYTES)) as server, temp_home() as home:
        session = start_app(real_server_args(server, "--poll", "1"), home)
        try:
            rows_painted = session.wait_for(
                lambda: scr.has_message_row(session.screen), START_TIMEOUT, "a message row"
            )
            first_shown = session.wait_text(marker, PAINT_TIMEOUT)
            session.pump(1.0)
            pending: dict[str, float] = {}

            def before_key() -> None:
                pending["pressed"] = time.perf_counter()
                pending["absent"] = float(not session.contains(marker))

            def after_key(key: str) -> None:
                if key != "k" or not pending.get("absent"):
                    return
                try:
                    stamp = session.wait_text(marker, 0.5)
                except Exception:
                    return
                shown_after.append(stamp - pending["pressed"])

            latencies = _key_latencies(
                session,
                mode.key_presses,
                (0.45, 0.7, 0.3, 0.95, 0.55),
                before_key=before_key,
                after_key=after_key,
            )
            wrote = session.bytes_total
        finally:
            session.close()
    p50, p95 = _ms(percentile(latencies, 50)), _ms(percentile(latencies, 95))
    fig = Figure("9", "Cursor key with a 5 MB response body")
    fig.measures.append(Measure("p95", p95, 50, "ms"))
    fig.baseline = "—" if mode.quick else _key_floor(mode.key_presses)
    shown = (
        f"p50 {_ms(median(shown_after)):.0f} ms after `k` ({len(shown_after)} times)"
        if shown_after
        else "never within 0.5 s of `k`"
    )
    fig.notes.append(
        f"{len(latencies)} j/k presses between the message with the 5 MiB body and its "
        f"neighbour (poll 1 s): p50 {p50:.1f} ms, p95 {p95:.1f} ms, max "
        f"{_ms(max(latencies)):.1f} ms. Body's first line shown "
        f"{_ms(first_shown - rows_painted):.0f} ms after the rows at start; shown again "
        f"{shown}. {wrote / 1024:.0f} KiB written to the terminal in all."
    )
    return fig


# ----------------------------------------------------------------------------- 10-13 real size


def real_first_row(mode: Mode) -> Figure:
    """Figure 10: first message row at real size, against bare Textual + 1 request and the SDK."""
    if mode.quick:  # the median of 3 runs: one cold run is too noisy for its ceiling
        return realsize.first_row(runs=3, warm_up=0, timeout=5.0, gap=0.2)
    return realsize.first_row(runs=5, warm_up=1, timeout=15.0)


def real_endpoint_walk(mode: Mode) -> Figure:
    """Figure 11: a minute (15 s when quick) moving through a 321-endpoint app."""
    if mode.quick:
        return realsize.endpoint_walk(15.0, 40.0)
    return realsize.endpoint_walk(60.0, 150.0)


def real_far_app(mode: Mode) -> Figure:
    """Figure 12: --app cust-27000 shows its endpoint list within 3 round trips."""
    return realsize.far_app(timeout=4.0 if mode.quick else 10.0)


def real_goto(mode: Mode) -> list[Figure]:
    """Figure 13: go to an app uid and an eventId, at most 3 requests each."""
    # The same go-to timeout in both modes, so request counts of a go-to that never ends compare.
    return realsize.goto(timeout=4.0, start_timeout=5.0 if mode.quick else 15.0)
