"""Pilot tests of the dashboard against the in-process demo world."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Checkbox, Input

from attempt_tui.api.models import MessageStatus
from attempt_tui.ui.screens.confirm import ConfirmScreen
from attempt_tui.ui.screens.help import HelpScreen
from attempt_tui.ui.screens.main import MainScreen
from attempt_tui.ui.widgets.detail import AttemptTable, DetailPane
from attempt_tui.ui.widgets.endpoint_picker import EndpointPicker
from attempt_tui.ui.widgets.message_area import MessageArea
from attempt_tui.ui.widgets.message_table import MessageTable
from tests.ui.helpers import (
    counts_settled,
    open_endpoint_settings,
    prefetch_sent,
    requests_settle,
    wait_for,
)


def table(app) -> MessageTable:
    return app.screen.query_one(MessageTable)


def main_screen(app) -> MainScreen:
    return app.main_screen


async def test_picker_lists_endpoints_and_enter_opens_one(make_demo_app, demo) -> None:
    app = make_demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        picker = app.screen.query_one(EndpointPicker)
        await wait_for(pilot, lambda: len(picker.endpoints) > 0)
        assert picker.find_app(app.data_worker.query.app_id).name == "Acme Payments"
        first = picker.endpoints[0]
        await pilot.press("enter")
        await wait_for(pilot, lambda: table(app).row_count > 0)
        assert app.data_worker.query.endpoint_id == first.id


async def test_app_and_endpoint_flags_open_straight_to_the_endpoint(make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: table(app).row_count == 50)
        assert app.data_worker.query.endpoint_id == demo.world.roles["busiest"].id
        assert isinstance(app.focused, MessageTable)


async def test_paging_forward_and_back(make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await wait_for(pilot, lambda: table(app).row_count == 50)
        first_page = list(table(app).messages)
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: screen.page is not None and screen.page.page_number == 2)
        second_page = list(table(app).messages)
        assert not set(first_page) & set(second_page)
        assert table(app).cursor_row == 0
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: screen.page is not None and screen.page.page_number == 3)
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: screen.page is not None and screen.page.page_number == 2)
        assert list(table(app).messages) == second_page
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: screen.page is not None and screen.page.page_number == 1)
        assert list(table(app).messages) == first_page
        assert not screen.page.has_prev
        assert app.screen.query_one(MessageArea).check_action("prev_page", ()) is None


async def test_filters_by_several_statuses_and_clear(make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await wait_for(pilot, lambda: table(app).row_count == 50)
        await pilot.press("slash")
        app.screen.query_one("#status-fail", Checkbox).value = True
        app.screen.query_one("#status-pending", Checkbox).value = True
        app.screen.query_one("#filter-after", Input).value = "30d"
        app.screen.query_one("#filter-tag", Input).focus()
        await pilot.press("enter")
        wanted = {MessageStatus.FAIL, MessageStatus.PENDING}
        await wait_for(
            pilot, lambda: screen.page is not None and screen.page.filters.statuses == wanted
        )
        statuses = {m.status for m in table(app).messages.values()}
        assert statuses and statuses <= wanted
        stamps = [m.timestamp for m in table(app).messages.values()]
        assert stamps == sorted(stamps, reverse=True)
        assert all(s >= demo.world.now - timedelta(days=30) for s in stamps)
        chips = str(app.screen.query_one("#chips").render())
        assert "status: pending,fail" in chips or "status: fail,pending" in chips
        await pilot.press("escape")  # in the table with filters: clears them
        await wait_for(pilot, lambda: screen.page is not None and not screen.page.filters.active)


async def test_a_poll_that_changes_rows_keeps_the_cursor_on_its_message(
    make_demo_app, demo
) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await wait_for(pilot, lambda: table(app).row_count == 50)
        for _ in range(5):
            await pilot.press("j")
        selected = table(app).selected_key
        assert selected is not None and table(app).cursor_row == 5
        before = screen.page
        # New messages arrive at the top of page 1.
        demo.world.live = True
        demo.world.tick(60)
        demo.world.live = False
        app.data_worker.refresh_now()
        await wait_for(pilot, lambda: screen.page is not before)
        arrived = [key for key in table(app).messages if key not in {m.id for m in before.items}]
        assert arrived, "the world tick should have delivered new messages to page 1"
        assert table(app).selected_key == selected
        assert table(app).cursor_row == list(table(app).messages).index(selected)


async def test_paused_polling_makes_no_requests(make_demo_app, demo) -> None:
    app = make_demo_app(poll_seconds=0.05, **open_endpoint_settings(demo))
    # Polls every 0.05 s (page and detail: 40 requests a second) would outrun the request
    # budget (10 a second) once its burst is spent, and the counts, asked in the background,
    # would wait behind them for good if they had not answered by then: the budget does not
    # hold anything back here.
    app.data_worker.client.budget.rate = 10_000.0
    requests: list[str] = []
    app.data_worker.client._on_request = lambda method, path: requests.append(path)
    async with app.run_test(size=(120, 40)) as pilot:
        picker = app.screen.query_one(EndpointPicker)
        # The first loads (the lists and counts follow the first page, the next page's
        # prefetch leaves after a moment) finish or leave, then pause.
        await wait_for(
            pilot,
            lambda: (
                table(app).row_count == 50
                and picker.endpoints
                and counts_settled(app)
                and prefetch_sent(app)
            ),
        )
        await pilot.press("p")
        # Requests already on their way when `p` was pressed still go (one waiting for a slot
        # of the budget, a detail poll's second request after its first).
        await requests_settle(pilot, lambda: len(requests))
        count = len(requests)
        await pilot.pause(0.4)
        assert len(requests) == count
        assert "PAUSED" in str(app.screen.query_one("#context").render())
        await pilot.press("p")
        await wait_for(pilot, lambda: len(requests) > count)


async def test_resend_end_to_end(make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        detail = app.screen.query_one(DetailPane)
        await wait_for(pilot, lambda: detail.detail is not None)
        msg_id = table(app).selected_key
        before = len(detail.detail.attempts)
        await pilot.press("R")
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.focused.id == "cancel"
        await pilot.press("y")
        await wait_for(
            pilot, lambda: detail.detail is not None and len(detail.detail.attempts) == before + 1
        )
        newest = max(detail.detail.attempts, key=lambda a: a.timestamp)
        assert newest.trigger_type == 1 and newest.msg_id == msg_id


async def test_resend_cancel_does_nothing(make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    requests: list[tuple[str, str]] = []
    app.data_worker.client._on_request = lambda method, path: requests.append((method, path))
    async with app.run_test(size=(120, 40)) as pilot:
        detail = app.screen.query_one(DetailPane)
        await wait_for(pilot, lambda: detail.detail is not None)
        await pilot.press("R")
        await pilot.press("escape")
        await pilot.press("R")
        await pilot.press("n")
        await pilot.pause(0.1)
        assert isinstance(app.screen, MainScreen)
        assert not [r for r in requests if r[0] == "POST"]


async def test_expunge_end_to_end_from_the_detail_pane(make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        detail = app.screen.query_one(DetailPane)
        await wait_for(pilot, lambda: detail.detail is not None)
        await pilot.press("enter")  # into the attempts
        assert isinstance(app.focused, AttemptTable)
        attempt = detail.selected_attempt
        assert attempt is not None and attempt.response
        await pilot.press("X")
        assert isinstance(app.screen, ConfirmScreen)
        body = str(app.screen.query_one("#confirm-body").render())
        assert attempt.id in body and "cannot be undone" in body
        await pilot.press("y")
        await wait_for(
            pilot,
            lambda: (
                detail.detail is not None
                and next(a for a in detail.detail.attempts if a.id == attempt.id).response == ""
            ),
        )
        shown = str(app.screen.query_one("#response-body").render())
        assert attempt.response[:20] not in shown


async def test_read_only_greys_actions_and_says_why(make_demo_app, demo) -> None:
    app = make_demo_app(read_only=True, **open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        detail = app.screen.query_one(DetailPane)
        await wait_for(pilot, lambda: detail.detail is not None)
        assert app.screen.query_one(MessageArea).check_action("resend", ()) is None
        assert app.screen.query_one(MessageArea).check_action("expunge", ()) is None
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert any("Read-only" in str(n.message) for n in app._notifications)
        assert "READ-ONLY" in str(app.screen.query_one("#context").render())


async def test_help_lists_every_key(make_demo_app) -> None:
    app = make_demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        sections = {s.title: {r.keys: r for r in s.rows} for s in app.screen.sections}
        for section in app.screen.sections:  # one row per key in each part of the screen
            assert len(section.rows) == len(sections[section.title])
        described = {r.description for rows in sections.values() for r in rows.values()}
        for wanted in ("Resend", "Expunge body", "Next page", "Prev page", "Filter", "Sort"):
            assert wanted in described
        assert sections["Everywhere"]["p"].description == "Pause / Resume"
        assert "clear filters" in sections["Everywhere"]["esc"].note  # what escape does, in full
        assert sections["Endpoints"]["s"].description == "Sort"
        assert sections["Endpoints"]["w"].description == "Stats window"
        assert sections["Endpoints"]["end G"].description == "Bottom"  # every list: G
        assert sections["Attempt detail"]["←"].description == "Previous tab"  # switching tabs
        assert sections["Attempt detail"]["y"].description == "Copy attempt id"
        assert sections["Messages (list and detail)"]["y"].description == "Copy message id"
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_narrow_terminal_shows_one_pane_at_a_time(make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: table(app).row_count == 50)
        screen = app.screen
        assert screen.has_class("-narrow")
        assert (
            not screen.query_one(EndpointPicker).display
            or not screen.query_one(EndpointPicker).region
        )
        await pilot.press("enter")
        assert screen.query_one(DetailPane).region.height > 0
        assert screen.query_one("#messages-pane").region.height == 0
        await pilot.press("escape")
        assert screen.query_one("#messages-pane").region.height > 0
        await pilot.press("escape")
        assert screen.query_one(EndpointPicker).region.height > 0


async def test_config_warnings_show_inside_the_app(make_demo_app) -> None:
    from attempt_tui.ui.app import AttemptApp

    base = make_demo_app()
    app = AttemptApp(
        base.settings,
        base.build_worker,
        clock=base.clock,
        monotonic=base.monotonic,
        warnings=["config.toml holds a token and is readable by others"],
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert any("readable by others" in str(n.message) for n in app._notifications)


async def test_app_and_endpoint_flags_accept_uids(make_demo_app, demo) -> None:
    endpoint = demo.world.roles["busiest"]
    app = make_demo_app(app_id=endpoint.app.uid, endpoint_id=endpoint.uid)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: table(app).row_count == 50)
        assert app.data_worker.query.endpoint_id == endpoint.id


async def test_filters_need_an_open_endpoint(make_demo_app) -> None:
    app = make_demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        assert not any(bar.display for bar in app.screen.query("#filter-bar"))


async def test_enter_on_a_status_checkbox_applies_the_filters(make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await wait_for(pilot, lambda: table(app).row_count == 50)
        await pilot.press("slash")
        await pilot.press("tab", "tab", "space")  # success, pending (toggled), ...
        assert app.screen.query_one("#status-fail", Checkbox).value
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.page is not None and screen.page.filters.active)
        assert screen.page.filters.statuses == {MessageStatus.FAIL}
        assert not app.screen.query_one("#filter-bar").display


async def test_pause_binding_becomes_resume(make_demo_app) -> None:
    app = make_demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.screen.check_action("pause", ()) and not app.screen.check_action("resume", ())
        await pilot.press("p")
        assert app.data_worker.paused
        assert app.screen.check_action("resume", ()) and not app.screen.check_action("pause", ())
        await pilot.press("p")
        assert not app.data_worker.paused


async def test_resend_and_expunge_are_audited_and_viewable(make_demo_app, demo, tmp_path) -> None:
    from attempt_tui.audit import AuditLog
    from attempt_tui.ui.screens.audit import AuditScreen

    app = make_demo_app(**open_endpoint_settings(demo))
    app.data_worker.audit = AuditLog(tmp_path / "audit.jsonl")
    async with app.run_test(size=(120, 40)) as pilot:
        detail = app.screen.query_one(DetailPane)
        await wait_for(pilot, lambda: detail.detail is not None)
        msg_id = table(app).selected_key
        await pilot.press("R", "y")
        await wait_for(pilot, lambda: len(app.data_worker.audit.read()) == 1)
        await pilot.press("X", "y")
        await wait_for(pilot, lambda: len(app.data_worker.audit.read()) == 2)
        expunge, resend = app.data_worker.audit.read()
        assert (resend.action, resend.outcome, resend.message) == ("resend", "ok", msg_id)
        assert resend.idempotency_key and resend.profile == "demo"
        assert (expunge.action, expunge.outcome) == ("expunge", "ok") and expunge.attempt
        raw = (tmp_path / "audit.jsonl").read_text()
        assert "demo-token" not in raw and "payload" not in raw
        await pilot.press("A")
        assert isinstance(app.screen, AuditScreen)
        assert app.screen.query_one("#audit-table").row_count == 2
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_a_5_mb_response_body_is_shown_in_parts(make_demo_app, demo) -> None:
    import json as jsonlib

    import httpx

    big = "x" * 5_000_000
    app = make_demo_app(**open_endpoint_settings(demo))
    inner = app.data_worker.client._http._transport

    class BigBodies(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            response = await inner.handle_async_request(request)
            if "/attempt/msg/" not in request.url.path:
                return response
            body = jsonlib.loads(await response.aread())
            for attempt in body["data"]:
                attempt["response"] = big
            return httpx.Response(200, json=body)

    app.data_worker.client._http._transport = BigBodies()
    async with app.run_test(size=(120, 40)) as pilot:
        detail = app.screen.query_one(DetailPane)
        await wait_for(pilot, lambda: detail.detail is not None)
        shown = str(app.screen.query_one("#response-body").render())
        assert "Showing 20,000 of 5,000,000 characters" in shown
        assert len(shown) < 30_000
        assert app.screen.query_one(MessageArea).check_action("more_body", ())
        await pilot.press("m")
        shown = str(app.screen.query_one("#response-body").render())
        assert "Showing 200,000 of 5,000,000" in shown
        await pilot.press("j")  # the table still answers keys
        assert table(app).cursor_row == 1


async def test_resend_is_watched_until_it_lands(make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        detail = app.screen.query_one(DetailPane)
        await wait_for(pilot, lambda: detail.detail is not None)
        await pilot.press("R", "y")
        await wait_for(
            pilot, lambda: any("Resend landed" in str(n.message) for n in app._notifications)
        )
        assert main_screen(app).resend_watch is None
        assert app.data_worker.watching_msg_id is None
        assert not app.screen.query_one("#watch-line").display


async def test_live_tail_follows_and_marks_arrivals_then_pauses_when_moving(
    make_demo_app, demo
) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await wait_for(pilot, lambda: table(app).row_count == 50)
        await pilot.press("t")
        assert screen.tail and "LIVE TAIL" in str(app.screen.query_one("#context").render())
        before = screen.page
        demo.world.live = True
        demo.world.tick(30)
        demo.world.live = False
        app.data_worker.refresh_now()
        await wait_for(pilot, lambda: screen.page is not before)
        assert screen._fresh, "arrivals should be marked"
        newest = next(iter(table(app).messages))
        assert newest in screen._fresh and table(app).cursor_row == 0
        assert table(app).selected_key == newest
        assert "●" in str(table(app).get_row(newest)[0])
        await pilot.press("j")
        assert not screen.tail


async def test_time_preset_sets_the_window(make_demo_app, demo) -> None:
    from textual.widgets import Select

    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await wait_for(pilot, lambda: table(app).row_count == 50)
        await pilot.press("slash")
        app.screen.query_one("#filter-window", Select).value = "Yesterday"
        await pilot.pause()
        assert app.screen.query_one("#filter-after", Input).value == "yesterday"
        assert app.screen.query_one("#filter-before", Input).value == "today"
        app.screen.query_one("#filter-tag", Input).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.page is not None and screen.page.filters.active)
        start = demo.world.now.replace(hour=0, minute=0, second=0, microsecond=0)
        assert screen.page.filters.before == start
        assert screen.page.filters.after == start - timedelta(days=1)
        assert all(start - timedelta(days=1) <= m.timestamp < start for m in screen.page.items)


async def test_tour_walks_from_failing_endpoint_to_a_landed_resend(make_demo_app, demo) -> None:
    from attempt_tui.ui.app import AttemptApp

    base = make_demo_app()
    app = AttemptApp(
        base.settings, base.build_worker, clock=base.clock, monotonic=base.monotonic, tour=True
    )
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        panel = app.screen.query_one("#tour-panel")
        picker = app.screen.query_one(EndpointPicker)
        await wait_for(pilot, lambda: len(picker.stats) == len(picker.endpoints) > 0)
        await pilot.pause(0.4)
        assert "Tour 1/6" in str(panel.render())
        target = screen._tour_state().target_endpoint_id
        option_list = app.screen.query_one("#endpoint-list")
        option_list.highlighted = option_list.get_option_index(target)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Tour 2/6" in str(panel.render()))
        await pilot.press("slash", "tab", "tab", "space", "enter")
        await wait_for(pilot, lambda: "Tour 3/6" in str(panel.render()))
        await wait_for(pilot, lambda: table(app).row_count > 0)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Tour 4/6" in str(panel.render()))
        await pilot.press("R")
        await wait_for(pilot, lambda: "Tour 5/6" in str(panel.render()))
        await pilot.press("y")
        await wait_for(pilot, lambda: "Tour complete" in str(panel.render()))


async def test_a_server_that_never_answers_is_counted_in_the_header(make_demo_app) -> None:
    import asyncio

    import httpx

    from attempt_tui.ui.widgets.context_bar import ContextBar

    app = make_demo_app()
    never = asyncio.Event()

    class Silent(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            await never.wait()
            raise AssertionError("unreachable")

    app.data_worker.client._http._transport = Silent()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        bar = app.screen.query_one(ContextBar)
        screen._tick_freshness()
        assert bar.freshness == "connecting…"
        app.monotonic.value += 5
        screen._tick_freshness()
        assert bar.freshness == "waiting for the server · 5 s"
        await pilot.pause()


async def test_a_bad_filter_says_why_on_a_line_that_is_gone_when_fixed(make_demo_app, demo) -> None:
    from textual.widgets import Static

    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: table(app).row_count == 50)
        await pilot.press("slash")
        error = app.screen.query_one("#filter-error", Static)
        assert not error.display  # no empty line under the fields
        app.screen.query_one("#filter-after", Input).value = "not a time"
        app.screen.query_one("#filter-tag", Input).focus()
        await pilot.press("enter")
        assert error.display and "not a time" in str(error.render())
        assert app.screen.query_one("#filter-bar").display  # kept open to fix it
        app.screen.query_one("#filter-after", Input).value = "2h"
        app.screen.query_one("#filter-tag", Input).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: not app.screen.query_one("#filter-bar").display)
        assert not error.display


async def test_turning_a_page_says_loading_not_highlight_a_message(make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        detail = app.screen.query_one(DetailPane)
        await wait_for(pilot, lambda: detail.detail is not None)
        notes: list[str] = []
        clear = detail.clear
        detail.clear = lambda *args: notes.append(args[0] if args else "hint") or clear(*args)  # type: ignore[method-assign]
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: screen.page is not None and screen.page.page_number == 2)
        first = table(app).selected_key
        await wait_for(pilot, lambda: detail.detail is not None and detail.detail.msg_id == first)
        assert notes and set(notes) == {"Loading attempts…"}


async def test_apps_that_fail_to_load_are_not_shown_as_loading(make_demo_app) -> None:
    import httpx
    from textual.widgets import Static

    app = make_demo_app()
    inner = app.data_worker.client._http._transport

    class Refusing(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.path == "/api/v1/app":
                return httpx.Response(403, json={"code": "forbidden", "detail": "No access"})
            return await inner.handle_async_request(request)

    app.data_worker.client._http._transport = Refusing()
    async with app.run_test(size=(120, 40)) as pilot:
        line = app.screen.query_one("#app-line", Static)
        await wait_for(pilot, lambda: "apps" in main_screen(app).errors)
        assert "Apps not loaded (see below)" in str(line.render())


def said(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_an_unknown_app_opens_the_first_app_and_looks_for_the_endpoint_there(
    make_demo_app, demo
) -> None:
    endpoint = demo.world.roles["busiest"]  # in the first app by name, Acme Payments
    app = make_demo_app(app_id="nope", endpoint_id=endpoint.uid)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: table(app).row_count == 50)
        assert app.data_worker.query.endpoint_id == endpoint.id
        assert "App nope not found; showing the first app." in said(app)


async def test_an_unknown_endpoint_is_said_and_leaves_the_picker(make_demo_app, demo) -> None:
    app = make_demo_app(app_id=demo.world.roles["busiest"].app.uid, endpoint_id="nope")
    async with app.run_test(size=(80, 24)) as pilot:
        picker = app.screen.query_one(EndpointPicker)
        await wait_for(pilot, lambda: "Endpoint nope not found in this app." in said(app))
        assert app.data_worker.query.endpoint_id is None
        assert len(picker.endpoints) > 0
        assert not main_screen(app).has_class("-endpoint-open")  # the picker is shown
        assert app.focused is app.screen.query_one("#endpoint-list")
