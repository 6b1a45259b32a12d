"""The line under the panes that says what could not load, and when it is tried again."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from attempt_tui import safe
from attempt_tui.worker import LaneFailed

LANE_NAMES = {
    "page": "messages",
    "detail": "attempts",
    "endpoints": "endpoints",
    "apps": "apps",
    "watch": "resend watch",
    "opened": "app and endpoint",
    "stats": "endpoint counts",
}


def status_text(errors: dict[str, LaneFailed]) -> Text:
    """One short line per kind of error, naming what could not load.

    A rejected token fails every list at once: that reads as one problem, not four.
    """
    groups: dict[str, list[str]] = {}
    retry: dict[str, float | None] = {}
    for lane, failure in sorted(errors.items()):
        label = failure.error.message.split(":", 1)[0]
        if failure.error.status:
            label = f"{label} ({failure.error.status})" if "(" not in label else label
        groups.setdefault(label, []).append(LANE_NAMES.get(lane, lane))
        retry[label] = failure.retry_in
    text = Text("⚠ ", style="bold")
    parts = []
    for label, lanes in groups.items():
        wait = retry[label]
        when = f"retrying in {wait:.0f} s" if wait else "F5 retries"
        parts.append(f"{label}: {', '.join(lanes)} · {when}")
    text.append(safe.clean(" │ ".join(parts), max_len=400))
    if len(errors) == 1:
        only = next(iter(errors.values()))
        text.append("\n")
        text.append(safe.clean(only.error.message, max_len=300), style="dim")
    return text


class StatusLine(Static):
    """Hidden while everything loads; otherwise the failures, grouped by kind."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.display = False

    def show(self, errors: dict[str, LaneFailed]) -> None:
        self.display = bool(errors)
        self.update(status_text(errors) if errors else "")
