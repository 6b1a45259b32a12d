"""What the mutations need besides a request: their audit line, and recover's session.

They go through the worker like the lanes, so every request the app makes has one way to
the API; mutations are written to the audit log with what is known of their outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from attempt_tui.api.client import SvixClient, new_idempotency_key
from attempt_tui.api.errors import ApiError, NetworkError, ServerError
from attempt_tui.api.models import BackgroundTaskOut, MessageAttemptOut
from attempt_tui.audit import AuditLog
from attempt_tui.recover import (
    BlastRadius,
    Progress,
    RecoverWindow,
    Sleep,
    blast_radius,
    follow_task,
    run_recover,
)


def outcome_word(error: ApiError) -> str:
    """'unknown' when the server may have acted before the answer was lost, else 'failed'."""
    if isinstance(error, ServerError) or (isinstance(error, NetworkError) and error.maybe_sent):
        return "unknown"
    return "failed"


@dataclass
class Auditor:
    """Writes one audit line per mutation; a line that can't be written is reported."""

    log: AuditLog | None
    profile: str
    server: str
    on_error: Callable[[str], None] = field(default=lambda _: None)

    def record(
        self,
        action: str,
        outcome: str,
        *,
        app: str | None,
        endpoint: str | None,
        message: str,
        attempt: str | None = None,
        key: str | None = None,
    ) -> None:
        if self.log is None:
            return
        try:
            self.log.record(
                action=action,
                outcome=outcome,
                app=app,
                endpoint=endpoint,
                message=message,
                attempt=attempt,
                idempotency_key=key,
                profile=self.profile,
                server=self.server,
            )
        except OSError as error:
            # The action already happened; say the record is missing rather than hide it.
            self.on_error(f"Could not write the audit log ({type(error).__name__})")


Verdict = Literal["gone", "still present", "unverified"]


@dataclass(frozen=True)
class ExpungeCheck:
    """What re-reading an attempt after its expunge showed: the server's word, not ours.

    `attempt` is the attempt as the server returns it now (None when the re-read failed).
    """

    attempt_id: str
    verdict: Verdict
    attempt: MessageAttemptOut | None = None
    reason: str = ""  # why it could not be verified

    @classmethod
    def of(cls, attempt: MessageAttemptOut) -> ExpungeCheck:
        verdict: Verdict = "still present" if attempt.response else "gone"
        return cls(attempt.id, verdict, attempt)

    @property
    def audit_outcome(self) -> str:
        """`ok` only when the server no longer returns the body."""
        if self.verdict == "gone":
            return "ok"
        if self.verdict == "still present":
            return "failed: still present"
        return f"unverified: {self.reason}"

    def summary(self) -> str:
        """The notification after an expunge."""
        if self.verdict == "gone":
            return (
                f"Expunged the response body of {self.attempt_id}: "
                "checked, the server now returns no body."
            )
        if self.verdict == "still present":
            return (
                f"Expunge of {self.attempt_id} did not take: the server answered 204 "
                "but still returns the body."
            )
        return (
            f"Expunge of {self.attempt_id} was accepted (204), but it could not be checked "
            f"({self.reason}); F5 reads the attempt again."
        )


@dataclass(frozen=True)
class RecoverSession:
    """Recover of one endpoint: count the blast radius, start it, follow its task."""

    client: SvixClient
    app_id: str
    endpoint_id: str
    audit: AuditLog | None
    profile: str
    server: str

    @property
    def read_only(self) -> bool:
        return self.client.read_only

    @staticmethod
    def new_key() -> str:
        """One Idempotency-Key per window confirmed: a retry of it never recovers twice."""
        return new_idempotency_key()

    async def count(self, window: RecoverWindow) -> BlastRadius:
        return await blast_radius(self.client, self.app_id, self.endpoint_id, window)

    async def start(
        self,
        window: RecoverWindow,
        key: str,
        *,
        on_progress: Progress,
        on_warning: Callable[[str], None],
        sleep: Sleep,
        poll_interval: float,
        timeout: float,
    ) -> BackgroundTaskOut:
        return await run_recover(
            self.client,
            self.app_id,
            self.endpoint_id,
            window,
            audit=self.audit,
            profile=self.profile,
            server=self.server,
            on_progress=on_progress,
            sleep=sleep,
            poll_interval=poll_interval,
            timeout=timeout,
            idempotency_key=key,
            on_warning=on_warning,
        )

    async def follow(
        self,
        task: BackgroundTaskOut,
        *,
        on_progress: Progress,
        sleep: Sleep,
        poll_interval: float,
        timeout: float,
    ) -> BackgroundTaskOut:
        return await follow_task(
            self.client,
            task,
            on_progress=on_progress,
            sleep=sleep,
            poll_interval=poll_interval,
            timeout=timeout,
        )
