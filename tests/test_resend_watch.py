"""Judging a resend from the attempts that follow it."""

from __future__ import annotations

from datetime import datetime, timedelta

from attempt_tui.api.models import MessageAttemptOut
from attempt_tui.compat import UTC
from attempt_tui.resend_watch import ResendWatch

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def attempt(n: int, *, at: datetime, status: int, trigger: int = 1, code: int = 200):
    return MessageAttemptOut(
        id=f"atmpt_{n:027d}",
        msg_id="msg_1",
        endpoint_id="ep_1",
        url="https://x",
        response_status_code=code,
        response_duration_ms=42,
        status=status,
        status_text={0: "success", 1: "pending", 2: "fail", 3: "sending"}[status],
        trigger_type=trigger,
        timestamp=at,
    )


WATCH = ResendWatch("msg_1", "ep_1", T0)


def test_waits_until_an_attempt_appears() -> None:
    old = attempt(1, at=T0 - timedelta(hours=1), status=2, code=503)
    outcome = WATCH.check([old], None, T0 + timedelta(seconds=3))
    assert not outcome.done and "waiting" in outcome.summary


def test_scheduled_attempts_are_not_the_resend() -> None:
    scheduled = attempt(2, at=T0 + timedelta(seconds=1), status=0, trigger=0)
    assert not WATCH.check([scheduled], None, T0 + timedelta(seconds=2)).done


def test_success_lands() -> None:
    ok = attempt(3, at=T0 + timedelta(seconds=1), status=0)
    outcome = WATCH.check([ok], None, T0 + timedelta(seconds=2))
    assert outcome.done and outcome.summary == "Resend landed: HTTP 200 in 42 ms."


def test_failure_names_the_next_retry() -> None:
    bad = attempt(4, at=T0 + timedelta(seconds=1), status=2, code=0)
    outcome = WATCH.check([bad], T0 + timedelta(minutes=5), T0 + timedelta(seconds=2))
    assert outcome.done and "no HTTP response" in outcome.summary and "12:05:00Z" in outcome.summary


def test_sending_keeps_watching() -> None:
    sending = attempt(5, at=T0 + timedelta(seconds=1), status=3)
    outcome = WATCH.check([sending], None, T0 + timedelta(seconds=2))
    assert not outcome.done and "sending" in outcome.summary


def test_gives_up_after_two_minutes_without_an_attempt() -> None:
    outcome = WATCH.check([], None, T0 + timedelta(minutes=3))
    assert outcome.done and outcome.attempt is None
