"""The copy menu (Y): what to put on the clipboard, sent through OSC 52; `v` shows the text
instead, to select by hand when the terminal (or tmux) drops clipboard writes."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from attempt_tui import safe
from attempt_tui.clipboard import TMUX_ADVICE
from attempt_tui.copy_choices import CopyChoice
from attempt_tui.ui.widgets.key_hints import KeyHints
from attempt_tui.ui.widgets.vim_lists import VimOptionList

SHOWN_MAX_CHARS = 100_000


class CopyScreen(ModalScreen[CopyChoice | None]):
    BINDINGS = [
        Binding("escape,q", "close", "Close", id="copy.close"),
        Binding("v", "show", "Show to select by hand", id="copy.show"),
    ]

    def __init__(self, choices: list[CopyChoice]) -> None:
        super().__init__()
        self.choices = choices

    def compose(self) -> ComposeResult:
        yield KeyHints()  # this dialog's keys, over the screen's below
        with Vertical(id="copy-dialog") as dialog:
            dialog.border_title = "Copy to clipboard · enter copies · v shows · escape closes"
            yield VimOptionList(
                *(Option(Text(choice.label), id=choice.key) for choice in self.choices),
                id="copy-choices",
            )
            yield Static(
                Text(
                    "Copies go through the terminal (OSC 52), which may drop them; in tmux, "
                    f"{TMUX_ADVICE}. v shows the text to select by hand.",
                    style="dim",
                ),
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        choice = next(c for c in self.choices if c.key == event.option.id)
        self.dismiss(choice)

    def action_show(self) -> None:
        options = self.query_one(OptionList)
        index = options.highlighted
        if index is None:
            return
        choice = self.choices[index]
        try:
            text = choice.build()
        except ValueError as error:
            self.notify(f"Could not build that: {error}", severity="warning", markup=False)
            return
        self.app.push_screen(CopyTextScreen(choice.label, text))

    def action_close(self) -> None:
        self.dismiss(None)


class CopyTextScreen(ModalScreen[None]):
    """The text a copy would send, shown to select with the terminal's own selection."""

    BINDINGS = [Binding("escape,q,v", "close", "Close", id="copy_text.close")]

    def __init__(self, label: str, text: str) -> None:
        super().__init__()
        self.label = label
        self.text = text

    def compose(self) -> ComposeResult:
        yield KeyHints()
        with Vertical(id="copy-text-dialog") as dialog:
            dialog.border_title = f"{self.label} · select by hand · escape closes"
            with VerticalScroll(id="copy-text-scroll"):
                yield Static(
                    safe.text(self.text, max_len=SHOWN_MAX_CHARS, multiline=True),
                    id="copy-text",
                    markup=False,
                )
            yield Static(self._note(), id="copy-text-note")

    def _note(self) -> Text:
        note = Text(
            "Select it with your terminal's own selection (most terminals: hold shift while "
            "dragging), then copy it there.",
            style="dim",
        )
        shown = safe.clean(self.text, max_len=SHOWN_MAX_CHARS, multiline=True)
        if shown != self.text:
            note.append(
                " Control characters are shown as \\x.. and long text is cut here: "
                "the copy itself sends the text raw.",
                style="bold",
            )
        return note

    def action_close(self) -> None:
        self.dismiss(None)
