"""The data worker against the demo world over the real client: what Svix's windows mean."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx

from attempt_tui.api.client import SvixClient
from attempt_tui.demo.world import WINDOW_US, from_us
from attempt_tui.secret import Secret
from attempt_tui.worker import DataWorker, DetailLoaded, PageLoaded
from tests import waiting


async def until(condition: Callable[[], bool]) -> None:
    await waiting.until(condition, timeout=5.0, step=0.005)


async def test_attempts_of_a_message_older_than_90_days_are_shown(demo) -> None:
    world = demo.world
    endpoint = world.roles["busiest"]
    old = next(d for d in endpoint.dests if d.msg.ts_us < world.now_us - WINDOW_US - 86_400_000_000)
    assert old.attempts, "the demo has attempts for its old messages"
    client = SvixClient(
        Secret("demo"), "http://demo.local", transport=httpx.ASGITransport(app=demo.asgi_app)
    )
    events: list[Any] = []
    worker = DataWorker(client, events.append, poll_seconds=0, page_size=50)
    worker.select_app(endpoint.app.id)
    worker.select_endpoint(endpoint.id)
    msg_id = world.msg_id(old.msg)
    sent = from_us(old.msg.ts_us)
    worker.start()
    try:
        await until(lambda: any(isinstance(e, PageLoaded) for e in events))
        page = next(e.page for e in events if isinstance(e, PageLoaded))
        assert all(m.id != msg_id for m in page.items)  # far down the list
        worker.jump_to(msg_id, sent)
        await until(
            lambda: any(e.page.page_number == 0 for e in events if isinstance(e, PageLoaded))
        )
        worker.select_message(msg_id)
        await until(lambda: any(isinstance(e, DetailLoaded) for e in events))
        detail = next(e.detail for e in events if isinstance(e, DetailLoaded))
        assert detail.msg_id == msg_id
        assert len(detail.attempts) == len(old.attempts)
        assert detail.attempts[0].timestamp > detail.message.timestamp - timedelta(seconds=1)
    finally:
        await worker.stop()
        await client.aclose()


class RecordingTransport(httpx.AsyncBaseTransport):
    def __init__(self, asgi_app: Any) -> None:
        self.inner = httpx.ASGITransport(app=asgi_app)
        self.paths: list[str] = []
        self.in_flight = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        self.in_flight += 1
        try:
            return await self.inner.handle_async_request(request)
        finally:
            self.in_flight -= 1

    async def quiet(self) -> None:
        """Until no request has been asked for, or is in flight, for 50 loop turns."""
        await waiting.settled(lambda: len(self.paths), busy=lambda: self.in_flight > 0)


async def test_going_to_an_event_id_in_the_open_app_shows_it_after_three_requests(demo) -> None:
    """The lookup's message and attempts are the detail's: only the page is asked for after
    it (where else it was sent waits for a tab that shows it)."""
    endpoint = demo.world.roles["busiest"]
    transport = RecordingTransport(demo.asgi_app)
    client = SvixClient(Secret("demo"), "http://demo.local", transport=transport)
    events: list[Any] = []
    worker = DataWorker(client, events.append, poll_seconds=0, page_size=50, sleep=waiting.never)
    worker.detail_lane.debounce = 0  # the detail asks at once, as after the cursor stopped
    worker.select_app(endpoint.app.id)
    worker.select_endpoint(endpoint.id)
    worker.start()
    try:
        await until(lambda: any(isinstance(e, PageLoaded) for e in events))
        first_page = next(e.page for e in events if isinstance(e, PageLoaded))
        wanted = next(m for m in reversed(first_page.items) if m.event_id)
        await transport.quiet()
        transport.paths.clear()
        found = await worker.go_to(wanted.event_id or "")
        worker.open_location(found)
        details = lambda: [e.detail for e in events if isinstance(e, DetailLoaded)]  # noqa: E731
        await until(lambda: any(d.msg_id == wanted.id for d in details()))
        detail = details()[-1]
        assert detail.message is not None and detail.message.payload
        assert detail.attempts and detail.destinations is None
        prefix = f"/api/v1/app/{endpoint.app.id}"
        assert transport.paths == [
            f"{prefix}/msg/{wanted.event_id}",
            f"{prefix}/attempt/msg/{wanted.id}",
            f"{prefix}/endpoint/{endpoint.id}/msg",
        ]
    finally:
        await worker.stop()
        await client.aclose()


async def test_the_early_first_page_is_the_request_the_worker_sends(demo) -> None:
    """api/early.py spells out the first page's query; it must stay the page lane's own."""
    from attempt_tui.api.early import first_page_path, first_page_query

    endpoint = demo.world.roles["busiest"]
    sent: list[httpx.Request] = []

    async def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return await inner.handle_async_request(request)

    inner = httpx.ASGITransport(app=demo.asgi_app)
    client = SvixClient(Secret("demo"), "http://demo.local", transport=httpx.MockTransport(record))
    events: list[Any] = []
    worker = DataWorker(client, events.append, poll_seconds=0, page_size=37)
    worker.open_at_start(endpoint.app.id, endpoint.id)
    worker.start()
    try:
        await until(lambda: any(isinstance(e, PageLoaded) for e in events))
        path = first_page_path(endpoint.app.id, endpoint.id)
        page_requests = [r for r in sent if r.url.path == path]
        assert len(page_requests) == 1
        assert sorted(page_requests[0].url.params.multi_items()) == sorted(first_page_query(37))
    finally:
        await worker.stop()
        await client.aclose()
