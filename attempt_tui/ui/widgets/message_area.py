"""The messages side of the dashboard: filter chips, the message table and the attempt detail.

Its keys act on the open endpoint's messages and on the highlighted message (filter, page,
resend, expunge, copy, export, live tail). They apply while the focus is in this area, the
message list or the detail, so the hint line shows them there and not in the endpoint picker.
What each key needs to be usable is kept here as reactive state the screen sets, so the hint
line greys a key out or hides it as soon as that changes. The work itself (dialogs, requests)
stays with the screen, which gets a `Wanted` message naming the action.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive

from attempt_tui.api.models import EndpointMessageOut, MessageAttemptOut
from attempt_tui.ui.widgets.detail import DetailPane
from attempt_tui.ui.widgets.message_table import MessageTable

READ_ONLY_REASON = (
    "Read-only: {what} is disabled (started with --read-only or a read-only profile)."
)

MessageAction = Literal[
    "filters",
    "clear_filters",
    "prev_page",
    "next_page",
    "resend",
    "expunge",
    "copy_id",
    "copy_menu",
    "export",
    "tail",
]
# Actions that need a highlighted message; greyed out without one. (More body is the area's own.)
_ON_A_MESSAGE = frozenset({"copy_id", "copy_menu", "export"})


class MessageArea(Vertical):
    """Filter chips, the message table and the detail pane, and the keys that act on them."""

    HELP_SECTION: ClassVar[str] = "Messages (list and detail)"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filters", "Filter", id="main.filters"),
        Binding("c", "clear_filters", "Clear filters", show=False, id="main.clear_filters"),
        Binding("left_square_bracket", "prev_page", "Prev page", id="main.prev_page"),
        Binding("right_square_bracket", "next_page", "Next page", id="main.next_page"),
        Binding("R", "resend", "Resend", id="main.resend"),
        Binding("R", "explain_read_only('resend')", show=False, id="main.resend_read_only"),
        Binding("X", "expunge", "Expunge body", id="main.expunge"),
        Binding("X", "explain_read_only('expunge')", show=False, id="main.expunge_read_only"),
        Binding("y", "copy_id", "Copy message id", show=False, id="main.copy_id"),
        Binding("Y", "copy_menu", "Copy…", id="main.copy_menu"),
        Binding("e", "export", "Export", show=False, id="main.export"),
        Binding("m", "more_body", "More body", id="main.more_body"),
        Binding("t", "tail", "Live tail", id="main.tail"),
    ]

    endpoint_open: reactive[bool] = reactive(False, bindings=True)
    has_next: reactive[bool] = reactive(False, bindings=True)
    has_prev: reactive[bool] = reactive(False, bindings=True)
    filters_active: reactive[bool] = reactive(False, bindings=True)

    class Wanted(Message):
        """A key of the area was pressed: the screen does the work."""

        def __init__(self, action: MessageAction) -> None:
            super().__init__()
            self.action: MessageAction = action

    def __init__(self, *, read_only: bool, id: str | None = None) -> None:
        super().__init__(id=id)
        self.read_only = read_only

    # ------------------------------------------------------------------ what the keys act on

    @property
    def target_message(self) -> EndpointMessageOut | None:
        """The highlighted message."""
        return self.query_one(MessageTable).selected_message

    @property
    def target_attempt(self) -> MessageAttemptOut | None:
        """The attempt selected in the detail pane when it has focus, else the latest attempt."""
        detail = self.query_one(DetailPane)
        message = self.target_message
        if detail.detail is None or message is None or detail.detail.msg_id != message.id:
            return None
        focused = self.screen.focused
        if focused is not None and detail in focused.ancestors_with_self:
            return detail.selected_attempt
        attempts = detail.detail.attempts
        return max(attempts, key=lambda a: (a.timestamp, a.id)) if attempts else None

    # ------------------------------------------------------------------ keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """True: shown and usable; None: shown greyed out; False: hidden."""
        match action:
            case "resend" | "expunge":
                if self.read_only or self.target_message is None:
                    return None
                return True if action == "resend" or self.target_attempt is not None else None
            case "explain_read_only":
                return self.read_only
            case "tail" | "filters":
                return True if self.endpoint_open else None
            case "next_page":
                return True if self.has_next else None
            case "prev_page":
                return True if self.has_prev else None
            case "clear_filters":
                return self.filters_active
            case "more_body":
                return self.query_one(DetailPane).body_truncated
        if action in _ON_A_MESSAGE:
            return True if self.target_message is not None else None
        return True

    def action_explain_read_only(self, what: str) -> None:
        self.notify(READ_ONLY_REASON.format(what=what), severity="warning", markup=False)

    def action_filters(self) -> None:
        self.post_message(self.Wanted("filters"))

    def action_clear_filters(self) -> None:
        self.post_message(self.Wanted("clear_filters"))

    def action_prev_page(self) -> None:
        self.post_message(self.Wanted("prev_page"))

    def action_next_page(self) -> None:
        self.post_message(self.Wanted("next_page"))

    def action_resend(self) -> None:
        self.post_message(self.Wanted("resend"))

    def action_expunge(self) -> None:
        self.post_message(self.Wanted("expunge"))

    def action_copy_id(self) -> None:
        self.post_message(self.Wanted("copy_id"))

    def action_copy_menu(self) -> None:
        self.post_message(self.Wanted("copy_menu"))

    def action_export(self) -> None:
        self.post_message(self.Wanted("export"))

    def action_more_body(self) -> None:
        self.query_one(DetailPane).show_more_body()
        self.refresh_bindings()

    def action_tail(self) -> None:
        self.post_message(self.Wanted("tail"))
