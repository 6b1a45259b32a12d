"""The help screen: every key, read from the bindings themselves."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from attempt_tui.ui.widgets.key_hints import KeyHints

EXTRA_KEYS: tuple[tuple[str, str], ...] = (
    ("↑/↓ j/k", "Move in a list or table"),
    ("g / G", "First / last row"),
    ("tab / shift+tab", "Next / previous pane"),
    ("enter", "Open the highlighted endpoint or message"),
    ("escape", "Back; in the message list it clears filters first"),
    ("y / n", "Confirm / cancel in a confirmation"),
    ("mouse", "Click to select, wheel to scroll"),
)


def key_table(bindings: list[tuple[str, str]]) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for key, description in bindings:
        table.add_row(Text(key), Text(description))
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, bindings: list[tuple[str, str]]) -> None:
        super().__init__()
        self.key_bindings = bindings

    def compose(self) -> ComposeResult:
        yield KeyHints()  # this dialog's keys, over the screen's below
        with VerticalScroll(id="help-dialog") as dialog:
            dialog.border_title = "Keys · escape closes"
            yield Static(key_table([*self.key_bindings, *EXTRA_KEYS]))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
