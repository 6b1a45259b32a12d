"""Type-ahead: keys sent in one burst act as if each was typed once the last one had landed."""

from __future__ import annotations

from attempt_tui.ui.palette import AttemptPalette, SystemDiscoveryHit, SystemHit
from attempt_tui.ui.screens.app_select import AppSelectScreen
from attempt_tui.ui.screens.main import MainScreen
from attempt_tui.ui.widgets.message_table import MessageTable
from tests.ui.helpers import burst, open_endpoint_settings, wait_for


def _opened(app, endpoint_id: str) -> bool:
    return (
        isinstance(app.screen, MainScreen)
        and app.data_worker.query.endpoint_id == endpoint_id
        and app.screen.query_one(MessageTable).row_count > 0
    )


async def test_palette_typed_ahead_opens_the_endpoint_typed(make_demo_app, demo) -> None:
    ledger = demo.world.roles["busiest"]
    app = make_demo_app(**open_endpoint_settings(demo, "timeout"))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(MessageTable).row_count > 0)
        burst(pilot, ":", *"ledger", "enter")
        await wait_for(pilot, lambda: _opened(app, ledger.id))
        assert isinstance(app.screen, MainScreen)  # no Keys panel, no help, no palette left
        assert not app.screen.query("HelpPanel")


async def test_endpoint_list_typed_ahead_opens_the_endpoint_above(make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo, "busiest"))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(MessageTable).row_count > 0)
        endpoints = app.main_screen.picker.endpoints
        here = [e.id for e in endpoints].index(demo.world.roles["busiest"].id)
        above = endpoints[here - 1]
        burst(pilot, "E", "k", "enter")
        await wait_for(pilot, lambda: _opened(app, above.id))
        assert not app.main_screen.has_class("-detail-open")  # enter did not open a message


async def test_endpoint_list_typed_ahead_in_the_narrow_layout(make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo, "busiest"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(MessageTable).row_count > 0)
        endpoints = app.main_screen.picker.endpoints
        here = [e.id for e in endpoints].index(demo.world.roles["busiest"].id)
        burst(pilot, "E", "k", "k", "enter")
        await wait_for(pilot, lambda: _opened(app, endpoints[here - 2].id))


async def test_keys_typed_before_the_app_selector_mounts_reach_it(make_demo_app, demo) -> None:
    globex = demo.world.roles["fulfilment"].app
    app = make_demo_app(**open_endpoint_settings(demo, "busiest"))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(MessageTable).row_count > 0)
        burst(pilot, "a", *"globex-shop", "enter")
        await wait_for(pilot, lambda: app.data_worker.query.app_id == globex.id)
        assert not isinstance(app.screen, AppSelectScreen)


async def test_the_palette_lists_the_apps_own_commands_before_textuals(make_demo_app, demo) -> None:
    from textual.command import CommandList

    app = make_demo_app(**open_endpoint_settings(demo, "busiest"))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(MessageTable).row_count > 0)
        await pilot.press("colon")
        await wait_for(pilot, lambda: isinstance(app.screen, AttemptPalette))
        palette = app.screen

        def kinds() -> list[bool]:
            options = palette.query_one(CommandList).options
            return [isinstance(o.hit, (SystemHit, SystemDiscoveryHit)) for o in options]

        await wait_for(pilot, lambda: any(kinds()) and not all(kinds()))
        assert kinds() == sorted(kinds())  # every own command first, then Textual's
        await pilot.press(*"e")  # matches own commands and system ones ("Change theme")
        await wait_for(pilot, lambda: not palette._searching() and any(kinds()))
        assert kinds() == sorted(kinds()) and not kinds()[0]


async def test_endpoint_list_goes_up_from_the_endpoint_the_palette_opened(
    make_demo_app, demo
) -> None:
    ledger, crm = demo.world.roles["busiest"], demo.world.roles["timeout"]
    app = make_demo_app(**open_endpoint_settings(demo, "timeout"))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(MessageTable).row_count > 0)
        endpoints = [e.id for e in app.main_screen.picker.endpoints]
        assert endpoints.index(crm.id) == endpoints.index(ledger.id) - 1
        burst(pilot, ":", *"ledger", "enter")
        await wait_for(pilot, lambda: _opened(app, ledger.id))
        burst(pilot, "E", "k", "enter")  # above the open endpoint, not the one last highlighted
        await wait_for(pilot, lambda: _opened(app, crm.id))


async def test_the_palette_runs_the_keys_of_the_message_area(make_demo_app, demo) -> None:
    from attempt_tui.ui.palette import AttemptCommands

    app = make_demo_app(**open_endpoint_settings(demo, "busiest"))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(MessageTable).row_count > 0)
        burst(pilot, ":", *"live tail", "enter")
        await wait_for(pilot, lambda: app.main_screen.tail)
        await pilot.press("E")
    narrow = make_demo_app()
    async with narrow.run_test(size=(80, 24)) as pilot:  # the picker alone: no message keys
        await wait_for(pilot, lambda: len(narrow.main_screen.picker.endpoints) > 0)
        names = [c.name for c in AttemptCommands(narrow.main_screen).commands()]
        assert "Sort" in names and "Live tail" not in names and "Resend" not in names
