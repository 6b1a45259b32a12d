"""The demo's first screen: a live, failing endpoint with a failure highlighted."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from attempt_tui.api.models import MessageStatus
from attempt_tui.ui.widgets.detail import DetailPane
from attempt_tui.ui.widgets.message_table import MessageTable, first_failure
from tests.ui.helpers import open_endpoint_settings, wait_for


async def test_the_first_failure_of_the_first_page_is_highlighted(make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo, "client_error"), start_on_failure=True)
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.screen.query_one(MessageTable)
        await wait_for(pilot, lambda: table.row_count > 0)
        items = list(table.messages.values())
        wanted = first_failure(items)
        assert wanted is not None and wanted != items[0].id  # not simply the top row
        selected = table.selected_message
        assert selected is not None and selected.id == wanted
        assert selected.status in (MessageStatus.FAIL, MessageStatus.PENDING)
        # Its attempts (and why it failed) are what the detail shows.
        await wait_for(pilot, lambda: app.screen.query_one(DetailPane).detail is not None)
        assert app.screen.query_one(DetailPane).detail.msg_id == wanted
        assert app.focused is table


async def test_only_the_first_page_moves_the_cursor(make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo, "flaky"))
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.screen.query_one(MessageTable)
        await wait_for(pilot, lambda: table.row_count > 0)
        assert table.cursor_row == 0  # without the demo's start, the newest stays on top


def test_first_failure_prefers_a_failed_message_then_one_being_retried(demo) -> None:
    from datetime import timedelta

    from attempt_tui.api.models import EndpointMessageOut

    now = demo.world.now

    def message(msg_id: str, status: int, retry: bool = False) -> EndpointMessageOut:
        return EndpointMessageOut.model_validate(
            {
                "id": msg_id,
                "eventType": "invoice.paid",
                "payload": {},
                "timestamp": now.isoformat(),
                "status": status,
                "nextAttempt": (now + timedelta(minutes=5)).isoformat() if retry else None,
            }
        )

    ok = message("msg_ok", MessageStatus.SUCCESS)
    retried = message("msg_retried", MessageStatus.PENDING, retry=True)
    failed = message("msg_failed", MessageStatus.FAIL)
    assert first_failure([ok, retried, failed]) == "msg_failed"
    assert first_failure([ok, retried]) == "msg_retried"
    assert first_failure([ok, message("msg_new", MessageStatus.PENDING)]) is None


async def test_opened_on_an_endpoint_the_lists_leave_after_its_first_page_is_on_screen(
    make_demo_app, demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first page is the request the user waits for; the app, endpoint and count requests
    are sent once its rows are on screen, so they take nothing from drawing them."""
    # The hold's own limit (HOLD_MAX_SECONDS) never runs out here: a busy machine may take
    # longer than that to start the app and draw the first page.
    monkeypatch.setattr("attempt_tui.worker.lanes.HOLD_MAX_SECONDS", 3600.0)
    sent: list[tuple[str, int]] = []
    inner = demo.asgi_app
    apps: list[Any] = []

    def rows() -> int:
        try:
            return apps[0].main_screen.query_one(MessageTable).row_count
        except Exception:  # the screen is not built yet
            return 0

    async def recording(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            sent.append((scope["path"], rows()))
        await inner(scope, receive, send)

    demo.asgi_app = recording
    app = make_demo_app(**open_endpoint_settings(demo, "busiest"))
    apps.append(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.main_screen.picker.endpoints)
        first_path, rows_then = sent[0]
        assert first_path.endswith("/msg") and rows_then == 0
        later = [(path, n) for path, n in sent[1:] if not path.endswith("/msg")]
        assert later and all(n > 0 for _, n in later), sent


async def test_the_start_ends_once_the_first_page_is_drawn(
    make_demo_app, demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command line turns the garbage collector back on when the start ends: once the
    first page's rows are on screen, not before, and only once."""
    from attempt_tui.ui import app as app_module

    # Its time limit never runs out here (test_the_start_ends_after_a_while... tests it).
    monkeypatch.setattr(app_module, "START_WAIT_SECONDS", 3600.0)
    rows_when_started: list[int] = []
    apps: list[Any] = []

    def started() -> None:
        rows_when_started.append(apps[0].main_screen.query_one(MessageTable).row_count)

    app = make_demo_app(started=started, **open_endpoint_settings(demo, "busiest"))
    apps.append(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: bool(rows_when_started))
        await wait_for(pilot, lambda: app.main_screen.picker.endpoints)  # the lists came too
        assert len(rows_when_started) == 1 and rows_when_started[0] > 0


async def test_on_the_picker_the_start_ends_once_its_first_list_is_drawn(
    make_demo_app, demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    from attempt_tui.ui import app as app_module

    monkeypatch.setattr(app_module, "START_WAIT_SECONDS", 3600.0)  # its limit never runs out
    endpoints_when_started: list[int] = []
    apps: list[Any] = []

    def started() -> None:
        endpoints_when_started.append(len(apps[0].main_screen.picker.endpoints))

    app = make_demo_app(started=started, app_id=demo.world.apps[0].id)
    apps.append(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: bool(endpoints_when_started))
        assert endpoints_when_started[0] > 0


async def test_the_start_ends_after_a_while_when_no_data_ever_comes(
    make_demo_app, demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server that never answers: the start still ends (the collector must not stay off)."""
    from attempt_tui.ui import app as app_module

    monkeypatch.setattr(app_module, "START_WAIT_SECONDS", 0.05)
    never = asyncio.Event()

    async def silent(scope: Any, receive: Any, send: Any) -> None:
        await never.wait()

    demo.asgi_app = silent
    calls: list[bool] = []
    app = make_demo_app(
        started=lambda: calls.append(True), **open_endpoint_settings(demo, "busiest")
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: bool(calls))
        assert app.main_screen.query_one(MessageTable).row_count == 0
        never.set()
