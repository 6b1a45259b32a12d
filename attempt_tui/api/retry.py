"""Retry timing: exponential backoff with full jitter, and the server's Retry-After."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from email.utils import parsedate_to_datetime

from attempt_tui.compat import UTC

__all__ = ["BACKOFF_BASE", "BACKOFF_CAP", "MAX_RETRY_AFTER", "backoff_delay", "parse_retry_after"]

BACKOFF_BASE = 0.5
BACKOFF_CAP = 8.0
# A Retry-After longer than this is not waited out: the error goes to the user instead of a
# frozen screen.
MAX_RETRY_AFTER = 60.0


def backoff_delay(
    retry: int,
    random: Callable[[], float],
    *,
    base: float = BACKOFF_BASE,
    cap: float = BACKOFF_CAP,
) -> float:
    """Full jitter: uniform in [0, min(cap, base * 2**retry)) for the retry-th retry (0-based)."""
    return random() * min(cap, base * 2.0**retry)


def parse_retry_after(value: str | None, date_header: str | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), or None.

    An HTTP-date is measured against the response's own Date header when present, so the
    answer does not depend on the local clock being right (and is deterministic in tests).
    """
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if seconds == seconds else None  # NaN -> None
    when = _http_date(value)
    if when is None:
        return None
    now = _http_date(date_header) if date_header else None
    if now is None:
        now = datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


def _http_date(value: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed
