"""The help screen: every key of the screen in front, read from the bindings themselves."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from attempt_tui.ui.keys import KeySection
from attempt_tui.ui.widgets.key_hints import KeyHints

KEY_COLUMN = 14  # the same for every section, so descriptions line up


def key_table(section: KeySection) -> Table:
    table = Table(
        title=Text(section.title, style="bold underline"),
        title_justify="left",
        box=None,
        show_header=False,
        padding=(0, 2),
    )
    table.add_column(style="bold", no_wrap=True, min_width=KEY_COLUMN)
    table.add_column()
    for row in section.rows:
        description = Text(row.description)
        if row.note:
            description.append(f" ({row.note})", style="dim")
        table.add_row(Text(row.keys), description)
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, sections: list[KeySection]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        yield KeyHints()  # this dialog's keys, over the screen's below
        with VerticalScroll(id="help-dialog") as dialog:
            dialog.border_title = "Keys · escape closes"
            tables: list[Table | Text] = []
            for section in self.sections:
                if tables:
                    tables.append(Text(""))
                tables.append(key_table(section))
            tables.append(Text("\nMouse: click to select, wheel to scroll.", style="dim"))
            yield Static(Group(*tables))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
