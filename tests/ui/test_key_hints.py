"""The one-line key hints: what they show, when they repaint, and clicks on them."""

from __future__ import annotations

from attempt_tui.ui.widgets.filter_bar import FilterBar
from attempt_tui.ui.widgets.key_hints import KeyHints
from attempt_tui.ui.widgets.message_table import MessageTable
from tests.ui.helpers import open_endpoint_settings, wait_for


def hints_line(app) -> str:
    return app.screen.query_one(KeyHints).render().plain


async def test_hints_follow_the_bindings_and_pin_the_palette_right(make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(MessageTable).row_count == 50)
        line = hints_line(app)
        assert line.startswith("? Help / Filter [ Prev page ] Next page R Resend")
        assert line.endswith("^p palette") and len(line) == 120
        hints = {hint.description: hint for hint in app.screen.query_one(KeyHints).hints}
        assert not hints["Prev page"].enabled and hints["Next page"].enabled
        await pilot.press("p")
        await wait_for(pilot, lambda: "p Resume" in hints_line(app))


async def test_only_whole_hints_fit_a_narrow_line(make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(MessageTable).row_count == 50)
        line = hints_line(app)
        assert len(line) == 80 and line.endswith("^p palette")
        shown = line.removesuffix("^p palette").rstrip()
        labels = [h.key_display + " " + h.description for h in app.screen.query_one(KeyHints).hints]
        assert 3 <= _count(shown, labels) < len(labels) - 1  # some, not all, and none cut


def _count(shown: str, labels: list[str]) -> int:
    """How many leading labels make up `shown` exactly (fails the test when none do)."""
    for n in range(len(labels), 0, -1):
        if " ".join(labels[:n]) == shown:
            return n
    raise AssertionError(f"not whole hints: {shown!r}")


async def test_unchanged_bindings_do_not_repaint(make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(MessageTable).row_count == 50)
        await pilot.pause()
        hints = app.screen.query_one(KeyHints)
        refreshes: list[tuple[object, ...]] = []
        original = hints.refresh
        hints.refresh = lambda *a, **k: refreshes.append(a) or original(*a, **k)  # type: ignore[method-assign]
        hints._bindings_changed(app.screen)  # what the screen's signal calls
        assert refreshes == []
        hints.hints = hints.hints[1:]  # as if a binding had just appeared
        hints._bindings_changed(app.screen)
        assert len(refreshes) == 1


async def test_clicking_a_hint_presses_its_key(make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(MessageTable).row_count == 50)
        column = hints_line(app).index("/ Filter")
        await pilot.click(KeyHints, offset=(column + 2, 0))
        await wait_for(pilot, lambda: bool(app.screen.query(FilterBar)))
        assert app.screen.query_one(FilterBar).display


async def test_a_dialog_shows_its_own_keys(make_demo_app, demo) -> None:
    from attempt_tui.ui.screens.confirm import ConfirmScreen

    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(MessageTable).row_count == 50)
        await pilot.press("R")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await wait_for(pilot, lambda: hints_line(app).startswith("y Yes n No esc Cancel"))
        await pilot.press("question_mark")  # not a key of the dialog: nothing happens
        await pilot.press("n")
        await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmScreen))
        assert hints_line(app).startswith("? Help")


async def test_narrow_layout_shows_back_and_hides_keys_of_panes_not_shown(make_demo_app) -> None:
    app = make_demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        picker_line = lambda: hints_line(app)  # noqa: E731
        await wait_for(pilot, lambda: "Find endpoint" in picker_line())
        assert "Next page" not in picker_line() and "esc Back" not in picker_line()
        assert "f5 Refresh" in picker_line()
        await pilot.press("enter")  # open the highlighted endpoint: the messages fill the screen
        await wait_for(pilot, lambda: app.screen.query_one(MessageTable).row_count > 0)
        await wait_for(pilot, lambda: hints_line(app).startswith("esc Back ? Help"))
        await pilot.press("escape")  # back to the picker
        await wait_for(pilot, lambda: "Find endpoint" in hints_line(app))
        assert "esc Back" not in hints_line(app)
    wide = make_demo_app()
    async with wide.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: "Find endpoint" in hints_line(wide))
        assert "esc Back" not in hints_line(wide)


async def test_keys_that_depend_on_focus_say_so(make_demo_app, demo) -> None:
    from textual.widgets import Tabs

    from attempt_tui.ui.widgets.detail import AttemptTable

    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(MessageTable).row_count == 50)
        line = hints_line(app)
        assert "tabs" not in line and "Copy attempt id" not in line
        await pilot.press("enter")  # open the message: the attempts have focus
        await wait_for(pilot, lambda: isinstance(app.focused, AttemptTable))
        await wait_for(pilot, lambda: "y Copy attempt id" in hints_line(app))
        assert "←/→ tabs" not in hints_line(app)
        await pilot.press("tab")  # the tab strip
        await wait_for(pilot, lambda: isinstance(app.focused, Tabs))
        tabs_first = "? Help ←/→ tabs y Copy attempt id"
        await wait_for(pilot, lambda: hints_line(app).startswith(tabs_first))
        await pilot.press("right")
        assert app.screen.query_one("#detail-tabs").active == "tab-payload"


async def test_the_focused_pane_is_marked_without_colour(make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(MessageTable).row_count == 50)
        screen = app.screen

        def borders() -> dict[str, str]:
            return {
                name: screen.query_one(f"#{name}").styles.border_top[0]
                for name in ("picker", "messages-pane", "detail")
            }

        def title_style(name: str) -> str:
            return str(screen.query_one(f"#{name}").styles.border_title_style)

        assert borders() == {"picker": "round", "messages-pane": "heavy", "detail": "round"}
        assert "reverse" in title_style("messages-pane") and "reverse" not in title_style("picker")
        await pilot.press("enter")
        await wait_for(pilot, lambda: borders()["detail"] == "heavy")
        assert borders() == {"picker": "round", "messages-pane": "round", "detail": "heavy"}
        await pilot.press("E")
        await wait_for(pilot, lambda: borders()["picker"] == "heavy")
        assert list(borders().values()).count("heavy") == 1


async def test_escape_closes_textuals_keys_panel(make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(MessageTable).row_count == 50)
        app.action_show_help_panel()  # what the palette's "Keys" entry runs
        await wait_for(pilot, lambda: bool(app.screen.query("HelpPanel")))
        await pilot.press("escape")
        await wait_for(pilot, lambda: not app.screen.query("HelpPanel"))
        assert isinstance(app.focused, MessageTable)  # escape did nothing else
        assert app.data_worker.query.endpoint_id == demo.world.roles["busiest"].id
