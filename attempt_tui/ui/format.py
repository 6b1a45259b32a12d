"""Cell and label formatting for API values. Untrusted strings go through `safe`."""

from __future__ import annotations

from datetime import datetime

import humanize
from rich.text import Text

from attempt_tui import safe
from attempt_tui.api.models import status_label, trigger_label
from attempt_tui.compat import UTC
from attempt_tui.ui.glyphs import status_glyph

# Status is always spelled out, so it reads without colour (NO_COLOR, monochrome); a failure
# is bold as well as red. The mark in a cell comes from glyphs.py (ASCII on the Linux console).
STATUS_STYLE = {
    "success": ("✔", "green"),
    "pending": ("…", "yellow"),
    "fail": ("✖", "bold red"),
    "sending": ("⟳", "cyan"),
    "canceled": ("⊘", "dim"),
}


def status_word(status: int) -> str:
    """`fail`, or `status 42` for a value this version does not know (short enough for a
    column, unlike `unknown(42)`)."""
    label = status_label(status)
    return label if label in STATUS_STYLE else f"status {status}"


def status_text(status: int) -> Text:
    label = status_label(status)
    _icon, style = STATUS_STYLE.get(label, ("?", "magenta"))
    return Text(f"{status_glyph(label)} {status_word(status)}", style=style)


# What the API can mean by a number. Outside these, a value is shown as out of range (marked
# with OUT_OF_RANGE in cells, spelled out where there is room), never as if it were real.
HTTP_CODES = range(100, 1000)
"""0 is "no HTTP response"; otherwise three digits (some servers send 1xx-9xx)."""
MAX_DURATION_MS = 24 * 3600 * 1000
"""No delivery attempt lasts a day: Svix gives up on a request after seconds."""
OUT_OF_RANGE_STYLE = "reverse"


def fit(text: Text, width: int | None) -> Text:
    """`text` cut to `width` cells, ending in "…" when cut (a table would cut it silently)."""
    if width is None or text.cell_len <= width:
        return text
    cut = text.copy()
    cut.truncate(width, overflow="ellipsis")
    return cut


def out_of_range(value: object, *, words: bool = False) -> Text:
    """A number the API sent that cannot be what it claims: marked, never passed off as real."""
    return Text(safe.out_of_range(value, words=words), style=OUT_OF_RANGE_STYLE)


def count_text(value: object) -> Text:
    """A count from the API, or the value marked as out of range."""
    if not safe.count_in_range(value):
        return out_of_range(value)
    return Text(safe.count(value))


def http_code_text(code: int, *, words: bool = False) -> Text:
    if code == 0:
        return Text("no resp", style="bold red")
    if code not in HTTP_CODES:
        return out_of_range(code, words=words)
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
    if label.startswith("unknown("):
        return Text(f"? {trigger}", style="magenta")
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


def duration_text(ms: int, *, words: bool = False) -> Text:
    if not 0 <= ms <= MAX_DURATION_MS:
        return out_of_range(ms, words=words)
    if ms >= 10_000:
        return Text(f"{ms / 1000:.1f} s", style="yellow")
    return Text(f"{ms} ms")


def joined(values: list[str] | None, *, max_len: int = 40) -> Text:
    if not values:
        return Text("—", style="dim")
    return safe.text(", ".join(values), max_len=max_len)
