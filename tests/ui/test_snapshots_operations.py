"""How the operator and live-operations views look (pytest-textual-snapshot)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import TabbedContent

from attempt_tui.audit import AuditLog
from attempt_tui.ui.app import AttemptApp
from attempt_tui.ui.widgets.detail import DetailPane
from attempt_tui.ui.widgets.endpoint_picker import EndpointPicker
from attempt_tui.ui.widgets.headers import AttemptHeaders
from attempt_tui.ui.widgets.message_table import MessageTable
from tests.ui.helpers import open_endpoint_settings, wait_for

WIDE = (120, 40)


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def detail_with_attempts(pilot, app) -> None:
    detail = app.screen.query_one(DetailPane)
    await wait_for(pilot, lambda: detail.detail is not None)
    while not detail.detail.attempts:
        current = detail.detail.msg_id
        await pilot.press("j")
        await wait_for(pilot, lambda: detail.detail.msg_id != current)  # noqa: B023


def test_picker_sorted_and_found(snap_compare, make_demo_app) -> None:
    app = make_demo_app()

    async def run_before(pilot) -> None:
        picker = app.screen.query_one(EndpointPicker)
        await wait_for(pilot, lambda: len(picker.stats) == len(picker.endpoints) > 0)
        await pilot.press("s", "slash", *"acme")
        await settle(pilot)

    assert snap_compare(app, terminal_size=WIDE, run_before=run_before)


def test_command_palette_go_to(snap_compare, make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))

    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: app.screen.query_one(MessageTable).row_count > 0)
        await pilot.press("colon", *"resend")
        await settle(pilot)
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=WIDE, run_before=run_before)


def test_copy_menu(snap_compare, make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))

    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: app.screen.query_one(DetailPane).detail is not None)
        await pilot.press("Y")
        await settle(pilot)

    assert snap_compare(app, terminal_size=WIDE, run_before=run_before)


def test_recover_dialog(snap_compare, make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo, "flaky"))

    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: app.screen.query_one(MessageTable).row_count > 0)
        await pilot.press("ctrl+r")
        await pilot.press("4")  # last week
        await settle(pilot)
        await pilot.pause(0.3)
        await settle(pilot)

    assert snap_compare(app, terminal_size=WIDE, run_before=run_before)


def test_timeline_tab(snap_compare, make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo, "flaky"))

    async def run_before(pilot) -> None:
        await detail_with_attempts(pilot, app)
        app.screen.query_one("#detail-tabs", TabbedContent).active = "tab-timeline"
        await settle(pilot)

    assert snap_compare(app, terminal_size=WIDE, run_before=run_before)


def test_headers_tab(snap_compare, make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo, "flaky"))

    async def run_before(pilot) -> None:
        await detail_with_attempts(pilot, app)
        app.screen.query_one("#detail-tabs", TabbedContent).active = "tab-headers"
        headers = app.screen.query_one(AttemptHeaders)
        await wait_for(pilot, lambda: "svix-id" in str(headers.render()).lower())
        await settle(pilot)

    assert snap_compare(app, terminal_size=WIDE, run_before=run_before)


def test_audit_log_after_a_resend(snap_compare, make_demo_app, demo, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(
        "attempt_tui.worker.core.new_idempotency_key", lambda: "attempt-tui-fixed-key"
    )
    monkeypatch.chdir(tmp_path)  # the viewer shows the file's path: keep it the same every run
    app = make_demo_app(**open_endpoint_settings(demo))
    app.data_worker.audit = AuditLog(Path("audit.jsonl"))
    fixed = demo.world.now

    def record(**fields):
        return AuditLog.record(app.data_worker.audit, now=fixed, **fields)

    app.data_worker.audit.record = record  # type: ignore[method-assign]

    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: app.screen.query_one(DetailPane).detail is not None)
        await pilot.press("R", "y")
        await wait_for(pilot, lambda: len(app.data_worker.audit.read()) == 1)
        await wait_for(pilot, lambda: app.main_screen.resend_watch is None)
        app.clear_notifications()
        await pilot.press("A")
        await settle(pilot)

    assert snap_compare(app, terminal_size=WIDE, run_before=run_before)


def test_tour_first_step(snap_compare, make_demo_app, demo) -> None:
    base = make_demo_app()
    app = AttemptApp(
        base.settings,
        base.build_worker,
        clock=base.clock,
        monotonic=base.monotonic,
        tour=True,
        tour_endpoint=demo.world.roles["flaky"].id,
    )

    async def run_before(pilot) -> None:
        picker = app.screen.query_one(EndpointPicker)
        await wait_for(pilot, lambda: len(picker.stats) == len(picker.endpoints) > 0)
        await pilot.pause(0.4)
        await settle(pilot)

    assert snap_compare(app, terminal_size=WIDE, run_before=run_before)


def test_live_tail_on(snap_compare, make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))

    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: app.screen.query_one(DetailPane).detail is not None)
        await pilot.press("t")
        app.clear_notifications()
        await settle(pilot)

    assert snap_compare(app, terminal_size=WIDE, run_before=run_before)
