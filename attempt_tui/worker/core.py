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
from datetime import datetime, timedelta
from typing import Any

from attempt_tui.api.budget import Priority, request_priority
from attempt_tui.api.client import SvixClient, new_idempotency_key
from attempt_tui.api.errors import ApiError, NotFoundError
from attempt_tui.api.models import (
    ApplicationOut,
    EndpointOut,
    MessageAttemptHeadersOut,
    MessageAttemptOut,
)
from attempt_tui.audit import AuditLog
from attempt_tui.compat import UTC
from attempt_tui.locate import Location, locate
from attempt_tui.worker.actions import Auditor, ExpungeCheck, RecoverSession, outcome_word
from attempt_tui.worker.detail import DetailLane, Prefill
from attempt_tui.worker.events import (
    DetailLoaded,
    Emit,
    GoToProgress,
    LaneFailed,
    MessagePage,
    NotOpened,
    Throttled,
    WorkerEvent,
)
from attempt_tui.worker.export_fetch import PagePayloads, PayloadProgress, fetch_page_payloads
from attempt_tui.worker.lanes import Lane, outcome
from attempt_tui.worker.listing import (
    AppsLane,
    EndpointsLane,
    Listed,
    OpenedLane,
    StatsLane,
)
from attempt_tui.worker.paging import PageLane
from attempt_tui.worker.query import DetailKey, Filters, PageCursor, ViewQuery
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
        self._started = False
        # Set by the screen once it has drawn the first page (or its failure).
        self._first_page_drawn = asyncio.Event()
        self.apps_lane = AppsLane(self)
        self.endpoints_lane = EndpointsLane(self)
        self.stats_lane = StatsLane(self)
        self.opened_lane = OpenedLane(self)
        self.page_lane = PageLane(self)
        self.detail_lane = DetailLane(self)
        self.watch_lane = WatchLane(self)
        self._lanes: dict[str, Lane[Any, Any]] = {
            lane.name: lane
            for lane in (
                self.page_lane,
                self.opened_lane,
                self.apps_lane,
                self.endpoints_lane,
                self.stats_lane,
                self.detail_lane,
                self.watch_lane,
            )
        }
        # An app and endpoint to open at start by uid: looked up before anything is opened.
        self._target: tuple[str, str | None] | None = None
        # An endpoint to look for in the first app opened (its app was not given or found).
        self._pending_endpoint: str | None = None
        # Counts app switches: a lookup answered after the user opened another app is dropped.
        self._app_changes = 0
        # Apps that answered 404 while open: never opened again by themselves.
        self.gone_apps: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        # A 429 pauses every request; the UI says so and when it resumes.
        client.budget.on_change = self._throttle_changed

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

    def start(self, *, screen_draws_first_page: bool = False) -> None:
        """Start one task per lane in the running event loop.

        Opened at start on an endpoint (by ids), its first page is the request the user waits
        for, so the lists, counts and lookups leave once it is answered, not with it. With
        `screen_draws_first_page` they wait until the screen says it has drawn it
        (`first_page_drawn`): sending them while the first frame is drawn costs that frame
        about 25 ms of CPU. Either wait ends after a few seconds at most.
        """
        if self._started:
            return
        self._started = True
        hold: asyncio.Event | None = None
        if self.query.endpoint_id:
            hold = (
                self._first_page_drawn if screen_draws_first_page else self.page_lane.answered_once
            )
        for lane in self._lanes.values():
            held = lane in (self.apps_lane, self.endpoints_lane, self.stats_lane, self.opened_lane)
            lane.start(after=hold if held else None)
        if self._target is not None:
            self._spawn(self._open_target(*self._target, at_start=True))

    def first_page_drawn(self) -> None:
        """The screen has drawn the first page, or why it could not load: what waited for it
        (see `start`) may go."""
        self._first_page_drawn.set()

    async def stop(self) -> None:
        tasks: list[asyncio.Task[Any]] = [
            lane.task for lane in self._lanes.values() if lane.task is not None
        ]
        tasks.extend(self._tasks)
        prefetch = self.page_lane.prefetch
        if prefetch is not None and prefetch.task is not None:
            tasks.append(prefetch.task)
        self.page_lane.prefetch = None
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._started = False

    async def close(self) -> None:
        """Stop, and close the API client (its connections) and its request budget."""
        await self.stop()
        self.client.budget.close()
        await self.client.aclose()

    # ------------------------------------------------------------------ intents: the view

    def open_at_start(self, app: str | None, endpoint: str | None) -> None:
        """Open this app and endpoint (ids or uids) as the first thing.

        Ids are opened at once, so the first page of messages is asked for in the same round
        trip as everything else. Uids are looked up first (one round trip, both at once).
        What is not found is reported (NotOpened) and the first app is opened instead.
        """
        if app is None:
            self._pending_endpoint = endpoint  # looked for in the first app opened
            return
        if app.startswith("app_") and (endpoint is None or endpoint.startswith("ep_")):
            self.select_app(app)
            if endpoint is not None:
                self.select_endpoint(endpoint)
            return
        self._target = (app, endpoint)

    def open_app_ref(self, ref: str) -> None:
        """Open an app by id or uid typed in: one request, whether or not it is listed."""
        self._spawn(self._open_target(ref, None, at_start=False))

    async def _open_target(self, app_ref: str, endpoint_ref: str | None, *, at_start: bool) -> None:
        client = self.client
        changes = self._app_changes
        with request_priority(Priority.PAGE):
            app_call = client.get_application(app_ref)
            if endpoint_ref is None:
                results: list[Any] = [await outcome(app_call)]
            else:
                results = list(
                    await asyncio.gather(
                        outcome(app_call), outcome(client.get_endpoint(app_ref, endpoint_ref))
                    )
                )
        self._target = None
        if self._app_changes != changes:
            return  # the user opened another app meanwhile: theirs stands
        app = results[0]
        if not isinstance(app, ApplicationOut):
            self.emit(NotOpened("app", app_ref, _why(app), at_start, _missing(app)))
            if at_start:
                self._pending_endpoint = endpoint_ref
                self.open_first_app(self.apps_lane.last_result)
            return
        endpoint = results[1] if endpoint_ref is not None else None
        self.select_app(app.id)
        if isinstance(endpoint, EndpointOut):
            self.select_endpoint(endpoint.id)
            self.opened_lane.seed(app, endpoint)
        else:
            self.opened_lane.seed(app, None)
            if endpoint_ref is not None:
                missing = _missing(endpoint)
                self.emit(NotOpened("endpoint", endpoint_ref, _why(endpoint), at_start, missing))

    def open_first_app(self, listed: Listed[ApplicationOut] | None) -> None:
        """With nothing open (and nothing being looked up), open the first app listed."""
        if self.query.app_id is not None or self._target is not None or listed is None:
            return
        if not listed.items:
            return
        apps = [app for app in listed.items if app.id not in self.gone_apps]
        if not apps:
            return
        if not listed.has_more:  # all of them: the first by name, as the selector reads
            apps = sorted(apps, key=lambda a: (a.name.casefold(), a.id))
        self.select_app(apps[0].id)
        endpoint, self._pending_endpoint = self._pending_endpoint, None
        if endpoint is not None:
            self._spawn(self._open_endpoint_ref(apps[0], endpoint))

    async def _open_endpoint_ref(self, app: ApplicationOut, ref: str) -> None:
        with request_priority(Priority.PAGE):
            endpoint = await outcome(self.client.get_endpoint(app.id, ref))
        if self.query.app_id != app.id:
            return  # another app was opened meanwhile
        if isinstance(endpoint, EndpointOut):
            self.select_endpoint(endpoint.id)
            self.opened_lane.seed(app, endpoint)
        else:
            self.emit(NotOpened("endpoint", ref, _why(endpoint), True, _missing(endpoint)))

    def load_more_apps(self) -> None:
        self.apps_lane.load_more()

    def load_more_endpoints(self) -> None:
        self.endpoints_lane.load_more()

    def show_stats_for(self, endpoint_ids: Sequence[str], *, refresh: bool = True) -> None:
        """The endpoints on screen: their counts are fetched (and only theirs). Without
        `refresh` (the list is in view but not being read), each is fetched once and only the
        open endpoint's are kept fresh."""
        self.stats_lane.show(tuple(endpoint_ids), refresh=refresh)

    def select_app(self, app_id: str | None) -> None:
        if app_id == self.query.app_id:
            return
        self.query = ViewQuery(app_id=app_id, filters=self.query.filters)
        self._app_changes += 1
        self.stats_lane.visible = ()
        self.wake("opened", "endpoints", "stats", "page", "detail")

    def select_endpoint(self, endpoint_id: str | None) -> None:
        if endpoint_id == self.query.endpoint_id:
            return
        self.query = replace(self.query, endpoint_id=endpoint_id)
        self.first_page()
        self.wake("opened", "stats")

    def set_filters(self, filters: Filters) -> None:
        if filters == self.query.filters:
            return
        self.query = replace(self.query, filters=filters)
        self.first_page()

    def set_stats_span(self, span: timedelta | None) -> None:
        if span != self.stats_span:
            self.stats_span = span
            self.wake("stats")

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
        """Follow `msg_id`'s attempts at `endpoint_id` of the open app closely (after a
        resend); None stops."""
        app, endpoint = self.query.app_id, endpoint_id or self.query.endpoint_id
        self.watch_lane.watched = (app, msg_id, endpoint) if app and msg_id and endpoint else None
        self.wake("detail", "watch")

    @property
    def watching_msg_id(self) -> str | None:
        """The resent message whose attempts are followed every second, if any."""
        watched = self.watch_lane.watched
        return watched[1] if watched is not None else None

    def watching_selected(self) -> bool:
        return (
            self.watching_msg_id is not None and self.watching_msg_id == self.query.selected_msg_id
        )

    def sent_at(self, msg_id: str) -> datetime | None:
        return self.page_lane.sent_at(msg_id)

    # ------------------------------------------------------------------ intents: one-off

    async def resend(
        self,
        msg_id: str,
        idempotency_key: str | None = None,
        *,
        app_id: str | None = None,
        endpoint_id: str | None = None,
    ) -> str:
        """Resend the message to an endpoint (the one the user confirmed; else the open one);
        returns the idempotency key used.

        The key is made once here, so the client's retries of this one action reuse it.
        """
        if app_id is None or endpoint_id is None:
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

    async def expunge(self, msg_id: str, attempt_id: str) -> ExpungeCheck:
        """Expunge an attempt's response body, then read the attempt again: the check says
        what the server now returns, and the audit line records that (not only the 204)."""
        app_id, endpoint_id = self._require_endpoint()
        where = {"app": app_id, "endpoint": endpoint_id, "message": msg_id, "attempt": attempt_id}
        try:
            await self.client.expunge_attempt_content(app_id, msg_id, attempt_id)
        except ApiError as error:
            self._auditor.record("expunge", f"{outcome_word(error)}: {error.message}", **where)
            raise
        check: ExpungeCheck | None = None
        try:
            try:
                attempt = await self.client.get_attempt(app_id, msg_id, attempt_id)
            except ApiError as error:
                check = ExpungeCheck(attempt_id, "unverified", reason=error.message)
            else:
                if attempt.id == attempt_id:
                    check = ExpungeCheck.of(attempt)
                else:  # what came back is not the attempt asked for: nothing is verified
                    reason = f"the re-read returned another attempt ({attempt.id})"
                    check = ExpungeCheck(attempt_id, "unverified", reason=reason)
        finally:
            # Written even when stopped while re-reading: the expunge itself happened.
            outcome = check.audit_outcome if check else "unverified: stopped before the re-read"
            self._auditor.record("expunge", outcome, **where)
        detail = self.detail_lane.expunged(check)
        if detail is not None:
            self.emit(DetailLoaded(detail))
        self.wake("detail", force=True)
        return check

    async def page_payloads(self, page: MessagePage, on_progress: PayloadProgress) -> PagePayloads:
        """The page's messages with their payloads, for an export (the list has none)."""
        with request_priority(Priority.PAGE):
            return await fetch_page_payloads(self.client, page, on_progress)

    def recovery(self, endpoint_id: str | None = None) -> RecoverSession | None:
        """Recover of the open endpoint (or another of the open app)."""
        app_id = self.query.app_id
        endpoint = endpoint_id or self.query.endpoint_id
        if app_id is None or endpoint is None:
            return None
        return RecoverSession(self.client, app_id, endpoint, self.audit, self.profile, self.server)

    async def go_to(
        self,
        text: str,
        attempts_on_screen: Sequence[MessageAttemptOut] = (),
        recent_app_ids: Sequence[str] = (),
    ) -> Location:
        """Find where a pasted id, eventId or APP/ID lives (raises NotLocated or ApiError).

        Direct lookups first; a search across apps is bounded, reports its progress
        (GoToProgress) and stops when the task awaiting it is cancelled.
        """
        listed = self.apps_lane.last_result

        def progress(searched: int, total: int, label: str) -> None:
            self.emit(GoToProgress(text, searched, total, label))

        return await locate(
            self.client,
            text,
            apps=listed.items if listed is not None else [],
            more_apps_unloaded=listed.has_more if listed is not None else True,
            recent_app_ids=recent_app_ids,
            current_app=self.query.app_id,
            current_endpoint=self.query.endpoint_id,
            attempts_on_screen=attempts_on_screen,
            on_progress=progress,
        )

    def open_location(self, found: Location) -> None:
        """Open what go-to found: its app, its endpoint, the page starting at its message."""
        if found.endpoint_id is not None and found.msg_id is not None and found.message:
            key = DetailKey(found.app_id, found.endpoint_id, found.msg_id)
            attempts = list(found.attempts) if found.attempts is not None else None
            destinations = list(found.destinations) if found.destinations is not None else None
            self.detail_lane.prefill(Prefill(key, found.message, attempts, destinations))
        endpoint = found.endpoint or self._known_endpoint(found.app_id, found.endpoint_id)
        self.select_app(found.app_id)
        if found.endpoint_id is not None:
            self.select_endpoint(found.endpoint_id)
            if found.msg_id is not None and found.timestamp is not None:
                self.jump_to(found.msg_id, found.timestamp)
        if found.app is not None and endpoint is not None:
            self.opened_lane.seed(found.app, endpoint)
        elif found.app is not None and self.query.endpoint_id is None:
            self.opened_lane.seed(found.app, None)

    def _known_endpoint(self, app_id: str, endpoint_id: str | None) -> EndpointOut | None:
        """The endpoint, when a list or the open one already holds it (no request)."""
        if endpoint_id is None:
            return None
        opened = self.opened_lane.last_result
        if opened is not None and opened[1] is not None and opened[1].id == endpoint_id:
            app = opened[0]
            return opened[1] if app is not None and app.id == app_id else None
        if self.query.app_id != app_id:
            return None
        return self.endpoints_lane.find(endpoint_id)

    def want_destinations(self, wanted: bool) -> None:
        """A tab that shows where the highlighted message was sent opened (True) or closed."""
        self.detail_lane.want_destinations(wanted)

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
        base = max(self.poll_seconds, 1.0)
        if lane.retry_after is not None:
            return min(max(lane.retry_after, 0.5), MAX_BACKOFF_SECONDS)
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

    def _spawn(self, work: Awaitable[None]) -> None:
        task: asyncio.Task[None] = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _throttle_changed(self) -> None:
        budget = self.client.budget
        left = budget.throttled_seconds_left() if budget.paused_until is not None else None
        self.emit(Throttled(left or None))

    def _audit_failed(self, reason: str) -> None:
        self.emit(LaneFailed("audit", ApiError(reason), None))


def _missing(answer: object) -> bool:
    """The lookup said 404 (not: it could not be asked)."""
    return isinstance(answer, NotFoundError) or not isinstance(answer, ApiError)


def _why(answer: object) -> str:
    return answer.message if isinstance(answer, ApiError) else "not found"
