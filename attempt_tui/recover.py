"""Recover an endpoint: resend every failed message in a time window, and follow the task.

Svix's `POST .../endpoint/{id}/recover` starts an `endpoint.recover` background task. What it
resends (the Svix server's rule, in its own code): each message with a *failed attempt* at the
endpoint whose time is in [since, until), unless the message also has a *successful* attempt
there in that time. The window is about attempt times, not about when messages were created,
and it spans at most 14 days. This module holds the windows a user picks from, the blast
radius counted by that same rule before confirming, and the operation itself: one
Idempotency-Key per action, one audit line, then polling the task until it ends. No textual.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from attempt_tui import safe
from attempt_tui.api.client import iter_pages, new_idempotency_key
from attempt_tui.api.errors import ApiError, ReadOnlyError
from attempt_tui.api.models import (
    BackgroundTaskOut,
    CountOut,
    MessageAttemptOut,
    MessageStatus,
    Page,
)
from attempt_tui.audit import AuditLog
from attempt_tui.timeparse import format_when, parse_when

if TYPE_CHECKING:
    from attempt_tui.api.client import SvixClient

ACTION = "recover"
TERMINAL_STATUSES = frozenset({"finished", "failed"})
# Messages are counted by listing the window's attempts; past this many pages of them the
# count is "at least" (failed attempts not all seen) or "up to" (successes not all seen).
ATTEMPT_PAGE_SIZE = 250
ATTEMPT_MAX_PAGES = 8
MAX_SPAN = timedelta(days=14)
"""Svix refuses a longer window (it allows five minutes more for clock differences)."""
# The list calls' `after` is exclusive; recover's `since` is not.
_INCLUSIVE = timedelta(microseconds=1)
_DATA_ITEMS_SHOWN = 5

Sleep = Callable[[float], Awaitable[None]]
Progress = Callable[[BackgroundTaskOut], None]


class RecoverTimedOut(ApiError):
    """The task was still running when we stopped following it; it goes on at Svix."""


@dataclass(frozen=True)
class RecoverWindow:
    """Attempts made in [since, until); `until=None` means up to now."""

    since: datetime
    until: datetime | None
    label: str

    def describe(self) -> str:
        """`Last week: 2026-10-25 12:00Z → now` (UTC)."""
        end = format_when(self.until) if self.until is not None else "now"
        return f"{self.label}: {format_when(self.since)} → {end}"


def preset_windows(now: datetime) -> list[RecoverWindow]:
    """Since now minus 5 h, minus 24 h ("since yesterday"), the whole previous UTC day, and
    now minus 7 days."""
    today = parse_when("today", now=now)
    return [
        RecoverWindow(now - timedelta(hours=5), None, "Last 5 hours"),
        RecoverWindow(now - timedelta(hours=24), None, "Since yesterday (last 24 h)"),
        RecoverWindow(today - timedelta(days=1), today, "Yesterday (the UTC day)"),
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
    if (until or now) - since > MAX_SPAN:
        raise ValueError("Svix recovers at most 14 days at a time: move since or set until")
    return RecoverWindow(since, until, "Custom")


@dataclass(frozen=True)
class BlastRadius:
    """What a recover of one window touches, counted by Svix's own rule.

    `messages` is what Svix resends: messages with a failed attempt in the window and no
    successful one in it. `messages_capped`: not every failed attempt was listed, so there
    may be more ("at least"). `successes_capped`: not every successful attempt was listed, so
    some counted may have succeeded in the window ("up to"). `attempts` is the count call's
    number of failed attempts in the window, retries included.
    """

    attempts: CountOut
    messages: int
    messages_capped: bool
    successes_capped: bool = False

    def messages_text(self) -> str:
        noun = "message" if self.messages == 1 else "messages"
        count = f"{self.messages:,}"
        if self.messages_capped:
            count = f"at least {count}"
        elif self.successes_capped:
            count = f"up to {count}"
        return f"{count} failed {noun}"

    def attempts_text(self) -> str:
        count = self.attempts.count
        noun = "attempt" if count == 1 else "attempts"
        if not safe.count_in_range(count):
            return f"{safe.out_of_range(count)} failed attempts"
        return f"{_at_least(count, self.attempts.approximated)} failed {noun}"

    @property
    def nothing_to_do(self) -> bool:
        return self.messages == 0 and not self.messages_capped


def _at_least(count: int, approximate: bool) -> str:
    return f"at least {count:,}" if approximate else f"{count:,}"


async def blast_radius(
    client: SvixClient, app_id: str, endpoint_id: str, window: RecoverWindow
) -> BlastRadius:
    """Count failed attempts (one call) and the messages Svix would resend (listed, capped)."""
    after = window.since - _INCLUSIVE
    attempts_call = client.count_attempts_by_endpoint(
        app_id, endpoint_id, status=MessageStatus.FAIL, after=after, before=window.until
    )
    attempts, (failed, failed_all), (succeeded, succeeded_all) = await asyncio.gather(
        attempts_call,
        _messages_with(client, app_id, endpoint_id, window, MessageStatus.FAIL),
        _messages_with(client, app_id, endpoint_id, window, MessageStatus.SUCCESS),
    )
    return BlastRadius(
        attempts=attempts,
        messages=len(failed - succeeded),
        messages_capped=not failed_all,
        successes_capped=not succeeded_all,
    )


async def _messages_with(
    client: SvixClient, app_id: str, endpoint_id: str, window: RecoverWindow, status: int
) -> tuple[set[str], bool]:
    """The messages with an attempt of `status` in the window, and whether all were listed."""

    def fetch(iterator: str | None) -> Awaitable[Page[MessageAttemptOut]]:
        return client.list_attempts_by_endpoint(
            app_id,
            endpoint_id,
            limit=ATTEMPT_PAGE_SIZE,
            iterator=iterator,
            status=status,
            after=window.since - _INCLUSIVE,
            before=window.until,
            with_content=False,
        )

    ids: set[str] = set()
    done = False
    async for page in iter_pages(fetch, max_pages=ATTEMPT_MAX_PAGES):
        ids.update(attempt.msg_id for attempt in page.data)
        done = page.done
    return ids, done


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
    return value if safe.count_in_range(value) else None


def task_summary(task: BackgroundTaskOut) -> str:
    """A plain line like "running · messages sent: 5"; it holds API text, so show it via safe."""
    parts = [task.status]
    shown = 0
    for name, value in task.data.items():
        if shown >= _DATA_ITEMS_SHOWN:
            parts.append("…")
            break
        if isinstance(value, int) and not isinstance(value, bool):
            parts.append(f"{_words(str(name))}: {safe.count(value, grouped=False)}")
            shown += 1
        elif isinstance(value, bool | float | str):
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
