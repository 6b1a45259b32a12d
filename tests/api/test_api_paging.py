"""Svix cursors: forward with `iterator`, back with `prevIterator`, stop on `done`."""

from __future__ import annotations

import httpx

from attempt_tui.api.client import iter_pages
from attempt_tui.api.models import Page

APP = "app_2hVXOqRbq6eKwAvXhAlTaqzX0Qe"
MSG = "msg_2hVXOqRbq6eKwAvXhAlTaqzX0Qg"


async def test_forward_then_back(svix, sample) -> None:
    first = sample.page(
        [sample.attempt(3), sample.attempt(2)], iterator="atmpt_2", prev="-atmpt_3", done=False
    )
    second = sample.page([sample.attempt(1)], iterator="atmpt_1", prev="-atmpt_1", done=True)
    back = sample.page(
        [sample.attempt(3), sample.attempt(2)], iterator="atmpt_2", prev="-atmpt_3", done=True
    )
    svix.reply(
        httpx.Response(200, json=first),
        httpx.Response(200, json=second),
        httpx.Response(200, json=back),
    )
    client = svix.client()

    p1 = await client.list_attempts_by_msg(APP, MSG, limit=2)
    assert p1.has_next
    p2 = await client.list_attempts_by_msg(APP, MSG, limit=2, iterator=p1.iterator)
    assert p2.done and not p2.has_next
    assert p2.iterator == "atmpt_1"  # non-null on the last page: `done` is what says stop
    # Back toward newer items: prevIterator (already '-'-prefixed) goes in `iterator`.
    p0 = await client.list_attempts_by_msg(APP, MSG, limit=2, iterator=p2.prev_iterator)
    assert [a.id for a in p0.data] == [a.id for a in p1.data]

    sent = [r.url.params.get("iterator") for r in svix.requests]
    assert sent == [None, "atmpt_2", "-atmpt_1"]


def _fake_pages(pages: list[Page[int]]):
    calls: list[str | None] = []

    async def fetch(iterator: str | None) -> Page[int]:
        calls.append(iterator)
        return pages[min(len(calls) - 1, len(pages) - 1)]

    return fetch, calls


async def test_iter_pages_follows_iterator_until_done() -> None:
    fetch, calls = _fake_pages(
        [
            Page[int](data=[1, 2], iterator="a", done=False),
            Page[int](data=[3, 4], iterator="b", done=False),
            Page[int](data=[5], iterator="c", done=True),  # iterator set, yet done
            Page[int](data=[99], iterator="d", done=False),
        ]
    )
    items = [item async for page in iter_pages(fetch) for item in page.data]
    assert items == [1, 2, 3, 4, 5]
    assert calls == [None, "a", "b"]


async def test_iter_pages_cap() -> None:
    counter = 0

    async def endless(iterator: str | None) -> Page[int]:
        nonlocal counter
        counter += 1
        return Page[int](data=[counter], iterator=f"it{counter}", done=False)

    pages = [page async for page in iter_pages(endless, max_pages=3)]
    assert [p.data for p in pages] == [[1], [2], [3]]
    assert counter == 3


async def test_iter_pages_stops_without_a_usable_cursor() -> None:
    fetch, calls = _fake_pages([Page[int](data=[1], iterator=None, done=False)])
    assert len([p async for p in iter_pages(fetch)]) == 1
    fetch, calls = _fake_pages(
        [
            Page[int](data=[1], iterator="same", done=False),
            Page[int](data=[2], iterator="same", done=False),
        ]
    )
    assert len([p async for p in iter_pages(fetch)]) == 2
    assert calls == [None, "same"]


async def test_iter_pages_with_the_client_counts_requests(svix, sample) -> None:
    svix.reply(
        httpx.Response(200, json=sample.page([sample.endpoint(1)], iterator="ep_a", done=False)),
        httpx.Response(200, json=sample.page([sample.endpoint(2)], iterator="ep_b", done=False)),
        httpx.Response(200, json=sample.page([sample.endpoint(3)], iterator="ep_c", done=False)),
    )
    client = svix.client()

    async def fetch(iterator: str | None):
        return await client.list_endpoints(APP, limit=1, iterator=iterator)

    pages = [p async for p in iter_pages(fetch, max_pages=2)]
    assert [p.data[0].id for p in pages] == [
        "ep_000000000000000000000000001",
        "ep_000000000000000000000000002",
    ]
    assert len(svix.sent) == 2
