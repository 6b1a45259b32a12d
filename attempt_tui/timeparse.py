"""Read the times a user types into before/after filters, and show them back short.

Accepted (case-insensitive, surrounding spaces ignored):
- relative durations back from `now`: "30s", "15m" (m is minutes), "2h", "3d", "1w", combined
  like "1h30m" or "2 hours 30 min", with an optional "ago";
- "now", "today" (00:00 UTC today), "yesterday" (00:00 UTC yesterday);
- ISO 8601 dates and datetimes: "2026-11-01", "2026-11-01T12:00", "2026-11-01 12:00:00Z",
  "2026-11-01T12:00+02:00", "... UTC". A time without an offset is UTC.

Every result is a timezone-aware datetime in UTC.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from attempt_tui.compat import UTC, fromisoformat

_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800}
_UNIT = r"(?:seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w)"
_PART = re.compile(r"(\d+)\s*(" + _UNIT + r")(?![a-z])")
_DURATION = re.compile(r"(?:\d+\s*" + _UNIT + r"(?![a-z])[\s,]*)+(?:ago)?")
_UTC_SUFFIX = re.compile(r"\s*UTC$")

HINT = "try 2h, yesterday or 2026-11-01T12:00Z"
_SHOWN_INPUT_MAX = 40


class TimeParseError(ValueError):
    """The text is not a time this module understands; the message says what would work."""

    def __init__(self, text: str, reason: str = "") -> None:
        self.text = text
        shown = text if len(text) <= _SHOWN_INPUT_MAX else text[: _SHOWN_INPUT_MAX - 1] + "…"
        # The message is shown to the user; keep it one printable line.
        shown = "".join(ch if ch.isprintable() else "?" for ch in shown)
        detail = f" ({reason})" if reason else ""
        super().__init__(f'can\'t read "{shown}" as a time{detail}: {HINT}')


def _as_utc(dt: datetime) -> datetime:
    """Aware datetimes are converted to UTC; naive ones are taken to be UTC already."""
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def _parse_duration(text: str) -> timedelta | None:
    if _DURATION.fullmatch(text) is None:
        return None
    seconds = sum(int(n) * _UNIT_SECONDS[unit[0]] for n, unit in _PART.findall(text))
    return timedelta(seconds=seconds)


def parse_when(text: str, *, now: datetime) -> datetime:
    """Parse a before/after filter value into an aware UTC datetime (see the module docstring).

    Raises TimeParseError when the text is not understood.
    """
    now = _as_utc(now)
    raw = text
    text = text.strip()
    lowered = text.lower()
    if not lowered:
        raise TimeParseError(raw, "it is empty")
    if lowered == "now":
        return now
    if lowered in ("today", "yesterday"):
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        return midnight if lowered == "today" else midnight - timedelta(days=1)

    try:
        duration = _parse_duration(lowered)
        if duration is not None:
            return now - duration
    except OverflowError:
        raise TimeParseError(raw, "that is too far back") from None

    iso = _UTC_SUFFIX.sub("Z", text.upper())
    try:
        parsed = fromisoformat(iso)
    except ValueError:
        raise TimeParseError(raw) from None
    try:
        return _as_utc(parsed)
    except OverflowError:
        raise TimeParseError(raw, "out of range in UTC") from None


def format_when(dt: datetime) -> str:
    """Short ISO in UTC for filter chips: "2026-11-01 12:00Z" (seconds only when non-zero).

    The result parses back with `parse_when` to the same instant, to the second.
    """
    dt = _as_utc(dt)
    pattern = "%Y-%m-%d %H:%M:%SZ" if dt.second else "%Y-%m-%d %H:%MZ"
    return dt.strftime(pattern)
