"""While the filter bar has focus, letters belong to the form, never to the screen's keys."""

from __future__ import annotations

from textual.widgets import Checkbox, Select

from attempt_tui.ui.screens.main import MainScreen
from attempt_tui.ui.widgets.filter_bar import FilterBar
from attempt_tui.ui.widgets.message_table import MessageTable
from tests.ui.helpers import open_endpoint_settings, wait_for


async def _open_filter_bar(app, pilot) -> FilterBar:
    await wait_for(pilot, lambda: app.screen.query_one(MessageTable).row_count > 0)
    await pilot.press("slash")
    await wait_for(pilot, lambda: bool(app.screen.query(FilterBar)))
    return app.screen.query_one(FilterBar)


async def test_letters_on_a_status_box_or_the_window_dropdown_stay_in_the_form(
    make_demo_app, demo
) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        bar = await _open_filter_bar(app, pilot)
        screen = app.main_screen
        for target in (bar.query_one("#status-fail", Checkbox), bar.query_one(Select)):
            target.focus()
            await pilot.pause()
            fail_box = bar.query_one("#status-fail", Checkbox)
            fail_box.value = True  # an edit not applied yet: no key may drop it
            await pilot.press(*"eu-west", "R", "X", "p", "question_mark", "c", "q", "slash")
            assert fail_box.value is True
            assert isinstance(app.screen, MainScreen)  # no resend dialog, no help, no quit
            assert not screen.tail and not app.data_worker.paused
            assert bar.display and app.focused is target
        fail = bar.query_one("#status-fail", Checkbox)
        fail.focus()
        await pilot.press("space")  # the form's own keys still work
        assert fail.value is False


async def test_keys_without_a_character_still_reach_the_screen(make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        bar = await _open_filter_bar(app, pilot)
        bar.query_one("#status-fail", Checkbox).focus()
        await pilot.press("escape")  # closes the bar
        await wait_for(pilot, lambda: not bar.display)
        await pilot.press("t")  # outside the form, letters are keys again
        await wait_for(pilot, lambda: app.main_screen.tail)
