"""Unit tests of where a message's tries stand on the Svix retry schedule."""

from __future__ import annotations

from datetime import datetime, timedelta

from attempt_tui.api.models import MessageAttemptOut, MessageStatus, TriggerType
from attempt_tui.compat import UTC
from attempt_tui.retry_schedule import (
    MAX_TRIES,
    RETRY_SCHEDULE,
    Outlook,
    TryKind,
    outlook,
    planned_retries,
    scheduled_count,
)

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
FAIL, SUCCESS = MessageStatus.FAIL, MessageStatus.SUCCESS


def attempt(
    n: int,
    at: datetime,
    *,
    status: int = FAIL,
    code: int = 503,
    trigger: int = TriggerType.SCHEDULED,
) -> MessageAttemptOut:
    return MessageAttemptOut(
        id=f"atmpt_{n:02d}",
        msg_id="msg_1",
        endpoint_id="ep_1",
        url="https://example.test/hook",
        response_status_code=code,
        status=status,
        trigger_type=trigger,
        timestamp=at,
    )


def failures(count: int) -> list[MessageAttemptOut]:
    """`count` scheduled failures, each exactly on the schedule."""
    result, at = [], T0
    for n in range(count):
        at += RETRY_SCHEDULE[n]
        result.append(attempt(n + 1, at))
    return result


def test_schedule_is_svix_eight_tries() -> None:
    assert MAX_TRIES == 8
    assert [d.total_seconds() for d in RETRY_SCHEDULE] == [
        0,
        5,
        300,
        1800,
        7200,
        18000,
        36000,
        36000,
    ]


def test_first_try_succeeds_nothing_to_come() -> None:
    tries = planned_retries([attempt(1, T0, status=SUCCESS, code=200)], None, T0)
    assert [(t.kind, t.number, t.succeeded) for t in tries] == [(TryKind.PAST, 1, True)]
    assert outlook(tries) is Outlook.DELIVERED


def test_success_after_failures_ends_the_schedule_even_with_a_stale_next_attempt() -> None:
    attempts = [*failures(2), attempt(3, T0 + timedelta(minutes=6), status=SUCCESS, code=200)]
    stale = T0 + timedelta(minutes=40)
    tries = planned_retries(attempts, stale, T0 + timedelta(minutes=7))
    assert [t.number for t in tries] == [1, 2, 3]
    assert all(t.is_past for t in tries)
    assert outlook(tries) is Outlook.DELIVERED


def test_failures_with_next_attempt_then_projected_from_it() -> None:
    attempts = failures(3)
    next_at = T0 + timedelta(minutes=35, seconds=5)
    now = T0 + timedelta(minutes=10)
    tries = planned_retries(attempts, next_at, now)
    assert [(t.kind, t.number) for t in tries] == [
        (TryKind.PAST, 1),
        (TryKind.PAST, 2),
        (TryKind.PAST, 3),
        (TryKind.SCHEDULED, 4),
        (TryKind.PROJECTED, 5),
        (TryKind.PROJECTED, 6),
        (TryKind.PROJECTED, 7),
        (TryKind.PROJECTED, 8),
    ]
    assert tries[3].at == next_at
    assert [t.at - next_at for t in tries[4:]] == [
        timedelta(hours=2),
        timedelta(hours=7),
        timedelta(hours=17),
        timedelta(hours=27),
    ]
    assert outlook(tries) is Outlook.RETRYING
    assert scheduled_count(tries) == 3


def test_api_next_attempt_wins_over_the_schedule() -> None:
    # The API's time is the truth (e.g. the demo's compressed schedule); projections follow it.
    next_at = T0 + timedelta(seconds=10)
    tries = planned_retries(failures(3), next_at, T0)
    assert tries[3].at == next_at
    assert tries[4].at == next_at + timedelta(hours=2)


def test_without_next_attempt_projects_from_the_last_scheduled_try() -> None:
    attempts = failures(2)  # #2 at T0+5s, so #3 is due 5 min later
    now = T0 + timedelta(seconds=30)
    tries = planned_retries(attempts, None, now)
    assert tries[2].kind is TryKind.PROJECTED
    assert tries[2].number == 3
    assert tries[2].at == T0 + timedelta(seconds=305)
    assert len(tries) == MAX_TRIES


def test_slightly_overdue_projection_is_now_and_long_overdue_is_dropped() -> None:
    attempts = failures(2)
    due = T0 + timedelta(seconds=305)
    tries = planned_retries(attempts, None, due + timedelta(minutes=1))
    assert tries[2].at == due + timedelta(minutes=1)
    assert tries[3].at == tries[2].at + timedelta(minutes=30)

    tries = planned_retries(attempts, None, due + timedelta(hours=3))
    assert all(t.is_past for t in tries)
    assert outlook(tries) is Outlook.STOPPED


def test_exhausted_schedule_failed_for_good() -> None:
    attempts = failures(8)
    tries = planned_retries(attempts, None, T0 + timedelta(hours=28))
    assert [t.number for t in tries] == list(range(1, 9))
    assert all(t.is_past for t in tries)
    assert outlook(tries) is Outlook.FAILED_FOR_GOOD
    # Even while the last failure is fresh: there is no ninth scheduled try.
    tries = planned_retries(attempts, None, attempts[-1].timestamp)
    assert len(tries) == 8
    assert outlook(tries) is Outlook.FAILED_FOR_GOOD


def test_endpoint_status_fail_means_no_more_retries_before_eight() -> None:
    attempts = failures(3)
    now = attempts[-1].timestamp + timedelta(seconds=1)
    tries = planned_retries(attempts, None, now, endpoint_status=MessageStatus.FAIL)
    assert len(tries) == 3
    assert outlook(tries, endpoint_status=MessageStatus.FAIL) is Outlook.FAILED_FOR_GOOD


def test_endpoint_status_canceled() -> None:
    attempts = failures(2)
    tries = planned_retries(attempts, None, T0, endpoint_status=MessageStatus.CANCELED)
    assert len(tries) == 2
    assert outlook(tries, endpoint_status=MessageStatus.CANCELED) is Outlook.CANCELED


def test_endpoint_sending_shows_the_try_in_flight() -> None:
    attempts = failures(3)
    now = attempts[-1].timestamp + timedelta(minutes=30)
    tries = planned_retries(attempts, None, now, endpoint_status=MessageStatus.SENDING)
    assert (tries[3].kind, tries[3].number, tries[3].at) == (TryKind.SENDING, 4, now)
    assert tries[4].at == now + timedelta(hours=2)
    assert outlook(tries) is Outlook.RETRYING


def test_manual_resend_in_between_does_not_use_up_the_schedule() -> None:
    scheduled = failures(3)
    manual = attempt(
        10, scheduled[1].timestamp + timedelta(seconds=60), trigger=TriggerType.MANUAL, code=500
    )
    now = scheduled[-1].timestamp + timedelta(seconds=1)
    # Given out of order: the plan is in time order whatever the API's order.
    tries = planned_retries([scheduled[2], manual, scheduled[0], scheduled[1]], None, now)
    assert [t.number for t in tries[:4]] == [1, 2, None, 3]
    assert tries[2].manual and tries[2].attempt is manual
    # The next scheduled try is still #4, 30 min after #3 (not after the manual one).
    assert (tries[4].number, tries[4].at) == (4, scheduled[2].timestamp + timedelta(minutes=30))
    assert tries[-1].number == MAX_TRIES
    assert scheduled_count(tries) == 3


def test_manual_resend_success_settles_it() -> None:
    scheduled = failures(3)
    manual = attempt(
        10,
        scheduled[-1].timestamp + timedelta(minutes=1),
        status=SUCCESS,
        code=200,
        trigger=TriggerType.MANUAL,
    )
    tries = planned_retries([*scheduled, manual], None, manual.timestamp)
    assert len(tries) == 4
    assert outlook(tries) is Outlook.DELIVERED


def test_manual_resend_after_failed_for_good_changes_nothing() -> None:
    attempts = failures(8)
    manual = attempt(20, attempts[-1].timestamp + timedelta(hours=1), trigger=TriggerType.MANUAL)
    tries = planned_retries([*attempts, manual], None, manual.timestamp)
    assert len(tries) == 9
    assert outlook(tries) is Outlook.FAILED_FOR_GOOD


def test_not_attempted_yet_with_a_delivery_time() -> None:
    deliver_at = T0 + timedelta(hours=1)
    tries = planned_retries([], deliver_at, T0)
    assert (tries[0].kind, tries[0].number, tries[0].at) == (TryKind.SCHEDULED, 1, deliver_at)
    assert tries[1].at == deliver_at + timedelta(seconds=5)
    assert len(tries) == MAX_TRIES
    assert outlook(planned_retries([], None, T0)) is Outlook.NOT_ATTEMPTED


def test_unknown_values_do_not_crash() -> None:
    odd = [
        attempt(1, T0, status=42, code=0, trigger=7),
        attempt(2, T0 + timedelta(seconds=5), status=99, code=999),
    ]
    tries = planned_retries(odd, None, T0 + timedelta(seconds=6), endpoint_status=77)
    assert [t.number for t in tries[:2]] == [1, 2]  # unknown triggers count as scheduled
    assert tries[2].kind is TryKind.PROJECTED
    assert outlook(tries, endpoint_status=77) is Outlook.RETRYING
