"""The demo world itself: ids, the seeded cast, retry schedules, the live simulator."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta

import httpx
from demo_support import AUTH, NOW

from attempt_tui.demo import ids, wire
from attempt_tui.demo.model import FAIL, MANUAL, PENDING, SCHEDULED, SENDING, SUCCESS, TIMEOUT_MS
from attempt_tui.demo.server import DemoServer, build_demo
from attempt_tui.demo.world import LIVE_COMPRESSION, RETRY_DELAYS_US, World, to_us

_ID = re.compile(r"^[0-9A-Za-z]{27}$")


def test_ids_round_trip_and_sort_by_time() -> None:
    r = random.Random(1)
    keys = [
        ids.make_key(to_us(NOW) - r.randrange(10**13), r.randrange(1 << 24)) for _ in range(2000)
    ]
    encoded = {key: ids.encode("msg_", key, 7) for key in keys}
    for key, value in encoded.items():
        assert value.startswith("msg_") and _ID.match(value[4:])
        assert ids.decode("msg_", value) == key
    assert sorted(keys) == [ids.decode("msg_", value) for value in sorted(encoded.values())]
    assert ids.encode("msg_", keys[0], 7) != ids.encode(
        "msg_", keys[0], 8
    )  # the seed picks the tail
    for bad in ("ep_" + encoded[keys[0]][4:], "msg_short", "msg_" + "!" * 27, "msg_" + "z" * 27):
        assert ids.decode("msg_", bad) is None


def test_world_cast(demo: DemoServer) -> None:
    world = demo.world
    assert [app.uid for app in world.apps] == ["acme-payments", "globex-shop", "initech-tools"]
    roles = world.roles
    busiest = roles["busiest"]
    assert busiest.uid == "ledger-prod" and busiest.app.uid == "acme-payments"
    assert len(busiest.dests) >= 5000
    assert max(len(ep.dests) for app in world.apps for ep in app.endpoints) == len(busiest.dests)
    assert roles["disabled"].disabled and not busiest.disabled

    flaky = [a for a in roles["flaky"].attempts if a.trigger == SCHEDULED]
    server_errors = sum(1 for a in flaky if 500 <= a.code < 600) / len(flaky)
    assert 0.35 < server_errors < 0.65

    timeout = roles["timeout"]
    since = world.now_us - 36 * 3600 * 1_000_000
    recent = [a for a in timeout.attempts if a.ts_us - a.duration_ms * 1000 >= since]
    assert recent and all(a.code == 0 and a.duration_ms == TIMEOUT_MS for a in recent)
    assert {a.code for a in roles["client_error"].attempts} <= {401, 404, 410, 422}
    assert all(
        dest.msg.ts_us < roles["disabled"].disabled_since_us for dest in roles["disabled"].dests
    )

    statuses = Counter(
        dest.status for app in world.apps for ep in app.endpoints for dest in ep.dests
    )
    assert all(statuses[status] for status in (SUCCESS, PENDING, FAIL, SENDING))
    messages = [msg for app in world.apps for msg in app.messages]
    with_event_id = sum(msg.has_event_id for msg in messages) / len(messages)
    assert 0.7 < with_event_id < 0.9
    assert {"invoice.paid", "customer.updated", "order.created"} <= {
        msg.event_type for msg in messages
    }


def test_big_payloads_are_lazy_and_deterministic(demo: DemoServer) -> None:
    world = demo.world
    big = [msg for app in world.apps for msg in app.messages if msg.big]
    assert len(big) >= 5
    for msg in big[:3]:
        text = json.dumps(wire.message_payload(world, msg))
        assert 40_000 < len(text) < 60_000
        assert (
            json.dumps(wire.message_payload(build_demo(7, live=False, now=NOW).world, msg)) == text
        )


def test_scheduled_retries_follow_svix_schedule(demo: DemoServer) -> None:
    world = demo.world
    exhausted = next(dest for dest in world.roles["client_error"].dests if len(dest.attempts) == 8)
    assert exhausted.status == FAIL
    attempts = exhausted.attempts
    for index in range(1, 8):
        started = attempts[index].ts_us - attempts[index].duration_ms * 1000
        assert started - attempts[index - 1].ts_us == RETRY_DELAYS_US[index]
    pending = next(dest for dest in world.roles["client_error"].dests if dest.status == PENDING)
    tries = len(pending.attempts)
    assert pending.next_attempt_us == pending.attempts[-1].ts_us + RETRY_DELAYS_US[tries]
    assert pending.next_attempt_us > world.now_us


def test_live_simulator_brings_messages_and_moves_pending_ones(demo: DemoServer) -> None:
    world = demo.world
    before = sum(len(app.messages) for app in world.apps)
    world.tick(60)
    assert world.now == NOW + timedelta(seconds=60)
    live = [
        msg for app in world.apps for msg in app.messages if msg.compression == LIVE_COMPRESSION
    ]
    assert 10 <= len(live) <= 40
    assert sum(len(app.messages) for app in world.apps) == before + len(live)
    assert all(msg.ts_us > to_us(NOW) for msg in live)

    # Keep ticking until a live delivery waits for a retry, then watch the compressed retry happen.
    waiting = None
    for _ in range(120):
        world.tick(5)
        waiting = next(
            (
                d
                for app in world.apps
                for m in app.messages[-40:]
                for d in m.dests
                if m.compression == LIVE_COMPRESSION and d.status == PENDING and d.attempts
            ),
            None,
        )
        if waiting is not None:
            break
    assert waiting is not None
    tries = len(waiting.attempts)
    assert (
        waiting.next_attempt_us
        == waiting.attempts[-1].ts_us + RETRY_DELAYS_US[tries] // LIVE_COMPRESSION
    )
    world.tick((waiting.next_attempt_us - world.now_us) / 1_000_000 + 16)
    assert len(waiting.attempts) > tries

    world.tick(3600)  # the whole compressed schedule is under half an hour
    for msg in live:
        assert all(dest.status in (SUCCESS, FAIL) for dest in msg.dests)


def test_tick_granularity_does_not_matter() -> None:
    coarse = World(7, live=False, now=NOW)
    fine = World(7, live=False, now=NOW)
    coarse.tick(120)
    for _ in range(240):
        fine.tick(0.5)
    assert coarse.now_us == fine.now_us
    for app_a, app_b in zip(coarse.apps, fine.apps, strict=True):
        assert [coarse.msg_id(m) for m in app_a.messages] == [
            fine.msg_id(m) for m in app_b.messages
        ]
        for ep_a, ep_b in zip(app_a.endpoints, app_b.endpoints, strict=True):
            assert [(a.key, a.code) for a in ep_a.attempts] == [
                (a.key, a.code) for a in ep_b.attempts
            ]
            assert [d.status for d in ep_a.dests] == [d.status for d in ep_b.dests]


async def _snapshot(demo: DemoServer) -> list[object]:
    """JSON of several list calls after the same ticks and mutations."""
    world = demo.world
    transport = httpx.ASGITransport(app=demo.asgi_app)
    out: list[object] = []
    async with httpx.AsyncClient(transport=transport, base_url="http://demo", headers=AUTH) as http:
        world.tick(30)
        flaky = world.roles["flaky"]
        app = f"/api/v1/app/{flaky.app.id}"
        msg_id = world.msg_id(flaky.dests[-3].msg)
        await http.post(f"{app}/msg/{msg_id}/endpoint/{flaky.id}/resend")
        await http.post(
            f"{app}/endpoint/{flaky.id}/recover",
            json={"since": (NOW - timedelta(days=30)).isoformat()},
        )
        world.tick(45)
        for path, params in (
            ("/api/v1/app", {}),
            (f"{app}/endpoint", {}),
            (f"{app}/endpoint/{flaky.id}/msg", {"limit": 100}),
            (f"{app}/attempt/endpoint/{flaky.id}", {"limit": 100}),
            (f"{app}/msg", {"limit": 100}),
            (f"{app}/endpoint/{flaky.id}/stats", {}),
        ):
            response = await http.get(path, params=params)
            out.append(response.json())
    return out


async def test_same_seed_and_ticks_give_the_same_data() -> None:
    first = await _snapshot(build_demo(7, live=False, now=NOW))
    second = await _snapshot(build_demo(7, live=False, now=NOW))
    assert json.dumps(first) == json.dumps(second)
    other = await _snapshot(build_demo(8, live=False, now=NOW))
    assert json.dumps(other) != json.dumps(first)


async def test_live_mode_advances_with_the_clock_on_each_request() -> None:
    wall = [1000.0]
    demo = build_demo(7, live=True, now=NOW, clock=lambda: wall[0])
    transport = httpx.ASGITransport(app=demo.asgi_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://demo", headers=AUTH) as http:
        first = (await http.get("/api/v1/app/acme-payments/msg", params={"limit": 1})).json()
        assert demo.world.now == NOW
        wall[0] += 90
        later = (await http.get("/api/v1/app/acme-payments/msg", params={"limit": 1})).json()
        assert demo.world.now == NOW + timedelta(seconds=90)
        assert later["data"][0]["id"] > first["data"][0]["id"]  # new traffic arrived
        wall[0] += 5
        await http.get("/api/v1/health")
        assert demo.world.now == NOW + timedelta(seconds=95)

    frozen = build_demo(7, live=False, now=NOW, clock=lambda: wall[0])
    wall[0] += 1000
    frozen.world.sync()
    assert frozen.world.now == NOW


def test_manual_attempt_records_trigger_and_time(demo: DemoServer) -> None:
    world = demo.world
    dest = world.roles["busiest"].dests[-1]
    attempt = world.resend(dest.msg, dest.endpoint)
    assert attempt is not None and attempt.trigger == MANUAL and attempt.ts_us == world.now_us
    assert dest.endpoint.attempts[-1] is attempt
    # An endpoint of another app never got the message: nothing to resend there.
    assert world.resend(dest.msg, world.roles["fulfilment"]) is None


def test_build_is_fast_and_import_is_light() -> None:
    # CPU time, not wall time: on a busy machine (CI runs this suite at idle priority) the
    # wall clock says how long the test waited for a core.
    started = time.thread_time()
    world = World(7, live=False, now=NOW)
    assert time.thread_time() - started < 1.0  # about 0.1 s; catches gross regressions only
    assert world.build_seconds > 0
    code = (
        "import sys, attempt_tui.demo as d; "
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('starlette', 'uvicorn')]; "
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
