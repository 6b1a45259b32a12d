"""The key-latency floor: a bare Textual DataTable shaped like attempt-tui's message table."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header


class BareTable(App[None]):
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("j", "down", "Down"),
        Binding("k", "up", "Up"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Status", "Created", "Event type", "Message / eventId")
        for number in range(50):
            table.add_row("✔ success", "an hour ago", "payment.succeeded", f"evt_{number:012x}")
        table.focus()

    def action_down(self) -> None:
        self.query_one(DataTable).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(DataTable).action_cursor_up()


if __name__ == "__main__":
    BareTable().run()
