"""The app selector dialog: filter, open by id/uid, recent first, paging on demand, inert data."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from attempt_tui.api.models import ApplicationOut
from attempt_tui.compat import UTC
from attempt_tui.recent import RecentApp
from attempt_tui.ui.screens.app_select import NO_MATCH, NOT_AN_ID, AppChoice, AppSelectScreen
from attempt_tui.ui.widgets.key_hints import KeyHints
from tests.conftest import repo_root
from tests.hostile.hostile_api import ATTACK_NAMES, MARKUP_LITERALS, hostile
from tests.hostile.inspect_ui import screen_problems, screen_text, source_problems
from tests.ui.helpers import wait_for

SIZE = (120, 40)
CREATED = datetime(2026, 10, 1, 9, 30, tzinfo=UTC)


def application(n: int, *, name: str | None = None, uid: str | None = "") -> ApplicationOut:
    return ApplicationOut(
        id=f"app_2k{n:05d}",
        name=f"Customer {n:05d}" if name is None else name,
        uid=f"cust-{n:05d}" if uid == "" else uid,
        created_at=CREATED,
        updated_at=CREATED,
    )


def page(start: int, count: int) -> list[ApplicationOut]:
    return [application(n) for n in range(start, start + count)]


def recent_of(*numbers: int) -> list[RecentApp]:
    return [
        RecentApp(id=f"app_2k{n:05d}", uid=f"cust-{n:05d}", name=f"Customer {n:05d}")
        for n in numbers
    ]


class DialogApp(App[None]):
    """Pushes the dialog and records what it returns and how often it asks for more."""

    # The shipped stylesheet, without importing the whole app.
    CSS_PATH = [repo_root() / "styles" / "app.tcss"]

    def __init__(
        self,
        apps: Sequence[ApplicationOut],
        *,
        has_more: bool = True,
        recent: Sequence[RecentApp] = (),
        current_app_id: str | None = None,
    ) -> None:
        super().__init__()
        self.results: list[AppChoice | None] = []
        self.load_calls = 0
        self.dialog = AppSelectScreen(
            list(apps),
            has_more=has_more,
            recent=list(recent),
            current_app_id=current_app_id,
            load_more=self._load_more,
        )

    def compose(self) -> ComposeResult:
        yield Static("the main screen")

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.results.append)

    def _load_more(self) -> None:
        self.load_calls += 1


def options_of(app: DialogApp) -> OptionList:
    return app.dialog.query_one("#app-select-options", OptionList)


def plain(prompt: object) -> str:
    """An option's text with runs of spaces (the column padding) as one space."""
    return " ".join(str(prompt).split())


def prompts(app: DialogApp) -> list[str]:
    options = options_of(app)
    return [plain(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def highlighted_prompt(app: DialogApp) -> str:
    option = options_of(app).highlighted_option
    assert option is not None
    return plain(option.prompt)


def status(app: DialogApp) -> str:
    return str(app.dialog.query_one("#app-select-status", Static).render())


async def started(pilot: Pilot) -> None:
    app = pilot.app
    assert isinstance(app, DialogApp)
    await wait_for(pilot, lambda: app.screen is app.dialog and app.dialog.is_mounted)


async def test_recent_first_then_loaded_apps() -> None:
    app = DialogApp(page(1, 20), recent=recent_of(7, 3), current_app_id="app_2k00007")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        shown = prompts(app)
        assert shown[0] == "Recent"
        assert shown[1].startswith("Customer 00007 cust-00007") and "open now" in shown[1]
        assert shown[2].startswith("Customer 00003")
        assert shown[3] == "Apps"
        assert shown[4].startswith("Customer 00001 cust-00001")
        assert len(shown) == 2 + 2 + 20
        options = options_of(app)
        assert options.get_option_at_index(0).disabled and options.get_option_at_index(3).disabled
        # The open app is first; the previous one is highlighted so enter switches back.
        assert highlighted_prompt(app).startswith("Customer 00003")
        assert app.dialog.query_one(Input).has_focus
        assert status(app) == "20 apps loaded · scroll for more"
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(app.results))
    assert app.results == [AppChoice("app_2k00003", known=True)]


async def test_status_when_everything_is_loaded() -> None:
    app = DialogApp(page(1, 1234), has_more=False)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert status(app) == "all 1,234 apps loaded"
        assert prompts(app)[0] == "Apps"


async def test_typing_filters_by_name_uid_or_id() -> None:
    apps = [*page(1, 30), application(99, name="Acme Payments", uid=None)]
    app = DialogApp(apps, recent=recent_of(12))
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press(*"ACME")
        await wait_for(pilot, lambda: len(prompts(app)) == 2)
        assert prompts(app) == ["Apps", "Acme Payments app_2k00099"]
        assert highlighted_prompt(app) == "Acme Payments app_2k00099"
        assert status(app) == "1 of 31 loaded apps match · scroll for more"
        app.dialog.query_one(Input).value = "cust-0001"  # by uid: 10..19, recent 12 too
        await wait_for(pilot, lambda: prompts(app)[0] == "Recent")
        assert prompts(app)[1].startswith("Customer 00012")
        assert len(prompts(app)) == 2 + 1 + 10
        app.dialog.query_one(Input).value = "APP_2K0002"  # by id: 20..29
        await wait_for(pilot, lambda: len(prompts(app)) == 11)
        app.dialog.query_one(Input).value = ""
        await wait_for(pilot, lambda: len(prompts(app)) == 2 + 1 + 31)


async def test_enter_picks_the_single_match() -> None:
    app = DialogApp(page(1, 30))
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press(*"ustomer 00017")
        await wait_for(pilot, lambda: len(prompts(app)) == 2)
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(app.results))
    assert app.results == [AppChoice("app_2k00017", known=True)]


async def test_enter_on_an_exact_uid_picks_that_app_among_several_matches() -> None:
    # "cust-00001" is the uid of app 1 and a prefix of the uids of 10..19.
    app = DialogApp(page(1, 30))
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.dialog.query_one(Input).value = "cust-00001"
        await wait_for(pilot, lambda: len(prompts(app)) == 2)
        app.dialog.query_one(Input).value = "cust-0000"
        await wait_for(pilot, lambda: len(prompts(app)) == 10)
        await pilot.press("1")
        await wait_for(pilot, lambda: len(prompts(app)) == 2)
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(app.results))
    assert app.results == [AppChoice("app_2k00001", known=True)]


async def test_enter_on_an_unknown_uid_opens_it_directly() -> None:
    app = DialogApp(page(1, 30))
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press(*"customer-acme.eu_1")
        await wait_for(pilot, lambda: prompts(app) == [])
        assert status(app) == "0 of 30 loaded apps match · scroll for more"
        message = app.dialog.query_one("#app-select-message", Static)
        assert message.display and str(message.render()) == NO_MATCH
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(app.results))
    assert app.results == [AppChoice("customer-acme.eu_1", known=False)]


async def test_enter_on_text_that_is_no_id_says_what_is_accepted() -> None:
    app = DialogApp(page(1, 30))
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        message = app.dialog.query_one("#app-select-message", Static)
        assert not message.display
        await pilot.press(*"acme corp")
        await pilot.press("enter")
        await wait_for(pilot, lambda: message.display)
        assert str(message.render()) == NOT_AN_ID
        assert app.results == [] and app.screen is app.dialog
        await pilot.press("backspace")
        await wait_for(pilot, lambda: not message.display)


async def test_keys_move_into_the_list_and_back() -> None:
    app = DialogApp(page(1, 30), recent=recent_of(5))
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        hints = app.dialog.query_one(KeyHints)
        assert sorted(h.description for h in hints.hints) == ["Cancel", "List", "Open"]
        await pilot.press("down")
        options = options_of(app)
        assert options.has_focus
        assert highlighted_prompt(app).startswith("Customer 00005")
        await pilot.press("j", "j")
        assert highlighted_prompt(app).startswith("Customer 00002")  # the heading is skipped
        await pilot.press("k", "up", "k")
        assert app.dialog.query_one(Input).has_focus  # up from the first app: back to the box
        await pilot.press("down", "j", "j", "j", "enter")
        await wait_for(pilot, lambda: bool(app.results))
    assert app.results == [AppChoice("app_2k00003", known=True)]


async def test_escape_cancels_from_the_box_and_from_the_list() -> None:
    for keys in (["escape"], ["down", "escape"]):
        app = DialogApp(page(1, 5))
        async with app.run_test(size=SIZE) as pilot:
            await started(pilot)
            await pilot.press(*keys)
            await wait_for(pilot, lambda app=app: bool(app.results))
        assert app.results == [None]


async def test_load_more_once_at_the_end_and_again_only_after_update() -> None:
    app = DialogApp(page(1, 250), recent=recent_of(1, 2))
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert app.load_calls == 0  # never at start
        await pilot.press("down")
        last = options_of(app).option_count - 1
        await pilot.press("end")
        assert options_of(app).highlighted == last
        await wait_for(pilot, lambda: app.load_calls == 1)
        assert status(app) == "250 apps loaded · loading more apps…"
        await pilot.press("up", "down", "down", "pagedown")  # still at the end: no second call
        options_of(app).scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert app.load_calls == 1

        app.dialog.update_apps(page(251, 250), has_more=True)
        await pilot.pause()
        assert status(app) == "500 apps loaded · scroll for more"
        assert app.load_calls == 1
        options_of(app).scroll_end(animate=False, immediate=True)  # the end, by scrolling
        await wait_for(pilot, lambda: app.load_calls == 2)

        app.dialog.update_apps(page(501, 10), has_more=False)
        await pilot.pause()
        assert status(app) == "all 510 apps loaded"
        await pilot.press("end", "down")
        await pilot.pause()
        assert app.load_calls == 2  # nothing more to load


async def test_down_on_the_last_app_asks_for_more() -> None:
    app = DialogApp(page(1, 3))  # a short first page: the list does not scroll
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert app.load_calls == 0
        await pilot.press("down")
        await wait_for(pilot, lambda: app.load_calls == 1)  # 3 apps: already near the end
        app.dialog.update_apps([], has_more=True)  # the load failed: the user may ask again
        await pilot.press("j", "j", "j")
        assert highlighted_prompt(app).startswith("Customer 00003")  # no wrap to the top
        await wait_for(pilot, lambda: app.load_calls == 2)


async def test_update_apps_keeps_the_highlight_and_the_scroll() -> None:
    app = DialogApp(page(1, 250))
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        options = options_of(app)
        await pilot.press("down")
        for _ in range(40):
            await pilot.press("j")
        before = (options.highlighted, options.scroll_y, highlighted_prompt(app))
        assert before[1] > 0
        added: list[object] = []
        original = options.add_options
        options.add_options = lambda new: added.append(list(new)) or original(new)  # type: ignore[method-assign]
        # The whole list again plus the next page: only the new apps are added.
        app.dialog.update_apps(page(1, 500), has_more=True)
        await pilot.pause()
        assert (options.highlighted, options.scroll_y, highlighted_prompt(app)) == before
        assert len(added) == 1 and len(added[0]) == 250  # type: ignore[arg-type]
        assert options.option_count == 1 + 500


async def test_update_apps_with_a_filter_adds_only_the_matches() -> None:
    app = DialogApp(page(1, 250))
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.dialog.query_one(Input).value = "customer 002"  # 200..250 loaded, 251..299 not
        await wait_for(pilot, lambda: len(prompts(app)) == 1 + 51)
        await pilot.press("down", "j", "j")
        before = highlighted_prompt(app)
        assert before.startswith("Customer 00202")
        app.dialog.update_apps(page(251, 250), has_more=False)
        await pilot.pause()
        assert len(prompts(app)) == 1 + 100
        assert highlighted_prompt(app) == before
        assert status(app) == "100 of 500 apps match"


async def test_no_heading_until_a_loaded_app_matches() -> None:
    app = DialogApp(page(1, 5), recent=recent_of(1))
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        app.dialog.query_one(Input).value = "Customer 00008"
        await wait_for(pilot, lambda: prompts(app) == [])
        app.dialog.update_apps(page(6, 5), has_more=False)
        await pilot.pause()
        assert prompts(app) == ["Apps", "Customer 00008 cust-00008"]


async def test_hostile_app_names_render_inert() -> None:
    apps = [
        ApplicationOut(
            id=f"app_2hostile{attack}",
            name=hostile("appname", attack),
            uid=hostile("appuid", attack)[:256],
            created_at=CREATED,
            updated_at=CREATED,
        )
        for attack in ATTACK_NAMES
    ]
    recent = [RecentApp(id=a.id, uid=a.uid, name=a.name) for a in apps[:4]]
    app = DialogApp(apps, recent=recent)
    async with app.run_test(size=(160, 50)) as pilot:
        await started(pilot)
        problems = screen_problems(app) + source_problems(app)
        assert not problems, "\n".join(problems[:40])
        text = screen_text(app)
        for literal in MARKUP_LITERALS:
            assert literal in text  # shown as the text it is, not applied
        assert "\\x1b" in text  # ESC made visible
        assert max(len(line) for line in prompts(app)) < 200  # the huge name is capped
        await pilot.press(*"osc52")
        await wait_for(pilot, lambda: "Recent" in prompts(app))
        problems = screen_problems(app) + source_problems(app)
        assert not problems, "\n".join(problems[:40])
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(app.results))
        assert app.results == [AppChoice("app_2hostileosc52", known=True)]
        assert app.is_running  # nothing in the data quit the app


def test_dialog_snapshot(snap_compare) -> None:
    apps = [*page(1, 40), application(41, name="Acme Payments (EU)", uid=None)]
    app = DialogApp(apps, recent=recent_of(12, 7, 3), current_app_id="app_2k00012")

    async def run_before(pilot: Pilot) -> None:
        await started(pilot)
        await pilot.press("down", "j", "j")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
