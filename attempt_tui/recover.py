"""Recover an endpoint: resend every failed message in a time window, and follow the task.

Svix's `POST .../endpoint/{id}/recover` starts an `endpoint.recover` background task that
resends each message whose delivery to the endpoint *failed* (messages that failed at first but
later succeeded are not resent). This module holds the windows a user picks from, the blast
radius shown before confirming, and the operation itself: one Idempotency-Key per action, one
audit line, then polling the task until it is finished or failed. No textual here.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from attempt_tui.api.client import iter_pages, new_idempotency_key
from attempt_tui.api.errors import ApiError, ReadOnlyError
from attempt_tui.api.models import (
    BackgroundTaskOut,
    CountOut,
    EndpointMessageOut,
    MessageStatus,
    Page,
)
from attempt_tui.audit import AuditLog
from attempt_tui.timeparse import format_when, parse_when

if TYPE_CHECKING:
    from attempt_tui.api.client import SvixClient

ACTION = "recover"
TERMINAL_STATUSES = frozenset({"finished", "failed"})
# Failed messages are counted by listing them; past this many pages the count is "at least".
MESSAGE_PAGE_SIZE = 250
MESSAGE_MAX_PAGES = 4
_DATA_ITEMS_SHOWN = 5

Sleep = Callable[[float], Awaitable[None]]
Progress = Callable[[BackgroundTaskOut], None]


class RecoverTimedOut(ApiError):
    """The task was still running when we stopped following it; it goes on at Svix."""


@dataclass(frozen=True)
class RecoverWindow:
    """Messages created in [since, until]; `until=None` means up to now."""

    since: datetime
    until: datetime | None
    label: str

    def describe(self) -> str:
        """`Last week: 2026-10-25 12:00Z → now` (UTC)."""
        end = format_when(self.until) if self.until is not None else "now"
        return f"{self.label}: {format_when(self.since)} → {end}"


def preset_windows(now: datetime) -> list[RecoverWindow]:
    """The Svix App Portal's presets. "Yesterday" is the whole previous UTC day."""
    today = parse_when("today", now=now)
    return [
        RecoverWindow(now - timedelta(hours=5), None, "Last 5 hours"),
        RecoverWindow(today - timedelta(days=1), today, "Yesterday"),
        RecoverWindow(now - timedelta(days=7), None, "Last week"),
    ]


def custom_window(since_text: str, until_text: str, *, now: datetime) -> RecoverWindow:
    """A window from typed text ("2h", "yesterday", ISO). Raises ValueError with a human line."""
    since = parse_when(since_text, now=now)
    until = parse_when(until_text, now=now) if until_text.strip() else None
    if since > now:
        raise ValueError(f"since ({format_when(since)}) is in the future")
    if until is not None and until <= since:
        raise ValueError(f"until ({format_when(until)}) must be after since")
    return RecoverWindow(since, until, "Custom")


@dataclass(frozen=True)
class BlastRadius:
    """What a recover of one window touches.

    `messages` is what Svix resends: messages whose delivery to the endpoint is failed.
    `attempts` is the count call's number of failed delivery attempts in the window, which
    includes every failed retry, also of messages that later succeeded.
    """

    attempts: CountOut
    messages: int
    messages_capped: bool

    def messages_text(self) -> str:
        noun = "message" if self.messages == 1 else "messages"
        return f"{_at_least(self.messages, self.messages_capped)} failed {noun}"

    def attempts_text(self) -> str:
        count = self.attempts.count
        noun = "attempt" if count == 1 else "attempts"
        return f"{_at_least(count, self.attempts.approximated)} failed {noun}"

    @property
    def nothing_to_do(self) -> bool:
        return self.messages == 0 and not self.messages_capped


def _at_least(count: int, approximate: bool) -> str:
    return f"at least {count:,}" if approximate else f"{count:,}"


async def blast_radius(
    client: SvixClient, app_id: str, endpoint_id: str, window: RecoverWindow
) -> BlastRadius:
    """Count failed attempts (one call) and failed messages (listed, capped) in the window."""
    attempts_call = client.count_attempts_by_endpoint(
        app_id, endpoint_id, status=MessageStatus.FAIL, after=window.since, before=window.until
    )
    attempts, (messages, capped) = await asyncio.gather(
        attempts_call, _count_failed_messages(client, app_id, endpoint_id, window)
    )
    return BlastRadius(attempts=attempts, messages=messages, messages_capped=capped)


async def _count_failed_messages(
    client: SvixClient, app_id: str, endpoint_id: str, window: RecoverWindow
) -> tuple[int, bool]:
    def fetch(iterator: str | None) -> Awaitable[Page[EndpointMessageOut]]:
        return client.list_attempted_messages(
            app_id,
            endpoint_id,
            limit=MESSAGE_PAGE_SIZE,
            iterator=iterator,
            status=MessageStatus.FAIL,
            after=window.since,
            before=window.until,
            with_content=False,
        )

    total, done = 0, False
    async for page in iter_pages(fetch, max_pages=MESSAGE_MAX_PAGES):
        total += len(page.data)
        done = page.done
    return total, not done


def _record(
    audit: AuditLog | None,
    outcome: str,
    *,
    app_id: str,
    endpoint_id: str,
    key: str,
    profile: str,
    server: str,
) -> str | None:
    """Write the audit line; return a warning instead of raising when the file is unwritable."""
    if audit is None:
        return None
    try:
        audit.record(
            profile=profile,
            server=server,
            action=ACTION,
            outcome=outcome,
            app=app_id,
            endpoint=endpoint_id,
            idempotency_key=key,
        )
    except OSError as error:
        return f"Could not write the audit log ({type(error).__name__})"
    return None


async def run_recover(
    client: SvixClient,
    app_id: str,
    endpoint_id: str,
    window: RecoverWindow,
    *,
    audit: AuditLog | None,
    profile: str,
    server: str,
    on_progress: Progress,
    sleep: Sleep = asyncio.sleep,
    poll_interval: float = 1.0,
    timeout: float = 600.0,
    idempotency_key: str | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> BackgroundTaskOut:
    """Start the recovery and follow its task until it is finished or failed.

    One Idempotency-Key covers the action (pass the one made when the user confirmed, so a
    user retry of the same window is deduplicated too). The audit line is written as soon as
    Svix answers the POST: "ok" means the recovery was accepted; the task's own end is shown,
    not audited. A read-only client refuses before sending, and nothing is audited then, since
    nothing happened. Raises ApiError (RecoverTimedOut when the task outlives `timeout`).
    """
    key = idempotency_key or new_idempotency_key()
    context = {
        "app_id": app_id,
        "endpoint_id": endpoint_id,
        "key": key,
        "profile": profile,
        "server": server,
    }
    try:
        started = await client.recover(
            app_id, endpoint_id, since=window.since, until=window.until, idempotency_key=key
        )
    except ReadOnlyError:
        raise
    except ApiError as error:
        _warn(on_warning, _record(audit, f"failed: {error.message}", **context))
        raise
    except asyncio.CancelledError:
        # The request may have reached Svix; leave a trace of the uncertain outcome.
        _record(audit, "failed: cancelled before Svix answered (it may have started)", **context)
        raise
    _warn(on_warning, _record(audit, "ok", **context))
    task = BackgroundTaskOut(
        id=started.id,
        status=started.status,
        task=started.task,
        updated_at=started.updated_at,
        data={},
    )
    on_progress(task)
    return await follow_task(
        client,
        task,
        on_progress=on_progress,
        sleep=sleep,
        poll_interval=poll_interval,
        timeout=timeout,
    )


def _warn(on_warning: Callable[[str], None] | None, warning: str | None) -> None:
    if warning is not None and on_warning is not None:
        on_warning(warning)


async def follow_task(
    client: SvixClient,
    task: BackgroundTaskOut,
    *,
    on_progress: Progress,
    sleep: Sleep = asyncio.sleep,
    poll_interval: float = 1.0,
    timeout: float = 600.0,
) -> BackgroundTaskOut:
    """Poll a background task every `poll_interval` s until finished/failed, reporting each state.

    Unknown statuses are treated as still running. `timeout` counts the seconds slept.
    """
    waited = 0.0
    while task.status not in TERMINAL_STATUSES:
        if waited >= timeout:
            raise RecoverTimedOut(
                f"Task {task.id} is still {task.status} after {waited:.0f} s; "
                "it goes on at Svix without us watching"
            )
        await sleep(poll_interval)
        waited += poll_interval
        task = await client.get_background_task(task.id)
        on_progress(task)
    return task


def messages_sent(task: BackgroundTaskOut) -> int | None:
    """`data.messagesSent` when the task reports it as a number."""
    value = task.data.get("messagesSent")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def task_summary(task: BackgroundTaskOut) -> str:
    """A plain line like "running · messages sent: 5"; it holds API text, so show it via safe."""
    parts = [task.status]
    shown = 0
    for name, value in task.data.items():
        if shown >= _DATA_ITEMS_SHOWN:
            parts.append("…")
            break
        if isinstance(value, bool | int | float | str):
            parts.append(f"{_words(str(name))}: {value}")
            shown += 1
    return " · ".join(parts)


def _words(name: str) -> str:
    """messagesSent -> messages sent."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ").lower()


@dataclass(frozen=True)
class RecoverResult:
    """What the recover screen returns once a recovery was requested (None when cancelled)."""

    app_id: str
    endpoint_id: str
    window: RecoverWindow
    idempotency_key: str
    task: BackgroundTaskOut | None  # the last state seen; None when the POST got no answer
    error: str | None = None

    @property
    def finished(self) -> bool:
        return self.task is not None and self.task.status == "finished"

    @property
    def messages_sent(self) -> int | None:
        return messages_sent(self.task) if self.task is not None else None
