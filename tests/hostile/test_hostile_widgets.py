"""Widget level (Pilot): hostile API data never reaches the screen as controls, links or actions.

Every screen of the app is visited with the hostile API behind it; at each stop both the
composed screen and every widget's content are inspected (see inspect_ui.py).
"""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widgets import OptionList, TabbedContent, TabPane
from textual.widgets._toast import Toast

from attempt_tui.ui.screens.app_select import AppSelectScreen
from attempt_tui.ui.screens.confirm import ConfirmScreen
from attempt_tui.ui.screens.help import HelpScreen
from attempt_tui.ui.widgets.detail import AttemptTable, DetailPane
from attempt_tui.ui.widgets.endpoint_picker import EndpointPicker
from attempt_tui.ui.widgets.headers import headers_text
from attempt_tui.ui.widgets.message_table import MessageTable
from tests.hostile.hostile_api import (
    ATTACK_NAMES,
    MARKUP_LITERALS,
    HostileApi,
    app_id,
    ep_id,
    headers,
    msg_id,
)
from tests.hostile.inspect_ui import (
    bad_chars,
    rendered_sources,
    screen_problems,
    screen_text,
    source_problems,
)
from tests.ui.helpers import wait_for

SIZE = (160, 50)


def assert_inert(app: Any, where: str) -> None:
    problems = screen_problems(app) + source_problems(app)
    assert not problems, f"{where}:\n" + "\n".join(problems[:40])


def detail_of(app: Any) -> DetailPane:
    return app.main_screen.query_one(DetailPane)


def toast_text(app: Any) -> str:
    return "\n".join(toast.render().plain for toast in app.screen.query(Toast))


async def show_message(pilot: Pilot, app: Any, index: int) -> None:
    table = app.main_screen.query_one(MessageTable)
    await wait_for(pilot, lambda: table.row_count == len(ATTACK_NAMES))
    table.move_cursor(row=index, animate=False)
    wanted = msg_id(ATTACK_NAMES[index])
    detail = detail_of(app)
    await wait_for(pilot, lambda: detail.detail is not None and detail.detail.msg_id == wanted)


def tab_ids(app: Any) -> list[str]:
    """Every tab of the detail pane (response, payload, destinations, ...)."""
    tabs = app.main_screen.query_one("#detail-tabs", TabbedContent)
    return [pane.id for pane in tabs.query(TabPane) if pane.id]


async def show_tab(pilot: Pilot, app: Any, tab: str) -> None:
    app.main_screen.query_one("#detail-tabs", TabbedContent).active = tab
    await pilot.pause()


@pytest.mark.long
async def test_every_message_view_with_every_attack_is_inert(make_hostile_app) -> None:
    app = make_hostile_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        picker = app.main_screen.query_one(EndpointPicker)
        await wait_for(pilot, lambda: len(picker.endpoints) == len(ATTACK_NAMES))
        table = app.main_screen.query_one(MessageTable)
        await wait_for(pilot, lambda: table.row_count == len(ATTACK_NAMES))
        assert_inert(app, "message list")
        seen = shown = ""
        for index, attack in enumerate(ATTACK_NAMES):
            await show_message(pilot, app, index)
            for tab in tab_ids(app):
                await show_tab(pilot, app, tab)
                await app.workers.wait_for_complete()
                await pilot.pause()
                assert_inert(app, f"message {attack}, {tab}")
                seen += screen_text(app)
                shown += rendered_sources(app)
            await show_tab(pilot, app, "tab-response")
            # The older attempt too: the newer body is plain text, the older one JSON.
            app.main_screen.query_one("#attempts").move_cursor(row=1)
            await pilot.pause()
            assert_inert(app, f"message {attack}, second attempt")
            seen += screen_text(app)
            shown += rendered_sources(app)
        for literal in MARKUP_LITERALS:
            assert literal in seen, f"markup {literal!r} was not shown literally"
        # Every field made it into the widgets, so the checks above looked at real data.
        fields = ("evt", "eid", "chan", "tag", "aturl", "jbody", "jkey", "body", "payload")
        # App names: the selector test. Endpoint URLs and descriptions: the picker cuts them to
        # one line, so their marker is past the cut; what it shows is checked above like the rest.
        fields += ("pkey", "pdeep", "dsturl")
        if "tab-headers" in tab_ids(app):
            fields += ("hkey", "hval", "rhkey", "rhval")
        for field in fields:
            assert f"{field}.bold" in shown, field


@pytest.mark.long
async def test_dialogs_are_inert(make_hostile_app) -> None:
    """Resend and expunge confirmations for every message; copy, export and recover dialogs
    (which show the open endpoint, see the per-endpoint test below, and fixed labels)."""
    app = make_hostile_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        for index, attack in enumerate(ATTACK_NAMES):
            await show_message(pilot, app, index)
            for key, title in (("R", "Resend"), ("X", "Expunge")):
                await pilot.press(key)
                assert isinstance(app.screen, ConfirmScreen), key
                await pilot.pause()
                assert_inert(app, f"{title} dialog, {attack}")
                body = app.screen.query_one("#confirm-body").render().plain
                assert f"{'evt' if key == 'R' else 'aturl'}.{attack}" in body or attack == "ctl"
                await pilot.press("n")
                assert not isinstance(app.screen, ModalScreen)
        await assert_dialogs_inert(pilot, app, ATTACK_NAMES[-1])


async def assert_dialogs_inert(pilot: Pilot, app: Any, attack: str) -> None:
    """The copy menu, export dialog and recover dialog, each opened and closed."""
    for key in ("Y", "e", "ctrl+r"):
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, ModalScreen), key
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert_inert(app, f"dialog {key}, {attack}")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ModalScreen), key


@pytest.mark.long
async def test_picker_selector_palette_help_and_filters_are_inert(make_hostile_app) -> None:
    app = make_hostile_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        picker = app.main_screen.query_one(EndpointPicker)
        await wait_for(pilot, lambda: len(picker.endpoints) == len(ATTACK_NAMES))
        await pilot.press("E")
        option_list = picker.query_one("#endpoint-list", OptionList)
        for index in range(len(ATTACK_NAMES)):
            option_list.highlighted = index
            await pilot.pause()
            assert_inert(app, f"endpoint picker at {ATTACK_NAMES[index]}")
        picker.focus_app_line()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AppSelectScreen)
        assert_inert(app, "app selector open")
        assert "[bold]appname.bold[/bold]" in rendered_sources(app)
        await pilot.press("escape")
        await pilot.pause()
        app.main_screen.query_one(MessageTable).focus()
        # The command palette lists apps and endpoints by name.
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        assert isinstance(app.screen, ModalScreen)
        for query in ("", "epurl", "appname", "msg_2hostileclick"):
            await pilot.press(*query)
            await pilot.pause(0.3)
            assert_inert(app, f"command palette, query {query!r}")
            for _ in query:
                await pilot.press("backspace")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert_inert(app, "help")
        await pilot.press("escape")
        app.main_screen.query_one(MessageTable).focus()
        await pilot.press("slash")
        await pilot.pause()
        assert_inert(app, "filter bar")


def endpoint_shown(app: Any, endpoint_id: str) -> bool:
    return app.data_worker.query.endpoint_id == endpoint_id and detail_of(app).detail is not None


@pytest.mark.long
async def test_each_attack_as_the_open_app_and_endpoint_is_inert(make_hostile_app) -> None:
    """The open app and endpoint show in the context bar, the pane titles and the recover
    dialog; each attack in turn is the open one (switched to as from the command palette)."""
    app = make_hostile_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = app.main_screen
        picker = screen.query_one(EndpointPicker)
        await wait_for(pilot, lambda: detail_of(app).detail is not None)
        for attack in ATTACK_NAMES:
            screen.open_app(app_id(attack))
            await wait_for(pilot, lambda: bool(picker.endpoints))
            screen.open_endpoint(ep_id(attack))
            await wait_for(pilot, partial(endpoint_shown, app, ep_id(attack)))
            assert app.data_worker.query.app_id == app_id(attack)
            assert_inert(app, f"endpoint {attack} open")
            context = screen.query_one("#context").render().plain
            assert f"appname.{attack}"[:5] in context and f"epurl.{attack}"[:5] in context
            screen.query_one(MessageTable).focus()
            await assert_dialogs_inert(pilot, app, attack)


async def test_huge_values_are_capped_with_a_truncated_note(make_hostile_app) -> None:
    app = make_hostile_app()
    async with app.run_test(size=SIZE) as pilot:
        huge = ATTACK_NAMES.index("huge")
        await show_message(pilot, app, huge)
        table = app.main_screen.query_one(MessageTable)
        for cell in table.get_row_at(huge):
            assert len(cell.plain) <= 60
        event_type = table.get_row_at(huge)[2].plain
        assert event_type.startswith("evt.hugeWWW") and event_type.endswith("…")
        for row in (0, 1):  # a plain-text body, then a JSON one
            app.main_screen.query_one("#attempts").move_cursor(row=row)
            await pilot.pause()
            body = app.main_screen.query_one("#response-body").render().plain
            assert len(body) < 25_000
            assert "truncated (" in body and "more characters" in body
        payload = app.main_screen.query_one("#payload-body").render().plain
        assert len(payload) < 60_000
        assert "truncated (" in payload and "more characters" in payload


async def test_read_only_marker_is_text_without_colour(make_hostile_app, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_hostile_app(read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: detail_of(app).detail is not None)
        assert "READ-ONLY" in screen_text(app).splitlines()[0]


@pytest.mark.parametrize("attack", ATTACK_NAMES)
def test_attempt_headers_view_is_inert(attack: str) -> None:
    """Header names and values come from the endpoint owner."""
    from attempt_tui.api.models import MessageAttemptHeadersOut

    shown = headers_text(MessageAttemptHeadersOut.model_validate(headers(attack)))
    assert not bad_chars(shown.plain, multiline=True)
    assert f"hval.{attack}" in shown.plain or attack in ("ctl", "huge")
    assert all("@" not in str(span.style) for span in shown.spans)
    assert len(shown.plain) < 10_000


# ---------------------------------------------------------------------------- errors from data


@pytest.mark.parametrize("attack", ["click", "link", "bold", "c1", "ctl", "bidi"])
async def test_server_error_detail_in_a_notification_is_inert(
    make_hostile_app, attack: str
) -> None:
    api = HostileApi(attacks=[attack], errors={"resend": 400, "expunge": 400})
    app = make_hostile_app(transport=api.transport(), app_id=None, endpoint_id=ep_id(attack))
    literal = {"click": "[@click=app.quit]", "link": "[link=http://x]", "bold": "[bold]"}
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(pilot, lambda: detail_of(app).detail is not None)
        # One failure at a time: a toast lives for a span of wall time, which a busy machine
        # can outlast before the second one shows.
        for key, what in (("R", "resend"), ("X", "expunge")):
            app.clear_notifications()
            await pilot.pause()
            await pilot.press(key, "y")
            await wait_for(pilot, lambda: "errdetail" in toast_text(app))
            assert_inert(app, f"{what} failure notification")
            if attack in literal:
                assert f"{literal[attack]}errdetail.{attack}" in toast_text(app)


async def test_unbalanced_markup_in_an_error_detail_does_not_crash_the_app(
    make_hostile_app,
) -> None:
    api = HostileApi(attacks=["unbalanced"], errors={"resend": 400})
    app = make_hostile_app(transport=api.transport(), app_id=None, endpoint_id=ep_id("unbalanced"))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(pilot, lambda: detail_of(app).detail is not None)
        await pilot.press("R", "y")
        await wait_for(pilot, lambda: "errdetail" in toast_text(app))
        assert "[/bold]errdetail.unbalanced" in toast_text(app)
    assert app._exception is None


@pytest.mark.parametrize("attack", ["click", "bidi", "c1", "ctl", "osc8"])
async def test_server_error_detail_in_the_status_line_is_inert(
    make_hostile_app, attack: str
) -> None:
    api = HostileApi(attacks=[attack], errors={"msg_attempts": 500})
    app = make_hostile_app(transport=api.transport(), app_id=None, endpoint_id=ep_id(attack))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        status = app.main_screen.query_one("#status-line")
        await wait_for(pilot, lambda: status.display)
        text = status.render().plain
        assert "errdetail" in text
        if attack == "click":
            assert "[@click=app.quit]errdetail.click[/]" in text
        assert_inert(app, "status line with a server error")


# ---------------------------------------------------------------------------- hostile ids


@pytest.mark.parametrize("attack", ["click", "bidi", "osc8", "c1", "ctl", "huge"])
async def test_items_with_hostile_ids_fail_safely(make_hostile_app, attack: str) -> None:
    """Ids in responses are data too: an id the client will not put in a path is shown
    inert, and opening or acting on its item fails with an inert message."""
    api = HostileApi(attacks=["bold"], hostile_ids=attack)
    # The app is named: with several apps, the one sorted first may carry the hostile id.
    app = make_hostile_app(
        transport=api.transport(), app_id=app_id("bold"), endpoint_id=ep_id("bold")
    )
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = app.main_screen
        table = screen.query_one(MessageTable)
        await wait_for(pilot, lambda: table.row_count == 2 and detail_of(app).detail is not None)
        # An attempt with a hostile id: its body, its headers, and expunging it.
        attempts = screen.query_one("#attempts")
        bad_attempt = next(i for i, key in enumerate(attempts.attempts) if "atid." in key)
        screen.query_one(AttemptTable).focus()
        attempts.move_cursor(row=bad_attempt)
        for tab in tab_ids(app):
            await show_tab(pilot, app, tab)
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert_inert(app, f"attempt with a hostile id, {tab}")
        await show_tab(pilot, app, "tab-response")
        screen.query_one(AttemptTable).focus()
        await pilot.press("X")
        assert isinstance(app.screen, ConfirmScreen)
        assert_inert(app, "expunge dialog for a hostile attempt id")
        await pilot.press("y")
        await wait_for(pilot, lambda: "Expunge failed" in toast_text(app))
        assert_inert(app, "expunge of a hostile attempt id failed")
        # A message with a hostile id: highlighting it fails, resending it fails.
        table.focus()
        table.move_cursor(row=1)
        await wait_for(pilot, lambda: "detail" in screen.errors)
        assert screen.query_one("#status-line").display
        assert_inert(app, "message with a hostile id highlighted")
        await pilot.press("R")
        assert isinstance(app.screen, ConfirmScreen)
        assert_inert(app, "resend dialog for a hostile message id")
        await pilot.press("y")
        await wait_for(pilot, lambda: "Resend failed" in toast_text(app))
        assert_inert(app, "resend of a hostile message id failed")
        # An endpoint, then an app, with a hostile id: opening them fails.
        picker = screen.query_one(EndpointPicker)
        screen.open_endpoint(next(e.id for e in picker.endpoints if "epid." in e.id))
        await wait_for(pilot, lambda: "page" in screen.errors)
        assert_inert(app, "endpoint with a hostile id opened")
        screen.open_app(next(a.id for a in picker.apps if "appid." in a.id))
        await wait_for(pilot, lambda: "endpoints" in screen.errors)
        assert_inert(app, "app with a hostile id opened")
        assert app._exception is None
