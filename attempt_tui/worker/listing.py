"""The apps and endpoints lanes: what the picker lists, with each endpoint's delivery counts."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from attempt_tui.api.errors import NotFoundError
from attempt_tui.api.models import ApplicationOut, EndpointOut, EndpointStats
from attempt_tui.worker.events import AppGone, AppsLoaded, EndpointsLoaded, Synced
from attempt_tui.worker.lanes import Lane
from attempt_tui.worker.query import EndpointsKey, ViewQuery

if TYPE_CHECKING:
    from attempt_tui.worker.core import DataWorker

ENDPOINTS_EVERY_N_POLLS = 6

EndpointList = tuple[list[EndpointOut], dict[str, EndpointStats]]


class AppsLane(Lane[bool, list[ApplicationOut]]):
    name = "apps"

    def __init__(self, worker: DataWorker) -> None:
        super().__init__(worker)
        self.worker = worker

    def key(self) -> bool:
        return True

    def interval(self) -> float | None:
        return None  # the app list is read once (and again on F5)

    async def fetch(self, key: bool) -> list[ApplicationOut]:
        page = await self.worker.client.list_applications(limit=250)
        return page.data

    def deliver(self, key: bool, result: list[ApplicationOut]) -> None:
        self.worker.open_wanted_app(result)
        self.worker.emit(AppsLoaded(result))


class EndpointsLane(Lane[EndpointsKey, EndpointList]):
    name = "endpoints"

    def __init__(self, worker: DataWorker) -> None:
        super().__init__(worker)
        self.worker = worker

    def key(self) -> EndpointsKey | None:
        app_id = self.worker.query.app_id
        return EndpointsKey(app_id, self.worker.stats_span) if app_id is not None else None

    def interval(self) -> float | None:
        return (self.worker.poll_seconds * ENDPOINTS_EVERY_N_POLLS) or None

    async def fetch(self, key: EndpointsKey) -> EndpointList:
        client = self.worker.client
        since = self.worker.now() - key.stats_span if key.stats_span is not None else None
        page = await client.list_endpoints(key.app_id, limit=250)
        endpoints = page.data
        results: list[Any] = await asyncio.gather(
            *(client.get_endpoint_stats(key.app_id, ep.id, since=since) for ep in endpoints),
            return_exceptions=True,
        )
        stats = {
            ep.id: result
            for ep, result in zip(endpoints, results, strict=True)
            if isinstance(result, EndpointStats)
        }
        return endpoints, stats

    def deliver(self, key: EndpointsKey, result: EndpointList) -> None:
        endpoints, stats = result
        self.worker.open_wanted_endpoint(key.app_id, endpoints)
        self.worker.emit(EndpointsLoaded(key.app_id, endpoints, stats))

    def settled(self, key: EndpointsKey) -> None:
        # Before an endpoint is open, the endpoint list is what "fresh" refers to.
        if self.worker.query.endpoint_id is None:
            self.worker.emit(Synced(self.worker.monotonic()))

    def not_found(self, key: EndpointsKey, error: NotFoundError) -> bool:
        """The open app is gone: back to the app list."""
        worker = self.worker
        worker.query = ViewQuery(filters=worker.query.filters)
        self.forget()
        worker.clear_failures()
        worker.emit(AppGone(key.app_id, error.message))
        worker.wake("apps", "page", "detail", force=True)
        return True
