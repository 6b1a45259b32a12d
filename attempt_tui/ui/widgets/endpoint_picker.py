"""The endpoint picker: an app selector on top, the app's endpoints below."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Region
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from attempt_tui import safe
from attempt_tui.api.models import ApplicationOut, EndpointOut, EndpointStats
from attempt_tui.ui import glyphs
from attempt_tui.ui.widgets.column_fit import ColumnSpec, fit_columns
from attempt_tui.ui.widgets.repaint import RepaintsItself, same_text, update_static
from attempt_tui.ui.widgets.vim_lists import VimOptionList


def _n(value: int) -> str:
    return safe.count(value, words=False, grouped=False)


# One line per endpoint: its name (the description; the URL when it has none), the URL's
# host and path, then its counts. Narrow, the URL goes first, then the name is cut.
NAME_COLUMN = ColumnSpec("name", "name", 10, 48)
URL_COLUMN = ColumnSpec("url", "url", 12, 80, hide_order=1)
# Before the picker is laid out (its width unknown), lines are made this wide.
DEFAULT_LINE_WIDTH = 30
# The picker's width: this many columns up to a window of GROW_FROM columns, then one more for
# every three of the window, up to MAX_WIDTH (so the message table keeps the most of it).
MIN_WIDTH, GROW_FROM, MAX_WIDTH = 34, 120, 72


def picker_width(screen_width: int) -> int:
    return min(MAX_WIDTH, max(MIN_WIDTH, MIN_WIDTH + (screen_width - GROW_FROM) // 3))


def endpoint_name(endpoint: EndpointOut) -> str:
    return endpoint.description or short_url(endpoint.url)


def short_url(url: str) -> str:
    """The URL without its scheme: host, port and path."""
    return url.split("://", 1)[1] if "://" in url else url


def endpoint_counts(endpoint: EndpointOut, stats: EndpointStats | None) -> Text:
    """Delivery counts (each with its glyph, so they read without colour), rate and state."""
    line = Text()
    marks = glyphs.current()
    if stats is None:
        line.append("stats …", style="dim")
    else:
        line.append(f"{marks.success}{_n(stats.success)}", style="green")
        line.append(" ")
        # Failures in bold (and red): they read without colour too; none is plain, not dim.
        line.append(f"{marks.fail}{_n(stats.fail)}", style="bold red" if stats.fail else "")
        line.append(" ")
        line.append(f"{marks.pending}{_n(stats.pending)}", style="yellow" if stats.pending else "")
        if stats.sending:
            line.append(f" {marks.sending}{_n(stats.sending)}", style="cyan")
    if endpoint.throttle_rate:
        line.append(f" ≤{_n(endpoint.throttle_rate)}/s", style="dim")
    if endpoint.disabled:
        line.append(" ")
        line.append("OFF", style="bold reverse")
    return line


@dataclass(frozen=True)
class LineLayout:
    """Where each part of an endpoint's line goes, the same for every line of the list."""

    name: int
    url: int  # 0: no URL column
    counts: int

    @classmethod
    def fit(cls, names: list[str], urls: list[str], counts: list[Text], width: int) -> LineLayout:
        counts_width = max((c.cell_len for c in counts), default=0)
        wanted = {
            "name": max((cell_len(n) for n in names), default=0),
            "url": max((cell_len(u) for u in urls), default=0),
        }
        # Each part is followed by two spaces; the counts take their own width.
        widths = fit_columns((NAME_COLUMN, URL_COLUMN), wanted, width - counts_width, padding=2)
        return cls(widths["name"], widths.get("url", 0), counts_width)


def endpoint_prompt(
    endpoint: EndpointOut, stats: EndpointStats | None, layout: LineLayout | None = None
) -> Text:
    """The endpoint's one line; without a layout, one for this line alone."""
    counts = endpoint_counts(endpoint, stats)
    name = endpoint_name(endpoint)
    url = short_url(endpoint.url) if endpoint.description else ""
    if layout is None:
        layout = LineLayout.fit([name], [url], [counts], DEFAULT_LINE_WIDTH)
    line = Text(no_wrap=True, overflow="ellipsis", end="")
    # Without a URL column nothing needs aligning: the name takes what its counts leave.
    name_width = layout.name if layout.url else layout.name + layout.counts - counts.cell_len
    line.append_text(_cell(safe.text(name, max_len=120, style="bold"), name_width))
    line.append("  ")
    if layout.url:
        line.append_text(_cell(safe.text(url, max_len=200, style="dim"), layout.url))
        line.append("  ")
        counts.align("right", layout.counts)
    line.append_text(counts)
    return line


def _cell(text: Text, width: int) -> Text:
    text.truncate(width, overflow="ellipsis", pad=True)
    return text


@dataclass(frozen=True)
class StatsWindow:
    label: str
    span: timedelta | None  # None: all time


STATS_WINDOWS: tuple[StatsWindow, ...] = (
    StatsWindow("all time", None),
    StatsWindow("last 24 h", timedelta(hours=24)),
    StatsWindow("last 7 days", timedelta(days=7)),
    StatsWindow("last 30 days", timedelta(days=30)),
)


# Past this many changed endpoints (a new stats window, say) one rebuild is cheaper.
IN_PLACE_UPDATES = 8
# More endpoints are asked for when the highlight comes this close to the end of the list.
LOAD_MORE_WITHIN = 5


def app_line(app: ApplicationOut | None, note: str) -> Text:
    """The open app (name and uid or id), or what stands instead of it."""
    line = Text("▾ ", style="bold")
    if app is None:
        line.append(note, style="dim")
        return line
    line.append_text(safe.text(app.name or app.id, max_len=60, style="bold"))
    line.append("  ")
    line.append_text(safe.text(app.uid or app.id, max_len=40, style="dim"))
    return line


class AppLine(Static, can_focus=True):
    """The open app; enter (or a click) opens the app selector."""

    BINDINGS = [Binding("enter", "choose", "Choose app", id="picker.app.choose")]

    class Wanted(Message):
        """The user wants to choose another app."""

    def action_choose(self) -> None:
        self.post_message(self.Wanted())

    def on_click(self) -> None:
        self.post_message(self.Wanted())


class EndpointList(RepaintsItself, VimOptionList):
    """The endpoint options; one option's prompt can change without repainting the others."""

    class Scrolled(Message):
        pass

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if int(old_value) != int(new_value):
            self.post_message(self.Scrolled())

    def ids_on_screen(self) -> list[str]:
        """The ids of the options in view (none when the list is not shown)."""
        height = self.region.height
        if not height or not self.option_count:
            return []
        self._update_lines()
        lines = self._lines
        top = int(self.scroll_offset.y)
        indexes = sorted({lines[y][0] for y in range(top, min(top + height, len(lines)))})
        return [id_ for i in indexes if (id_ := self.get_option_at_index(i).id) is not None]

    def set_prompt(self, option_id: str, prompt: Text) -> None:
        """Show a new prompt for one option, repainting only its lines if its height holds.

        `replace_option_prompt` repaints the whole list; the line bookkeeping read here is
        OptionList's own (textual is pinned).
        """
        index = self.get_option_index(option_id)
        old_height = self._heights.get(index)
        with self.repainting_itself():
            self.replace_option_prompt(option_id, prompt)
        if old_height is None or self._heights.get(index) != old_height:
            self.refresh()
            return
        y = self._index_to_line[index] - self.scroll_offset.y
        self.refresh(Region(0, y, self.scrollable_content_region.width, old_height))


class FindInput(Input):
    """The endpoint search box: enter keeps the search, escape drops it."""

    BINDINGS = [Binding("escape", "drop", "Clear search", id="picker.find.clear")]

    class Dropped(Message):
        pass

    def action_drop(self) -> None:
        self.value = ""
        self.post_message(self.Dropped())


class EndpointPicker(Vertical):
    """Pick an app, then one of its endpoints."""

    HELP_SECTION = "Endpoints"
    BINDINGS = [
        Binding("j", "cursor_down", "Cursor down", show=False, id="picker.down"),
        Binding("k", "cursor_up", "Cursor up", show=False, id="picker.up"),
        Binding("slash", "find", "Find endpoint", id="picker.find"),
        Binding("s", "sort", "Sort", id="picker.sort"),
        Binding("w", "window", "Stats window", id="picker.window"),
    ]

    class WindowChanged(Message):
        def __init__(self, window: StatsWindow) -> None:
            super().__init__()
            self.window = window

    class AppChosen(Message):
        def __init__(self, app_id: str) -> None:
            super().__init__()
            self.app_id = app_id

    class OnScreen(Message):
        """These endpoints are in view: their counts are wanted. `looked_at`: the list has the
        focus (the user is reading it), so its counts are kept fresh, not only fetched once."""

        def __init__(self, endpoint_ids: list[str], looked_at: bool) -> None:
            super().__init__()
            self.endpoint_ids = endpoint_ids
            self.looked_at = looked_at

    class MoreWanted(Message):
        """The list is scrolled near its end and the app has more endpoints."""

    class EndpointChosen(Message):
        def __init__(self, endpoint_id: str) -> None:
            super().__init__()
            self.endpoint_id = endpoint_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._apps: list[ApplicationOut] = []
        self.apps_have_more = False
        self._app: ApplicationOut | None = None
        self._app_note = "Loading apps…"
        self._endpoints: list[EndpointOut] = []
        self.endpoints_have_more = False
        self._more_asked = False
        self._on_screen: tuple[list[str], bool] = ([], False)
        self._stats: dict[str, EndpointStats] = {}
        self._prompts: dict[str, Text] = {}  # the options shown: endpoint id -> prompt
        self._current_endpoint: str | None = None
        self._current_app: str | None = None
        self.sort_by_failures = False
        self.text_filter = ""
        self.window = STATS_WINDOWS[0]
        self.border_title = "Endpoints"

    def compose(self) -> ComposeResult:
        yield AppLine(app_line(None, self._app_note), id="app-line")
        yield FindInput(placeholder="find endpoint (url, description, id)", id="endpoint-find")
        yield Static("", id="endpoint-view")
        yield EndpointList(id="endpoint-list", markup=False)

    @property
    def endpoints(self) -> list[EndpointOut]:
        return self._endpoints

    @property
    def stats(self) -> dict[str, EndpointStats]:
        return self._stats

    @property
    def apps(self) -> list[ApplicationOut]:
        return self._apps

    def find_endpoint(self, endpoint_id: str | None) -> EndpointOut | None:
        return next((e for e in self._endpoints if e.id == endpoint_id), None)

    def find_app(self, app_id: str | None) -> ApplicationOut | None:
        return next((a for a in self._apps if a.id == app_id), None)

    def show_apps(self, apps: list[ApplicationOut], *, has_more: bool) -> None:
        """The apps of the pages loaded so far (the selector shows them)."""
        self._apps, self.apps_have_more = apps, has_more
        if self._app is None:
            self._app_note = "Choose an app (enter)" if apps else "No apps"
            self._show_app_line()

    def show_app(self, app: ApplicationOut | None) -> None:
        """The open app, however it was opened."""
        self._app = app
        self._show_app_line()

    def apps_failed(self) -> None:
        """The first list of apps could not load: say so where "Loading apps…" was."""
        if not self._apps and self._app is None:
            self._app_note = "Apps not loaded (see below)"
            self._show_app_line()

    def _show_app_line(self) -> None:
        update_static(self.query_one(AppLine), app_line(self._app, self._app_note))

    def fit_to_screen(self, screen_width: int, *, fills_screen: bool) -> None:
        """Grow with the window; when the picker fills the screen (narrow), the CSS decides."""
        inline = self.styles.inline
        if fills_screen:
            if inline.has_rule("width"):
                inline.clear_rule("width")
                self.refresh(layout=True)
            return
        wanted = picker_width(screen_width)
        if inline.width is None or inline.width.value != wanted:
            self.styles.width = wanted

    def focus_app_line(self) -> None:
        self.query_one(AppLine).focus()

    def on_mount(self) -> None:
        self.query_one("#endpoint-find").display = False
        self._show_view_line()

    def show_endpoints(
        self, endpoints: list[EndpointOut], current: str | None, *, has_more: bool = False
    ) -> None:
        changed = endpoints != self._endpoints
        self._endpoints, self._current_endpoint = endpoints, current
        self.endpoints_have_more = has_more
        self._more_asked = False
        if not endpoints:
            self._stats = {}
        if changed:
            self._update_options()

    def show_stats(self, stats: dict[str, EndpointStats]) -> None:
        """Counts of some endpoints (those on screen); others keep what they had."""
        merged = {**self._stats, **stats}
        if merged != self._stats:
            self._stats = merged
            self._update_options()

    def _report_on_screen(self) -> None:
        """Say which endpoints are in view (for their counts), and ask for more near the end."""
        lists = self.query("#endpoint-list").results(EndpointList)
        option_list = next(lists, None)
        if option_list is None:
            return  # being removed (a later focus change reached a picker on its way out)
        ids = option_list.ids_on_screen()
        looked_at = self.has_focus_within
        if (ids, looked_at) != self._on_screen:
            self._on_screen = (ids, looked_at)
            self.post_message(self.OnScreen(ids, looked_at))
        if not self.endpoints_have_more or self._more_asked or self.text_filter:
            return
        count = option_list.option_count
        highlighted = option_list.highlighted or 0
        last_in_view = bool(ids) and ids[-1] == self._endpoints[-1].id
        if last_in_view or highlighted >= count - LOAD_MORE_WITHIN:
            self._more_asked = True
            self.post_message(self.MoreWanted())

    @on(EndpointList.Scrolled)
    def _list_scrolled(self, event: EndpointList.Scrolled) -> None:
        event.stop()
        self._report_on_screen()

    @on(OptionList.OptionHighlighted, "#endpoint-list")
    def _endpoint_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._report_on_screen()

    def on_descendant_focus(self) -> None:
        self._report_on_screen()

    def on_descendant_blur(self) -> None:
        self.call_after_refresh(self._report_on_screen)  # once the focus has landed elsewhere

    def on_resize(self) -> None:
        self._update_options()  # the lines follow the width
        self.call_after_refresh(self._report_on_screen)

    def visible_endpoints(self) -> list[EndpointOut]:
        """The endpoints shown: matching the find text, in the chosen order."""
        wanted = self.text_filter.casefold()
        shown = [
            e
            for e in self._endpoints
            if not wanted
            or wanted in e.url.casefold()
            or wanted in e.description.casefold()
            or wanted in e.id.casefold()
            or wanted in (e.uid or "").casefold()
        ]
        if self.sort_by_failures:
            stats = self._stats
            shown.sort(key=lambda e: -(stats[e.id].fail if e.id in stats else -1))
        return shown

    def _update_options(self) -> None:
        """Same endpoints in the same order: repaint only the options whose text changed."""
        shown = self.visible_endpoints()
        if [e.id for e in shown] != list(self._prompts):
            self._rebuild()
            return
        prompts = self._make_prompts(shown)
        changed = [
            id_ for id_, prompt in prompts.items() if not same_text(prompt, self._prompts[id_])
        ]
        if len(changed) > IN_PLACE_UPDATES:
            self._rebuild()  # each in-place update re-measures the whole list
            return
        option_list = self.query_one("#endpoint-list", EndpointList)
        for endpoint_id in changed:
            option_list.set_prompt(endpoint_id, prompts[endpoint_id])
            self._prompts[endpoint_id] = prompts[endpoint_id]
        self._show_view_line()

    def _rebuild(self) -> None:
        option_list = self.query_one("#endpoint-list", OptionList)
        highlighted = option_list.highlighted_option.id if option_list.highlighted_option else None
        shown = self.visible_endpoints()
        self._prompts = self._make_prompts(shown)
        with self.prevent(OptionList.OptionHighlighted):
            option_list.clear_options()
            option_list.add_options(
                [Option(prompt, id=endpoint_id) for endpoint_id, prompt in self._prompts.items()]
            )
            keep = highlighted or self._current_endpoint
            if keep and any(e.id == keep for e in shown):
                option_list.highlighted = option_list.get_option_index(keep)
            elif shown:
                option_list.highlighted = 0
        self._show_view_line()
        self.call_after_refresh(self._report_on_screen)

    def _line_width(self) -> int:
        """The endpoint list's width for text, leaving room for its scrollbar."""
        option_list = self.query_one("#endpoint-list", EndpointList)
        width = option_list.size.width - option_list.styles.scrollbar_size_vertical
        return width if width > 0 else DEFAULT_LINE_WIDTH

    def _make_prompts(self, shown: list[EndpointOut]) -> dict[str, Text]:
        stats = self._stats
        counts = [endpoint_counts(e, stats.get(e.id)) for e in shown]
        layout = LineLayout.fit(
            [endpoint_name(e) for e in shown],
            [short_url(e.url) if e.description else "" for e in shown],
            counts,
            self._line_width(),
        )
        return {e.id: endpoint_prompt(e, stats.get(e.id), layout) for e in shown}

    def _show_view_line(self) -> None:
        line = Text(style="dim")
        line.append(f"stats: {self.window.label}")
        if self.sort_by_failures:
            counted = sum(1 for e in self._endpoints if e.id in self._stats)
            line.append(f" · sort: most failures ({counted} of {len(self._endpoints)} counted")
            line.append(", more unloaded)" if self.endpoints_have_more else ")")
        else:
            line.append(" · sort: API order")
        if self.endpoints_have_more and not self.sort_by_failures:
            line.append(f" · {len(self._endpoints)} loaded, more below")
        if self.text_filter:
            line.append(" · find: ")
            line.append_text(safe.text(self.text_filter, max_len=30))
            line.append(f" ({len(self.visible_endpoints())}/{len(self._endpoints)})")
        update_static(self.query_one("#endpoint-view", Static), line)

    def action_find(self) -> None:
        find = self.query_one("#endpoint-find", Input)
        find.display = True
        find.focus()

    def action_sort(self) -> None:
        self.sort_by_failures = not self.sort_by_failures
        self._rebuild()

    def action_window(self) -> None:
        index = STATS_WINDOWS.index(self.window)
        self.window = STATS_WINDOWS[(index + 1) % len(STATS_WINDOWS)]
        self._stats = {}  # counts of another span: "stats …" until the new ones arrive
        self._rebuild()
        self._show_view_line()
        self.post_message(self.WindowChanged(self.window))

    @on(Input.Changed, "#endpoint-find")
    def _find_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.text_filter = event.value.strip()
        self._rebuild()

    @on(Input.Submitted, "#endpoint-find")
    def _find_done(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.text_filter:
            event.input.display = False
        self.focus_list()

    @on(FindInput.Dropped)
    def _find_dropped(self, event: FindInput.Dropped) -> None:
        event.stop()
        self.text_filter = ""
        self._rebuild()
        self.query_one(FindInput).display = False
        self.focus_list()

    def action_cursor_down(self) -> None:
        self.query_one("#endpoint-list", OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one("#endpoint-list", OptionList).action_cursor_up()

    def focus_list(self, *, on_endpoint: str | None = None) -> None:
        """Focus the endpoint list; with `on_endpoint`, highlight that endpoint if listed (so
        k from the open endpoint goes to the one above it, however it was opened)."""
        option_list = self.query_one("#endpoint-list", OptionList)
        if on_endpoint is not None and on_endpoint in self._prompts:
            option_list.highlighted = option_list.get_option_index(on_endpoint)
        option_list.focus()

    @on(OptionList.OptionSelected, "#endpoint-list")
    def _endpoint_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.EndpointChosen(event.option.id))
