"""Every list moves with the same keys: ↑/↓ j/k, home/end g/G, pgup/pgdn."""

from __future__ import annotations

from textual.widgets import OptionList, RadioButton

from attempt_tui.ui.screens.app_select import AppOptions, AppSelectScreen
from attempt_tui.ui.screens.copy import CopyScreen
from attempt_tui.ui.widgets.endpoint_picker import EndpointList
from attempt_tui.ui.widgets.message_table import MessageTable
from tests.ui.helpers import open_endpoint_settings, wait_for


async def test_the_endpoint_list_goes_to_its_ends_with_g_G_home_end(make_demo_app) -> None:
    app = make_demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        endpoints = app.screen.query_one(EndpointList)
        await wait_for(pilot, lambda: endpoints.option_count > 2 and endpoints.has_focus)
        last = endpoints.option_count - 1
        for key, index in (("G", last), ("g", 0), ("end", last), ("home", 0), ("j", 1)):
            await pilot.press(key)
            assert endpoints.highlighted == index, key


async def test_the_message_table_goes_to_its_ends_with_home_end(make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.screen.query_one(MessageTable)
        await wait_for(pilot, lambda: table.row_count == 50)
        for key, row in (("end", 49), ("home", 0), ("G", 49), ("g", 0), ("pagedown", None)):
            await pilot.press(key)
            assert row is None or table.cursor_row == row, key
        assert table.cursor_row > 1  # a page down


async def test_the_copy_menu_moves_with_j_k_and_g_G(make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(MessageTable).row_count == 50)
        await pilot.press("Y")
        await wait_for(pilot, lambda: isinstance(app.screen, CopyScreen))
        choices = app.screen.query_one(OptionList)
        last = choices.option_count - 1
        assert last >= 2
        for key, index in (("j", 1), ("j", 2), ("k", 1), ("G", last), ("g", 0)):
            await pilot.press(key)
            assert choices.highlighted == index, key


async def test_the_app_selector_list_goes_to_its_ends_with_g_G(make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(MessageTable).row_count == 50)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, AppSelectScreen))
        options = app.screen.query_one(AppOptions)
        options.focus()
        await pilot.pause()
        enabled = [i for i, o in enumerate(options.options) if not o.disabled]
        await pilot.press("G")
        assert options.highlighted == enabled[-1]
        await pilot.press("g")
        assert options.highlighted == enabled[0]


async def test_the_recover_windows_move_with_j_k(make_demo_app, demo) -> None:
    from textual.widgets import RadioSet

    from attempt_tui.ui.screens.recover import RecoverScreen

    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(MessageTable).row_count == 50)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, RecoverScreen))
        windows = app.screen.query_one(RadioSet)
        windows.focus()
        await pilot.pause()
        start = windows._selected or 0
        await pilot.press("j")
        assert windows._selected == start + 1
        await pilot.press("k")
        assert windows._selected == start
        assert isinstance(list(windows.query(RadioButton))[start], RadioButton)
