"""The attempt detail pane for the highlighted message."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable, Static, TabbedContent, TabPane, Tabs

from attempt_tui import safe
from attempt_tui.api.errors import ApiError
from attempt_tui.api.models import (
    MessageAttemptHeadersOut,
    MessageAttemptOut,
    MessageEndpointOut,
    MessageOut,
)
from attempt_tui.ui import format as fmt
from attempt_tui.ui.widgets.headers import AttemptHeaders
from attempt_tui.ui.widgets.message_table import VimDataTable
from attempt_tui.ui.widgets.repaint import update_static
from attempt_tui.ui.widgets.resend_watch import ResendWatchLine
from attempt_tui.ui.widgets.timeline import RetryTimeline
from attempt_tui.worker import ExpungeCheck, MessageDetail

FetchHeaders = Callable[[str, str, str], Awaitable[MessageAttemptHeadersOut]]

ATTEMPT_COLUMNS: tuple[tuple[str, str, int | None], ...] = (
    ("time", "Time", 24),
    ("status", "Status", 11),
    ("code", "HTTP", 7),
    ("duration", "Duration", 9),
    ("trigger", "Trigger", 9),
    ("url", "URL", None),
)

# The tabs that show where the message was sent (the timeline: its next attempt there).
DESTINATION_TABS = ("tab-destinations", "tab-timeline")

DESTINATION_COLUMNS: tuple[tuple[str, str, int | None], ...] = (
    ("status", "Status", 11),
    ("next", "Next attempt", 13),
    ("url", "Endpoint", None),
)


class AttemptTable(VimDataTable):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.attempts: dict[str, MessageAttemptOut] = {}

    def on_mount(self) -> None:
        self.setup_columns(ATTEMPT_COLUMNS)

    def show_attempts(self, attempts: list[MessageAttemptOut], *, keep_position: bool) -> None:
        # Newest first, like every Svix list.
        ordered = sorted(attempts, key=lambda a: (a.timestamp, a.id), reverse=True)
        self.attempts = {a.id: a for a in ordered}
        rows = {
            a.id: (
                Text(fmt.exact(a.timestamp)),
                fmt.status_text(a.status),
                fmt.http_code_text(a.response_status_code),
                fmt.duration_text(a.response_duration_ms),
                fmt.trigger_text(a.trigger_type),
                safe.text(a.url, max_len=200),
            )
            for a in ordered
        }
        self.set_rows(rows, keep_position=keep_position)

    @property
    def selected_attempt(self) -> MessageAttemptOut | None:
        key = self.selected_key
        return self.attempts.get(key) if key else None


class DestinationTable(VimDataTable):
    def on_mount(self) -> None:
        self.setup_columns(DESTINATION_COLUMNS)

    def show_destinations(self, destinations: list[MessageEndpointOut], now: datetime) -> None:
        rows = {
            d.id: (
                fmt.status_text(d.status),
                fmt.until(d.next_attempt, now),
                Text.assemble(
                    safe.text(d.url, max_len=200),
                    (" (disabled)", "dim") if d.disabled else "",
                ),
            )
            for d in destinations
        }
        self.set_rows(rows, keep_position=True)


def message_summary(
    msg_id: str, message: MessageOut | None, attempts: list[MessageAttemptOut]
) -> Text:
    line = Text()
    line.append_text(safe.text(msg_id, max_len=40, style="bold"))
    if message is not None:
        if message.event_id:
            line.append("  eventId ", style="dim")
            line.append_text(safe.text(message.event_id, max_len=80))
        line.append("  ")
        line.append_text(safe.text(message.event_type, max_len=80, style="bold"))
        line.append("  created ", style="dim")
        line.append(fmt.exact(message.timestamp))
    line.append(f"  {len(attempts)} attempt{'s' if len(attempts) != 1 else ''}", style="dim")
    return line


BODY_CHUNK_CHARS = 20_000


EMPTY_BODY = "Empty response body."
NO_RESPONSE = "No response body (the request got no HTTP response)."
EXPUNGED = "Expunged: re-read after the expunge, the server returns no body for this attempt."
NOT_EXPUNGED = (
    "Expunge did not take: re-read after the expunge, the server still returns this body."
)
UNVERIFIED = (
    "Expunge accepted (204) but not checked: re-reading the attempt failed ({reason}). "
    "This is the body held before; F5 reads it again."
)


def response_view(
    attempt: MessageAttemptOut | None,
    limit: int = BODY_CHUNK_CHARS,
    check: ExpungeCheck | None = None,
) -> Text:
    """The body the server returns for `attempt`; after an expunge from here, what the
    re-read showed. "Expunged" is said only when the server no longer returns the body."""
    if attempt is None:
        return Text("No attempt selected.", style="dim")
    head = Text.assemble(
        ("Attempt ", "dim"),
        safe.text(attempt.id, max_len=40),
        ("  ", ""),
        fmt.http_code_text(attempt.response_status_code, words=True),
        ("  ", ""),
        fmt.duration_text(attempt.response_duration_ms, words=True),
        "\n",
    )
    if check is not None and check.verdict != "gone" and attempt.response:
        if check.verdict == "unverified":
            note = UNVERIFIED.format(reason=safe.clean(check.reason, max_len=120))
        else:
            note = NOT_EXPUNGED
        head.append(note + "\n", style="bold")
    if not attempt.response:
        if check is not None and check.verdict == "gone":
            head.append(EXPUNGED, style="bold")
        elif attempt.response_status_code == 0:
            head.append(NO_RESPONSE, style="dim italic")
        else:
            head.append(EMPTY_BODY, style="dim italic")
        return head
    head.append_text(safe.body_block(attempt.response, max_chars=limit))
    if len(attempt.response) > limit:
        head.append(
            f"\nShowing {limit:,} of {len(attempt.response):,} characters · m shows more",
            style="bold",
        )
    return head


def payload_view(message: MessageOut | None) -> Text:
    if message is None:
        return Text("Loading payload…", style="dim")
    if message.payload is None:
        return Text("No payload (expunged or not returned).", style="dim italic")
    return safe.json_block(message.payload)


class DetailPane(Vertical):
    """Attempts of the highlighted message at the open endpoint, plus its content."""

    HELP_SECTION = "Attempt detail"
    BINDINGS = [
        Binding("y", "copy_attempt_id", "Copy attempt id", id="detail.copy_attempt_id"),
    ]

    class CopyWanted(Message):
        """y in the detail: copy the selected attempt's id."""

        def __init__(self, attempt_id: str) -> None:
            super().__init__()
            self.attempt_id = attempt_id

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "copy_attempt_id":
            return True if self.selected_attempt is not None else None
        return True

    def action_copy_attempt_id(self) -> None:
        attempt = self.selected_attempt
        if attempt is not None:
            self.post_message(self.CopyWanted(attempt.id))

    def focus_hints(self, focused: Widget) -> tuple[tuple[str, str], ...]:
        """Keys of a focused part that its own bindings do not show: the tab strip's arrows."""
        return (("←/→", "tabs"),) if isinstance(focused, Tabs) else ()

    class DestinationsWanted(Message):
        """A tab that shows where the message was sent opened (True) or closed (False)."""

        def __init__(self, wanted: bool) -> None:
            super().__init__()
            self.wanted = wanted

    class DestinationChosen(Message):
        """Enter on a destination: open that endpoint at this message."""

        def __init__(self, endpoint_id: str, msg_id: str) -> None:
            super().__init__()
            self.endpoint_id = endpoint_id
            self.msg_id = msg_id

    def __init__(
        self,
        clock: Callable[[], datetime],
        *,
        id: str | None = None,
        fetch_headers: FetchHeaders | None = None,
    ) -> None:
        super().__init__(id=id)
        self.clock = clock
        self.fetch_headers = fetch_headers
        self._headers_cache: dict[str, MessageAttemptHeadersOut] = {}
        self.detail: MessageDetail | None = None
        self._response_shown: tuple[str, str, int, ExpungeCheck | None] | None = None
        self._body_limit = BODY_CHUNK_CHARS
        self._destinations_wanted = False
        self.border_title = "Attempts"

    def compose(self) -> ComposeResult:
        yield Static(Text("Highlight a message to see its attempts.", style="dim"), id="summary")
        yield ResendWatchLine(self.clock, id="watch-line")
        yield AttemptTable(id="attempts")
        with TabbedContent(id="detail-tabs"):
            with TabPane("Response", id="tab-response"), VerticalScroll():
                yield Static(id="response-body", markup=False)
            with TabPane("Payload", id="tab-payload"), VerticalScroll():
                yield Static(id="payload-body", markup=False)
            with TabPane("Destinations", id="tab-destinations"):
                yield Static(id="destinations-note")
                yield DestinationTable(id="destinations")
            with TabPane("Timeline", id="tab-timeline"), VerticalScroll():
                yield RetryTimeline(id="timeline")
            with TabPane("Headers", id="tab-headers"), VerticalScroll():
                yield AttemptHeaders(id="headers")

    def clear(self, note: str = "Highlight a message to see its attempts.") -> None:
        self.detail = None
        update_static(self.query_one("#summary", Static), Text(note, style="dim"))
        self.query_one(AttemptTable).set_rows({}, keep_position=False)
        update_static(self.query_one("#response-body", Static), "")
        self._response_shown = None
        update_static(self.query_one("#payload-body", Static), "")
        self.query_one(DestinationTable).set_rows({}, keep_position=False)
        update_static(self.query_one("#destinations-note", Static), "")
        self.query_one(RetryTimeline).clear()
        self.query_one(AttemptHeaders).show(None)

    def show_error(self, msg_id: str, message: str) -> None:
        """The highlighted message's attempts could not load: say so, show nothing stale."""
        if self.detail is not None and self.detail.msg_id == msg_id:
            return  # the attempts shown are this message's, from the last good poll
        self.clear()
        summary = Text()
        summary.append_text(safe.text(msg_id, max_len=40, style="bold"))
        summary.append("  could not load its attempts: ", style="bold")
        summary.append_text(safe.text(message, max_len=160))
        self.query_one("#summary", Static).update(summary)

    def show(self, detail: MessageDetail, now: datetime) -> None:
        previous = self.detail
        same_message = previous is not None and previous.msg_id == detail.msg_id
        self.detail = detail
        update_static(
            self.query_one("#summary", Static),
            message_summary(detail.msg_id, detail.message, detail.attempts),
        )
        table = self.query_one(AttemptTable)
        table.show_attempts(detail.attempts, keep_position=same_message)
        self._show_response()
        if not same_message or (previous is not None and previous.message != detail.message):
            self.query_one("#payload-body", Static).update(payload_view(detail.message))
        self._show_destinations(detail.destinations, now)
        here = next((d for d in detail.destinations or () if d.id == detail.endpoint_id), None)
        self.query_one(RetryTimeline).show(
            detail.attempts,
            here.next_attempt if here else None,
            now,
            endpoint_status=here.status if here else None,
        )
        self._load_headers()

    def _show_destinations(
        self, destinations: list[MessageEndpointOut] | None, now: datetime
    ) -> None:
        """Where it was sent is asked for only while this tab (or the timeline) is open."""
        note = self.query_one("#destinations-note", Static)
        table = self.query_one(DestinationTable)
        if destinations:
            table.show_destinations(destinations, now)
            update_static(note, "")
        else:
            table.set_rows({}, keep_position=False)
            asking = "Asking the API where it was sent…"
            said = asking if destinations is None else "It was not sent to any endpoint."
            update_static(note, Text(said, style="dim"))
        note.display = not destinations

    def _show_response(self) -> None:
        attempt = self.query_one(AttemptTable).selected_attempt
        if attempt is None or self._response_shown is None or self._response_shown[0] != attempt.id:
            self._body_limit = BODY_CHUNK_CHARS
        checks = self.detail.expunge_checks if self.detail is not None else {}
        check = checks.get(attempt.id) if attempt else None
        state = (attempt.id, attempt.response, self._body_limit, check) if attempt else None
        if state == self._response_shown:
            return
        self._response_shown = state
        view = response_view(attempt, self._body_limit, check)
        self.query_one("#response-body", Static).update(view)

    def follow_attempt(self, attempt_id: str) -> None:
        """Highlight this attempt (a resend's new one) and show its response."""
        table = self.query_one(AttemptTable)
        if attempt_id in table.attempts:
            table.move_cursor(row=table.get_row_index(attempt_id), animate=False)
            self._show_response()

    @property
    def body_truncated(self) -> bool:
        attempt = self.selected_attempt
        return attempt is not None and len(attempt.response) > self._body_limit

    def show_more_body(self) -> None:
        """Show ten times more of a long body; big bodies arrive in parts, never all at once."""
        self._body_limit *= 10
        self._show_response()

    @property
    def selected_attempt(self) -> MessageAttemptOut | None:
        return self.query_one(AttemptTable).selected_attempt

    @on(DataTable.RowHighlighted, "#attempts")
    def _attempt_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_response()
        self._load_headers()
        refresh = getattr(self.screen, "_refresh_bindings", self.screen.refresh_bindings)
        refresh()

    @on(TabbedContent.TabActivated, "#detail-tabs")
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        event.stop()
        self._load_headers()
        wanted = event.pane.id in DESTINATION_TABS
        if wanted != self._destinations_wanted:
            self._destinations_wanted = wanted
            self.post_message(self.DestinationsWanted(wanted))

    @on(DataTable.RowSelected, "#destinations")
    def _destination_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if self.detail is not None and event.row_key.value:
            self.post_message(self.DestinationChosen(event.row_key.value, self.detail.msg_id))

    def _load_headers(self) -> None:
        """Headers are fetched only while their tab shows, once per attempt (they never change)."""
        if self.query_one("#detail-tabs", TabbedContent).active != "tab-headers":
            return
        view = self.query_one(AttemptHeaders)
        attempt = self.selected_attempt
        if attempt is None or self.detail is None or self.fetch_headers is None:
            view.show(None)
            return
        cached = self._headers_cache.get(attempt.id)
        if cached is not None:
            view.show(cached)
            return
        view.show(None, loading=True)
        self._fetch_headers(self.detail.app_id, attempt.msg_id, attempt.id)

    @work(group="headers", exclusive=True, exit_on_error=False)
    async def _fetch_headers(self, app_id: str, msg_id: str, attempt_id: str) -> None:
        assert self.fetch_headers is not None
        try:
            headers = await self.fetch_headers(app_id, msg_id, attempt_id)
        except ApiError as error:
            if self._still_selected(attempt_id):
                self.query_one(AttemptHeaders).show(None, error=error.message)
            return
        if len(self._headers_cache) > 200:
            self._headers_cache.clear()
        self._headers_cache[attempt_id] = headers
        if self._still_selected(attempt_id):
            self.query_one(AttemptHeaders).show(headers)

    def _still_selected(self, attempt_id: str) -> bool:
        attempt = self.selected_attempt
        return attempt is not None and attempt.id == attempt_id
