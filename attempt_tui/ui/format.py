"""Cell and label formatting for API values. Untrusted strings go through `safe`."""

from __future__ import annotations

from datetime import datetime

import humanize
from rich.text import Text

from attempt_tui import safe
from attempt_tui.api.models import status_label, trigger_label
from attempt_tui.compat import UTC

# Status is always spelled out, so it reads without colour (NO_COLOR, monochrome).
STATUS_STYLE = {
    "success": ("✔", "green"),
    "pending": ("…", "yellow"),
    "fail": ("✖", "bold red"),
    "sending": ("⟳", "cyan"),
    "canceled": ("⊘", "dim"),
}


def status_text(status: int) -> Text:
    label = status_label(status)
    icon, style = STATUS_STYLE.get(label, ("?", "magenta"))
    return Text(f"{icon} {label}", style=style)


def http_code_text(code: int) -> Text:
    if code == 0:
        return Text("no resp", style="bold red")
    if 200 <= code < 300:
        style = "green"
    elif 300 <= code < 400:
        style = "cyan"
    elif 400 <= code < 500:
        style = "yellow"
    else:
        style = "bold red"
    return Text(str(code), style=style)


def trigger_text(trigger: int) -> Text:
    label = trigger_label(trigger)
    return Text(label, style="italic" if label == "manual" else "")


def ago(when: datetime | None, now: datetime) -> Text:
    if when is None:
        return Text("—", style="dim")
    return Text(humanize.naturaltime(now - when))


def until(when: datetime | None, now: datetime) -> Text:
    if when is None:
        return Text("—", style="dim")
    delta = when - now
    if delta.total_seconds() <= 0:
        return Text("due now", style="yellow")
    return Text("in " + humanize.naturaldelta(delta), style="yellow")


def exact(when: datetime | None) -> str:
    if when is None:
        return "—"
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] + "Z"


def duration_text(ms: int) -> Text:
    if ms >= 10_000:
        return Text(f"{ms / 1000:.1f} s", style="yellow")
    return Text(f"{ms} ms")


def joined(values: list[str] | None, *, max_len: int = 40) -> Text:
    if not values:
        return Text("—", style="dim")
    return safe.text(", ".join(values), max_len=max_len)
