"""The export dialog (e): a file name for the page, or the open message with its attempts.

Enter runs the export the screen below hands in (`ExportRun`): what it fetches first (the
page's payloads) shows its progress here, a failure is said here and leaves the dialog open,
and escape stops it with nothing written. It returns the line to notify, or None.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Static

from attempt_tui import safe
from attempt_tui.ui.widgets.key_hints import KeyHints


@dataclass(frozen=True)
class ExportRequest:
    path: str
    overwrite: bool
    payloads: bool  # fetch the payloads (a page lists messages without them)


class ExportFailed(Exception):
    """Said in the dialog, which stays open to change the name or try again."""


ExportProgress = Callable[[str], None]
ExportRun = Callable[[ExportRequest, ExportProgress], Awaitable[str]]


class ExportScreen(ModalScreen[str | None]):
    """Returns the notification line of a finished export, or None."""

    BINDINGS = [Binding("escape", "close", "Cancel", id="export.cancel")]

    def __init__(
        self, what: str, suggested: str, run: ExportRun, *, payload_choice: bool = False
    ) -> None:
        super().__init__()
        self.what = what
        self.suggested = suggested
        self.run = run
        self.payload_choice = payload_choice
        self.running = False

    def compose(self) -> ComposeResult:
        yield KeyHints()  # this dialog's keys, over the screen's below
        with Vertical(id="export-dialog") as dialog:
            dialog.border_title = "Export as JSON lines · enter writes · escape cancels"
            yield Static(Text(self.what), id="export-what")
            yield Input(value=self.suggested, id="export-path")
            yield Checkbox("Overwrite an existing file", id="export-overwrite", compact=True)
            if self.payload_choice:
                yield Checkbox(
                    "Leave payloads out (no extra requests; written as null)",
                    id="export-no-payloads",
                    compact=True,
                )
            yield Static("", id="export-progress", markup=False)
            yield Static(Text("Raw values as the API sent them; never the token.", style="dim"))

    def on_mount(self) -> None:
        self.query_one("#export-progress").display = False
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        path = event.value.strip()
        if not path or self.running:
            return
        overwrite = self.query_one("#export-overwrite", Checkbox).value
        leave_out = self.payload_choice and self.query_one("#export-no-payloads", Checkbox).value
        self._run(ExportRequest(path, overwrite, payloads=not leave_out))

    @work(exclusive=True, group="export", exit_on_error=False)
    async def _run(self, request: ExportRequest) -> None:
        self.running = True
        self._progress("Writing…")
        try:
            said = await self.run(request, self._progress)
        except (ExportFailed, OSError, ValueError) as error:
            self._progress(f"Export failed: {error}", error=True)
            return
        finally:
            self.running = False
        self.dismiss(said)

    def _progress(self, line: str, *, error: bool = False) -> None:
        shown = self.query_one("#export-progress", Static)
        shown.display = True
        shown.update(safe.text(line, max_len=300, style="bold red" if error else "dim"))

    def action_close(self) -> None:
        self.workers.cancel_group(self, "export")
        self.dismiss(None)
