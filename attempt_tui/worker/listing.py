"""What the picker lists: apps and endpoints, a page at a time on demand, the delivery counts
of the endpoints on screen only, and the open app and endpoint themselves.

Real accounts have tens of thousands of apps and hundreds of endpoints per app: nothing here
lists everything, and counts (one request per endpoint) are fetched only for what is visible.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Generic, TypeVar

from attempt_tui.api.budget import Priority
from attempt_tui.api.errors import ApiError, NotFoundError
from attempt_tui.api.models import ApplicationOut, EndpointOut, EndpointStats, Page
from attempt_tui.worker.events import (
    AppGone,
    AppsLoaded,
    EndpointsLoaded,
    Opened,
    StatsLoaded,
    Synced,
)
from attempt_tui.worker.lanes import FORCE, Lane, outcome, ready
from attempt_tui.worker.query import ViewQuery

if TYPE_CHECKING:
    from attempt_tui.worker.core import DataWorker

ENDPOINTS_EVERY_N_POLLS = 6
APPS_PAGE_SIZE = 100
ENDPOINTS_PAGE_SIZE = 100
# Counts are one request per endpoint: this many at a time, at most.
STATS_AT_ONCE = 4
STATS_DEBOUNCE_SECONDS = 0.3

T = TypeVar("T")


@dataclass(frozen=True)
class Listed(Generic[T]):
    """The items of the pages loaded so far, and whether the list goes on."""

    items: list[T]
    has_more: bool
    pages: int


class PagedList(Generic[T]):
    """Pages of one Svix list, loaded in order; a refresh reads the first page again."""

    def __init__(self) -> None:
        self.pages: list[Page[T]] = []

    def reset(self) -> None:
        self.pages = []

    async def load(self, wanted: int, fetch: Callable[[str | None], Awaitable[Page[T]]]) -> None:
        """Load the next page when more are wanted than loaded; else read the first again."""
        if self.pages and len(self.pages) < wanted and not self.pages[-1].done:
            self.pages.append(await fetch(self.pages[-1].iterator))
            return
        first = await fetch(None)
        self.pages = [first, *self.pages[1:]] if first.data else [first]

    def listed(self) -> Listed[T]:
        seen: set[object] = set()
        items: list[T] = []
        for page in self.pages:
            for item in page.data:
                key = getattr(item, "id", item)
                if key not in seen:
                    seen.add(key)
                    items.append(item)
        has_more = bool(self.pages) and not self.pages[-1].done
        return Listed(items, has_more, len(self.pages))


HasId = TypeVar("HasId", ApplicationOut, EndpointOut)
ListKey = TypeVar("ListKey")


class PagedListLane(Lane[ListKey, Listed[HasId]]):
    """A list read a page at a time: more pages when asked for, the first again on a poll."""

    def __init__(self, worker: DataWorker) -> None:
        super().__init__(worker)
        self.worker = worker
        self.wanted_pages = 1
        self.list: PagedList[HasId] = PagedList()

    def priority(self) -> Priority:
        # Nobody waits for the lists while messages are open.
        return Priority.BACKGROUND if self.worker.query.endpoint_id else Priority.DETAIL

    def load_more(self) -> None:
        listed = self.last_result
        if listed is not None and listed.has_more and self.wanted_pages <= listed.pages:
            self.wanted_pages = listed.pages + 1
            self.wake_up()

    def find(self, item_id: str) -> HasId | None:
        listed = self.last_result
        return next((i for i in listed.items if i.id == item_id), None) if listed else None


@dataclass(frozen=True)
class AppsKey:
    pages: int


class AppsLane(PagedListLane[AppsKey, ApplicationOut]):
    name = "apps"

    def key(self) -> AppsKey:
        return AppsKey(self.wanted_pages)

    def interval(self) -> float | None:
        return None  # read on start, on demand for more, and on F5

    async def fetch(self, key: AppsKey) -> Listed[ApplicationOut]:
        client = self.worker.client
        await self.list.load(
            key.pages, lambda it: client.list_applications(limit=APPS_PAGE_SIZE, iterator=it)
        )
        return self.list.listed()

    def deliver(self, key: AppsKey, result: Listed[ApplicationOut]) -> None:
        self.worker.emit(AppsLoaded(result.items, result.has_more))
        self.worker.open_first_app(result)


@dataclass(frozen=True)
class EndpointsKey:
    app_id: str
    pages: int


class EndpointsLane(PagedListLane[EndpointsKey, EndpointOut]):
    name = "endpoints"

    def __init__(self, worker: DataWorker) -> None:
        super().__init__(worker)
        self._app_id: str | None = None

    def key(self) -> EndpointsKey | None:
        app_id = self.worker.query.app_id
        if app_id is None:
            return None
        if app_id != self._app_id:
            self._app_id = app_id
            self.wanted_pages = 1
            self.list.reset()
        return EndpointsKey(app_id, self.wanted_pages)

    def interval(self) -> float | None:
        return (self.worker.poll_seconds * ENDPOINTS_EVERY_N_POLLS) or None

    async def fetch(self, key: EndpointsKey) -> Listed[EndpointOut]:
        client = self.worker.client
        await self.list.load(
            key.pages,
            lambda it: client.list_endpoints(key.app_id, limit=ENDPOINTS_PAGE_SIZE, iterator=it),
        )
        return self.list.listed()

    def deliver(self, key: EndpointsKey, result: Listed[EndpointOut]) -> None:
        self.worker.emit(EndpointsLoaded(key.app_id, result.items, result.has_more))

    def settled(self, key: EndpointsKey) -> None:
        # Before an endpoint is open, the endpoint list is what "fresh" refers to.
        if self.worker.query.endpoint_id is None:
            self.worker.emit(Synced(self.worker.monotonic()))

    def not_found(self, key: EndpointsKey, error: NotFoundError) -> bool:
        """The open app is gone: back to the app list (where it is not opened again)."""
        worker = self.worker
        worker.gone_apps.add(key.app_id)
        worker.query = ViewQuery(filters=worker.query.filters)
        self.forget()
        worker.clear_failures()
        worker.emit(AppGone(key.app_id, error.message))
        worker.wake("apps", "page", "detail", force=True)
        return True


@dataclass(frozen=True)
class StatsKey:
    app_id: str
    endpoint_ids: tuple[str, ...]
    span: timedelta | None


class StatsLane(Lane[StatsKey, dict[str, EndpointStats]]):
    """Delivery counts of the endpoints on screen (and the open one), a few at a time."""

    name = "stats"
    debounce = STATS_DEBOUNCE_SECONDS

    def __init__(self, worker: DataWorker) -> None:
        super().__init__(worker)
        self.worker = worker
        self.visible: tuple[str, ...] = ()
        # Whether the counts in view are kept fresh, or only fetched once (the open endpoint's
        # always are): a list at the side of the messages is not read, and a platform app's
        # thirty endpoints in view would cost a request a second.
        self.refresh_visible = True
        # (app, span, endpoint) -> the counts and when they were fetched (monotonic)
        self._cache: dict[tuple[str, timedelta | None, str], tuple[EndpointStats, float]] = {}

    def priority(self) -> Priority:
        return Priority.BACKGROUND

    def key(self) -> StatsKey | None:
        q = self.worker.query
        if q.app_id is None:
            return None
        wanted = list(self.visible)
        if q.endpoint_id is not None and q.endpoint_id not in wanted:
            wanted.append(q.endpoint_id)
        if not wanted:
            return None
        return StatsKey(q.app_id, tuple(wanted), self.worker.stats_span)

    def interval(self) -> float | None:
        return (self.worker.poll_seconds * ENDPOINTS_EVERY_N_POLLS) or None

    def _max_age(self) -> float:
        # A little under the poll interval, so a poll finds last poll's counts due.
        return 0.9 * (self.interval() or float("inf"))

    async def fetch(self, key: StatsKey) -> dict[str, EndpointStats]:
        worker = self.worker
        now = worker.monotonic()
        forced = self.last_key is FORCE  # F5: everything on screen is read again
        open_endpoint = worker.query.endpoint_id

        def wanted(ep: str) -> bool:
            cached = self._cache.get((key.app_id, key.span, ep))
            if forced or cached is None:
                return True
            expired = now - cached[1] >= self._max_age()
            return expired and (self.refresh_visible or ep == open_endpoint)

        stale = [ep for ep in key.endpoint_ids if wanted(ep)]
        since = worker.now() - key.span if key.span is not None else None
        gate = asyncio.Semaphore(STATS_AT_ONCE)

        async def one(endpoint_id: str) -> None:
            async with gate:
                stats = await worker.client.get_endpoint_stats(key.app_id, endpoint_id, since=since)
            self._cache[(key.app_id, key.span, endpoint_id)] = (stats, worker.monotonic())

        results = await asyncio.gather(*(one(ep) for ep in stale), return_exceptions=True)
        errors = [r for r in results if isinstance(r, BaseException)]
        if errors and len(errors) == len(results):
            raise errors[0]  # none answered: the lane reports it and backs off
        return {
            ep: self._cache[(key.app_id, key.span, ep)][0]
            for ep in key.endpoint_ids
            if (key.app_id, key.span, ep) in self._cache
        }

    def not_found(self, key: StatsKey, error: NotFoundError) -> bool:
        return True  # the endpoints and page lanes say what is gone

    def deliver(self, key: StatsKey, result: dict[str, EndpointStats]) -> None:
        self.worker.emit(StatsLoaded(key.app_id, key.span, result))

    def show(self, endpoint_ids: tuple[str, ...], *, refresh: bool = True) -> None:
        """The endpoints in view; `refresh`: keep their counts fresh (the list is being read)."""
        wake = endpoint_ids != self.visible or (refresh and not self.refresh_visible)
        self.visible, self.refresh_visible = endpoint_ids, refresh
        if wake:
            self.wake_up()


@dataclass(frozen=True)
class OpenedKey:
    app_id: str
    endpoint_id: str | None


OpenedPair = tuple[ApplicationOut | None, EndpointOut | None]


class OpenedLane(Lane[OpenedKey, OpenedPair]):
    """The open app and endpoint themselves, however they were opened (list, go-to, flag)."""

    name = "opened"

    def __init__(self, worker: DataWorker) -> None:
        super().__init__(worker)
        self.worker = worker

    def key(self) -> OpenedKey | None:
        q = self.worker.query
        return OpenedKey(q.app_id, q.endpoint_id) if q.app_id is not None else None

    def interval(self) -> float | None:
        return None  # read when something else is opened, and on F5

    async def fetch(self, key: OpenedKey) -> OpenedPair:
        worker = self.worker
        client = worker.client
        if self.last_key == key and self.last_result is not None:
            return self.last_result  # woken for other lanes: nothing new opened
        polled = self.last_key is FORCE  # F5 reads them again; else the lists serve
        app = None if polled else worker.apps_lane.find(key.app_id)
        if app is None and not polled and self.last_result is not None:
            known = self.last_result[0]  # another endpoint of the same app: it is known
            app = known if known is not None and known.id == key.app_id else None
        endpoint = None
        if key.endpoint_id is not None and not polled:
            endpoint = worker.endpoints_lane.find(key.endpoint_id)
        wanted_endpoint = key.endpoint_id if endpoint is None else None
        fetched_app, fetched_endpoint = await asyncio.gather(
            outcome(client.get_application(key.app_id)) if app is None else ready(app),
            outcome(client.get_endpoint(key.app_id, wanted_endpoint))
            if wanted_endpoint is not None
            else ready(endpoint),
        )
        if isinstance(fetched_app, ApiError):
            raise fetched_app
        # An endpoint that can't be read leaves the app named; the page lane says why.
        found = fetched_endpoint if isinstance(fetched_endpoint, EndpointOut) else None
        return fetched_app, found

    def deliver(self, key: OpenedKey, result: OpenedPair) -> None:
        app, endpoint = result
        self.worker.emit(Opened(app, endpoint))

    def cleared(self) -> None:
        self.worker.emit(Opened(None, None))

    def not_found(self, key: OpenedKey, error: NotFoundError) -> bool:
        return True  # the endpoints and page lanes say what is gone, and go back

    def seed(self, app: ApplicationOut, endpoint: EndpointOut | None) -> None:
        """Both were just fetched (by id or uid, at start or by go-to): no need to again."""
        self.last_key = OpenedKey(app.id, endpoint.id if endpoint is not None else None)
        self.last_result = (app, endpoint)
        self.worker.emit(Opened(app, endpoint))
