"""The page-flip floor: a bare Textual DataTable swapping in the same 250-row pages.

`python bench/bare_flip.py PAGES.json`: the file holds pages of rows (status, created, event
type, id) as attempt-tui shows them. `]` clears the table and adds the next page's rows, and
the lines under the table name the page and its first row, as attempt-tui's page line and
detail pane do, so the benchmark reads both programs the same way.
"""

from __future__ import annotations

import json
import sys

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static


class BareFlip(App[None]):
    CSS = "DataTable { height: 1fr; } #page { height: 2; }"
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("right_square_bracket", "next_page", "Next page"),
    ]

    def __init__(self, pages: list[list[list[str]]]) -> None:
        super().__init__()
        self.pages = pages
        self.page = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row")
        yield Static(id="page")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Status", "Created", "Event type", "Message / eventId")
        self.show(0)
        table.focus()

    def show(self, number: int) -> None:
        self.page = number
        rows = self.pages[number]
        table = self.query_one(DataTable)
        table.clear()
        table.add_rows(rows)
        self.query_one("#page", Static).update(
            f"Page {number + 1} · {len(rows)} messages\nSelected {rows[0][3]}"
        )

    def action_next_page(self) -> None:
        if self.page + 1 < len(self.pages):
            self.show(self.page + 1)


if __name__ == "__main__":
    with open(sys.argv[1]) as source:
        BareFlip(json.load(source)).run()
