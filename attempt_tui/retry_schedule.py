"""The Svix retry schedule, and where one message's tries at one endpoint stand on it.

Pure data (no textual), so the timeline widget stays a thin renderer and this logic is unit-tested
on its own. Svix tries a message up to 8 times: immediately, then 5 s, 5 min, 30 min, 2 h, 5 h,
10 h and 10 h after the previous failure. Manual attempts (resend, recover) are extra: they are
shown but do not use up or shift the schedule. A success ends it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from attempt_tui.api.models import MessageAttemptOut, MessageStatus, TriggerType
from attempt_tui.compat import StrEnum

RETRY_SCHEDULE: tuple[timedelta, ...] = (
    timedelta(0),
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)
"""Delay before each scheduled try, counted from the previous failure (try #1: immediately)."""

MAX_TRIES = len(RETRY_SCHEDULE)

STALE_PROJECTION = timedelta(minutes=5)
"""Without a nextAttempt from the API, a try that was due longer ago than this is not projected:
the retries evidently stopped (endpoint disabled, message canceled, ...)."""


class TryKind(StrEnum):
    PAST = "past"
    """An attempt that was made (`PlannedTry.attempt` holds it)."""
    SENDING = "sending"
    """The API says the next try is in flight right now."""
    SCHEDULED = "scheduled"
    """The next try, at the time the API reports as nextAttempt."""
    PROJECTED = "projected"
    """A later try, estimated from the schedule."""


class Outlook(StrEnum):
    DELIVERED = "delivered"
    RETRYING = "retrying"
    FAILED_FOR_GOOD = "failed for good"
    STOPPED = "no retry reported"
    CANCELED = "canceled"
    NOT_ATTEMPTED = "not attempted yet"


@dataclass(frozen=True)
class PlannedTry:
    kind: TryKind
    at: datetime
    number: int | None
    """Position in the retry schedule (1-based); None for a manual attempt."""
    attempt: MessageAttemptOut | None = None

    @property
    def is_past(self) -> bool:
        return self.kind is TryKind.PAST

    @property
    def manual(self) -> bool:
        return self.number is None

    @property
    def succeeded(self) -> bool:
        return self.attempt is not None and self.attempt.status == MessageStatus.SUCCESS


def planned_retries(
    attempts: Sequence[MessageAttemptOut],
    next_attempt: datetime | None,
    now: datetime,
    *,
    endpoint_status: int | None = None,
) -> list[PlannedTry]:
    """Past tries oldest first, then the tries still to come.

    `next_attempt` is the API's nextAttempt for the message at this endpoint; `endpoint_status`
    the message's status there (MessageEndpointOut.status) when known. With neither, the next
    try is projected from the last scheduled attempt, unless it would be long overdue.
    """
    tries: list[PlannedTry] = []
    count = 0
    last_scheduled: datetime | None = None
    for attempt in sorted(attempts, key=lambda a: (a.timestamp, a.id)):
        if attempt.trigger_type == TriggerType.MANUAL:
            tries.append(PlannedTry(TryKind.PAST, attempt.timestamp, None, attempt))
            continue
        count += 1
        last_scheduled = attempt.timestamp
        tries.append(PlannedTry(TryKind.PAST, attempt.timestamp, count, attempt))

    if any(t.succeeded for t in tries) or endpoint_status == MessageStatus.SUCCESS:
        return tries
    if endpoint_status in (MessageStatus.FAIL, MessageStatus.CANCELED) and next_attempt is None:
        return tries

    if next_attempt is not None:
        count += 1
        tries.append(PlannedTry(TryKind.SCHEDULED, next_attempt, count))
        anchor = next_attempt
    elif endpoint_status == MessageStatus.SENDING:
        count += 1
        tries.append(PlannedTry(TryKind.SENDING, now, count))
        anchor = now
    else:
        if last_scheduled is None or count >= MAX_TRIES:
            return tries
        due = last_scheduled + RETRY_SCHEDULE[count]
        if due < now - STALE_PROJECTION:
            return tries
        count += 1
        anchor = max(due, now)
        tries.append(PlannedTry(TryKind.PROJECTED, anchor, count))

    while count < MAX_TRIES:
        anchor += RETRY_SCHEDULE[count]
        count += 1
        tries.append(PlannedTry(TryKind.PROJECTED, anchor, count))
    return tries


def outlook(tries: Sequence[PlannedTry], *, endpoint_status: int | None = None) -> Outlook:
    """Where the delivery stands, in one word, for the tries `planned_retries` returned."""
    if any(t.succeeded for t in tries) or endpoint_status == MessageStatus.SUCCESS:
        return Outlook.DELIVERED
    if any(not t.is_past for t in tries):
        return Outlook.RETRYING
    if endpoint_status == MessageStatus.CANCELED:
        return Outlook.CANCELED
    if not tries:
        return Outlook.NOT_ATTEMPTED
    if endpoint_status == MessageStatus.FAIL or scheduled_count(tries) >= MAX_TRIES:
        return Outlook.FAILED_FOR_GOOD
    return Outlook.STOPPED


def scheduled_count(tries: Sequence[PlannedTry]) -> int:
    """How many scheduled (not manual) tries were made."""
    return sum(1 for t in tries if t.is_past and not t.manual)
