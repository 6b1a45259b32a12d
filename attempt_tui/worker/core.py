"""The data worker: holds the query for what is on screen, polls it, and reports changes.

It knows nothing of the UI. The UI calls the intent methods (`select_endpoint`,
`next_page`, `select_message`, `resend`, `go_to`, ...) and receives typed events through
the `emit` callback, only when something changed. It is the only way to the API: each kind
of data is a lane (lanes.py), and one-off actions are methods here.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from attempt_tui.api.client import SvixClient, new_idempotency_key
from attempt_tui.api.errors import ApiError
from attempt_tui.api.models import (
    ApplicationOut,
    EndpointOut,
    MessageAttemptHeadersOut,
    MessageAttemptOut,
)
from attempt_tui.audit import AuditLog
from attempt_tui.locate import Location, locate
from attempt_tui.worker.actions import Auditor, RecoverSession, outcome_word
from attempt_tui.worker.detail import DetailLane
from attempt_tui.worker.events import DetailLoaded, Emit, LaneFailed, WorkerEvent
from attempt_tui.worker.lanes import Lane
from attempt_tui.worker.listing import AppsLane, EndpointsLane
from attempt_tui.worker.paging import PageLane
from attempt_tui.worker.query import Filters, PageCursor, ViewQuery
from attempt_tui.worker.watch import WatchLane

MAX_BACKOFF_SECONDS = 60.0


class DataWorker:
    """Polls what is on screen and emits events when it changes."""

    def __init__(
        self,
        client: SvixClient,
        emit: Emit,
        *,
        poll_seconds: float = 5.0,
        page_size: int = 50,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        jitter: Callable[[], float] = random.random,
        audit: AuditLog | None = None,
        profile: str = "",
        server: str = "",
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.client = client
        self.now = clock or (lambda: datetime.now(UTC))
        # Endpoint stats cover this span back from now; None is all time.
        self.stats_span: timedelta | None = None
        self.profile = profile
        self.server = server
        self._emit = emit
        self._auditor = Auditor(audit, profile, server, on_error=self._audit_failed)
        # 0 means manual refresh only (the lower bound is config's rule, checked there).
        self.poll_seconds = poll_seconds
        self.page_size = page_size
        self.sleep = sleep
        self.monotonic = monotonic
        self.jitter = jitter
        self.query = ViewQuery()
        self.paused = False
        # While a resend is being watched, its message's attempts are polled every second.
        self.watching_msg_id: str | None = None
        self._started = False
        self.apps_lane = AppsLane(self)
        self.endpoints_lane = EndpointsLane(self)
        self.page_lane = PageLane(self)
        self.detail_lane = DetailLane(self)
        self.watch_lane = WatchLane(self)
        self._lanes: dict[str, Lane[Any, Any]] = {
            lane.name: lane
            for lane in (
                self.apps_lane,
                self.endpoints_lane,
                self.page_lane,
                self.detail_lane,
                self.watch_lane,
            )
        }
        # What to open as soon as it is listed (an id or a uid), before the UI hears of it.
        self._wanted_app: str | None = None
        self._wanted_endpoint: str | None = None

    def emit(self, event: WorkerEvent) -> None:
        self._emit(event)

    @property
    def audit(self) -> AuditLog | None:
        """Where resend, expunge and recover are recorded."""
        return self._auditor.log

    @audit.setter
    def audit(self, log: AuditLog | None) -> None:
        self._auditor.log = log

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        """Start one task per lane in the running event loop."""
        if self._started:
            return
        self._started = True
        for lane in self._lanes.values():
            lane.start()

    async def stop(self) -> None:
        tasks: list[asyncio.Task[Any]] = [
            lane.task for lane in self._lanes.values() if lane.task is not None
        ]
        if self.page_lane.prefetch is not None:
            tasks.append(self.page_lane.prefetch.task)
            self.page_lane.prefetch = None
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._started = False

    # ------------------------------------------------------------------ intents: the view

    def open_when_listed(self, app: str | None, endpoint: str | None) -> None:
        """Open this app, then this endpoint (ids or uids), the moment each is listed.

        Chaining them here rather than through the UI saves a round of screen updates per
        step on start-up. What is not found stays unselected, for the UI to explain; the
        endpoint is looked for in whichever app is listed first.
        """
        self._wanted_app = app
        self._wanted_endpoint = endpoint

    def open_wanted_app(self, apps: list[ApplicationOut]) -> None:
        wanted, self._wanted_app = self._wanted_app, None
        if wanted and self.query.app_id is None:
            match = next((app for app in apps if wanted in (app.id, app.uid)), None)
            if match is not None:
                self.select_app(match.id)
            # Not found: the UI opens another app, and the endpoint is looked for there.

    def open_wanted_endpoint(self, app_id: str, endpoints: list[EndpointOut]) -> None:
        wanted = self._wanted_endpoint
        if wanted and app_id == self.query.app_id and self.query.endpoint_id is None:
            self._wanted_endpoint = None
            match = next((ep for ep in endpoints if wanted in (ep.id, ep.uid)), None)
            if match is not None:
                self.select_endpoint(match.id)

    def select_app(self, app_id: str | None) -> None:
        if app_id == self.query.app_id:
            return
        self.query = ViewQuery(app_id=app_id, filters=self.query.filters)
        self.wake("endpoints", "page", "detail")

    def select_endpoint(self, endpoint_id: str | None) -> None:
        if endpoint_id == self.query.endpoint_id:
            return
        self.query = replace(self.query, endpoint_id=endpoint_id)
        self.first_page()

    def set_filters(self, filters: Filters) -> None:
        if filters == self.query.filters:
            return
        self.query = replace(self.query, filters=filters)
        self.first_page()

    def set_stats_span(self, span: timedelta | None) -> None:
        if span != self.stats_span:
            self.stats_span = span
            self.wake("endpoints")

    def next_page(self) -> bool:
        page = self.page_lane.current()
        position = page.next_position if page is not None else None
        if position is None:
            return False
        self._go_to_page(*position)
        return True

    def prev_page(self) -> bool:
        page = self.page_lane.current()
        if page is None or not page.has_prev:
            return False
        if page.page_number == 2:
            self._go_to_page(PageCursor(), 1)  # page 1 is always "the newest"
            return True
        if page.prev_cursor is None:
            return False
        self._go_to_page(page.prev_cursor, max(1, page.page_number - 1) if page.page_number else 0)
        return True

    def first_page(self) -> None:
        self._go_to_page(PageCursor(), 1)

    def jump_to(self, msg_id: str, timestamp: datetime) -> None:
        """Show the page that starts at this message (page number unknown: 0)."""
        cursor = PageCursor(before=timestamp + timedelta(milliseconds=1))
        self.query = replace(self.query, cursor=cursor, page_number=0, selected_msg_id=msg_id)
        self.wake("page", "detail")

    def select_message(self, msg_id: str | None) -> None:
        if msg_id == self.query.selected_msg_id:
            return
        self.query = replace(self.query, selected_msg_id=msg_id)
        self.wake("detail", "watch")

    def refresh_now(self) -> None:
        """Fetch everything on screen now, even when paused; errors are retried at once.

        A lane's failure count is kept, so its success is reported as a recovery.
        """
        self.detail_lane.full = True
        self.wake(*self._lanes, force=True)

    def pause(self) -> None:
        self.paused = True

    def resume(self) -> None:
        if not self.paused:
            return
        self.paused = False
        self.wake(*self._lanes)

    def watch(self, msg_id: str | None, endpoint_id: str | None = None) -> None:
        """Follow `msg_id`'s attempts at `endpoint_id` closely (after a resend); None stops."""
        self.watching_msg_id = msg_id
        endpoint = endpoint_id or self.query.endpoint_id
        self.watch_lane.watched = (msg_id, endpoint) if msg_id and endpoint else None
        self.wake("detail", "watch")

    def watching_selected(self) -> bool:
        return (
            self.watching_msg_id is not None and self.watching_msg_id == self.query.selected_msg_id
        )

    def sent_at(self, msg_id: str) -> datetime | None:
        return self.page_lane.sent_at(msg_id)

    # ------------------------------------------------------------------ intents: one-off

    async def resend(self, msg_id: str, idempotency_key: str | None = None) -> str:
        """Resend the message to the open endpoint; returns the idempotency key used.

        The key is made once here, so the client's retries of this one action reuse it.
        """
        app_id, endpoint_id = self._require_endpoint()
        key = idempotency_key or new_idempotency_key()
        where = {"app": app_id, "endpoint": endpoint_id, "message": msg_id, "key": key}
        try:
            await self.client.resend(app_id, msg_id, endpoint_id, idempotency_key=key)
        except ApiError as error:
            self._auditor.record("resend", f"{outcome_word(error)}: {error.message}", **where)
            raise
        self._auditor.record("resend", "ok", **where)
        self.wake("page", "detail", force=True)
        return key

    async def expunge(self, msg_id: str, attempt_id: str) -> MessageAttemptOut | None:
        """Expunge an attempt's response body; returns the re-fetched attempt (None if the
        re-fetch failed, which does not undo the expunge)."""
        app_id, endpoint_id = self._require_endpoint()
        where = {"app": app_id, "endpoint": endpoint_id, "message": msg_id, "attempt": attempt_id}
        try:
            await self.client.expunge_attempt_content(app_id, msg_id, attempt_id)
        except ApiError as error:
            self._auditor.record("expunge", f"{outcome_word(error)}: {error.message}", **where)
            raise
        self._auditor.record("expunge", "ok", **where)
        detail = self.detail_lane.forget_body(attempt_id)
        if detail is not None:
            self.emit(DetailLoaded(detail))
        self.wake("detail", force=True)
        try:
            return await self.client.get_attempt(app_id, msg_id, attempt_id)
        except ApiError:
            return None  # it was expunged; only the check afterwards failed

    def recovery(self, endpoint_id: str | None = None) -> RecoverSession | None:
        """Recover of the open endpoint (or another of the open app)."""
        app_id = self.query.app_id
        endpoint = endpoint_id or self.query.endpoint_id
        if app_id is None or endpoint is None:
            return None
        return RecoverSession(self.client, app_id, endpoint, self.audit, self.profile, self.server)

    async def go_to(
        self, text: str, attempts_on_screen: Sequence[MessageAttemptOut] = ()
    ) -> Location:
        """Find where a pasted id or eventId lives (raises NotLocated or ApiError)."""
        return await locate(
            self.client,
            text,
            apps=self.apps_lane.last_result or [],
            current_app=self.query.app_id,
            current_endpoint=self.query.endpoint_id,
            attempts_on_screen=attempts_on_screen,
        )

    async def attempt_headers(
        self, app_id: str, msg_id: str, attempt_id: str
    ) -> MessageAttemptHeadersOut:
        return await self.client.get_attempt_headers(app_id, msg_id, attempt_id)

    # ------------------------------------------------------------------ for the lanes

    def wake(self, *names: str, force: bool = False) -> None:
        for name in names:
            self._lanes[name].wake_up(force=force)

    def clear_failures(self) -> None:
        for lane in self._lanes.values():
            lane.recover()

    def backoff(self, lane: Lane[Any, Any]) -> float:
        if lane.retry_after is not None:
            return max(lane.retry_after, 0.5)
        base = max(self.poll_seconds, 1.0)
        delay = min(MAX_BACKOFF_SECONDS, base * 2.0 ** (lane.failures - 1))
        return delay * (0.75 + 0.5 * self.jitter())

    # ------------------------------------------------------------------ internals

    def _require_endpoint(self) -> tuple[str, str]:
        app_id, endpoint_id = self.query.app_id, self.query.endpoint_id
        if app_id is None or endpoint_id is None:
            raise ValueError("No endpoint is open")
        return app_id, endpoint_id

    def _go_to_page(self, cursor: PageCursor, page_number: int) -> None:
        self.query = replace(
            self.query, cursor=cursor, page_number=page_number, selected_msg_id=None
        )
        self.wake("page", "detail")

    def _audit_failed(self, reason: str) -> None:
        self.emit(LaneFailed("audit", ApiError(reason), None))
