"""The line that shows a go-to search walking through the apps, until it ends or is stopped."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from attempt_tui import safe
from attempt_tui.ui.widgets.repaint import update_static
from attempt_tui.worker import GoToProgress


def search_text(progress: GoToProgress) -> Text:
    """What is looked for, how far through the apps, and how to stop."""
    text = Text("Go to ", style="bold")
    text.append_text(safe.text(progress.text, max_len=60))
    text.append(f": looking in app {progress.searched} of {progress.total} (")
    text.append_text(safe.text(progress.app_label, max_len=40))
    text.append(") · esc stops", style="dim")
    return text


def search_stopped_text(searched_for: str) -> str:
    """The notice when escape stops a search."""
    return f"Stopped looking for {safe.clean(searched_for, max_len=60)}."


class SearchLine(Static):
    """Shown only while a go-to search is under way."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.display = False

    def show(self, progress: GoToProgress | None) -> None:
        self.display = progress is not None
        if progress is not None:
            update_static(self, search_text(progress))
