"""The line that follows a resend until its attempt lands (or fails, or never comes)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from attempt_tui import safe
from attempt_tui.api.models import MessageAttemptOut
from attempt_tui.resend_watch import ResendWatch, WatchOutcome

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
WAITING = "Resend sent; waiting for its attempt…"


class ResendWatchLine(Static):
    """A spinner and where the resend stands; it judges each answer about the message."""

    class Finished(Message):
        """The resend reached a final state (or the watch gave up)."""

        def __init__(self, outcome: WatchOutcome) -> None:
            super().__init__()
            self.outcome = outcome

    def __init__(self, clock: Callable[[], datetime], *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.clock = clock
        self.current: ResendWatch | None = None
        self._selected: Callable[[], str | None] = lambda: None
        self._summary = WAITING
        self._frame = 0
        self._spinner: Timer | None = None
        # A message that left the (filtered) list while highlighted: said here, where the
        # user is looking, until the highlight moves off the message shown in its place.
        self._note: Text | None = None
        self._note_anchor: str | None = None
        self._note_about: str | None = None
        self.last_msg_id: str | None = None  # the message of the last resend followed

    def on_mount(self) -> None:
        self.display = False

    def start(self, watch: ResendWatch, selected: Callable[[], str | None]) -> None:
        """Follow `watch`; `selected` tells which message is highlighted (named if not it)."""
        self.current = watch
        self.last_msg_id = watch.msg_id
        self._selected = selected
        self._summary = WAITING
        self._frame = 0
        if self._spinner is None:
            self._spinner = self.set_interval(0.1, self._spin)
        self._spin()

    def judge(
        self, msg_id: str, attempts: list[MessageAttemptOut], next_attempt: datetime | None
    ) -> None:
        """An answer about `msg_id`'s attempts; ignored unless it is the watched message."""
        watch = self.current
        if watch is None or msg_id != watch.msg_id:
            return
        outcome = watch.check(attempts, next_attempt, self.clock())
        self._summary = outcome.summary
        if outcome.done:
            self.stop()
            self.post_message(self.Finished(outcome))

    def stop(self) -> None:
        self.current = None
        if self._spinner is not None:
            self._spinner.stop()
            self._spinner = None
        self._show_note()

    def leave_note(self, note: Text, about: str, anchor: str | None) -> None:
        """Say `note` (about message `about`) here until the highlight moves off `anchor`,
        the message shown in its place."""
        self._note, self._note_about, self._note_anchor = note, about, anchor
        if self.current is None:
            self._show_note()
        else:
            self._spin()

    def clear_note_unless(self, selected: str | None) -> None:
        if self._note is not None and selected != self._note_anchor:
            self._note = self._note_anchor = self._note_about = None
            if self.current is None:
                self._show_note()

    @property
    def note(self) -> Text | None:
        return self._note

    def _show_note(self) -> None:
        """Without a watch running: the note (and how the resend ended), or nothing."""
        if self._note is None:
            self.display = False
            return
        text = self._note.copy()
        if self._summary != WAITING and self._note_about == self.last_msg_id:
            text.append(" · ")
            text.append(self._summary, style="bold")
        self.display = True
        self.update(text)

    def _spin(self) -> None:
        watch = self.current
        if watch is None:
            self._show_note()
            return
        self._frame = (self._frame + 1) % len(SPINNER)
        self.display = True
        text = Text(f"{SPINNER[self._frame]} ", style="bold")
        if self._note is not None:
            text.append_text(self._note)
            text.append(" · ")
        elif watch.msg_id != self._selected():
            text.append_text(safe.text(watch.msg_id, max_len=40))
            text.append(": ")
        text.append(self._summary, style="bold")
        self.update(text)
