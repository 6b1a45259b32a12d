"""The benchmark suite's pure helpers: statistics, verdicts, tables, screen reading, parsing."""

from __future__ import annotations

import math

import pyte
import pytest

from bench import screen as scr
from bench.report import (
    Figure,
    Measure,
    failures,
    markdown_table,
    median,
    percentile,
    text_table,
)
from bench.run import busy_warning, parse_importtime
from bench.scenarios import _bursts
from bench.server import BenchServer, big_text, path_template


def test_percentile_interpolates_and_rejects_empty() -> None:
    values = [10.0, 20.0, 30.0, 40.0, 50.0]
    assert percentile(values, 50) == 30.0
    assert percentile(values, 95) == pytest.approx(48.0)
    assert percentile(values, 0) == 10.0
    assert percentile(values, 100) == 50.0
    assert percentile([7.0], 95) == 7.0
    assert median([3.0, 1.0, 2.0]) == 2.0
    with pytest.raises(ValueError):
        percentile([], 50)


def test_measure_verdicts_use_the_target_and_twice_the_target() -> None:
    assert Measure("", 100, 100).ok
    slightly_over = Measure("", 150, 100)
    assert not slightly_over.ok and slightly_over.within_guard
    assert slightly_over.ratio == 1.5
    far_over = Measure("", 201, 100)
    assert not far_over.within_guard
    known_miss = Measure("ratio", 3.5, 1.5, "x", ceiling=4.5)
    assert not known_miss.ok and known_miss.within_guard  # 2x target would have failed it
    assert not Measure("ratio", 4.6, 1.5, "x", ceiling=4.5).within_guard
    zero_target = Measure("", 1, 0)
    assert math.isinf(zero_target.ratio) and not zero_target.within_guard
    assert Measure("", 0, 0).ok


def test_figure_status_and_failures() -> None:
    good = Figure("1", "fine", [Measure("p95", 40, 50, "ms")])
    missed = Figure("2", "missed", [Measure("", 1500, 1024, "B")])
    failed = Figure("3", "failed", [Measure("", 9000, 4096, "B")])
    check_failed = Figure("4", "check", [Measure("", 1, 10)], checks=[("cursor stays", False)])
    broken = Figure("5", "broken", error="Timeout: no rows\nscreen: ...")
    known = Figure("6", "known", [Measure("ratio", 3.5, 1.5, "x", ceiling=4.5)])
    assert known.status == "MISS (2.34x target; known miss, guard: ratio ceiling 4.50x)"
    assert good.status == "ok"
    assert missed.status.startswith("MISS (1.47x target")
    assert failed.status.startswith("FAIL (2.20x target")
    assert "failed: cursor stays" in check_failed.status
    assert broken.status == "ERROR"
    assert [f.number for f in failures([good, missed, failed, check_failed, broken, known])] == [
        "3",
        "4",
        "5",
    ]


def test_tables_show_every_figure_on_one_line_each() -> None:
    figures = [
        Figure("1", "Start-up", [Measure("ratio", 1.2, 1.5, "x")], baseline="bare 200 ms"),
        Figure("2", "Idle | pipes", [Measure("", 2048, 1024, "B")]),
        Figure("9", "Broken", error="Timeout: waited\nscreen dump"),
    ]
    text = text_table(figures)
    lines = text.splitlines()
    assert len(lines) == 2 + len(figures)
    assert "ratio 1.20x" in lines[2] and "ratio ≤ 1.50x" in lines[2] and "ok" in lines[2]
    assert "2048 B" in lines[3] and "MISS" in lines[3]
    assert "ERROR: Timeout: waited" in lines[4] and "screen dump" not in text
    md = markdown_table(figures).splitlines()
    assert md[0].startswith("| # | Figure |") and md[1].startswith("|---")
    assert "Idle \\| pipes" in md[3]


def test_path_template_replaces_ids_but_not_api_words() -> None:
    assert path_template("/api/v1/app/app_1/endpoint/ep_2/msg") == (
        "/api/v1/app/{id}/endpoint/{id}/msg"
    )
    assert path_template("/api/v1/app/acme/attempt/endpoint/ep_2") == (
        "/api/v1/app/{id}/attempt/endpoint/{id}"
    )
    assert path_template("/api/v1/app/a/attempt/msg/msg_3/") == "/api/v1/app/{id}/attempt/msg/{id}"
    assert path_template("/api/v1/app/a/msg/m/endpoint") == "/api/v1/app/{id}/msg/{id}/endpoint"
    assert path_template("/api/v1/app") == "/api/v1/app"


async def test_bench_server_serves_a_large_rate_limited_world_and_counts_429s() -> None:
    import httpx

    server = BenchServer(
        messages=None,
        delay=0.0,
        big_body=0,
        seed=7,
        large_apps=500,
        many_endpoints=12,
        rate_limit=1,  # one token a second: the second and third requests are refused
    )
    auth = {"Authorization": "Bearer testsk_bench"}
    transport = httpx.ASGITransport(app=server)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://b", headers=auth) as http:
        first = await http.get("/api/v1/app/cust-00500")
        assert first.status_code == 200 and first.json()["name"] == "Customer 00500"
        refused = [await http.get("/api/v1/app", params={"limit": 250}) for _ in range(2)]
        assert [r.status_code for r in refused] == [429, 429]
        assert int(refused[0].headers["retry-after"]) >= 1
        counts = (await http.get("/_bench/counts")).json()
        assert counts["statuses"] == {"200": 1, "429": 2} and counts["rate_limited"] == 2
        assert counts["counts"] == {"GET /api/v1/app/{id}": 1, "GET /api/v1/app": 2}
        info = (await http.get("/_bench/info")).json()
        assert info["app_uid"] == "acme-payments"
        await http.post("/_bench/reset")
        assert (await http.get("/_bench/counts")).json()["rate_limited"] == 0
    assert len(server.world.directory) == 3 + 1 + 500


def test_big_text_has_the_size_asked_and_a_marker_first() -> None:
    text = big_text(100_000)
    assert len(text) == 100_000
    assert text.startswith("BENCH-BIG-BODY")
    lines = text.splitlines()
    assert len(lines) > 1000 and all(line.isprintable() for line in lines)


def test_bursts_group_close_chunks() -> None:
    chunks = [(0.5, 10), (1.0, 100), (1.02, 50), (1.5, 7), (3.0, 1)]
    assert _bursts(chunks, since=1.0) == [(0.0, 150), (0.5, 7), (2.0, 1)]
    assert _bursts(chunks, since=4.0) == []


def _screen_with(lines: list[str], cursor: int | None = None) -> pyte.Screen:
    screen = pyte.Screen(120, 12)
    stream = pyte.Stream(screen)
    for number, line in enumerate(lines):
        bg = "\x1b[44m" if number == cursor else "\x1b[40m"
        stream.feed(f"\x1b[{number + 1};1H{bg}{line}\x1b[0m")
    return screen


TABLE = [
    " attempt-tui  demo",
    "│ Status      Created         Event type              Message / eventId              │",
    "│ ✔ success   an hour ago     payment.succeeded       evt_65fecfa1d571               │",
    "│ ✖ fail      an hour ago     customer.updated        msg_3MSFmIRylSmVCfBxnxjiTAu3c  │",
    "│ … pending   2 hours ago     invoice.paid            evt_d6a556f5a474               │",
    "│                                                                                    │",
    "│ Page 3 · 250 messages · 250/page · ] older                                         │",
    "│ msg_3MSFmIRylSmVCfBxnxjiTAu3cZZ  eventId —  customer.updated                       │",
]


def test_screen_reading_finds_rows_cursor_page_and_detail() -> None:
    screen = _screen_with(TABLE, cursor=3)
    rows = scr.message_rows(screen)
    assert [(r.line, r.status) for r in rows] == [(2, "success"), (3, "fail"), (4, "pending")]
    assert rows[0].ident == "evt_65fecfa1d571"
    # Cut short by the column: a prefix of the full id.
    assert rows[1].ident == "msg_3MSFmIRylSmVCfBxnxjiTAu3c"
    assert scr.same_message(rows[1].ident, "msg_3MSFmIRylSmVCfBxnxjiTAu3cZZ")
    assert not scr.same_message(rows[0].ident, "evt_000000000000")
    assert scr.has_message_row(screen)
    cursor = scr.cursor_row(screen)
    assert cursor is not None and cursor.line == 3
    assert scr.page_info(screen) == (3, 250)
    found = scr.find_row(screen, "msg_3MSFmIRylSmVCfBxnxjiTAu3cZZ")
    assert found is not None and found.line == 3
    assert scr.detail_shows(screen, "msg_3MSFmIRylSmVCfBxnxjiTAu3cZZ")
    assert not scr.detail_shows(screen, "evt_65fecfa1d571")  # only in the table


def test_no_cursor_when_no_row_stands_out_and_no_rows_without_a_table() -> None:
    assert scr.cursor_row(_screen_with(TABLE)) is None
    empty = _screen_with([" attempt-tui", "Loading messages…"])
    assert scr.message_rows(empty) == [] and scr.page_info(empty) is None
    assert not scr.has_message_row(empty)


def test_parse_importtime_keeps_the_largest_shallow_imports() -> None:
    stderr = "\n".join(
        [
            "import time: self [us] | cumulative | imported package",
            "import time:       100 |        100 |     deep.leaf.module.x",
            "import time:       500 |      90000 |   textual",
            "import time:      2000 |     150000 | textual.app",
            "import time:      3000 |       3000 | small",
            "some other line",
        ]
    )
    lines = parse_importtime(stderr, count=2, max_depth=1)
    assert lines == ["   150 ms  textual.app", "    90 ms    textual"]


def test_busy_warning_only_when_the_load_is_high() -> None:
    assert busy_warning("0.40 0.30 0.20", 2) is None
    assert busy_warning("1.00 0.30 0.20", 2) is None
    warning = busy_warning("4.20 3.00 2.00", 2)
    assert warning is not None and "4.20 3.00 2.00" in warning
    assert busy_warning("unknown", 2) is None


def test_markdown_report_has_machine_table_notes_and_warning() -> None:
    from bench.run import markdown
    from bench.scenarios import QUICK

    figures = [Figure("2", "Idle", [Measure("", 10, 1024, "B")], notes=["10 bytes in 4 s"])]
    machine = {"cpu": "Test CPU, 2 cores"}
    text = markdown(figures, QUICK, machine, ["import x: 1 ms"], 12.0, ["busy"])
    assert "`python bench/run.py --quick`" in text
    assert "Machine: cpu Test CPU, 2 cores" in text and "**busy**" in text
    assert "| 2 | Idle | 10 B | ≤ 1024 B |" in text
    assert "- **2. Idle.** 10 bytes in 4 s" in text and "import x: 1 ms" in text


def test_every_figure_has_a_name_and_a_title_and_only_takes_names() -> None:
    from bench import run

    assert set(run.NAMES.values()) == set(run.SCENARIOS) == set(run.TITLES)
    assert run.NAMES["first-row"] == "10" and run.NAMES["goto"] == "13"
    with pytest.raises(SystemExit):
        run.main(["--only", "no-such-figure", "--no-write"])


def test_the_walk_reads_which_platform_endpoints_were_opened_from_the_log() -> None:
    from bench.realsize import PLATFORM_UID, _platform_paths

    log = [
        [1.0, "GET", "/api/v1/app", ""],
        [1.1, "GET", f"/api/v1/app/{PLATFORM_UID}/endpoint", "limit=50"],
        [1.2, "GET", "/api/v1/app/app_P/endpoint/ep_A/msg", "limit=50"],
        [1.3, "GET", "/api/v1/app/app_P/endpoint/ep_A/stats", ""],
        [1.4, "GET", "/api/v1/app/app_Q/endpoint/ep_B/msg", ""],
        [1.5, "GET", "/api/v1/app/app_P/endpoint/ep_C/msg/", ""],
    ]
    assert _platform_paths(log, ("app_P", PLATFORM_UID)) == (True, {"ep_A", "ep_C"})
    assert _platform_paths(log[2:], ("app_P",)) == (False, {"ep_A", "ep_C"})


def test_the_real_size_baselines_are_importable_and_name_their_marker() -> None:
    from bench.bare_fetch import READY as BARE
    from bench.bare_flip import BareFlip
    from bench.sdk_first_page import READY as SDK

    assert BARE != SDK
    app = BareFlip([[["✔ success", "an hour ago", "invoice.paid", "evt_000000000001"]]])
    assert app.page == 0


def test_top_bar_picker_line_and_freshness_are_read_from_the_screen() -> None:
    # The top bar wraps to a second line when the open endpoint's URL is long.
    two_lines = _screen_with(
        [
            " attempt-tui   env  @ http://127.0.0.1:36733        updated just now · manual refresh",
            " app Umbrella Platform (321 endpoints) │ ep none",
            "╭─ Endpoints ────────────────────╮ No filters · / to filter",
            "│▾ Umbrella Platform (321        │╭─ Messages ───────────────╮",
        ]
    )
    assert "Umbrella Platform" in scr.top_bar(two_lines)
    assert "Endpoints" not in scr.top_bar(two_lines)
    assert scr.freshness(two_lines) == "updated just now"
    assert scr.picker_app_line(two_lines) == "▾ Umbrella Platform (321"
    loading = _screen_with(
        [
            " attempt-tui   env  @ http://127.0.0.1:1 │ app no app │ ep no endpoint   connecting…",
            "╭─ Endpoints ────────────────────╮ No filters · / to filter",
            "│▾ Loading apps…                 │╭─ Messages ───────────────╮",
            "│stats: all time · sort: API     ││ Status        Created     │",
        ]
    )
    assert scr.freshness(loading) == "connecting…"
    assert scr.picker_app_line(loading) == "▾ Loading apps…"
    assert scr.picker_app_line(_screen_with([" attempt-tui"])) is None
    assert scr.freshness(_screen_with([" attempt-tui"])) is None
