"""Following a resend until its attempt reaches a final state (no textual)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from attempt_tui.api.models import MessageAttemptOut, MessageStatus, TriggerType

# Clocks on this machine and the server's differ a little; an attempt stamped up to this
# much before the resend was sent still counts as its answer.
CLOCK_SKEW = timedelta(seconds=5)
GIVE_UP_AFTER = timedelta(minutes=2)
FINAL_STATUSES = frozenset({MessageStatus.SUCCESS, MessageStatus.FAIL, MessageStatus.CANCELED})


@dataclass(frozen=True)
class WatchOutcome:
    done: bool
    attempt: MessageAttemptOut | None
    summary: str


@dataclass(frozen=True)
class ResendWatch:
    msg_id: str
    endpoint_id: str
    started: datetime

    def attempt_of(self, attempts: list[MessageAttemptOut]) -> MessageAttemptOut | None:
        """The resend's own attempt among the message's attempts: the newest manual one to
        the endpoint since it was sent."""
        ours = [
            a
            for a in attempts
            if a.trigger_type == TriggerType.MANUAL
            and a.endpoint_id == self.endpoint_id
            and a.timestamp >= self.started - CLOCK_SKEW
        ]
        return max(ours, key=lambda a: (a.timestamp, a.id)) if ours else None

    def check(
        self, attempts: list[MessageAttemptOut], next_attempt: datetime | None, now: datetime
    ) -> WatchOutcome:
        """Where the resend stands, judged from the message's attempts at the endpoint."""
        attempt = self.attempt_of(attempts)
        if attempt is None:
            if now - self.started > GIVE_UP_AFTER:
                return WatchOutcome(True, None, "No attempt for the resend yet; stopped watching.")
            return WatchOutcome(False, None, "Resend sent; waiting for its attempt…")
        code = attempt.response_status_code
        http = f"HTTP {code}" if code else "no HTTP response"
        if attempt.status == MessageStatus.SUCCESS:
            return WatchOutcome(
                True, attempt, f"Resend landed: {http} in {attempt.response_duration_ms} ms."
            )
        if attempt.status in FINAL_STATUSES:
            retry = (
                f" Next retry {next_attempt.strftime('%H:%M:%SZ')}."
                if next_attempt
                else " No retry scheduled."
            )
            return WatchOutcome(True, attempt, f"Resend failed: {http}.{retry}")
        return WatchOutcome(
            False, attempt, f"Resend attempt is {attempt.status_text or 'pending'}…"
        )
