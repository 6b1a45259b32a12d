"""The app selector: recent apps, the apps loaded so far (more on demand), or an id/uid typed in.

Real accounts have one app per customer, so tens of thousands: the dialog never lists them all.
It shows what it was given, asks for the next page through `load_more` when the user reaches the
end of the list, and extends the list in place when `update_apps` brings more. Typing filters
what is loaded (the API has no name search); an id or uid typed in opens that app directly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from attempt_tui import safe
from attempt_tui.api.models import ApplicationOut
from attempt_tui.locate import LOOKUP_TEXT
from attempt_tui.recent import RecentApp
from attempt_tui.ui.widgets.key_hints import KeyHints
from attempt_tui.ui.widgets.vim_lists import VimOptionList

NEAR_END = 5
"""Ask for more apps when the highlight is this close to the end of the list."""

PLACEHOLDER = "type a name to filter the loaded apps, or an app id / uid and press enter"
NO_MATCH = "No loaded app matches: enter opens this as an app id or uid."
NOT_AN_ID = (
    "Not an app id or uid: ids and uids are letters, digits, '-', '_' and '.' "
    "(up to 256 characters). Type part of a name to filter the loaded apps."
)
NAME_LEN = 60
NAME_COLUMN = 34
"""Ids and uids line up after names up to this width."""
ID_LEN = 60


@dataclass(frozen=True)
class AppChoice:
    """What the user chose: an app from a list (known, its id), or an id/uid typed in."""

    app_id_or_uid: str
    known: bool


@dataclass(frozen=True)
class _Entry:
    """An app as the dialog lists it: from the recent list or from the loaded pages."""

    id: str
    uid: str | None
    name: str
    haystack: str
    """Name, uid and id lowered, for the filter."""

    @classmethod
    def of(cls, app_id: str, uid: str | None, name: str) -> _Entry:
        haystack = "\n".join((name, uid or "", app_id)).lower()
        return cls(app_id, uid, name, haystack)


class AppQuery(Input):
    """The filter / id box: enter opens, down moves into the list."""

    BINDINGS = [
        Binding("enter", "submit", "Open", id="app_select.open"),
        Binding("down", "to_list", "List", id="app_select.to_list"),
    ]

    class ToList(Message):
        """The user wants to move into the list."""

    def action_to_list(self) -> None:
        self.post_message(self.ToList())


class AppOptions(VimOptionList):
    """The list of apps: the keys of every list; up from the top goes back to the box, and
    down past the end asks for more apps (no wrap)."""

    BINDINGS = [
        Binding("enter", "select", "Open", id="app_select.open_option"),
        Binding("j", "cursor_down", "Cursor down", show=False, id="app_select.down"),
        Binding("k", "cursor_up", "Cursor up", show=False, id="app_select.up"),
    ]

    class LeftTop(Message):
        """Up was pressed on the first app."""

    class PressedPastEnd(Message):
        """Down was pressed on the last app: the user wants more."""

    def _enabled_indexes(self) -> list[int]:
        return [index for index, option in enumerate(self.options) if not option.disabled]

    def action_cursor_up(self) -> None:
        enabled = self._enabled_indexes()
        if self.highlighted is None or not enabled or self.highlighted <= enabled[0]:
            self.post_message(self.LeftTop())
            return
        super().action_cursor_up()

    def action_cursor_down(self) -> None:
        enabled = self._enabled_indexes()
        if enabled and self.highlighted is not None and self.highlighted >= enabled[-1]:
            self.post_message(self.PressedPastEnd())
            return
        super().action_cursor_down()


class AppSelectScreen(ModalScreen[AppChoice | None]):
    """Pick an app: recent first, then the loaded apps; or type an id/uid to open it directly."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="app_select.cancel"),
    ]

    def __init__(
        self,
        apps: list[ApplicationOut],
        *,
        has_more: bool,
        recent: list[RecentApp],
        current_app_id: str | None,
        load_more: Callable[[], None],
    ) -> None:
        super().__init__()
        self.recent = [_Entry.of(app.id, app.uid, app.name) for app in recent]
        self.apps: list[_Entry] = []
        self._app_ids: set[str] = set()
        self._take(apps)
        self.has_more = has_more
        self.current_app_id = current_app_id
        self._load_more = load_more
        self.loading_more = False
        """load_more was called and no apps arrived since."""
        self.filter_text = ""
        """The filter as typed, stripped (matching is case-insensitive)."""
        self._option_apps: dict[str, str] = {}
        """Option id -> app id, for the options on the list."""
        self._apps_heading_shown = False

    # --- building --------------------------------------------------------------------------

    def _take(self, apps: Iterable[ApplicationOut]) -> list[int]:
        """Add the apps not loaded yet; the indexes of those added."""
        added: list[int] = []
        for app in apps:
            if app.id in self._app_ids:
                continue
            self._app_ids.add(app.id)
            added.append(len(self.apps))
            self.apps.append(_Entry.of(app.id, app.uid, app.name))
        return added

    def _matches(self, entry: _Entry) -> bool:
        needle = self.filter_text.lower()
        return not needle or needle in entry.haystack

    def _prompt(self, entry: _Entry) -> Text:
        prompt = Text(no_wrap=True, overflow="ellipsis")
        if entry.name:
            prompt.append_text(safe.text(entry.name, max_len=NAME_LEN))
        else:
            prompt.append("(no name)", style="dim italic")
        prompt.append(" " * max(2, NAME_COLUMN - prompt.cell_len))
        prompt.append_text(safe.text(entry.uid or entry.id, max_len=ID_LEN, style="dim"))
        if entry.id == self.current_app_id:
            prompt.append("  · open now", style="dim italic")
        return prompt

    def _option(self, option_id: str, entry: _Entry) -> Option:
        self._option_apps[option_id] = entry.id
        return Option(self._prompt(entry), id=option_id)

    @staticmethod
    def _heading(label: str, option_id: str) -> Option:
        return Option(Text(label, style="bold"), id=option_id, disabled=True)

    def _app_options(self, indexes: Iterable[int]) -> list[Option]:
        """Options for the loaded apps at `indexes` that match the filter, with the heading."""
        options = [
            self._option(f"app-{index}", self.apps[index])
            for index in indexes
            if self._matches(self.apps[index])
        ]
        if options and not self._apps_heading_shown:
            self._apps_heading_shown = True
            options.insert(0, self._heading("Apps", "heading-apps"))
        return options

    def _all_options(self) -> list[Option]:
        self._option_apps = {}
        self._apps_heading_shown = False
        options = [
            self._option(f"recent-{index}", entry)
            for index, entry in enumerate(self.recent)
            if self._matches(entry)
        ]
        if options:
            options.insert(0, self._heading("Recent", "heading-recent"))
        options.extend(self._app_options(range(len(self.apps))))
        return options

    def compose(self) -> ComposeResult:
        yield KeyHints()  # this dialog's keys, over the screen's below
        with Vertical(id="app-select-dialog") as dialog:
            dialog.border_title = "Open an app"
            yield AppQuery(placeholder=PLACEHOLDER, id="app-select-query")
            yield Static("", id="app-select-message", markup=False)
            yield AppOptions(*self._all_options(), id="app-select-options")
            yield Static(self._status(), id="app-select-status", markup=False)

    def on_mount(self) -> None:
        options = self.query_one(AppOptions)
        options.highlighted = self._first_highlight()
        self.query_one("#app-select-message", Static).display = False
        self.watch(options, "scroll_y", self._scrolled, init=False)
        self.query_one(AppQuery).focus()

    def _first_highlight(self) -> int | None:
        """The first app that is not the open one (switching back is one key), else the first."""
        options = self.query_one(AppOptions)
        enabled = [i for i, option in enumerate(options.options) if not option.disabled]
        for index in enabled:
            option_id = options.options[index].id
            if option_id and self._option_apps.get(option_id) != self.current_app_id:
                return index
        return enabled[0] if enabled else None

    # --- status ----------------------------------------------------------------------------

    def _match_count(self) -> int:
        return sum(1 for entry in self.apps if self._matches(entry))

    def _status(self) -> Text:
        loaded = len(self.apps)
        parts: list[str] = []
        if self.filter_text:
            scope = "loaded apps" if self.has_more else "apps"
            parts.append(f"{self._match_count():,} of {loaded:,} {scope} match")
        elif self.has_more or self.loading_more:
            parts.append(f"{loaded:,} apps loaded")
        elif loaded:
            parts.append(f"all {loaded:,} apps loaded")
        else:
            parts.append("no apps in this account")
        if self.loading_more:
            parts.append("loading more apps…")
        elif self.has_more:
            parts.append("scroll for more")
        return Text(" · ".join(parts), style="dim")

    def _show_status(self) -> None:
        self.query_one("#app-select-status", Static).update(self._status())

    def _show_message(self, message: str, *, error: bool = False) -> None:
        widget = self.query_one("#app-select-message", Static)
        widget.update(Text(message))
        widget.display = bool(message)
        widget.set_class(error, "-error")

    # --- paging ----------------------------------------------------------------------------

    def _ask_for_more(self) -> None:
        """Call load_more once, until update_apps brings the next apps."""
        if not self.has_more or self.loading_more:
            return
        self.loading_more = True
        self._show_status()
        self._load_more()

    def _scrolled(self, scroll_y: float) -> None:
        options = self.query_one(AppOptions)
        if options.max_scroll_y > 0 and scroll_y >= options.max_scroll_y - 1:
            self._ask_for_more()

    def _near_end(self) -> None:
        # Only the user's own moves page: a filter highlights its first match programmatically.
        options = self.query_one(AppOptions)
        highlighted = options.highlighted
        if (
            options.has_focus
            and highlighted is not None
            and highlighted >= options.option_count - NEAR_END
        ):
            self._ask_for_more()

    @on(OptionList.OptionHighlighted, "#app-select-options")
    def _highlighted(self) -> None:
        self._near_end()

    @on(events.DescendantFocus)
    def _focused(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, AppOptions):
            self._near_end()  # a short list: entering it is reaching its end

    @on(AppOptions.PressedPastEnd)
    def _pressed_past_end(self) -> None:
        self._ask_for_more()

    def update_apps(self, apps: list[ApplicationOut], has_more: bool) -> None:
        """More apps arrived: append them (apps already listed are skipped, so the whole list
        may be passed too) without moving the highlight or the scroll. Also re-arms paging, so
        calling it with no new apps after a failed load lets the user ask again."""
        added = self._take(apps)
        self.has_more = has_more
        self.loading_more = False
        if not self.is_mounted:
            return
        new_options = self._app_options(added)
        if new_options:
            self.query_one(AppOptions).add_options(new_options)
        self._show_status()

    # --- choosing --------------------------------------------------------------------------

    def _matching_app_ids(self) -> list[str]:
        """The distinct app ids on the list (recent and loaded), in list order."""
        return list(dict.fromkeys(self._option_apps.values()))

    def _exact(self, text: str) -> str | None:
        """The id of a listed app whose id or uid is exactly `text`."""
        for entry in (*self.recent, *self.apps):
            if text in (entry.id, entry.uid):
                return entry.id
        return None

    @on(Input.Changed, "#app-select-query")
    def _filter_changed(self, event: Input.Changed) -> None:
        text = event.value.strip()
        if text == self.filter_text:
            return
        self.filter_text = text
        options = self.query_one(AppOptions)
        options.set_options(self._all_options())
        if text:
            options.action_first()  # the best match: enter in the box opens a single one
        else:
            options.highlighted = self._first_highlight()
        nothing = text and not self._option_apps and self._lookup_text(text)
        self._show_message(NO_MATCH if nothing else "")
        self._show_status()

    @staticmethod
    def _lookup_text(text: str) -> bool:
        """Whether `text` can be an app id or uid (what the API accepts in a path)."""
        return LOOKUP_TEXT.fullmatch(text) is not None and text not in (".", "..")

    @on(Input.Submitted, "#app-select-query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        exact = self._exact(text) if text else None
        matching = self._matching_app_ids()
        if exact is not None:
            self.dismiss(AppChoice(exact, known=True))
        elif text and len(matching) == 1:
            self.dismiss(AppChoice(matching[0], known=True))
        elif not text:
            self._choose_highlighted()
        elif self._lookup_text(text):
            self.dismiss(AppChoice(text, known=False))
        else:
            self._show_message(NOT_AN_ID, error=True)

    def _choose_highlighted(self) -> None:
        option = self.query_one(AppOptions).highlighted_option
        if option is not None and option.id in self._option_apps:
            self.dismiss(AppChoice(self._option_apps[option.id], known=True))

    @on(OptionList.OptionSelected, "#app-select-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id
        if option_id in self._option_apps:
            self.dismiss(AppChoice(self._option_apps[option_id], known=True))

    @on(AppQuery.ToList)
    def _to_list(self) -> None:
        options = self.query_one(AppOptions)
        if options.highlighted is None:
            options.action_first()
        options.focus()

    @on(AppOptions.LeftTop)
    def _left_top(self) -> None:
        self.query_one(AppQuery).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
