"""The export dialog (e): a file name for the page, or the open message with its attempts."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Static

from attempt_tui.ui.widgets.key_hints import KeyHints


class ExportScreen(ModalScreen[tuple[str, bool] | None]):
    """Returns (path, overwrite) or None."""

    BINDINGS = [Binding("escape", "close", "Cancel", id="export.cancel")]

    def __init__(self, what: str, suggested: str) -> None:
        super().__init__()
        self.what = what
        self.suggested = suggested

    def compose(self) -> ComposeResult:
        yield KeyHints()  # this dialog's keys, over the screen's below
        with Vertical(id="export-dialog") as dialog:
            dialog.border_title = "Export as JSON lines · enter writes · escape cancels"
            yield Static(Text(self.what), id="export-what")
            yield Input(value=self.suggested, id="export-path")
            yield Checkbox("Overwrite an existing file", id="export-overwrite", compact=True)
            yield Static(Text("Raw values as the API sent them; never the token.", style="dim"))

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        path = event.value.strip()
        if path:
            self.dismiss((path, self.query_one(Checkbox).value))

    def action_close(self) -> None:
        self.dismiss(None)
