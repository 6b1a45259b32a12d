"""How each screen looks, against the fixed demo world (pytest-textual-snapshot)."""

from __future__ import annotations

import httpx
import pytest
from textual.widgets import TabbedContent

from attempt_tui.api.models import MessageStatus
from attempt_tui.ui.widgets.detail import DetailPane
from attempt_tui.ui.widgets.endpoint_picker import EndpointPicker
from attempt_tui.worker import Filters
from tests.ui.helpers import open_endpoint_settings, wait_for

WIDE = (120, 40)
NARROW = (80, 24)


def detail_loaded(app) -> bool:
    return app.screen.query_one(DetailPane).detail is not None


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def endpoint_app(make_demo_app, demo):
    def build(role: str = "busiest", **overrides):
        return make_demo_app(**open_endpoint_settings(demo, role), **overrides)

    return build


def test_picker(snap_compare, make_demo_app) -> None:
    app = make_demo_app()

    async def run_before(pilot) -> None:
        picker = app.screen.query_one(EndpointPicker)
        await wait_for(pilot, lambda: len(picker.endpoints) == 5 and picker._stats)
        await settle(pilot)

    assert snap_compare(app, terminal_size=WIDE, run_before=run_before)


def test_message_table_with_filters(snap_compare, endpoint_app) -> None:
    app = endpoint_app()

    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: detail_loaded(app))
        statuses = frozenset({MessageStatus.FAIL, MessageStatus.PENDING})
        app.main_screen._set_filters(Filters(statuses=statuses))
        await wait_for(
            pilot,
            lambda: (
                app.main_screen.page is not None
                and app.main_screen.page.filters.statuses == statuses
                and detail_loaded(app)
            ),
        )
        await settle(pilot)

    assert snap_compare(app, terminal_size=WIDE, run_before=run_before)


def test_detail_with_json_payload(snap_compare, endpoint_app) -> None:
    app = endpoint_app()

    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: detail_loaded(app))
        await pilot.press("enter")
        app.screen.query_one("#detail-tabs", TabbedContent).active = "tab-payload"
        await settle(pilot)

    assert snap_compare(app, terminal_size=WIDE, run_before=run_before)


def test_resend_confirm(snap_compare, endpoint_app) -> None:
    app = endpoint_app()

    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: detail_loaded(app))
        await pilot.press("R")
        await settle(pilot)

    assert snap_compare(app, terminal_size=WIDE, run_before=run_before)


def test_expunge_confirm(snap_compare, endpoint_app) -> None:
    app = endpoint_app()

    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: detail_loaded(app))
        await pilot.press("X")
        await settle(pilot)

    assert snap_compare(app, terminal_size=WIDE, run_before=run_before)


def test_read_only_footer(snap_compare, endpoint_app) -> None:
    app = endpoint_app(read_only=True)

    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: detail_loaded(app))
        await settle(pilot)

    assert snap_compare(app, terminal_size=WIDE, run_before=run_before)


def test_error_state(snap_compare, make_demo_app, demo) -> None:
    """The API refuses the message list: a status line says why, nothing else breaks."""
    app = make_demo_app(**open_endpoint_settings(demo))
    inner = app.data_worker.client._http._transport

    class Refusing(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.path.endswith("/msg"):
                return httpx.Response(
                    403, json={"code": "forbidden", "detail": "Token lacks access to this app"}
                )
            return await inner.handle_async_request(request)

    app.data_worker.client._http._transport = Refusing()

    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: bool(app.main_screen.errors))
        await settle(pilot)

    assert snap_compare(app, terminal_size=WIDE, run_before=run_before)


def test_narrow_80x24(snap_compare, endpoint_app) -> None:
    app = endpoint_app()

    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: detail_loaded(app))
        await settle(pilot)

    assert snap_compare(app, terminal_size=NARROW, run_before=run_before)


def test_narrow_80x24_detail(snap_compare, endpoint_app) -> None:
    app = endpoint_app(role="flaky")

    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: detail_loaded(app))
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=NARROW, run_before=run_before)


def test_help_screen(snap_compare, make_demo_app) -> None:
    app = make_demo_app()

    async def run_before(pilot) -> None:
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(app, terminal_size=WIDE, run_before=run_before)
