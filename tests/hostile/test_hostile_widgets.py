"""Widget level (Pilot): hostile API data never reaches the screen as controls, links or actions.

Every screen the app has is visited with the hostile API behind it; at each stop both the
composed screen and every widget's content are inspected (see inspect_ui.py).
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, Select, TabbedContent

from attempt_tui.ui.screens.confirm import ConfirmScreen
from attempt_tui.ui.screens.help import HelpScreen
from attempt_tui.ui.widgets.detail import DetailPane
from attempt_tui.ui.widgets.endpoint_picker import EndpointPicker
from attempt_tui.ui.widgets.message_table import MessageTable
from tests.hostile.hostile_api import (
    ATTACK_NAMES,
    HUGE_LEN,
    MARKUP_LITERALS,
    HostileApi,
    ep_id,
    msg_id,
)
from tests.hostile.inspect_ui import (
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


async def show_message(pilot: Pilot, app: Any, index: int) -> None:
    table = app.main_screen.query_one(MessageTable)
    table.move_cursor(row=index, animate=False)
    wanted = msg_id(ATTACK_NAMES[index])
    detail = detail_of(app)
    await wait_for(pilot, lambda: detail.detail is not None and detail.detail.msg_id == wanted)


async def show_tab(pilot: Pilot, app: Any, tab: str) -> None:
    app.main_screen.query_one("#detail-tabs", TabbedContent).active = tab
    await pilot.pause()


async def test_every_screen_with_every_attack_is_inert(make_hostile_app) -> None:
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
            for tab in ("tab-response", "tab-payload", "tab-destinations"):
                await show_tab(pilot, app, tab)
                assert_inert(app, f"message {attack}, {tab}")
                seen += screen_text(app)
                shown += rendered_sources(app)
            await show_tab(pilot, app, "tab-response")
            # The older attempt too: its body is plain text, the newer one JSON.
            app.main_screen.query_one("#attempts").move_cursor(row=1)
            await pilot.pause()
            assert_inert(app, f"message {attack}, second attempt")
            seen += screen_text(app)
        for literal in MARKUP_LITERALS:
            assert literal in seen, f"markup {literal!r} was not shown literally"
        # Every field made it into the widgets (so the checks above looked at real data).
        for field in ("evt", "eid", "chan", "tag", "aturl", "jbody", "body", "payload", "dsturl"):
            assert f"{field}.bold" in shown, field


async def test_confirm_dialogs_are_inert(make_hostile_app) -> None:
    app = make_hostile_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        for index, attack in enumerate(ATTACK_NAMES):
            await show_message(pilot, app, index)
            await pilot.press("R")
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.pause()
            assert_inert(app, f"resend dialog, {attack}")
            body = str(app.screen.query_one("#confirm-body").render())
            assert f"evt.{attack}"[:12] in body
            await pilot.press("n")
            await pilot.press("X")
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.pause()
            assert_inert(app, f"expunge dialog, {attack}")
            await pilot.press("n")
            assert not isinstance(app.screen, ConfirmScreen)


async def test_picker_select_help_and_filters_are_inert(make_hostile_app) -> None:
    app = make_hostile_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        picker = app.main_screen.query_one(EndpointPicker)
        await wait_for(pilot, lambda: len(picker.endpoints) == len(ATTACK_NAMES))
        await pilot.press("e")
        option_list = picker.query_one("#endpoint-list", OptionList)
        for index in range(len(ATTACK_NAMES)):
            option_list.highlighted = index
            await pilot.pause()
            assert_inert(app, f"endpoint picker at {ATTACK_NAMES[index]}")
        # The app selector, expanded.
        select = picker.query_one("#app-select", Select)
        select.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert select.expanded
        assert_inert(app, "app selector open")
        assert "[bold]appname.bold[/bold]" in rendered_sources(app)
        await pilot.press("escape")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert_inert(app, "help")
        await pilot.press("escape")
        app.main_screen.query_one(MessageTable).focus()
        await pilot.press("slash")
        await pilot.pause()
        assert_inert(app, "filter bar")


@pytest.mark.parametrize("attack", ATTACK_NAMES)
async def test_each_attack_opened_as_the_endpoint_is_inert(make_hostile_app, attack: str) -> None:
    """The open app and endpoint show in the context bar and the pane titles."""
    from tests.hostile.hostile_api import app_id

    app = make_hostile_app(
        app_id=app_id(attack) if attack != ATTACK_NAMES[0] else None,
        endpoint_id=ep_id(attack),
    )
    app.main_screen._wanted_app = app_id(attack)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        detail = detail_of(app)
        await wait_for(pilot, lambda: detail.detail is not None)
        assert app.data_worker.query.endpoint_id == ep_id(attack)
        assert_inert(app, f"endpoint {attack} open")
        context = str(app.main_screen.query_one("#context").render())
        assert f"epurl.{attack}"[:10] in context or "ep https://" in context


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
        app.main_screen.query_one("#attempts").move_cursor(row=1)  # the plain-text body
        await pilot.pause()
        body = app.main_screen.query_one("#response-body").render().plain
        assert len(body) < 25_000
        assert "truncated (" in body
        payload = app.main_screen.query_one("#payload-body").render().plain
        assert len(payload) < 60_000
        assert "truncated (" in payload
        assert 100 * len(payload) < HUGE_LEN


async def test_read_only_marker_is_text(make_hostile_app, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_hostile_app(read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        detail = detail_of(app)
        await wait_for(pilot, lambda: detail.detail is not None)
        assert "READ-ONLY" in screen_lines_first(app)


def screen_lines_first(app: Any) -> str:
    return screen_text(app).splitlines()[0]


# ---------------------------------------------------------------------------- errors from data


async def _resend_failing(make_hostile_app, attack: str, route: str) -> Any:
    api = HostileApi(attacks=[attack], errors={route: 400})
    app = make_hostile_app(transport=api.transport(), app_id=None, endpoint_id=ep_id(attack))
    return app


@pytest.mark.parametrize("attack", ["click", "link", "bold"])
@pytest.mark.xfail(
    reason="screens/main.py _resend/_expunge: notify(f'... {error.message}') parses the "
    "server's error detail as markup",
    strict=True,
)
async def test_server_error_detail_in_a_notification_is_not_markup(
    make_hostile_app, attack: str
) -> None:
    api = HostileApi(attacks=[attack], errors={"resend": 400, "expunge": 400})
    app = make_hostile_app(transport=api.transport(), app_id=None, endpoint_id=ep_id(attack))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        detail = detail_of(app)
        await wait_for(pilot, lambda: detail.detail is not None)
        await pilot.press("R", "y")
        await wait_for(pilot, lambda: "errdetail" in screen_text(app))
        await pilot.press("X", "y")
        await wait_for(pilot, lambda: screen_text(app).count("errdetail") >= 2)
        assert_inert(app, "resend/expunge failure notifications")
        literal = {"click": "[@click=app.quit]", "link": "[link=http://x]", "bold": "[bold]"}
        assert literal[attack] in screen_text(app)


@pytest.mark.xfail(
    reason="screens/main.py _resend: notify() parses the server's error detail as markup, and "
    "unbalanced markup raises MarkupError while rendering the toast: the app crashes",
    strict=True,
)
async def test_unbalanced_markup_in_an_error_detail_does_not_crash_the_app(
    make_hostile_app,
) -> None:
    api = HostileApi(attacks=["unbalanced"], errors={"resend": 400})
    app = make_hostile_app(transport=api.transport(), app_id=None, endpoint_id=ep_id("unbalanced"))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        detail = detail_of(app)
        await wait_for(pilot, lambda: detail.detail is not None)
        await pilot.press("R", "y")
        await wait_for(pilot, lambda: "errdetail" in screen_text(app))
        assert "[/bold]errdetail.unbalanced" in screen_text(app)
    assert app._exception is None


@pytest.mark.parametrize("attack", ["click", "bidi", "c1", "ctl"])
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
