"""The data worker against the demo world over the real client: what Svix's windows mean."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import httpx

from attempt_tui.api.client import SvixClient
from attempt_tui.demo.world import WINDOW_US, from_us
from attempt_tui.secret import Secret
from attempt_tui.worker import DataWorker, DetailLoaded, PageLoaded


async def until(condition, timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.005)


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
