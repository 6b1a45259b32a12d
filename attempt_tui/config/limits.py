"""The numeric rules a setting obeys wherever it comes from (a flag or the config file)."""

from __future__ import annotations

import math

DEFAULT_POLL_SECONDS = 5.0
# Faster polling would hammer the API for no visible gain.
MIN_POLL_SECONDS = 0.5
POLL_RULE = f"must be 0 (refresh only on demand) or at least {MIN_POLL_SECONDS:g} seconds"

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 250

DEFAULT_MAX_REQUESTS_PER_SECOND = 10.0


def check_poll_seconds(value: float) -> float:
    """`value` if it is a valid poll interval (0 = manual refresh), else ValueError(POLL_RULE)."""
    if not math.isfinite(value) or (value != 0 and value < MIN_POLL_SECONDS):
        raise ValueError(POLL_RULE)
    return value


def check_page_size(value: int) -> int:
    if not 1 <= value <= MAX_PAGE_SIZE:
        raise ValueError(f"must be between 1 and {MAX_PAGE_SIZE}")
    return value


def check_max_requests_per_second(value: float) -> float:
    if not math.isfinite(value) or value <= 0:
        raise ValueError("must be a number of requests per second above 0")
    return value
