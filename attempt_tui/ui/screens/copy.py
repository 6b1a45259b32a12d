"""The copy menu (Y): what to put on the clipboard, sent through OSC 52."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from attempt_tui.copy_choices import CopyChoice
from attempt_tui.ui.widgets.key_hints import KeyHints
from attempt_tui.ui.widgets.vim_lists import VimOptionList


class CopyScreen(ModalScreen[CopyChoice | None]):
    BINDINGS = [Binding("escape,q", "close", "Close", id="copy.close")]

    def __init__(self, choices: list[CopyChoice]) -> None:
        super().__init__()
        self.choices = choices

    def compose(self) -> ComposeResult:
        yield KeyHints()  # this dialog's keys, over the screen's below
        with Vertical(id="copy-dialog") as dialog:
            dialog.border_title = "Copy to clipboard · enter copies · escape closes"
            yield VimOptionList(
                *(Option(Text(choice.label), id=choice.key) for choice in self.choices),
                id="copy-choices",
            )
            yield Static(
                Text(
                    "Copies go through the terminal (OSC 52). In tmux, set allow-passthrough on.",
                    style="dim",
                ),
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        choice = next(c for c in self.choices if c.key == event.option.id)
        self.dismiss(choice)

    def action_close(self) -> None:
        self.dismiss(None)
