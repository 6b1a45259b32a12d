"""Answers an API fuzzer checked against the spec: 405 Allow, foreign iterators, bad channels."""

from __future__ import annotations

import httpx
from demo_support import Spec, timestamp

from attempt_tui.demo import ids
from attempt_tui.demo.model import SECOND
from attempt_tui.demo.server import DemoServer

SPEC_EXAMPLE_MSG_ID = "msg_1srOrx2ZWZBpBUvZwXKQmoEYga2"  # a Svix id from 2021


def foreign_id(prefix: str, ts_us: int) -> str:
    """A well-formed id as Svix makes them: seconds, then 16 random bytes (here all 0xAB)."""
    seconds = ts_us // SECOND
    value = ((seconds - ids.KSUID_EPOCH) << 128) | int.from_bytes(b"\xab" * 16, "big")
    chars = []
    for _ in range(ids.ID_CHARS):
        value, digit = divmod(value, 62)
        chars.append(ids.ALPHABET[digit])
    return prefix + "".join(reversed(chars))


async def test_405_names_the_allowed_methods(client: httpx.AsyncClient, demo: DemoServer) -> None:
    app = demo.world.apps[0]
    response = await client.delete(f"/api/v1/app/{app.id}")
    assert response.status_code == 405
    assert set(response.headers["allow"].replace(" ", "").split(",")) >= {"GET"}
    assert response.json()["code"] == "method_not_allowed"
    resend = await client.get(
        f"/api/v1/app/{app.id}/msg/{demo.world.msg_id(app.messages[-1])}"
        f"/endpoint/{app.endpoints[0].id}/resend"
    )
    assert resend.status_code == 405 and resend.headers["allow"] == "POST"


async def test_a_foreign_message_id_is_a_position_in_time(
    client: httpx.AsyncClient, demo: DemoServer
) -> None:
    world = demo.world
    app = world.apps[0]
    at_us = world.now_us - 36 * 3600 * SECOND
    iterator = foreign_id("msg_", at_us)
    assert ids.decode("msg_", iterator) is None  # not an id this world could have made
    path = f"/api/v1/app/{app.id}/msg"
    params: dict[str, str | int] = {"limit": 20, "with_content": "false"}

    older = await client.get(path, params={**params, "iterator": iterator})
    assert older.status_code == 200, older.text
    next_second = (at_us // SECOND + 1) * SECOND
    expected = [world.msg_id(msg) for msg in reversed(app.messages) if msg.ts_us < next_second][:20]
    assert [item["id"] for item in older.json()["data"]] == expected

    newer = await client.get(path, params={**params, "iterator": "-" + iterator})
    assert newer.status_code == 200, newer.text
    items = newer.json()["data"]
    oldest_after = next(msg for msg in app.messages if msg.ts_us >= next_second)
    assert items[-1]["id"] == world.msg_id(oldest_after)
    assert all(timestamp(item["timestamp"]).timestamp() * SECOND >= next_second for item in items)

    # The spec's own example id is from 2021: 90 days from it hold nothing of this world.
    old = await client.get(path, params={"iterator": SPEC_EXAMPLE_MSG_ID})
    assert old.status_code == 200
    assert old.json() == {"data": [], "iterator": None, "prevIterator": None, "done": True}


async def test_malformed_iterators_are_still_422(
    client: httpx.AsyncClient, demo: DemoServer
) -> None:
    path = f"/api/v1/app/{demo.world.apps[0].id}/msg"
    for bad in ("msg_short", "ep_" + "A" * 27, "msg_" + "!" * 27, "msg_" + "z" * 27):
        response = await client.get(path, params={"iterator": bad})
        assert response.status_code == 422, bad
        assert response.json()["detail"][0]["loc"] == ["query", "iterator"]


BAD_FILTERS = [
    ("channel", "store eu"),
    ("channel", "store/eu"),
    ("channel", "x" * 129),
    ("channel", "eu\n"),
    ("tag", "vip!"),
    ("event_types", "order created"),
]


async def test_filter_values_outside_the_spec_pattern_are_422(
    client: httpx.AsyncClient, demo: DemoServer, spec: Spec
) -> None:
    app = demo.world.apps[1]
    endpoint = app.endpoints[0]
    for name, value in BAD_FILTERS:
        for path in (
            f"/api/v1/app/{app.id}/msg",
            f"/api/v1/app/{app.id}/endpoint/{endpoint.id}/msg",
            f"/api/v1/app/{app.id}/attempt/endpoint/{endpoint.id}",
        ):
            response = await client.get(path, params={name: value})
            assert response.status_code == 422, (path, name, value, response.text)
            body = response.json()
            spec.validate("HTTPValidationError", body)
            assert body["detail"][0]["loc"] == ["query", name]


async def test_filter_values_the_pattern_allows_still_filter(
    client: httpx.AsyncClient, demo: DemoServer
) -> None:
    app = demo.world.apps[1]
    for channel in ("store-eu", "project_1337", "a.b:c+d"):
        response = await client.get(f"/api/v1/app/{app.id}/msg", params={"channel": channel})
        assert response.status_code == 200, response.text
    eu = await client.get(f"/api/v1/app/{app.id}/msg", params={"channel": "store-eu"})
    assert eu.json()["data"] and all("store-eu" in m["channels"] for m in eu.json()["data"])
