"""timeparse.py: the before/after filter values a user can type."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from attempt_tui.compat import UTC
from attempt_tui.timeparse import TimeParseError, format_when, parse_when

NOW = datetime(2026, 11, 5, 15, 30, 12, 345678, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "ago"),
    [
        ("30s", timedelta(seconds=30)),
        ("15m", timedelta(minutes=15)),
        ("2h", timedelta(hours=2)),
        ("3d", timedelta(days=3)),
        ("1w", timedelta(weeks=1)),
        ("0s", timedelta(0)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("1d2h3m4s", timedelta(days=1, hours=2, minutes=3, seconds=4)),
        ("90m", timedelta(minutes=90)),
        ("  2H ", timedelta(hours=2)),
        ("2h ago", timedelta(hours=2)),
        ("2 hours 30 min ago", timedelta(hours=2, minutes=30)),
        ("1 week, 2 days", timedelta(weeks=1, days=2)),
        ("45 seconds", timedelta(seconds=45)),
        ("3 hrs", timedelta(hours=3)),
        ("1 day", timedelta(days=1)),
    ],
)
def test_relative_durations(text: str, ago: timedelta) -> None:
    result = parse_when(text, now=NOW)
    assert result == NOW - ago
    assert result.tzinfo is UTC


def test_now_today_yesterday() -> None:
    assert parse_when("now", now=NOW) == NOW
    assert parse_when("Today", now=NOW) == datetime(2026, 11, 5, tzinfo=UTC)
    assert parse_when("YESTERDAY", now=NOW) == datetime(2026, 11, 4, tzinfo=UTC)


def test_today_and_yesterday_use_the_utc_day_of_now() -> None:
    # 01:00 on the 6th in UTC+05:00 is 20:00 on the 5th in UTC.
    local_now = datetime(2026, 11, 6, 1, 0, tzinfo=timezone(timedelta(hours=5)))
    assert parse_when("today", now=local_now) == datetime(2026, 11, 5, tzinfo=UTC)
    assert parse_when("yesterday", now=local_now) == datetime(2026, 11, 4, tzinfo=UTC)
    # Across a month and a year boundary.
    new_year = datetime(2027, 1, 1, 0, 0, 1, tzinfo=UTC)
    assert parse_when("yesterday", now=new_year) == datetime(2026, 12, 31, tzinfo=UTC)


def test_relative_results_are_utc_even_when_now_is_not() -> None:
    local_now = datetime(2026, 11, 5, 17, 30, tzinfo=timezone(timedelta(hours=2)))
    result = parse_when("1h", now=local_now)
    assert result == datetime(2026, 11, 5, 14, 30, tzinfo=UTC)
    assert result.utcoffset() == timedelta(0)


def test_naive_now_is_taken_as_utc() -> None:
    assert parse_when("1h", now=datetime(2026, 11, 5, 12, 0)) == datetime(
        2026, 11, 5, 11, 0, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-01", datetime(2026, 11, 1, tzinfo=UTC)),
        ("2026-11-01T12:00", datetime(2026, 11, 1, 12, 0, tzinfo=UTC)),
        ("2026-11-01 12:00:00Z", datetime(2026, 11, 1, 12, 0, tzinfo=UTC)),
        ("2026-11-01t12:00z", datetime(2026, 11, 1, 12, 0, tzinfo=UTC)),
        ("2026-11-01T12:00:30.250Z", datetime(2026, 11, 1, 12, 0, 30, 250_000, tzinfo=UTC)),
        ("2026-11-01T12:00+02:00", datetime(2026, 11, 1, 10, 0, tzinfo=UTC)),
        ("2026-11-01T12:00-05:30", datetime(2026, 11, 1, 17, 30, tzinfo=UTC)),
        ("2026-11-01T00:30+01:00", datetime(2026, 10, 31, 23, 30, tzinfo=UTC)),
        ("2026-11-01 12:00 UTC", datetime(2026, 11, 1, 12, 0, tzinfo=UTC)),
        (" 2026-11-01T12:00:00+00:00 ", datetime(2026, 11, 1, 12, 0, tzinfo=UTC)),
    ],
)
def test_iso_dates_and_datetimes(text: str, expected: datetime) -> None:
    result = parse_when(text, now=NOW)
    assert result == expected
    assert result.tzinfo is UTC


@pytest.mark.parametrize(
    "text",
    ["xyz", "", "   ", "2 h 30", "ms", "5 months", "h2", "-2h", "2026-13-01", "2026-11-01T25:00",
     "tomorrow-ish", "1h30x", "ago"],
)  # fmt: skip
def test_errors_are_clear(text: str) -> None:
    with pytest.raises(TimeParseError) as info:
        parse_when(text, now=NOW)
    message = str(info.value)
    assert message.startswith(f'can\'t read "{text}" as a time')
    assert message.endswith("try 2h, yesterday or 2026-11-01T12:00Z")
    assert info.value.text == text
    assert isinstance(info.value, ValueError)


def test_error_message_exact_form() -> None:
    with pytest.raises(TimeParseError) as info:
        parse_when("xyz", now=NOW)
    assert str(info.value) == 'can\'t read "xyz" as a time: try 2h, yesterday or 2026-11-01T12:00Z'


def test_error_message_is_short_and_printable() -> None:
    with pytest.raises(TimeParseError) as info:
        parse_when("bad\x1b[2J" + "z" * 200, now=NOW)
    message = str(info.value)
    assert "\x1b" not in message
    assert "can't read \"bad?[2J" in message
    assert len(message) < 120


@pytest.mark.parametrize("text", ["99999999999999d", "0001-01-01T00:00+01:00"])
def test_out_of_range_values_raise_time_parse_error(text: str) -> None:
    with pytest.raises(TimeParseError):
        parse_when(text, now=NOW)


def test_format_when() -> None:
    assert format_when(datetime(2026, 11, 1, 12, 0, tzinfo=UTC)) == "2026-11-01 12:00Z"
    assert format_when(datetime(2026, 11, 1, 12, 0, 30, 999, tzinfo=UTC)) == "2026-11-01 12:00:30Z"
    plus_two = timezone(timedelta(hours=2))
    assert format_when(datetime(2026, 11, 1, 1, 0, tzinfo=plus_two)) == "2026-10-31 23:00Z"
    assert format_when(datetime(2026, 11, 1, 12, 0)) == "2026-11-01 12:00Z"  # naive is UTC


@pytest.mark.parametrize(
    "dt",
    [
        datetime(2026, 11, 1, 12, 0, tzinfo=UTC),
        datetime(2026, 11, 1, 12, 0, 59, tzinfo=UTC),
        datetime(1999, 12, 31, 23, 59, 1, tzinfo=timezone(timedelta(hours=-8))),
    ],
)
def test_format_when_round_trips_through_parse_when(dt: datetime) -> None:
    assert parse_when(format_when(dt), now=NOW) == dt.replace(microsecond=0)
