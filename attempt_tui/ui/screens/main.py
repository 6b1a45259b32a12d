"""The dashboard: endpoint picker, message table and attempt detail."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static
from typing_extensions import assert_never

from attempt_tui import safe
from attempt_tui.api.errors import ApiError, NetworkError, ServerError
from attempt_tui.api.models import (
    ApplicationOut,
    EndpointMessageOut,
    EndpointOut,
    MessageAttemptOut,
    MessageStatus,
)
from attempt_tui.clipboard import probe_tmux
from attempt_tui.config import Settings
from attempt_tui.recent import MemoryRecentStore, RecentStore
from attempt_tui.resend_watch import ResendWatch
from attempt_tui.tour import Tour, TourState
from attempt_tui.ui.keys import key_sections
from attempt_tui.ui.messages import WorkerUpdate
from attempt_tui.ui.screens.audit import AuditScreen
from attempt_tui.ui.screens.confirm import ConfirmScreen, expunge_text, resend_text
from attempt_tui.ui.screens.help import HelpScreen
from attempt_tui.ui.widgets.context_bar import ContextBar, freshness_text, throttle_text
from attempt_tui.ui.widgets.detail import AttemptTable, DetailPane
from attempt_tui.ui.widgets.endpoint_picker import AppLine, EndpointPicker
from attempt_tui.ui.widgets.filter_bar import FilterBar, filter_chips
from attempt_tui.ui.widgets.key_hints import KeyHints
from attempt_tui.ui.widgets.message_area import READ_ONLY_REASON, MessageArea
from attempt_tui.ui.widgets.message_table import MessageTable
from attempt_tui.ui.widgets.page_info import page_info_text
from attempt_tui.ui.widgets.repaint import set_border_title, update_static
from attempt_tui.ui.widgets.resend_watch import ResendWatchLine
from attempt_tui.ui.widgets.search_line import SearchLine, search_stopped_text
from attempt_tui.ui.widgets.status_line import StatusLine
from attempt_tui.ui.widgets.tour_panel import TourPanel
from attempt_tui.worker import (
    AppGone,
    AppsLoaded,
    DataWorker,
    DetailCleared,
    DetailLoaded,
    EndpointGone,
    EndpointsLoaded,
    Filters,
    GoToProgress,
    LaneFailed,
    LaneRecovered,
    MessageDetail,
    MessagePage,
    NotOpened,
    Opened,
    PageLoaded,
    StatsLoaded,
    Synced,
    Throttled,
    WatchedAttempts,
)

if TYPE_CHECKING:
    from attempt_tui.ui.screens.app_select import AppSelectScreen
    from attempt_tui.ui.screens.export import ExportRequest

NARROW_WIDTH = 100
RELATIVE_TIME_REFRESH_TICKS = 10
TAIL_MARK_SECONDS = 3.0
# The screen's actions whose availability changes with the data; the hint line follows them.
SCREEN_ACTIONS = ("back_shown", "pause", "resume", "recover")
# The message area's and the detail pane's (their bindings live with them).
AREA_ACTIONS = (
    "resend",
    "expunge",
    "next_page",
    "prev_page",
    "clear_filters",
    "filters",
    "tail",
    "copy_id",
    "copy_menu",
    "export",
    "more_body",
)
DETAIL_ACTIONS = ("copy_attempt_id",)


class MainScreen(Screen[None]):
    """Screen-wide keys live here; the keys of a pane live with its widget: the message area
    (filters, pages, resend, expunge, copy, export, tail), the detail pane (more body, copy
    attempt id), the endpoint picker (find, sort, stats window) and the lists (j/k, g/G)."""

    HELP_SECTION = "Everywhere"
    # Shown first in the hint line, before the keys of the pane with focus.
    LEADING_HINTS = frozenset({"back_shown", "help"})
    BINDINGS = [
        # In the narrow layout escape is the only way back from a pane, so it is shown first.
        Binding("escape", "back_shown", "Back", id="main.back_shown"),
        Binding("question_mark", "help", "Help", id="main.help"),
        Binding("f5", "refresh", "Refresh", id="main.refresh"),
        Binding("p", "pause", "Pause", id="main.pause"),
        Binding("p", "resume", "Resume", id="main.resume"),
        Binding("E", "endpoints", "Endpoints", show=False, id="main.endpoints"),
        Binding("a", "choose_app", "Apps", show=False, id="main.choose_app"),
        Binding("ctrl+r", "recover", "Recover failed", id="main.recover"),
        Binding("ctrl+r", "explain_read_only('recover')", show=False, id="main.recover_ro"),
        Binding("A", "audit", "Audit log", show=False, id="main.audit"),
        Binding("colon", "app.command_palette", "Commands / go to id", id="main.commands"),
        Binding(
            "escape",
            "back",
            "Back",
            show=False,
            id="main.back",
            tooltip="From the detail: to the list; from the list: clear filters, then endpoints",
        ),
    ]

    def __init__(
        self,
        settings: Settings,
        worker: DataWorker,
        clock: Callable[[], datetime],
        monotonic: Callable[[], float],
        *,
        tour: bool = False,
        tour_endpoint: str | None = None,
        recent: RecentStore | None = None,
    ) -> None:
        super().__init__()
        self.recent: RecentStore = recent if recent is not None else MemoryRecentStore()
        self._app_selector: AppSelectScreen | None = None
        self._searching: str | None = None  # the text a go-to is looking for
        self.tour = Tour() if tour else None
        self._tour_endpoint = tour_endpoint
        self._tour_landed = False
        self.settings = settings
        self.worker = worker
        self._first_screen_settled = False  # its drawing was announced (_first_screen_drawn)
        self.clock = clock
        self.monotonic = monotonic
        self.page: MessagePage | None = None
        self.last_sync: float | None = None
        self.errors: dict[str, LaneFailed] = {}
        # Started on an endpoint (--app/--endpoint): its messages show from the first frame.
        self._start_on_endpoint = settings.endpoint_id is not None
        worker.open_at_start(settings.app_id, settings.endpoint_id)
        # The open app and endpoint themselves, however they were opened.
        self.open_app_info: ApplicationOut | None = None
        self.open_endpoint_info: EndpointOut | None = None
        self._ticks = 0
        self.tail = False
        self._fresh: frozenset[str] = frozenset()
        self._binding_signature: tuple[bool | None, ...] = ()
        self._started_at = monotonic()
        self.throttled_until: float | None = None  # the API said 429: all requests wait
        self._turning_page = False  # from `]`/`[` until the new page is shown
        self._followed_attempt: str | None = None  # a resend's attempt, highlighted once
        self.tmux_probe = probe_tmux  # what tmux's clipboard options are (tests replace it)

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        # Layout classes are set before the children exist: toggled later, each one restyles
        # every widget on the screen.
        self.set_class(self.app.size.width < NARROW_WIDTH, "-narrow")
        self.set_class(self._start_on_endpoint, "-endpoint-open")
        yield ContextBar(
            self.settings.profile,
            self.settings.server_url,
            self.settings.read_only,
            color=self.settings.color,
            id="context",
        )
        with Horizontal(id="body"):
            yield EndpointPicker(id="picker")
            with MessageArea(read_only=self.settings.read_only, id="main"):
                yield Static(filter_chips(Filters()), id="chips")
                with Vertical(id="messages-pane") as pane:
                    pane.border_title = "Messages"
                    yield MessageTable(
                        id="messages", start_on_failure=self.settings.start_on_failure
                    )
                    yield Static("", id="page-info")
                yield DetailPane(self.clock, id="detail", fetch_headers=self.worker.attempt_headers)
        yield TourPanel(self.tour, self._tour_state, id="tour-panel")
        yield SearchLine(id="search-line")
        yield StatusLine(id="status-line")
        yield KeyHints()

    def on_mount(self) -> None:
        self._show_page_info()
        self.worker.start()  # started already for the first screen (see AttemptApp.on_load)
        self.set_interval(1.0, self._tick_freshness)
        if not self._start_on_endpoint:
            self.query_one(EndpointPicker).focus_list()
        else:
            self.query_one(MessageTable).focus()
        self._apply_width(self.size.width)

    async def on_unmount(self) -> None:
        await self.worker.stop()

    def on_resize(self, event: Resize) -> None:
        self._apply_width(event.size.width)

    def _layout(self, name: str, on: bool) -> None:
        """Set a layout class; in the narrow layout it decides which keys apply."""
        self.set_class(on, name)
        self._refresh_bindings()

    def _picker_alone(self) -> bool:
        """The narrow layout showing only the endpoint picker."""
        return self.has_class("-narrow") and not self.has_class("-endpoint-open")

    def _apply_width(self, width: int) -> None:
        self._layout("-narrow", width < NARROW_WIDTH)
        self.query_one(EndpointPicker).fit_to_screen(width, fills_screen=width < NARROW_WIDTH)

    # ------------------------------------------------------------------ worker events

    class FirstScreenDrawn(Message):
        """The first screen with data (or why there is none) has been drawn."""

    def _first_screen_drawn(self) -> None:
        self.worker.first_page_drawn()
        self.post_message(self.FirstScreenDrawn())

    @on(WorkerUpdate)
    def _on_worker_update(self, message: WorkerUpdate) -> None:
        event = message.event
        if not self._first_screen_settled and isinstance(
            event,
            PageLoaded
            | LaneFailed
            | NotOpened
            | EndpointGone
            | AppGone
            | AppsLoaded
            | EndpointsLoaded,
        ):
            # Once the first page (or why it did not come, or the picker's first list) is
            # drawn, the worker sends what it held back so as not to slow that frame down.
            self._first_screen_settled = True
            self.call_after_refresh(self._first_screen_drawn)
        match event:
            case AppsLoaded():
                self._apps_loaded(event)
            case EndpointsLoaded():
                self._endpoints_loaded(event)
            case StatsLoaded():
                picker = self.picker
                if event.app_id == self.worker.query.app_id and event.span == picker.window.span:
                    picker.show_stats(event.stats)
            case Opened():
                shown = self.page.app_id if self.page is not None else None
                if event.app is not None and shown not in (None, event.app.id):
                    self._clear_view(endpoints=True)  # the worker opened another app itself
                self.open_app_info, self.open_endpoint_info = event.app, event.endpoint
                self._remember(event.app, event.endpoint)
                self.picker.show_app(event.app)
                self._update_context()
                self._refresh_bindings()
            case NotOpened():
                self._not_opened(event)
            case GoToProgress():
                if self._searching == event.text:
                    self.query_one(SearchLine).show(event)
            case Throttled():
                left = event.resumes_in
                self.throttled_until = self.monotonic() + left if left is not None else None
                self._tick_freshness()
            case PageLoaded():
                self._page_loaded(event.page)
            case DetailLoaded():
                self._detail_loaded(event.detail)
            case DetailCleared():
                # Turning a page clears the detail; the new page's first message follows.
                detail = self.query_one(DetailPane)
                if self._turning_page:
                    detail.clear("Loading attempts…")
                else:
                    detail.clear()
            case WatchedAttempts():
                self._watch_line.judge(event.msg_id, event.attempts, None)
            case LaneFailed():
                self._lane_failed(event)
            case LaneRecovered():
                self.errors.pop(event.lane, None)
                self.query_one(StatusLine).show(self.errors)
            case Synced():
                self.last_sync = event.at
                self._tick_freshness()
            case EndpointGone():
                self._endpoint_gone(event)
            case AppGone():
                self._app_gone(event)
            case _:
                assert_never(event)

    def _detail_loaded(self, detail: MessageDetail) -> None:
        if detail.msg_id != self.worker.query.selected_msg_id:
            return
        self.query_one(DetailPane).show(detail, self.clock())
        self._follow_resend(detail)
        page_item = self.query_one(MessageTable).messages.get(detail.msg_id)
        next_attempt = page_item.next_attempt if page_item else None
        self._watch_line.judge(detail.msg_id, detail.attempts, next_attempt)
        self._refresh_bindings()

    def _follow_resend(self, detail: MessageDetail) -> None:
        """Once a resend's attempt appears, highlight it and show its response (once: the
        user may move off it)."""
        watch = self.resend_watch
        if watch is None or watch.msg_id != detail.msg_id:
            return
        resent = watch.attempt_of(detail.attempts)
        if resent is not None and resent.id != self._followed_attempt:
            self._followed_attempt = resent.id
            self.query_one(DetailPane).follow_attempt(resent.id)

    def _left_list(self, msg_id: str, now_selected: str | None) -> None:
        """The highlighted message dropped out of the filtered list: say so where the user
        looks (above the attempts), not only by showing another message."""
        note = Text("⚑ ", style="bold")
        note.append_text(safe.text(msg_id, max_len=40, style="bold"))
        note.append(" left this list: it no longer matches the filters")
        if msg_id == self._watch_line.last_msg_id:
            note.append(" (after your resend)")
        if now_selected is not None:
            note.append("; now showing another message")
        self._watch_line.leave_note(note, msg_id, now_selected)
        self._say(note.plain, severity="warning", timeout=8)

    def _lane_failed(self, event: LaneFailed) -> None:
        self.errors[event.lane] = event
        self.query_one(StatusLine).show(self.errors)
        self._tick_freshness()
        if event.lane == "apps":
            self.query_one(EndpointPicker).apps_failed()
        if event.lane == "page" and self.page is None:
            self.query_one("#page-info", Static).update(
                Text("Could not load messages (see below).", style="bold")
            )
        if event.lane == "detail":
            selected = self.worker.query.selected_msg_id
            if selected is not None:
                self.query_one(DetailPane).show_error(selected, event.error.message)

    def _apps_loaded(self, event: AppsLoaded) -> None:
        self.picker.show_apps(event.apps, has_more=event.has_more)
        if self._app_selector is not None:
            self._app_selector.update_apps(event.apps, event.has_more)
        if not event.apps and self.worker.query.app_id is None:
            self._start_on_endpoint = False  # nothing to open: show the (empty) picker
            self._layout("-endpoint-open", False)
        self._update_context()

    def _endpoints_loaded(self, event: EndpointsLoaded) -> None:
        if event.app_id != self.worker.query.app_id:
            return
        picker = self.picker
        picker.show_endpoints(
            event.endpoints, self.worker.query.endpoint_id, has_more=event.has_more
        )
        self._update_context()

    def _remember(self, app: ApplicationOut | None, endpoint: EndpointOut | None) -> None:
        """The apps and endpoints opened, per profile, so usual customers are one key away."""
        from attempt_tui.recent import RecentApp, RecentEndpoint

        if app is None:
            return
        profile = self.settings.profile
        try:
            self.recent.remember_app(profile, RecentApp(app.id, app.uid, app.name))
            if endpoint is not None:
                recent = RecentEndpoint(app.id, endpoint.id, endpoint.uid, endpoint.url, app.name)
                self.recent.remember_endpoint(profile, recent)
        except OSError as error:
            self._say(f"Recent apps not saved: {type(error).__name__}", severity="warning")

    def _not_opened(self, event: NotOpened) -> None:
        what = f"{event.what.capitalize()} {event.ref}"
        problem = "not found" if event.missing else f"could not be opened ({event.message})"
        if not event.at_start:
            self._say(f"{what} {problem}.", severity="warning", timeout=8)
            return
        if event.what == "app":
            # Any endpoint asked for is looked for in the first app, opened instead.
            self._say(f"{what} {problem}; showing the first app.", severity="warning")
            return
        where = " in this app" if event.missing else ""
        self._say(f"{what} {problem}{where}.", severity="warning")
        self._start_on_endpoint = False
        self._layout("-endpoint-open", False)
        self.picker.focus_list()

    def _page_loaded(self, page: MessagePage) -> None:
        query = self.worker.query
        if (page.app_id, page.endpoint_id) != (query.app_id, query.endpoint_id):
            return
        previous = self.page
        same_view = previous is not None and (
            previous.app_id,
            previous.endpoint_id,
            previous.filters,
            previous.page_number,
        ) == (page.app_id, page.endpoint_id, page.filters, page.page_number)
        self.page = page
        table = self.query_one(MessageTable)
        highlighted = table.selected_key if same_view else None
        fresh: frozenset[str] = frozenset()
        if self.tail and same_view and previous is not None:
            seen = {m.id for m in previous.items}
            fresh = frozenset(m.id for m in page.items if m.id not in seen)
        self._fresh = fresh
        table.show_messages(page.items, self.clock(), keep_position=same_view, fresh=fresh)
        if self.tail and page.items:
            self._follow_newest()
        if fresh:
            self.set_timer(TAIL_MARK_SECONDS, lambda: self._unmark(page))
        self._show_page_info()
        self.worker.select_message(table.selected_key)
        if (
            highlighted is not None
            and page.filters.active
            and all(m.id != highlighted for m in page.items)
        ):
            self._left_list(highlighted, table.selected_key)
        if self.query_one(DetailPane).detail is None:
            # The view was emptied (go-to) but the same message is highlighted again: the
            # worker has its attempts already and will not send them twice.
            known = self.worker.detail_lane.current()
            if known is not None:
                self._detail_loaded(known)
        if self._turning_page and not page.items:
            self.query_one(DetailPane).clear()  # nothing to select on this page
        self._turning_page = False
        self._refresh_bindings()

    def _follow_newest(self) -> None:
        table = self.query_one(MessageTable)
        table.move_cursor(row=0, animate=False, scroll=False)
        table.scroll_home(animate=False, immediate=True)

    def _unmark(self, page: MessagePage) -> None:
        """Arrivals lose their mark after a moment, unless a newer page replaced them."""
        if self.page is page and self._fresh:
            self._fresh = frozenset()
            self.query_one(MessageTable).show_messages(page.items, self.clock(), keep_position=True)

    def _clear_view(self, *, endpoints: bool = False) -> None:
        """Empty the message table and detail (and the endpoint list) until new data comes."""
        self.page = None
        self._turning_page = False
        self.query_one(MessageTable).show_messages([], self.clock(), keep_position=False)
        self.query_one(DetailPane).clear()
        if endpoints:
            self.picker.show_endpoints([], None)
        self._show_page_info()
        self._update_context()

    def _endpoint_gone(self, event: EndpointGone) -> None:
        self._clear_view()
        self._say(
            f"Endpoint {event.endpoint_id} is gone ({event.message}). Pick another endpoint.",
            severity="error",
            timeout=8,
        )
        self.action_endpoints()

    def _app_gone(self, event: AppGone) -> None:
        self._clear_view(endpoints=True)
        self._say(
            f"App {event.app_id} is gone ({event.message}). Reloading the app list.",
            severity="error",
            timeout=8,
        )
        self.action_endpoints()

    def _tour_state(self) -> TourState:
        picker = self.query_one(EndpointPicker)
        target = picker.find_endpoint(self._tour_endpoint)
        if target is None:
            # Without a hint, the endpoint with the most failures.
            candidates = [e for e in picker.endpoints if not e.disabled and e.id in picker.stats]
            target = max(candidates, key=lambda e: picker.stats[e.id].fail, default=None)
        selected = self.query_one(MessageTable).selected_message
        return TourState(
            endpoint_id=self.worker.query.endpoint_id,
            target_endpoint_id=target.id if target else None,
            target_endpoint_url=safe.clean(target.url, max_len=80) if target else None,
            fail_filter=MessageStatus.FAIL in self.worker.query.filters.statuses,
            detail_open=self.has_class("-detail-open"),
            selected_status=selected.status if selected else None,
            confirm_open=isinstance(self.app.screen, ConfirmScreen),
            watching=self.resend_watch is not None,
            landed=self._tour_landed,
        )

    # ------------------------------------------------------------------ rendering helpers

    def _show_page_info(self) -> None:
        endpoint_open = self.worker.query.endpoint_id is not None
        update_static(
            self.query_one("#page-info", Static), page_info_text(self.page, endpoint_open)
        )

    def _tick_freshness(self) -> None:
        bar = self.query_one(ContextBar)
        bar.paused = self.worker.paused
        now = self.monotonic()
        bar.throttle = throttle_text((self.throttled_until or 0) - now)
        bar.freshness = freshness_text(
            now - self.last_sync if self.last_sync is not None else None,
            now - self._started_at,
            failed=bool(self.errors),
            manual_refresh=not self.settings.poll_seconds,
        )
        if self.last_sync is None:
            return
        self._ticks += 1
        if self._ticks % RELATIVE_TIME_REFRESH_TICKS == 0 and self.page is not None:
            # "3 minutes ago" ages between polls; only cells whose text changed repaint.
            table = self.query_one(MessageTable)
            table.show_messages(self.page.items, self.clock(), keep_position=True)

    def _update_context(self) -> None:
        bar = self.query_one(ContextBar)
        picker = self.picker
        query = self.worker.query
        app = self._open_app_info()
        bar.set_app(app.name if app else None, query.app_id)
        endpoint = self._open_endpoint_info()
        bar.set_endpoint(endpoint.url if endpoint else None, query.endpoint_id)
        pane = self.query_one("#messages-pane")
        set_border_title(
            pane,
            Text.assemble("Messages · ", safe.text(endpoint.url, max_len=80))
            if endpoint
            else "Messages",
        )
        subtitle = safe.text(query.endpoint_id) if query.endpoint_id else ""
        set_border_title(pane, subtitle, subtitle=True)
        set_border_title(picker, safe.text(app.uid or app.id) if app else "", subtitle=True)

    def _open_app_info(self) -> ApplicationOut | None:
        app = self.open_app_info
        if app is not None and app.id == self.worker.query.app_id:
            return app
        return self.picker.find_app(self.worker.query.app_id)

    def _open_endpoint_info(self) -> EndpointOut | None:
        """The open endpoint, however it was opened (the list, go-to, a flag)."""
        endpoint_id = self.worker.query.endpoint_id
        listed = self.picker.find_endpoint(endpoint_id)
        if listed is not None:
            return listed
        endpoint = self.open_endpoint_info
        return endpoint if endpoint is not None and endpoint.id == endpoint_id else None

    # ------------------------------------------------------------------ navigation

    def _open_endpoint(self, endpoint_id: str) -> None:
        self.worker.select_endpoint(endpoint_id)
        self._clear_view()
        self._layout("-endpoint-open", True)
        self.query_one(MessageTable).focus()

    @property
    def picker(self) -> EndpointPicker:
        return self.query_one(EndpointPicker)

    def open_app(self, app_id: str) -> None:
        """Switch to an app (from the palette); its endpoints load next."""
        self._switch_app(app_id)

    def open_endpoint(self, endpoint_id: str) -> None:
        if endpoint_id == self.worker.query.endpoint_id:
            self._layout("-endpoint-open", True)
            self.query_one(MessageTable).focus()
            return
        self._open_endpoint(endpoint_id)

    def go_to(self, text: str) -> None:
        """Find a pasted id, eventId or APP/ID through the API and open it."""
        self._say(f"Looking for {safe.clean(text, max_len=60)}…", timeout=2)
        self._go_to(text)

    @work(group="go-to", exclusive=True, exit_on_error=False)
    async def _go_to(self, text: str) -> None:
        from attempt_tui.locate import NotLocated

        detail = self.query_one(DetailPane).detail
        recent = [app.id for app in self.recent.apps(self.settings.profile)]
        self._searching = text
        try:
            found = await self.worker.go_to(text, detail.attempts if detail else (), recent)
        except NotLocated as error:
            self._say(str(error), severity="warning", timeout=10)
            return
        except ApiError as error:
            self._say(f"Go to failed: {error.message}", severity="error")
            return
        finally:
            self._searching = None
            self.query_one(SearchLine).show(None)
        switching_app = found.app_id != self.worker.query.app_id
        if switching_app:
            self._clear_view(endpoints=True)
        self.worker.open_location(found)
        if found.endpoint_id is None:
            if found.note:
                self._say(found.note)
            self.action_endpoints()
            return
        self._clear_view()
        self._layout("-endpoint-open", True)
        self.query_one(MessageTable).focus()

    def _cancel_search(self) -> bool:
        """Stop a go-to search in progress (escape); False when there is none."""
        if self._searching is None:
            return False
        self.workers.cancel_group(self, "go-to")
        self._say(search_stopped_text(self._searching))
        self._searching = None
        self.query_one(SearchLine).show(None)
        return True

    def action_choose_app(self) -> None:
        """The app selector: recent apps, the loaded ones (more on demand), or an id/uid."""
        from attempt_tui.ui.screens.app_select import AppChoice, AppSelectScreen

        picker = self.picker
        selector = AppSelectScreen(
            picker.apps,
            has_more=picker.apps_have_more,
            recent=self.recent.apps(self.settings.profile),
            current_app_id=self.worker.query.app_id,
            load_more=self.worker.load_more_apps,
        )
        self._app_selector = selector

        def chosen(choice: AppChoice | None) -> None:
            self._app_selector = None
            if choice is None:
                return
            if choice.known:
                self._switch_app(choice.app_id_or_uid)
            else:
                self._say(f"Opening app {safe.clean(choice.app_id_or_uid, max_len=60)}…")
                self.worker.open_app_ref(choice.app_id_or_uid)
            self.action_endpoints()

        self.app.push_screen(selector, chosen)

    @on(AppLine.Wanted)
    def _app_line_wanted(self, event: AppLine.Wanted) -> None:
        event.stop()
        self.action_choose_app()

    @on(EndpointPicker.OnScreen)
    def _endpoints_on_screen(self, event: EndpointPicker.OnScreen) -> None:
        self.worker.show_stats_for(event.endpoint_ids, refresh=event.looked_at)

    @on(EndpointPicker.MoreWanted)
    def _more_endpoints_wanted(self, event: EndpointPicker.MoreWanted) -> None:
        self.worker.load_more_endpoints()

    @on(EndpointPicker.AppChosen)
    def _app_chosen(self, event: EndpointPicker.AppChosen) -> None:
        self._switch_app(event.app_id)

    def _switch_app(self, app_id: str) -> None:
        if app_id == self.worker.query.app_id:
            return
        self.worker.select_app(app_id)
        self._clear_view(endpoints=True)

    @on(DetailPane.DestinationsWanted)
    def _destinations_wanted(self, event: DetailPane.DestinationsWanted) -> None:
        self.worker.want_destinations(event.wanted)

    @on(DetailPane.DestinationChosen)
    def _destination_chosen(self, event: DetailPane.DestinationChosen) -> None:
        """Jump to the same message at another endpoint it was sent to."""
        message = self.query_one(DetailPane).detail
        stamp = message.message.timestamp if message and message.message else None
        if event.endpoint_id == self.worker.query.endpoint_id:
            return
        self._open_endpoint(event.endpoint_id)
        if stamp is not None:
            self.worker.jump_to(event.msg_id, stamp)

    @on(EndpointPicker.WindowChanged)
    def _stats_window_changed(self, event: EndpointPicker.WindowChanged) -> None:
        self.worker.set_stats_span(event.window.span)

    @on(EndpointPicker.EndpointChosen)
    def _endpoint_chosen(self, event: EndpointPicker.EndpointChosen) -> None:
        self.open_endpoint(event.endpoint_id)

    @on(DataTable.RowHighlighted, "#messages")
    def _message_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.worker.select_message(event.row_key.value if event.row_key else None)
        self._watch_line.clear_note_unless(self.query_one(MessageTable).selected_key)
        # Judge by where the cursor is now: a highlight event from a table rebuild may
        # arrive after the tail already moved the cursor back to the newest row.
        table = self.query_one(MessageTable)
        if self.tail and table.cursor_row != 0:
            self._set_tail(False, "Live tail paused: you moved away from the newest message.")
        self._refresh_bindings()

    @on(DataTable.RowSelected, "#messages")
    def _message_opened(self, event: DataTable.RowSelected) -> None:
        self._layout("-detail-open", True)
        self.query_one(AttemptTable).focus()

    @on(FilterBar.Applied)
    def _filters_applied(self, event: FilterBar.Applied) -> None:
        self._set_filters(event.filters)
        self._close_filter_bar()

    @on(FilterBar.Closed)
    def _filters_closed(self) -> None:
        self._close_filter_bar()

    def _set_filters(self, filters: Filters) -> None:
        if filters == self.worker.query.filters:
            return
        self.worker.set_filters(filters)
        self.query_one("#chips", Static).update(filter_chips(filters))
        if self.worker.query.endpoint_id is not None:
            self.page = None
            self._show_page_info()
        self._refresh_bindings()

    def _close_filter_bar(self) -> None:
        self.query_one(FilterBar).display = False
        self.query_one(MessageTable).focus()

    # ------------------------------------------------------------------ actions

    @property
    def _area(self) -> MessageArea:
        return self.query_one(MessageArea)

    def _refresh_bindings(self) -> None:
        """Refresh the hint line only when what it shows changed: a rebuild restyles every key."""
        area, query, page = self._area, self.worker.query, self.page
        area.endpoint_open = query.endpoint_id is not None
        area.has_next = page is not None and page.has_next
        area.has_prev = page is not None and page.has_prev
        area.filters_active = query.filters.active
        detail = self.query_one(DetailPane)
        signature = (
            *(self.check_action(action, ()) for action in SCREEN_ACTIONS),
            *(area.check_action(action, ()) for action in AREA_ACTIONS),
            *(detail.check_action(action, ()) for action in DETAIL_ACTIONS),
        )
        if signature != self._binding_signature:
            self._binding_signature = signature
            self.refresh_bindings()

    def _say(self, message: str, **options: Any) -> None:
        """Notify without markup, through the safe door: messages carry API text."""
        self.notify(safe.clean(message, max_len=500), markup=False, **options)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """True: shown and usable; None: shown greyed out; False: hidden."""
        if action in ("back_shown", "back"):
            shown = self.has_class("-narrow") and not self._picker_alone()
            return shown if action == "back_shown" else not shown
        match action:
            case "recover":
                if self.settings.read_only:
                    return None
                return True if self.worker.query.endpoint_id is not None else None
            case "explain_read_only":
                return self.settings.read_only
            case "pause":
                return not self.worker.paused
            case "resume":
                return self.worker.paused
        return True

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(key_sections(self)))

    @on(MessageArea.Wanted)
    async def _area_key(self, event: MessageArea.Wanted) -> None:
        event.stop()
        match event.action:
            case "filters":
                await self.open_filters()
            case "clear_filters":
                self.clear_filters()
            case "prev_page":
                self.prev_page()
            case "next_page":
                self.next_page()
            case "resend":
                self.confirm_resend()
            case "expunge":
                self.confirm_expunge()
            case "copy_id":
                self.copy_message_id()
            case "copy_menu":
                self.copy_menu()
            case "export":
                self.export()
            case "tail":
                self._set_tail(not self.tail)
            case _:
                assert_never(event.action)

    @on(DetailPane.CopyWanted)
    def _copy_attempt_id(self, event: DetailPane.CopyWanted) -> None:
        event.stop()
        why = "the attempts have the focus; in the message list y copies the message id"
        self._copy(event.attempt_id, f"the attempt id {event.attempt_id}", why)

    # -- copy, export, recover

    def _write_terminal(self, sequence: str) -> None:
        driver = self.app._driver
        if driver is not None:
            driver.write(sequence)

    def _copy(self, text: str, what: str, why: str = "") -> None:
        from attempt_tui.clipboard import ClipboardTooLarge, copy_to_terminal, route

        # Inside tmux its options are read at each copy: they may have been changed since.
        tmux = self.tmux_probe() if route() == "tmux" else None
        try:
            report = copy_to_terminal(text, self._write_terminal, tmux=tmux)
        except ClipboardTooLarge as error:
            self._say(str(error), severity="warning")
            return
        severity = "warning" if report.dropped else "information"
        self._say(report.sentence(what, why), severity=severity, timeout=12)

    def copy_message_id(self) -> None:
        """`y` in the message list (in the attempts, the detail pane copies the attempt id);
        the notification says which id, and why."""
        focused = self.focused
        message = self._target_message()
        if message is not None:
            if isinstance(focused, MessageTable):
                why = "the message list has the focus; in the attempts y copies the attempt id"
            else:
                why = "the attempts do not have the focus; in them y copies the attempt id"
            self._copy(message.id, f"the message id {message.id}", why)

    def copy_menu(self) -> None:
        from attempt_tui.copy_choices import CopyChoice, copy_choices
        from attempt_tui.ui.screens.copy import CopyScreen

        message = self._target_message()
        app_id, endpoint_id = self.worker.query.app_id, self.worker.query.endpoint_id
        if message is None or app_id is None or endpoint_id is None:
            return
        detail = self.query_one(DetailPane).detail
        full = detail.message if detail is not None and detail.msg_id == message.id else None
        endpoint = self._open_endpoint_info()
        choices = copy_choices(
            message,
            attempt=self._target_attempt(),
            payload=full.payload if full is not None else None,
            endpoint_url=endpoint.url if endpoint is not None else None,
            server_url=self.settings.server_url,
            app_id=app_id,
            endpoint_id=endpoint_id,
        )

        def chosen(choice: CopyChoice | None) -> None:
            if choice is None:
                return
            try:
                text = choice.build()
            except ValueError as error:
                self._say(f"Could not build that: {error}", severity="warning")
                return
            self._copy(text, f"the {choice.what}")

        self.app.push_screen(CopyScreen(choices), chosen)

    def export(self) -> None:
        from attempt_tui.export_choice import export_choice
        from attempt_tui.ui.screens.export import ExportScreen

        message = self._target_message()
        page = self.page
        if message is None or page is None:
            return
        focused = self.focused
        detail_pane = self.query_one(DetailPane)
        detail = detail_pane.detail
        shown = detail if detail is not None and detail.msg_id == message.id else None
        choice = export_choice(
            page,
            shown,
            detail_focused=focused is not None and detail_pane in focused.ancestors_with_self,
            now=self.clock(),
        )

        async def run(request: ExportRequest, progress: Callable[[str], None]) -> str:
            return await self._export(request, progress, page, choice.detail)

        def done(said: str | None) -> None:
            if said is not None:
                self._say(said, timeout=10)

        screen = ExportScreen(
            choice.what, choice.suggested_name, run, payload_choice=choice.detail is None
        )
        self.app.push_screen(screen, done)

    async def _export(
        self,
        request: ExportRequest,
        progress: Callable[[str], None],
        page: MessagePage,
        detail: MessageDetail | None,
    ) -> str:
        """Write the export (the page's payloads fetched first, through the worker); returns
        what to notify, with the file's full path."""
        from attempt_tui import export
        from attempt_tui.export_choice import payload_progress_text
        from attempt_tui.ui.screens.export import ExportFailed

        target = export.resolve_export_path(request.path)
        if detail is not None:
            lines = export.export_message(
                target,
                detail.message,
                detail.attempts,
                app_id=detail.app_id,
                endpoint_id=detail.endpoint_id,
                server_url=self.settings.server_url,
                msg_id=detail.msg_id,
                overwrite=request.overwrite,
            )
            return f"Exported {lines} lines to {target}"
        items, missing = page.items, None
        if request.payloads and page.items:

            def fetched(done: int, total: int, requests: int) -> None:
                progress(payload_progress_text(done, total, requests))

            try:
                payloads = await self.worker.page_payloads(page, fetched)
            except ApiError as error:
                raise ExportFailed(
                    f"could not fetch the payloads: {error.message}. Enter tries again; "
                    "or tick 'Leave payloads out'"
                ) from error
            items, missing = payloads.items, payloads.missing
        lines = export.export_page(
            target,
            items,
            filters=page.filters,
            app_id=page.app_id,
            endpoint_id=page.endpoint_id,
            server_url=self.settings.server_url,
            missing=missing,
            overwrite=request.overwrite,
        )
        return (
            f"Exported {lines} lines to {target} · payloads {export.payloads_note(items, missing)}"
        )

    def action_recover(self) -> None:
        from attempt_tui.ui.screens.recover import RecoverScreen

        endpoint = self._open_endpoint_info()
        session = self.worker.recovery()
        if session is None or endpoint is None:
            return

        def done(result: object) -> None:
            if result is not None:
                self.worker.refresh_now()

        self.app.push_screen(RecoverScreen(session, endpoint, self.clock), done)

    def _set_tail(self, on: bool, note: str | None = None) -> None:
        self.tail = on
        self.query_one(ContextBar).tail = on
        if on:
            if self.worker.query.page_number != 1:
                self.worker.first_page()
                self._page_changing()
            self._follow_newest()
            self._say(note or "Live tail on: following the newest messages; arrivals marked ●.")
        else:
            self._say(note or "Live tail off.")
        self._refresh_bindings()

    def action_audit(self) -> None:
        audit = self.worker.audit
        if audit is None:
            self._say("No audit log is configured.", severity="warning")
            return
        self.app.push_screen(AuditScreen(audit.read(), str(audit.path)))

    async def open_filters(self) -> None:
        self._layout("-endpoint-open", True)
        self._layout("-detail-open", False)
        bars = self.query(FilterBar)
        if bars:
            bar = bars.first()
        else:  # built on first use: its two dozen inputs would slow every start-up
            bar = FilterBar(self.clock, id="filter-bar")
            await self.query_one("#main").mount(bar, before="#chips")
        bar.load(self.worker.query.filters)
        bar.display = True
        bar.focus_first()

    def clear_filters(self) -> None:
        self._set_filters(Filters())

    def next_page(self) -> None:
        if self.tail:
            self._set_tail(False, "Live tail paused: you left the newest page.")
        if self.worker.next_page():
            self._page_changing()

    def prev_page(self) -> None:
        if self.worker.prev_page():
            self._page_changing()

    def _page_changing(self) -> None:
        self._turning_page = True
        info = self.query_one("#page-info", Static)
        info.update(Text(f"Loading page {self.worker.query.page_number}…", style="dim"))

    def action_refresh(self) -> None:
        self.worker.refresh_now()
        self._say("Refreshing…", timeout=1.5)

    def action_pause(self) -> None:
        self.worker.pause()
        self._tick_freshness()
        self._refresh_bindings()

    def action_resume(self) -> None:
        self.worker.resume()
        self._tick_freshness()
        self._refresh_bindings()

    def action_endpoints(self) -> None:
        self._layout("-endpoint-open", False)
        self._layout("-detail-open", False)
        self.query_one(EndpointPicker).focus_list(on_endpoint=self.worker.query.endpoint_id)

    def action_back_shown(self) -> None:
        self.action_back()

    def action_back(self) -> None:
        if self._cancel_search():
            return
        if self.query("HelpPanel"):  # Textual's keys panel (palette: Keys) closes first
            self.app.action_hide_help_panel()
            return
        focused = self.focused
        detail = self.query_one(DetailPane)
        if focused is not None and detail in focused.ancestors_with_self:
            self._layout("-detail-open", False)
            self.query_one(MessageTable).focus()
        elif isinstance(focused, MessageTable):
            if self.worker.query.filters.active:
                self.clear_filters()
            else:
                self.action_endpoints()

    def action_explain_read_only(self, what: str) -> None:
        self._say(READ_ONLY_REASON.format(what=what), severity="warning")

    def _target_message(self) -> EndpointMessageOut | None:
        return self._area.target_message

    def _target_attempt(self) -> MessageAttemptOut | None:
        return self._area.target_attempt

    def confirm_resend(self) -> None:
        message = self._target_message()
        endpoint = self._open_endpoint_info()
        app_id = self.worker.query.app_id
        if message is None or endpoint is None or app_id is None:
            return
        body = resend_text(message, endpoint)

        def done(confirmed: bool | None) -> None:
            if confirmed:
                self._resend(message.id, app_id, endpoint.id)

        self.app.push_screen(ConfirmScreen("Resend message?", body, "Resend"), done)

    @work(group="mutations", exit_on_error=False)
    async def _resend(self, msg_id: str, app_id: str, endpoint_id: str) -> None:
        """Resend to the endpoint the user confirmed, whatever is open by the time it goes."""
        started = self.clock()
        try:
            await self.worker.resend(msg_id, app_id=app_id, endpoint_id=endpoint_id)
        except (NetworkError, ServerError) as error:
            if isinstance(error, NetworkError) and not error.maybe_sent:
                self._say(f"Resend failed, nothing was sent: {error.message}", severity="error")
                return
            # The request went out and every retry (under the same key) lost its answer:
            # Svix may have acted. Say so, and watch for the attempt instead.
            self._say(
                f"Resend outcome unknown ({error.message}). Watching for its attempt: "
                "check before resending, a new R would send it again.",
                severity="warning",
                timeout=12,
            )
            self._start_watch(ResendWatch(msg_id, endpoint_id, started))
            return
        except ApiError as error:
            self._say(f"Resend failed: {error.message}", severity="error", timeout=8)
            return
        self._say(f"Resent {msg_id}; watching for its attempt.")
        self._start_watch(ResendWatch(msg_id, endpoint_id, started))

    def _start_watch(self, watch: ResendWatch) -> None:
        # Followed even when the message leaves the screen (a filter, another row).
        self.worker.watch(watch.msg_id, watch.endpoint_id)
        self._watch_line.start(watch, lambda: self.worker.query.selected_msg_id)

    @on(ResendWatchLine.Finished)
    def _watch_finished(self, event: ResendWatchLine.Finished) -> None:
        self.worker.watch(None)
        self._tour_landed = True
        outcome = event.outcome
        failed = outcome.attempt is not None and outcome.attempt.status != 0
        self._say(outcome.summary, severity="error" if failed else "information", timeout=8)

    @property
    def _watch_line(self) -> ResendWatchLine:
        return self.query_one(ResendWatchLine)

    @property
    def resend_watch(self) -> ResendWatch | None:
        """The resend being followed, if any."""
        return self._watch_line.current

    def confirm_expunge(self) -> None:
        message = self._target_message()
        attempt = self._target_attempt()
        if message is None or attempt is None:
            return
        body = expunge_text(message, attempt)

        def done(confirmed: bool | None) -> None:
            if confirmed:
                self._expunge(message.id, attempt.id)

        self.app.push_screen(
            ConfirmScreen("Expunge response body?", body, "Expunge", danger=True), done
        )

    @work(group="mutations", exit_on_error=False)
    async def _expunge(self, msg_id: str, attempt_id: str) -> None:
        try:
            check = await self.worker.expunge(msg_id, attempt_id)
        except (NetworkError, ServerError) as error:
            self._say(
                f"Expunge outcome unknown ({error.message}). The body may be gone already: "
                "check the attempt before trying again.",
                severity="warning",
                timeout=10,
            )
            return
        except ApiError as error:
            self._say(f"Expunge failed: {error.message}", severity="error", timeout=8)
            return
        severity = {"gone": "information", "still present": "error"}.get(check.verdict, "warning")
        self._say(check.summary(), severity=severity, timeout=10)
