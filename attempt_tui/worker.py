"""The data worker: holds the query for what is on screen, polls it, and reports changes.

It knows nothing of the UI. The UI calls the intent methods (`select_endpoint`,
`next_page`, `select_message`, ...) and receives typed events through the `emit`
callback, only when something changed. Each kind of data is a *lane* with its own
loop: a lane never has two requests in flight, a changed query cancels the request
that was answering the old one, and errors back off per lane.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from attempt_tui.api.client import SvixClient, new_idempotency_key
from attempt_tui.api.errors import (
    ApiError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ServerError,
)
from attempt_tui.api.models import (
    ApplicationOut,
    EndpointMessageOut,
    EndpointOut,
    EndpointStats,
    MessageAttemptOut,
    MessageEndpointOut,
    MessageOut,
    MessageStatus,
)
from attempt_tui.audit import AuditLog

DETAIL_DEBOUNCE_SECONDS = 0.15
ENDPOINTS_EVERY_N_POLLS = 6
DESTINATIONS_EVERY_N_POLLS = 6
MAX_BACKOFF_SECONDS = 60.0
MIN_POLL_SECONDS = 0.5
# A prefetched next page is shown on `]` if it is younger than one poll (or this, with
# polling off); older, it is fetched again.
PREFETCH_MAX_AGE_SECONDS = 10.0
# The prefetch waits this long after a page is shown: it should not compete with drawing
# that page, nor run for pages flipped straight past.
PREFETCH_DELAY_SECONDS = 0.2
WATCH_POLL_SECONDS = 1.0
# Canceled is only reported when asked for with expanded_statuses=true.
EXPANDED_STATUSES = frozenset({MessageStatus.CANCELED})


# ----------------------------------------------------------------------------- query


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the message list to. Empty means everything."""

    statuses: frozenset[int] = frozenset()
    channel: str | None = None
    event_types: tuple[str, ...] = ()
    tag: str | None = None
    after: datetime | None = None
    before: datetime | None = None

    @property
    def active(self) -> bool:
        return self != Filters()

    @property
    def has_time_window(self) -> bool:
        return self.after is not None or self.before is not None


@dataclass(frozen=True)
class PageCursor:
    """Where the current page starts.

    `iterator` is a Svix cursor (forward, or a `-` prefixed one going back). With
    several statuses merged client-side there is no single Svix cursor, so the page
    starts strictly before `before` instead.
    """

    iterator: str | None = None
    before: datetime | None = None


@dataclass(frozen=True)
class ViewQuery:
    app_id: str | None = None
    endpoint_id: str | None = None
    filters: Filters = Filters()
    cursor: PageCursor = PageCursor()
    page_number: int = 1
    selected_msg_id: str | None = None


# ----------------------------------------------------------------------------- events


@dataclass(frozen=True)
class AppsLoaded:
    apps: list[ApplicationOut]


@dataclass(frozen=True)
class EndpointsLoaded:
    app_id: str
    endpoints: list[EndpointOut]
    stats: dict[str, EndpointStats]


@dataclass(frozen=True)
class MessagePage:
    app_id: str
    endpoint_id: str
    filters: Filters
    page_number: int
    items: list[EndpointMessageOut]
    has_next: bool
    has_prev: bool
    next_cursor: PageCursor | None
    prev_cursor: PageCursor | None
    page_size: int

    @property
    def short(self) -> bool:
        return len(self.items) < self.page_size

    @property
    def next_position(self) -> tuple[PageCursor, int] | None:
        """Where the page after this one starts, and its number (0, found by jumping, stays 0)."""
        if not self.has_next or self.next_cursor is None:
            return None
        return self.next_cursor, self.page_number + 1 if self.page_number else 0


@dataclass(frozen=True)
class PageLoaded:
    page: MessagePage


@dataclass(frozen=True)
class MessageDetail:
    app_id: str
    endpoint_id: str
    msg_id: str
    attempts: list[MessageAttemptOut]
    message: MessageOut | None
    destinations: list[MessageEndpointOut]


@dataclass(frozen=True)
class DetailLoaded:
    detail: MessageDetail


@dataclass(frozen=True)
class DetailCleared:
    """No message is highlighted (empty page, or endpoint changed)."""


@dataclass(frozen=True)
class LaneFailed:
    lane: str
    error: ApiError
    retry_in: float | None


@dataclass(frozen=True)
class LaneRecovered:
    lane: str


@dataclass(frozen=True)
class Synced:
    """The on-screen data was confirmed fresh at `at` (monotonic seconds)."""

    at: float


@dataclass(frozen=True)
class AppGone:
    """The open app answered 404: it was deleted (or the server was reset) while open."""

    app_id: str
    message: str


@dataclass(frozen=True)
class EndpointGone:
    """The open endpoint (or app) answered 404: it was deleted while open."""

    app_id: str
    endpoint_id: str
    message: str


WorkerEvent = (
    AppsLoaded
    | EndpointsLoaded
    | PageLoaded
    | DetailLoaded
    | DetailCleared
    | LaneFailed
    | LaneRecovered
    | Synced
    | AppGone
    | EndpointGone
)
Emit = Callable[[WorkerEvent], None]


# ----------------------------------------------------------------------------- lanes


@dataclass
class _Lane:
    name: str
    key: Callable[[], Any]
    fetch: Callable[[Any], Awaitable[Any]]
    deliver: Callable[[Any, Any], None]
    interval: Callable[[], float | None]
    debounce: float = 0.0
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    last_key: Any = None
    last_result: Any = None
    failures: int = 0
    retry_after: float | None = None
    task: asyncio.Task[None] | None = None


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
        self._clock = clock or (lambda: datetime.now(UTC))
        # Endpoint stats cover this span back from now; None is all time.
        self.stats_span: timedelta | None = None
        self.audit = audit
        self._audit_context = {"profile": profile, "server": server}
        self._emit = emit
        # 0 means manual refresh only; anything else is at least MIN_POLL_SECONDS.
        self.poll_seconds = max(poll_seconds, MIN_POLL_SECONDS) if poll_seconds else 0.0
        self.page_size = page_size
        self._sleep = sleep
        self._monotonic = monotonic
        self._jitter = jitter
        self.query = ViewQuery()
        self.paused = False
        # While a resend is being watched, its message's attempts are polled every second.
        self.watching_msg_id: str | None = None
        self._detail_polls = 0
        self._detail_full = False
        self._started = False
        self._lanes: dict[str, _Lane] = {}
        self._build_lanes()
        # Cursors of the pages visited with several statuses merged (no Svix cursor there).
        self._history_key: tuple[Any, ...] | None = None
        self._history: list[PageCursor] = [PageCursor()]
        # The next page, fetched while the current one is read: (page key, fetch, started at).
        self._prefetch: tuple[tuple[Any, ...], asyncio.Task[MessagePage], float] | None = None
        # When the page just shown was prefetched, when that fetch started (its data's age).
        self._prefetch_started: float | None = None
        # What to open as soon as it is listed (an id or a uid), before the UI hears of it.
        self._wanted_app: str | None = None
        self._wanted_endpoint: str | None = None

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        """Start one task per lane in the running event loop."""
        if self._started:
            return
        self._started = True
        for lane in self._lanes.values():
            lane.task = asyncio.create_task(self._run_lane(lane), name=f"lane-{lane.name}")
            lane.wake.set()

    async def stop(self) -> None:
        tasks = [lane.task for lane in self._lanes.values() if lane.task is not None]
        if self._prefetch is not None:
            tasks.append(self._prefetch[1])
            self._prefetch = None
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._started = False

    # ------------------------------------------------------------------ intents

    def open_when_listed(self, app: str | None, endpoint: str | None) -> None:
        """Open this app, then this endpoint (ids or uids), the moment each is listed.

        Chaining them here rather than through the UI saves a round of screen updates per
        step on start-up. What is not found stays unselected, for the UI to explain; the
        endpoint is looked for in whichever app is listed first.
        """
        self._wanted_app = app
        self._wanted_endpoint = endpoint

    def select_app(self, app_id: str | None) -> None:
        if app_id == self.query.app_id:
            return
        self.query = ViewQuery(app_id=app_id, filters=self.query.filters)
        self._wake("endpoints", "page", "detail")

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

    def next_page(self) -> bool:
        page = self._current_page()
        position = page.next_position if page is not None else None
        if position is None:
            return False
        self._go_to_page(*position)
        return True

    def prev_page(self) -> bool:
        page = self._current_page()
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
        self._wake("page", "detail")

    def select_message(self, msg_id: str | None) -> None:
        if msg_id == self.query.selected_msg_id:
            return
        self.query = replace(self.query, selected_msg_id=msg_id)
        self._wake("detail")

    def refresh_now(self) -> None:
        """Fetch everything on screen now, even when paused; errors are retried at once.

        A lane's failure count is kept, so its success is reported as a recovery.
        """
        self._detail_full = True
        self._wake(*self._lanes, force=True)

    def pause(self) -> None:
        self.paused = True

    def resume(self) -> None:
        if not self.paused:
            return
        self.paused = False
        self._wake(*self._lanes)

    # ------------------------------------------------------------------ mutations

    async def resend(self, msg_id: str, idempotency_key: str | None = None) -> str:
        """Resend the message to the open endpoint; returns the idempotency key used.

        The key is made once here, so the client's retries of this one action reuse it.
        """
        app_id, endpoint_id = self._require_endpoint()
        key = idempotency_key or new_idempotency_key()
        try:
            await self.client.resend(app_id, msg_id, endpoint_id, idempotency_key=key)
        except ApiError as error:
            self._audit("resend", f"{_outcome_word(error)}: {error.message}", msg_id, None, key)
            raise
        self._audit("resend", "ok", msg_id, None, key)
        self._wake("page", "detail", force=True)
        return key

    async def expunge(self, msg_id: str, attempt_id: str) -> MessageAttemptOut | None:
        """Expunge an attempt's response body; returns the re-fetched attempt (None if the
        re-fetch failed, which does not undo the expunge)."""
        app_id, _ = self._require_endpoint()
        try:
            await self.client.expunge_attempt_content(app_id, msg_id, attempt_id)
        except ApiError as error:
            outcome = f"{_outcome_word(error)}: {error.message}"
            self._audit("expunge", outcome, msg_id, attempt_id, None)
            raise
        self._audit("expunge", "ok", msg_id, attempt_id, None)
        self._forget_body(attempt_id)
        self._wake("detail", force=True)
        try:
            return await self.client.get_attempt(app_id, msg_id, attempt_id)
        except ApiError:
            return None  # it was expunged; only the check afterwards failed

    def _audit(
        self, action: str, outcome: str, msg_id: str, attempt_id: str | None, key: str | None
    ) -> None:
        if self.audit is None:
            return
        try:
            self.audit.record(
                action=action,
                outcome=outcome,
                app=self.query.app_id,
                endpoint=self.query.endpoint_id,
                message=msg_id,
                attempt=attempt_id,
                idempotency_key=key,
                **self._audit_context,
            )
        except OSError as error:
            # The action already happened; say the record is missing rather than hide it.
            reason = ApiError(f"Could not write the audit log ({type(error).__name__})")
            self._emit(LaneFailed("audit", reason, None))

    # ------------------------------------------------------------------ internals

    def _require_endpoint(self) -> tuple[str, str]:
        app_id, endpoint_id = self.query.app_id, self.query.endpoint_id
        if app_id is None or endpoint_id is None:
            raise ValueError("No endpoint is open")
        return app_id, endpoint_id

    def _forget_body(self, attempt_id: str) -> None:
        """Drop our copy of an expunged response body, so it is not shown again."""
        lane = self._lanes["detail"]
        detail: MessageDetail | None = lane.last_result
        if detail is None:
            return
        attempts = [
            a.model_copy(update={"response": ""}) if a.id == attempt_id else a
            for a in detail.attempts
        ]
        lane.last_result = replace(detail, attempts=attempts)
        self._emit(DetailLoaded(lane.last_result))

    def _current_page(self) -> MessagePage | None:
        page: MessagePage | None = self._lanes["page"].last_result
        if page is None or self._page_key() != self._lanes["page"].last_key:
            return None
        return page

    def _go_to_page(self, cursor: PageCursor, page_number: int) -> None:
        self.query = replace(
            self.query, cursor=cursor, page_number=page_number, selected_msg_id=None
        )
        self._wake("page", "detail")

    def _wake(self, *names: str, force: bool = False) -> None:
        for name in names:
            lane = self._lanes[name]
            if force:
                lane.last_key = _FORCE
            lane.wake.set()

    def _build_lanes(self) -> None:
        poll = lambda: self.poll_seconds or None  # noqa: E731
        slow = lambda: (self.poll_seconds * ENDPOINTS_EVERY_N_POLLS) or None  # noqa: E731
        self._lanes = {
            "apps": _Lane("apps", lambda: True, self._fetch_apps, self._deliver_apps, lambda: None),
            "endpoints": _Lane(
                "endpoints",
                self._endpoints_key,
                self._fetch_endpoints,
                self._deliver_endpoints,
                slow,
            ),
            "page": _Lane("page", self._page_key, self._fetch_page, self._deliver_page, poll),
            "detail": _Lane(
                "detail",
                self._detail_key,
                self._fetch_detail,
                self._deliver_detail,
                self._detail_interval,
                debounce=DETAIL_DEBOUNCE_SECONDS,
            ),
        }

    def _detail_interval(self) -> float | None:
        if self._watching_selected():
            return WATCH_POLL_SECONDS
        return self.poll_seconds or None

    def watch(self, msg_id: str | None) -> None:
        """Follow `msg_id`'s attempts closely (after a resend); None stops watching."""
        self.watching_msg_id = msg_id
        self._wake("detail")

    def _endpoints_key(self) -> tuple[str, timedelta | None] | None:
        if self.query.app_id is None:
            return None
        return (self.query.app_id, self.stats_span)

    def set_stats_span(self, span: timedelta | None) -> None:
        if span != self.stats_span:
            self.stats_span = span
            self._wake("endpoints")

    def _page_key(self) -> tuple[Any, ...] | None:
        q = self.query
        if q.app_id is None or q.endpoint_id is None:
            return None
        return (q.app_id, q.endpoint_id, q.filters, q.cursor, q.page_number)

    def _detail_key(self) -> tuple[str, str, str] | None:
        q = self.query
        if q.app_id is None or q.endpoint_id is None or q.selected_msg_id is None:
            return None
        return (q.app_id, q.endpoint_id, q.selected_msg_id)

    async def _run_lane(self, lane: _Lane) -> None:
        while True:
            try:
                await self._lane_turn(lane)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # a bug must not stop polling for good
                lane.failures += 1
                self._emit(
                    LaneFailed(
                        lane.name,
                        ApiError(f"Unexpected error: {type(error).__name__}"),
                        self._backoff(lane),
                    )
                )

    async def _lane_turn(self, lane: _Lane) -> None:
        """Wait for the lane's next turn, fetch, and deliver the answer if it still applies."""
        await self._wait_for_turn(lane)
        key = lane.key()
        if key is None:
            self._recover(lane)  # nothing to fetch any more, so its old error no longer applies
            if lane.last_key is not None:
                lane.last_key = None
                lane.last_result = None
                if lane.name == "detail":
                    self._emit(DetailCleared())
            return
        if lane.debounce and key != lane.last_key:
            await self._debounce(lane)
            key = lane.key()
            if key is None:
                return
        fetch = asyncio.create_task(lane.fetch(key))
        try:
            woken = asyncio.create_task(lane.wake.wait())
            try:
                await asyncio.wait({fetch, woken}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                woken.cancel()
            if not fetch.done():
                if lane.key() == key:
                    # Woken for the same query (a forced refresh): the request in flight
                    # answers it.
                    lane.wake.clear()
                    await asyncio.wait({fetch})
                else:
                    fetch.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await fetch
                    return
        except asyncio.CancelledError:
            fetch.cancel()  # stopping: the request must not outlive its lane
            raise
        if lane.key() != key:
            return  # a stale answer never overwrites a newer selection
        error = fetch.exception()
        if error is not None:
            self._on_lane_error(lane, key, error)
            return
        self._on_lane_result(lane, key, fetch.result())

    async def _wait_for_turn(self, lane: _Lane) -> None:
        """Wait until woken, or until the lane's next poll (or backoff) is due."""
        while True:
            delay = self._next_delay(lane)
            if lane.wake.is_set():
                lane.wake.clear()
                return
            try:
                if delay is None:
                    await lane.wake.wait()
                else:
                    await asyncio.wait_for(lane.wake.wait(), timeout=delay)
            except TimeoutError:
                if self._paused_for(lane):
                    continue
                return

    def _paused_for(self, lane: _Lane) -> bool:
        """Paused stops polling, except for following a resend the user just made."""
        return self.paused and not (lane.name == "detail" and self._watching_selected())

    def _watching_selected(self) -> bool:
        return (
            self.watching_msg_id is not None and self.watching_msg_id == self.query.selected_msg_id
        )

    def _next_delay(self, lane: _Lane) -> float | None:
        if lane.failures:
            return self._backoff(lane)
        if self._paused_for(lane):
            return None
        return lane.interval()

    def _backoff(self, lane: _Lane) -> float:
        if lane.retry_after is not None:
            return max(lane.retry_after, 0.5)
        base = max(self.poll_seconds, 1.0)
        delay = min(MAX_BACKOFF_SECONDS, base * 2 ** (lane.failures - 1))
        return delay * (0.75 + 0.5 * self._jitter())

    async def _debounce(self, lane: _Lane) -> None:
        """Wait until the query has been still for `lane.debounce` seconds."""
        while True:
            lane.wake.clear()
            try:
                await asyncio.wait_for(lane.wake.wait(), timeout=lane.debounce)
            except TimeoutError:
                return

    def _on_lane_error(self, lane: _Lane, key: Any, error: BaseException) -> None:
        if not isinstance(error, ApiError):
            error = ApiError(f"Unexpected error: {type(error).__name__}")
        if isinstance(error, NotFoundError) and lane.name == "endpoints":
            self.query = ViewQuery(filters=self.query.filters)
            lane.last_key = None
            lane.last_result = None
            self._clear_failures()
            self._emit(AppGone(key[0], error.message))
            self._wake("apps", "page", "detail", force=True)
            return
        if isinstance(error, NotFoundError) and lane.name == "page":
            app_id, endpoint_id = key[0], key[1]
            self.query = replace(
                self.query, endpoint_id=None, cursor=PageCursor(), selected_msg_id=None
            )
            lane.last_key = None
            lane.last_result = None
            self._emit(EndpointGone(app_id, endpoint_id, error.message))
            self._wake("endpoints", "detail", force=True)
            return
        lane.failures += 1
        lane.retry_after = error.retry_after if isinstance(error, RateLimitedError) else None
        retry_in = self._backoff(lane) if (self.poll_seconds or lane.retry_after) else None
        if not self.poll_seconds and lane.retry_after is None:
            lane.failures = 0  # manual mode: no automatic retry, F5 tries again
        self._emit(LaneFailed(lane.name, error, retry_in))

    def _clear_failures(self) -> None:
        for lane in self._lanes.values():
            self._recover(lane)

    def _recover(self, lane: _Lane) -> None:
        """Forget a lane's failures and say it recovered (when it had failed)."""
        if lane.failures:
            lane.failures = 0
            lane.retry_after = None
            self._emit(LaneRecovered(lane.name))

    def _on_lane_result(self, lane: _Lane, key: Any, result: Any) -> None:
        if lane.name == "page" and result.page_number == 1 and self.query.cursor != PageCursor():
            # Back on page 1 through a '-' cursor: poll it as "the newest" from now on, or
            # it would stay pinned to an old window and new messages would never show.
            self.query = replace(self.query, cursor=PageCursor(), page_number=1)
            key = self._page_key()
        self._recover(lane)
        if lane.name == "page" and key != lane.last_key:
            self._prefetch_next(result)
        changed = key != lane.last_key or result != lane.last_result
        lane.last_key = key
        lane.last_result = result
        if changed:
            lane.deliver(key, result)
        # Fresh means the messages on screen; before an endpoint is open, the endpoint list.
        if lane.name == "page" or (lane.name == "endpoints" and self.query.endpoint_id is None):
            fetched = self._prefetch_started if lane.name == "page" else None
            self._emit(Synced(fetched if fetched is not None else self._monotonic()))

    # ------------------------------------------------------------------ fetches

    async def _fetch_apps(self, _key: Any) -> list[ApplicationOut]:
        page = await self.client.list_applications(limit=250)
        return page.data

    def _deliver_apps(self, _key: Any, apps: list[ApplicationOut]) -> None:
        wanted, self._wanted_app = self._wanted_app, None
        if wanted and self.query.app_id is None:
            match = next((app for app in apps if wanted in (app.id, app.uid)), None)
            if match is not None:
                self.select_app(match.id)
            # Not found: the UI opens another app, and the endpoint is looked for there.
        self._emit(AppsLoaded(apps))

    async def _fetch_endpoints(
        self, key: tuple[str, timedelta | None]
    ) -> tuple[list[EndpointOut], dict[str, Any]]:
        app_id, span = key
        since = self._clock() - span if span is not None else None
        page = await self.client.list_endpoints(app_id, limit=250)
        endpoints = page.data
        results = await asyncio.gather(
            *(self.client.get_endpoint_stats(app_id, ep.id, since=since) for ep in endpoints),
            return_exceptions=True,
        )
        stats = {
            ep.id: result
            for ep, result in zip(endpoints, results, strict=True)
            if isinstance(result, EndpointStats)
        }
        return endpoints, stats

    def _deliver_endpoints(
        self, key: tuple[str, timedelta | None], result: tuple[list[EndpointOut], dict]
    ) -> None:
        endpoints, stats = result
        wanted = self._wanted_endpoint
        if wanted and key[0] == self.query.app_id and self.query.endpoint_id is None:
            self._wanted_endpoint = None
            match = next((ep for ep in endpoints if wanted in (ep.id, ep.uid)), None)
            if match is not None:
                self.select_endpoint(match.id)
        self._emit(EndpointsLoaded(key[0], endpoints, stats))

    def _prefetch_next(self, page: MessagePage) -> None:
        """Start fetching the page after `page`, so `]` shows it without a round trip.

        Only when a new page is shown, never on a poll of the same one: one extra request
        per page turned.
        """
        self._drop_prefetch()
        position = page.next_position
        if position is None:
            return
        key = (page.app_id, page.endpoint_id, page.filters, *position)
        task = asyncio.create_task(self._prefetch_page(key), name="prefetch-page")
        task.add_done_callback(_consume_error)
        self._prefetch = (key, task, self._monotonic())

    async def _prefetch_page(self, key: tuple[Any, ...]) -> MessagePage:
        await self._sleep(PREFETCH_DELAY_SECONDS)
        return await self._request_page(key)

    def _drop_prefetch(self) -> None:
        if self._prefetch is not None:
            self._prefetch[1].cancel()
            self._prefetch = None

    def _take_prefetched(self, key: tuple[Any, ...]) -> asyncio.Task[MessagePage] | None:
        prefetch = self._prefetch
        if prefetch is None or prefetch[0] != key:
            return None  # a poll of the page shown leaves the next page's prefetch be
        self._prefetch = None
        _, task, started = prefetch
        max_age = self.poll_seconds or PREFETCH_MAX_AGE_SECONDS
        failed = task.done() and (task.cancelled() or task.exception() is not None)
        if self._monotonic() - started > max_age or failed:
            task.cancel()  # too old, or failed: not the answer, ask again
            return None
        self._prefetch_started = started
        return task

    async def _fetch_page(self, key: tuple[Any, ...]) -> MessagePage:
        self._prefetch_started = None
        prefetched = self._take_prefetched(key)
        if prefetched is not None:
            return await prefetched
        return await self._request_page(key)

    async def _request_page(self, key: tuple[Any, ...]) -> MessagePage:
        app_id, endpoint_id, filters, cursor, page_number = key
        statuses = sorted(filters.statuses)
        if len(statuses) <= 1:
            return await self._fetch_single_page(
                app_id, endpoint_id, filters, cursor, page_number, statuses[0] if statuses else None
            )
        return await self._fetch_merged_page(
            app_id, endpoint_id, filters, cursor, page_number, statuses
        )

    def _list_kwargs(self, filters: Filters, status: int | None) -> dict[str, Any]:
        return {
            "limit": self.page_size,
            "channel": filters.channel,
            "tag": filters.tag,
            "status": status,
            "after": filters.after,
            "event_types": list(filters.event_types) or None,
            "with_content": False,
            "expanded_statuses": bool(filters.statuses & EXPANDED_STATUSES),
        }

    async def _fetch_single_page(
        self,
        app_id: str,
        endpoint_id: str,
        filters: Filters,
        cursor: PageCursor,
        page_number: int,
        status: int | None,
    ) -> MessagePage:
        going_back = bool(cursor.iterator and cursor.iterator.startswith("-"))
        page = await self.client.list_attempted_messages(
            app_id,
            endpoint_id,
            iterator=cursor.iterator,
            before=_earlier(cursor.before, filters.before),
            **self._list_kwargs(filters, status),
        )
        if going_back and page.done:
            # Nothing newer than this page: it is the first page again.
            page_number = 1
        if going_back:
            has_prev = not page.done
            has_next = True
        else:
            has_prev = page_number != 1  # 0: a page found by jumping, with newer ones before it
            has_next = not page.done
        next_cursor = PageCursor(iterator=page.iterator) if page.iterator else None
        if page_number == 1 and going_back:
            prev_cursor = None
        else:
            prev_cursor = PageCursor(iterator=page.prev_iterator) if page.prev_iterator else None
        return MessagePage(
            app_id=app_id,
            endpoint_id=endpoint_id,
            filters=filters,
            page_number=page_number,
            items=page.data,
            has_next=has_next and next_cursor is not None,
            has_prev=has_prev and prev_cursor is not None,
            next_cursor=next_cursor,
            prev_cursor=prev_cursor,
            page_size=self.page_size,
        )

    async def _fetch_merged_page(
        self,
        app_id: str,
        endpoint_id: str,
        filters: Filters,
        cursor: PageCursor,
        page_number: int,
        statuses: Sequence[int],
    ) -> MessagePage:
        """The API filters by one status; merge one query per status, newest first."""
        before = _earlier(cursor.before, filters.before)
        pages = await asyncio.gather(
            *(
                self.client.list_attempted_messages(
                    app_id, endpoint_id, before=before, **self._list_kwargs(filters, status)
                )
                for status in statuses
            )
        )
        merged: dict[str, EndpointMessageOut] = {}
        for page in pages:
            for item in page.data:
                merged.setdefault(item.id, item)
        ordered = sorted(merged.values(), key=lambda m: (m.timestamp, m.id), reverse=True)
        items = ordered[: self.page_size]
        more = len(ordered) > self.page_size or any(not p.done for p in pages)
        next_cursor = None
        if more and items:
            # `before` is exclusive; the same-millisecond neighbour risk is accepted.
            next_cursor = PageCursor(before=items[-1].timestamp)
        prev_cursor = self._merged_back_cursor((app_id, endpoint_id, filters), cursor, page_number)
        return MessagePage(
            app_id=app_id,
            endpoint_id=endpoint_id,
            filters=filters,
            page_number=page_number,
            items=items,
            has_next=next_cursor is not None,
            has_prev=page_number > 1,
            next_cursor=next_cursor,
            prev_cursor=prev_cursor,
            page_size=self.page_size,
        )

    def _merged_back_cursor(
        self, scope: tuple[str, str, Filters], cursor: PageCursor, page_number: int
    ) -> PageCursor | None:
        """Merged pages have no Svix cursor back: remember each page's start, per view."""
        if page_number <= 1:
            return None
        if self._history_key != scope:
            self._history_key = scope
            self._history = [PageCursor()]
        history = self._history  # history[n] is where page n+1 starts
        while len(history) < page_number:
            history.append(cursor)
        history[page_number - 1] = cursor
        return history[page_number - 2]

    def _deliver_page(self, _key: Any, page: MessagePage) -> None:
        self._emit(PageLoaded(page))

    async def _fetch_detail(self, key: tuple[str, str, str]) -> MessageDetail:
        app_id, endpoint_id, msg_id = key
        previous: MessageDetail | None = self._lanes["detail"].last_result
        full, self._detail_full = self._detail_full, False
        same = (
            previous is not None and (previous.app_id, previous.endpoint_id, previous.msg_id) == key
        )
        # Lists default to the last 90 days; a message's attempts all come after it was sent.
        since = self._sent_at(msg_id)
        if full or previous is None or not same:
            self._detail_polls = 0
            attempts, message, destinations = await asyncio.gather(
                self._attempts(key, since, with_content=True),
                self.client.get_message(app_id, msg_id, with_content=True),
                self.client.list_attempted_destinations(app_id, msg_id, limit=250),
            )
            return MessageDetail(app_id, endpoint_id, msg_id, attempts, message, destinations.data)
        # Polling the same message: the payload never changes and response bodies (which
        # may be megabytes) are kept from before; only new attempts need their bodies.
        self._detail_polls += 1
        attempts = await self._attempts(key, since, with_content=False)
        known = {a.id: a.response for a in previous.attempts}
        if any(a.id not in known for a in attempts):
            attempts = await self._attempts(key, since, with_content=True)
        else:
            attempts = [a.model_copy(update={"response": known[a.id]}) for a in attempts]
        destinations = previous.destinations
        if self._detail_polls % DESTINATIONS_EVERY_N_POLLS == 0:
            destinations = (
                await self.client.list_attempted_destinations(app_id, msg_id, limit=250)
            ).data
        return MessageDetail(app_id, endpoint_id, msg_id, attempts, previous.message, destinations)

    async def _attempts(
        self, key: tuple[str, str, str], since: datetime | None, *, with_content: bool
    ) -> list[MessageAttemptOut]:
        app_id, endpoint_id, msg_id = key
        page = await self.client.list_attempts_by_msg(
            app_id,
            msg_id,
            endpoint_id=endpoint_id,
            limit=250,
            with_content=with_content,
            after=since,
        )
        return page.data

    def _sent_at(self, msg_id: str) -> datetime | None:
        """Just before the message was sent, if it is on the page shown (else unknown)."""
        page: MessagePage | None = self._lanes["page"].last_result
        for message in page.items if page is not None else ():
            if message.id == msg_id:
                return message.timestamp - timedelta(seconds=1)
        return None

    def _deliver_detail(self, _key: Any, detail: MessageDetail) -> None:
        self._emit(DetailLoaded(detail))


def _consume_error(task: asyncio.Task[Any]) -> None:
    """A prefetch nobody used may fail quietly; the real fetch reports its own errors."""
    if not task.cancelled():
        task.exception()


def _earlier(a: datetime | None, b: datetime | None) -> datetime | None:
    """The tighter of two exclusive upper bounds; None is no bound."""
    if a is None or b is None:
        return a or b
    return min(a, b)


def _outcome_word(error: ApiError) -> str:
    """'unknown' when the server may have acted before the answer was lost, else 'failed'."""
    if isinstance(error, ServerError) or (isinstance(error, NetworkError) and error.maybe_sent):
        return "unknown"
    return "failed"


class _Force:
    """A key that never equals a real one, so the next result is always delivered."""

    def __eq__(self, other: object) -> bool:
        return False

    def __hash__(self) -> int:
        return 0


_FORCE = _Force()


def window_note(page: MessagePage) -> str | None:
    """The hint shown when a page is short: lists only cover 90 days by default."""
    if not page.short or page.filters.has_time_window:
        return None
    return "Without a before/after filter a list spans 90 days; 'after' reaches further."
