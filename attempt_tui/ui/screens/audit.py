"""The audit log viewer: every resend and expunge made from this machine, newest first."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from attempt_tui import safe
from attempt_tui.audit import AuditEntry
from attempt_tui.ui.widgets.key_hints import KeyHints
from attempt_tui.ui.widgets.message_table import VimDataTable

AUDIT_COLUMNS: tuple[tuple[str, str, int | None], ...] = (
    ("time", "Time (UTC)", 25),
    ("action", "Action", 8),
    ("outcome", "Outcome", 24),
    ("profile", "Profile", 10),
    ("message", "Message", 31),
    ("attempt", "Attempt", 33),
    ("endpoint", "Endpoint", 30),
    ("app", "App", 31),
    ("server", "Server", 30),
    ("key", "Idempotency key", 36),
)


def entry_row(entry: AuditEntry) -> tuple[Text, ...]:
    ok = entry.outcome == "ok"
    return (
        safe.text(entry.time),
        safe.text(entry.action, style="bold"),
        safe.text(entry.outcome, max_len=80, style="green" if ok else "bold red"),
        safe.text(entry.profile),
        safe.text(entry.message or "—"),
        safe.text(entry.attempt or "—"),
        safe.text(entry.endpoint or "—"),
        safe.text(entry.app or "—"),
        safe.text(entry.server, max_len=60),
        safe.text(entry.idempotency_key or "—"),
    )


class AuditScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,A", "close", "Close", id="audit.close")]

    def __init__(self, entries: list[AuditEntry], path: str) -> None:
        super().__init__()
        self.entries = entries
        self.path = path

    def compose(self) -> ComposeResult:
        yield KeyHints()  # this dialog's keys, over the screen's below
        with Vertical(id="audit-dialog") as dialog:
            dialog.border_title = "Audit log · escape closes"
            dialog.border_subtitle = safe.text(self.path, max_len=100)
            if not self.entries:
                yield Static(Text("No resends or expunges recorded yet.", style="dim"))
            yield VimDataTable(id="audit-table")

    def on_mount(self) -> None:
        table = self.query_one(VimDataTable)
        table.setup_columns(AUDIT_COLUMNS)
        rows = {str(index): entry_row(entry) for index, entry in enumerate(self.entries)}
        table.set_rows(rows, keep_position=False)
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
