"""The retry timeline of one message at one endpoint: tries made and tries still to come.

A one-line outlook, a compact bar with one marker per try on a logarithmic time axis (the Svix
schedule spans 5 s to 10 h gaps, so a linear axis would crush the first tries together), and one
line per try. Every status is also spelled out, so it reads without colour.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta
from itertools import chain

from rich.text import Text
from textual.widgets import Static

from attempt_tui.api.models import MessageAttemptOut, status_label
from attempt_tui.compat import UTC
from attempt_tui.retry_schedule import (
    MAX_TRIES,
    Outlook,
    PlannedTry,
    TryKind,
    outlook,
    planned_retries,
    scheduled_count,
)
from attempt_tui.ui import format as fmt
from attempt_tui.ui import glyphs

BAR_WIDTH = 60
"""Fits an 80-column terminal inside the detail pane's border, padding and scrollbar."""
AXIS_UNIT_SECONDS = 5.0
"""Scale of the log axis: offsets much shorter than this sit near the start."""

PAST_LINE, FUTURE_LINE = "─", "┄"
UPCOMING_MARK = "○"
EMPTY_TEXT = Text("Highlight a message to see its retry timeline.", style="dim")


def span_words(delta: timedelta) -> str:
    """A short duration: "0 s", "45 s", "4 min 55 s", "25 min", "2 h 25 min", "1 d 3 h"."""
    seconds = max(0, round(delta.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {secs} s" if secs and minutes < 10 else f"{minutes} min"
    hours, mins = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {mins} min" if mins else f"{hours} h"
    days, hrs = divmod(hours, 24)
    return f"{days} d {hrs} h" if hrs else f"{days} d"


def stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%SZ")


def when_words(planned: PlannedTry, now: datetime) -> str:
    """When a try still to come happens, relative to `now`."""
    if planned.kind is TryKind.SENDING:
        return "sending now"
    ahead = planned.at - now
    if planned.kind is TryKind.PROJECTED:
        return "~now" if ahead.total_seconds() < 1 else f"~in {span_words(ahead)}"
    return "due now" if ahead.total_seconds() < 1 else f"in {span_words(ahead)}"


def outlook_text(tries: Sequence[PlannedTry], now: datetime, state: Outlook) -> Text:
    made = scheduled_count(tries)
    if state is Outlook.DELIVERED:
        winner = next((t for t in tries if t.succeeded), None)
        line = Text.assemble((f"{glyphs.current().success} Delivered", "bold green"))
        if winner is not None:
            by = "a manual resend" if winner.manual else f"try #{winner.number}"
            line.append(f" by {by} at {stamp(winner.at)}.")
        return line
    if state is Outlook.RETRYING:
        upcoming = [t for t in tries if not t.is_past]
        first, last = upcoming[0], upcoming[-1]
        line = Text.assemble((f"{glyphs.current().sending} Retrying", "bold yellow"))
        line.append(f": {made} of {MAX_TRIES} tries failed; next #{first.number} ")
        line.append(when_words(first, now))
        line.append(".")
        if last is not first:
            line.append(
                f"\nIf every try fails, the last is #{last.number} {when_words(last, now)}."
            )
        return line
    if state is Outlook.FAILED_FOR_GOOD:
        line = Text.assemble((f"{glyphs.current().fail} Failed for good", "bold red"))
        if made >= MAX_TRIES:
            line.append(f": all {made} scheduled tries failed; no more retries.")
        else:
            line.append(f" after {made} scheduled tries; no more retries.")
        return line
    if state is Outlook.CANCELED:
        return Text.assemble(("⊘ Canceled: no more retries.", "bold"))
    if state is Outlook.STOPPED:
        return Text.assemble(
            (f"■ Stopped: no retry reported after {made} scheduled tries.", "bold")
        )
    return Text.assemble(("No attempts yet.", "dim"))


def _marker(planned: PlannedTry) -> tuple[str, str]:
    if planned.attempt is not None:
        label = status_label(planned.attempt.status)
        _mark, style = fmt.STATUS_STYLE.get(label, ("?", "magenta"))
        return glyphs.status_glyph(label), style
    if planned.kind is TryKind.SENDING:
        return glyphs.current().sending, "cyan"
    return UPCOMING_MARK, "yellow"


def _free_cell(taken: list[bool], wanted: int) -> int:
    """The nearest free cell at or after `wanted`, else before it; `wanted` if all are taken."""
    for cell in chain(range(wanted, len(taken)), range(wanted - 1, -1, -1)):
        if not taken[cell]:
            return cell
    return wanted


def bar_text(tries: Sequence[PlannedTry], now: datetime, width: int = BAR_WIDTH) -> Text:
    """Two lines: the markers on a log time axis, then the axis labels and where "now" is."""
    start = min(t.at for t in tries)
    end = max(max(t.at for t in tries), now)
    scale = math.log1p((end - start).total_seconds() / AXIS_UNIT_SECONDS)

    def cell(when: datetime) -> int:
        if scale <= 0:
            return 0
        offset = max(0.0, (when - start).total_seconds())
        return min(width - 1, round(math.log1p(offset / AXIS_UNIT_SECONDS) / scale * (width - 1)))

    now_cell = cell(now)
    cells = [(PAST_LINE if i <= now_cell else FUTURE_LINE, "dim") for i in range(width)]
    taken = [False] * width
    for planned in tries:
        at = _free_cell(taken, cell(planned.at))
        taken[at] = True
        cells[at] = _marker(planned)
    bar = Text()
    for char, style in cells:
        bar.append(char, style=style)

    labels = [" "] * width
    right = f"+{span_words(end - start)}"
    left = stamp(start)[11:]
    labels[width - len(right) :] = right
    labels[: len(left)] = left
    for mark in ("▲ now", "now ▲", "▲"):
        at = now_cell if mark.startswith("▲") else now_cell - len(mark) + 1
        around = labels[max(0, at - 1) : at + len(mark) + 1]
        if at >= 0 and at + len(mark) <= width and all(c == " " for c in around):
            labels[at : at + len(mark)] = mark
            break
    bar.append("\n")
    bar.append("".join(labels), style="dim")
    return bar


def try_line(planned: PlannedTry, previous: datetime | None, now: datetime) -> Text:
    label = "M" if planned.manual else f"#{planned.number}"
    line = Text.assemble((f"{label:<4}", "bold"))
    line.append("~" if planned.kind is TryKind.PROJECTED else " ", style="dim")
    line.append(stamp(planned.at))
    line.append("  ")
    mark, style = _marker(planned)
    attempt = planned.attempt
    if attempt is not None:
        word = fmt.fit(Text(fmt.status_word(attempt.status)), 9).plain
        line.append(f"{mark} {word:<9}", style=style)
        # The code's column is 9 cells: a longer (out-of-range) value is cut, never run on.
        code = fmt.fit(fmt.http_code_text(attempt.response_status_code), 8)
        code.pad_right(9 - code.cell_len)
        line.append_text(code)
    else:
        line.append(f"{mark} ", style=style)
        line.append(when_words(planned, now), style=style)
        if planned.kind is not TryKind.SENDING:
            line.append(f" ({planned.kind.value})", style="italic")
        line.append("  ")
    gap = planned.at - previous if previous is not None else timedelta(0)
    line.append(f"+{span_words(gap)}", style="dim")
    if planned.manual:
        line.append("  manual", style="italic")
    return line


def timeline_text(
    tries: Sequence[PlannedTry], now: datetime, *, endpoint_status: int | None = None
) -> Text:
    text = outlook_text(tries, now, outlook(tries, endpoint_status=endpoint_status))
    if not tries:
        return text
    text.append("\n\n")
    text.append_text(bar_text(tries, now))
    text.append("\n")
    marks = glyphs.current()
    text.append(
        f"{marks.success} success  {marks.fail} fail  {UPCOMING_MARK} to come  ▲ now · log time"
        " axis · M manual",
        style="dim",
    )
    text.append("\n")
    previous: datetime | None = None
    previous_scheduled: datetime | None = None
    for planned in tries:
        # A scheduled try's gap is counted from the previous scheduled one, as the schedule is;
        # a manual attempt's from whatever came just before it.
        since = previous if planned.manual else previous_scheduled
        text.append("\n")
        text.append_text(try_line(planned, since, now))
        previous = planned.at
        if not planned.manual:
            previous_scheduled = planned.at
    return text


def _attempt_key(attempt: MessageAttemptOut) -> tuple[object, ...]:
    return (
        attempt.id,
        attempt.timestamp,
        attempt.status,
        attempt.response_status_code,
        attempt.trigger_type,
    )


class RetryTimeline(Static):
    """Call `show()` on every poll: it re-renders only when what it would draw changed."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(EMPTY_TEXT, id=id, classes=classes, markup=False)
        self.tries: list[PlannedTry] = []
        self._inputs: tuple[object, ...] | None = None
        self._shown: Text = EMPTY_TEXT

    def show(
        self,
        attempts: Sequence[MessageAttemptOut],
        next_attempt: datetime | None,
        now: datetime,
        *,
        endpoint_status: int | None = None,
    ) -> None:
        inputs = (tuple(map(_attempt_key, attempts)), next_attempt, now, endpoint_status)
        if inputs == self._inputs:
            return
        self._inputs = inputs
        self.tries = planned_retries(attempts, next_attempt, now, endpoint_status=endpoint_status)
        self._render_text(timeline_text(self.tries, now, endpoint_status=endpoint_status))

    def clear(self) -> None:
        self._inputs = None
        self.tries = []
        self._render_text(EMPTY_TEXT)

    def _render_text(self, content: Text) -> None:
        # Text equality compares the characters and the styles: "in 25 min" only changes
        # once a minute, so most polls end here.
        if content == self._shown:
            return
        self._shown = content
        self.update(content)
