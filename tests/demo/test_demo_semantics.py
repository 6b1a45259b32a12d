"""Svix semantics of the demo server, driven in-process through httpx.ASGITransport."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from demo_support import NOW, collect_pages, ids_of, timestamp

from attempt_tui.demo import ids
from attempt_tui.demo.model import DAY, FAIL, MANUAL, SUCCESS
from attempt_tui.demo.server import DemoServer
from attempt_tui.demo.world import RECOVER_PER_SECOND, WINDOW_US, World, to_us


def paths(world: World, role: str = "busiest") -> tuple[str, str, str]:
    endpoint = world.roles[role]
    app = f"/api/v1/app/{endpoint.app.id}"
    return app, f"{app}/endpoint/{endpoint.id}", f"{app}/attempt/endpoint/{endpoint.id}"


def newest_first(world: World, role: str = "busiest") -> list[str]:
    """Ids of every message sent to the endpoint, newest first."""
    return [world.msg_id(dest.msg) for dest in reversed(world.roles[role].dests)]


def msg_iterator(world: World, days_ago: float) -> str:
    """An iterator positioned at a time with no message of its own."""
    return ids.encode("msg_", ids.make_key(world.now_us - int(days_ago * DAY), 0), world.seed)


async def test_paging_both_ways_covers_every_item_once(
    client: httpx.AsyncClient, demo: DemoServer
) -> None:
    _, endpoint, _ = paths(demo.world)
    params = {"limit": 250, "with_content": "false"}
    forward = await collect_pages(client, f"{endpoint}/msg", params)
    forward_ids = ids_of(forward)
    # Each iterator opens 90 days back from its own time, so the walk reaches everything.
    assert len(forward_ids) >= 6000
    assert forward_ids == newest_first(demo.world)
    assert forward_ids == sorted(forward_ids, reverse=True)  # ids are time-sortable
    assert all(page["iterator"] == page["data"][-1]["id"] for page in forward)
    assert all(page["prevIterator"] == "-" + page["data"][0]["id"] for page in forward)

    # Walk back from the last page with prevIterator: the same pages, in reverse order.
    backward = [forward[-1]]
    while not backward[-1]["done"] or len(backward) == 1:
        response = await client.get(
            f"{endpoint}/msg", params={**params, "iterator": backward[-1]["prevIterator"]}
        )
        page = response.json()
        if not page["data"]:
            break
        backward.append(page)
        if page["done"]:
            break
    assert [ids_of([page]) for page in reversed(backward)] == [ids_of([page]) for page in forward]
    assert backward[-1]["done"] is True


async def test_prev_iterator_returns_the_items_just_newer(
    client: httpx.AsyncClient, demo: DemoServer
) -> None:
    _, endpoint, _ = paths(demo.world)
    everything = newest_first(demo.world)
    pivot = everything[100]
    response = await client.get(f"{endpoint}/msg", params={"limit": 7, "iterator": "-" + pivot})
    page = response.json()
    assert [item["id"] for item in page["data"]] == everything[93:100]
    assert page["done"] is False
    newest = await client.get(
        f"{endpoint}/msg", params={"limit": 7, "iterator": "-" + everything[3]}
    )
    assert [item["id"] for item in newest.json()["data"]] == everything[:3]
    assert newest.json()["done"] is True
    older = await client.get(f"{endpoint}/msg", params={"limit": 7, "iterator": pivot})
    assert [item["id"] for item in older.json()["data"]] == everything[101:108]


async def test_filtered_paging_both_ways_on_attempts(
    client: httpx.AsyncClient, demo: DemoServer
) -> None:
    _, _, attempts = paths(demo.world, "flaky")
    params = {"limit": 40, "status": FAIL, "with_content": "false"}
    forward = await collect_pages(client, attempts, params)
    forward_ids = ids_of(forward)
    assert len(forward_ids) > 200
    assert len(set(forward_ids)) == len(forward_ids)
    assert all(item["status"] == FAIL for page in forward for item in page["data"])
    # The count covers the default window: the last 90 days.
    count = await client.get(f"{attempts}/count", params={"status": FAIL})
    recent = [
        item
        for page in forward
        for item in page["data"]
        if timestamp(item["timestamp"]) >= NOW - timedelta(days=90)
    ]
    assert count.json() == {"count": len(recent), "approximated": False}
    middle = forward[3]
    back = await client.get(attempts, params={**params, "iterator": middle["prevIterator"]})
    assert ids_of([back.json()]) == ids_of([forward[2]])


async def test_status_filter(client: httpx.AsyncClient, demo: DemoServer) -> None:
    world = demo.world
    _, endpoint, _ = paths(world)
    for status in (0, 1, 2, 3):
        pages = await collect_pages(
            client, f"{endpoint}/msg", {"limit": 250, "status": status, "with_content": "false"}
        )
        got = ids_of(pages)
        expected = [
            world.msg_id(dest.msg)
            for dest in reversed(world.roles["busiest"].dests)
            if dest.status == status
        ]
        assert got == expected
        assert all(item["status"] == status for page in pages for item in page["data"])
    fails = await client.get(f"{endpoint}/msg", params={"status": 2})
    assert fails.json()["data"], "the ledger outage left failed messages"
    pending = await client.get(f"{endpoint}/msg", params={"status": 1})
    assert all(item["nextAttempt"] for item in pending.json()["data"])
    assert pending.json()["data"], "the recent outage left messages waiting for a retry"


async def test_channel_tag_and_event_type_filters(
    client: httpx.AsyncClient, demo: DemoServer
) -> None:
    _, endpoint, attempts = paths(demo.world)
    by_channel = await client.get(f"{endpoint}/msg", params={"channel": "eu-west", "limit": 100})
    assert len(by_channel.json()["data"]) == 100
    assert all("eu-west" in item["channels"] for item in by_channel.json()["data"])
    by_tag = await client.get(f"{endpoint}/msg", params={"tag": "region/eu", "limit": 100})
    assert by_tag.json()["data"]
    assert all("region/eu" in item["tags"] for item in by_tag.json()["data"])
    repeated = await client.get(
        f"{endpoint}/msg",
        params=[("event_types", "invoice.paid"), ("event_types", "payout.failed"), ("limit", 250)],
    )
    kinds = {item["eventType"] for item in repeated.json()["data"]}
    assert kinds == {"invoice.paid", "payout.failed"}
    comma = await client.get(
        f"{endpoint}/msg", params={"event_types": "invoice.paid,payout.failed", "limit": 250}
    )
    assert ids_of([comma.json()]) == ids_of([repeated.json()])
    attempts_typed = await client.get(
        attempts, params={"event_types": "customer.deleted", "with_msg": "true"}
    )
    assert {item["msg"]["eventType"] for item in attempts_typed.json()["data"]} == {
        "customer.deleted"
    }
    classes = await client.get(attempts, params={"status_code_class": 500, "limit": 250})
    assert classes.json()["data"]
    assert all(500 <= item["responseStatusCode"] < 600 for item in classes.json()["data"])
    timeouts = await client.get(paths(demo.world, "timeout")[2], params={"status_code_class": 0})
    assert timeouts.json()["data"]
    assert all(item["responseStatusCode"] == 0 for item in timeouts.json()["data"])


async def test_before_and_after(client: httpx.AsyncClient, demo: DemoServer) -> None:
    _, endpoint, attempts = paths(demo.world)
    before = NOW - timedelta(days=2)
    after = NOW - timedelta(days=3)
    params = {
        "before": before.isoformat(),
        "after": after.isoformat(),
        "limit": 250,
        "with_content": "false",
    }
    pages = await collect_pages(client, f"{endpoint}/msg", params)
    stamps = [timestamp(item["timestamp"]) for page in pages for item in page["data"]]
    assert stamps and all(after < stamp < before for stamp in stamps)
    expected = [
        dest
        for dest in demo.world.roles["busiest"].dests
        if to_us(after) < dest.msg.ts_us < to_us(before)
    ]
    assert len(stamps) == len(expected)
    listed = await client.get(attempts, params={"before": "2025-06-01T00:00:00Z", "limit": 20})
    assert all(
        timestamp(item["timestamp"]) < NOW - timedelta(days=1, hours=12)
        for item in listed.json()["data"]
    )


async def test_ninety_day_window(client: httpx.AsyncClient, demo: DemoServer) -> None:
    world = demo.world
    _, endpoint, attempts = paths(world, "retired")
    retired = world.roles["retired"]
    assert retired.dests and all(
        dest.msg.ts_us < world.now_us - WINDOW_US for dest in retired.dests
    )
    # Without before/after only the last 90 days are searched: nothing there.
    for path in (f"{endpoint}/msg", attempts):
        empty = (await client.get(path)).json()
        assert empty == {"data": [], "iterator": None, "prevIterator": None, "done": True}
    count = await client.get(f"{attempts}/count")
    assert count.json()["count"] == 0
    # An explicit bound lifts the window.
    params = {"after": (NOW - timedelta(days=200)).isoformat(), "limit": 250}
    explicit = ids_of(await collect_pages(client, f"{endpoint}/msg", params))
    assert explicit == newest_first(world, "retired")
    older = await client.get(attempts, params={"before": (NOW - timedelta(days=90)).isoformat()})
    assert older.json()["data"]


async def test_window_follows_the_iterator(client: httpx.AsyncClient, demo: DemoServer) -> None:
    world = demo.world
    _, endpoint, _ = paths(world)
    oldest = world.roles["busiest"].dests[0].msg.ts_us
    assert oldest > world.now_us - 121 * DAY
    # 90 days back from a point 220 days ago: the world did not exist yet.
    past = await client.get(f"{endpoint}/msg", params={"iterator": msg_iterator(world, 220)})
    assert past.json()["data"] == [] and past.json()["done"] is True
    # Toward newer items the window is 90 days forward from the iterator: (205, 115] days ago.
    response = await client.get(
        f"{endpoint}/msg", params={"iterator": "-" + msg_iterator(world, 205), "limit": 250}
    )
    page = response.json()
    assert page["done"] is True
    stamps = [to_us(timestamp(item["timestamp"])) for item in page["data"]]
    expected = [
        dest.msg.ts_us
        for dest in world.roles["busiest"].dests
        if dest.msg.ts_us <= world.now_us - 115 * DAY
    ]
    assert stamps and sorted(stamps) == expected


@pytest.mark.parametrize("limit", ["0", "251", "-1", "ten"])
async def test_bad_limit_is_422(client: httpx.AsyncClient, demo: DemoServer, limit: str) -> None:
    _, endpoint, _ = paths(demo.world)
    response = await client.get(f"{endpoint}/msg", params={"limit": limit})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail[0]["loc"] == ["query", "limit"]
    assert detail[0]["msg"] and detail[0]["type"]


async def test_limit_bounds_accepted(client: httpx.AsyncClient, demo: DemoServer) -> None:
    _, endpoint, _ = paths(demo.world)
    assert len((await client.get(f"{endpoint}/msg", params={"limit": 1})).json()["data"]) == 1
    assert len((await client.get(f"{endpoint}/msg", params={"limit": 250})).json()["data"]) == 250
    assert len((await client.get(f"{endpoint}/msg")).json()["data"]) == 50


async def test_other_bad_params_are_422(client: httpx.AsyncClient, demo: DemoServer) -> None:
    _, endpoint, attempts = paths(demo.world)
    cases = [
        (f"{endpoint}/msg", {"status": "9"}, "status"),
        (f"{endpoint}/msg", {"before": "yesterday"}, "before"),
        (f"{endpoint}/msg", {"iterator": "msg_nope"}, "iterator"),
        (f"{endpoint}/msg", {"with_content": "maybe"}, "with_content"),
        (attempts, {"status_code_class": "250"}, "status_code_class"),
    ]
    for path, params, name in cases:
        response = await client.get(path, params=params)
        assert response.status_code == 422, (params, response.text)
        assert response.json()["detail"][0]["loc"] == ["query", name]


async def test_auth_required(demo: DemoServer) -> None:
    transport = httpx.ASGITransport(app=demo.asgi_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://demo") as anonymous:
        for headers in ({}, {"Authorization": "Basic dXNlcjpwYXNz"}, {"Authorization": "Bearer "}):
            response = await anonymous.get("/api/v1/app", headers=headers)
            assert response.status_code == 401
            assert response.json()["code"] == "authentication_failed"
        assert (await anonymous.get("/api/v1/app/nope", headers={})).status_code == 401
        assert (await anonymous.get("/api/v1/health")).status_code == 204
        any_token = await anonymous.get("/api/v1/app", headers={"Authorization": "Bearer whatever"})
        assert any_token.status_code == 200


async def test_not_found_bodies(client: httpx.AsyncClient, demo: DemoServer) -> None:
    world = demo.world
    app, _, _ = paths(world)
    msg_id = world.msg_id(world.roles["busiest"].dests[-1].msg)
    for path in (
        "/api/v1/app/app_unknown",
        f"{app}/endpoint/ep_unknown",
        f"{app}/msg/msg_2xwYZLU36HHvoYvmIflcGg08wz9",
        f"{app}/msg/{msg_id}/attempt/atmpt_2xwYZLU36HHvoYvmIflcGg08wz9",
        "/api/v1/background-task/qtask_2xwYZLU36HHvoYvmIflcGg08wz9",
        "/api/v1/no/such/route",
    ):
        response = await client.get(path)
        assert response.status_code == 404, path
        body = response.json()
        assert body["code"] == "not_found" and body["detail"]
    other_endpoint = world.roles["client_error"]
    resend = await client.post(
        f"{app}/msg/{world.msg_id(world.roles['flaky'].dests[0].msg)}/endpoint/{other_endpoint.id}/resend"
    )
    assert resend.status_code == 404


async def test_trailing_slash_and_uids(client: httpx.AsyncClient, demo: DemoServer) -> None:
    endpoint = demo.world.roles["busiest"]
    plain = await client.get(f"/api/v1/app/{endpoint.app.id}/endpoint/{endpoint.id}")
    slashed = await client.get(f"/api/v1/app/{endpoint.app.id}/endpoint/{endpoint.id}/")
    by_uid = await client.get("/api/v1/app/acme-payments/endpoint/ledger-prod")
    assert plain.status_code == slashed.status_code == by_uid.status_code == 200
    assert plain.json() == slashed.json() == by_uid.json()


async def test_lookup_by_event_id(client: httpx.AsyncClient, demo: DemoServer) -> None:
    world = demo.world
    app, _, _ = paths(world)
    with_event = next(
        dest.msg for dest in reversed(world.roles["busiest"].dests) if dest.msg.has_event_id
    )
    without_event = next(
        dest.msg for dest in reversed(world.roles["busiest"].dests) if not dest.msg.has_event_id
    )
    event_id = world.event_id(with_event)
    assert event_id is not None
    by_event = await client.get(f"{app}/msg/{event_id}")
    by_id = await client.get(f"{app}/msg/{world.msg_id(with_event)}")
    assert by_event.status_code == 200
    assert by_event.json() == by_id.json()
    assert by_event.json()["eventId"] == event_id
    plain = await client.get(f"{app}/msg/{world.msg_id(without_event)}")
    assert plain.json()["eventId"] is None
    via_event_list = await client.get(f"{app}/attempt/msg/{event_id}")
    via_id_list = await client.get(f"{app}/attempt/msg/{world.msg_id(with_event)}")
    assert via_event_list.json() == via_id_list.json() and via_id_list.json()["data"]
    attempt_id = world.attempt_id(with_event.dests[0].attempts[0])
    via_event = await client.get(f"{app}/msg/{event_id}/attempt/{attempt_id}")
    assert via_event.status_code == 200


async def test_with_content_false(client: httpx.AsyncClient, demo: DemoServer) -> None:
    world = demo.world
    app, endpoint, attempts = paths(world)
    full = (await client.get(f"{endpoint}/msg", params={"limit": 5})).json()["data"]
    bare = (
        await client.get(f"{endpoint}/msg", params={"limit": 5, "with_content": "false"})
    ).json()["data"]
    assert all(item["payload"] for item in full)
    assert all(item["payload"] == {} for item in bare)
    assert [item["id"] for item in full] == [item["id"] for item in bare]
    msg_id = full[0]["id"]
    assert (await client.get(f"{app}/msg/{msg_id}", params={"with_content": "false"})).json()[
        "payload"
    ] == {}
    with_body = (await client.get(attempts, params={"limit": 50})).json()["data"]
    without = (await client.get(attempts, params={"limit": 50, "with_content": "false"})).json()[
        "data"
    ]
    assert any(item["response"] for item in with_body)
    assert all(item["response"] == "" for item in without)
    with_msg = (await client.get(attempts, params={"limit": 5, "with_msg": "true"})).json()["data"]
    assert all(
        item["msg"]["payload"] == {} and item["msg"]["id"] == item["msgId"] for item in with_msg
    )


async def test_resend_creates_manual_attempt_and_honours_idempotency(
    client: httpx.AsyncClient, demo: DemoServer
) -> None:
    world = demo.world
    app, _, _ = paths(world)
    endpoint = world.roles["busiest"]
    msg_id = world.msg_id(endpoint.dests[-20].msg)
    resend = f"{app}/msg/{msg_id}/endpoint/{endpoint.id}/resend"
    by_msg = f"{app}/attempt/msg/{msg_id}"
    before = (await client.get(by_msg)).json()["data"]

    first = await client.post(resend, headers={"Idempotency-Key": "key-1"})
    assert first.status_code == 202 and first.json() == {}
    after = (await client.get(by_msg)).json()["data"]
    assert len(after) == len(before) + 1
    newest = after[0]
    assert newest["triggerType"] == MANUAL and newest["endpointId"] == endpoint.id
    assert timestamp(newest["timestamp"]) == world.now

    replay = await client.post(resend, headers={"Idempotency-Key": "key-1"})
    assert replay.status_code == 202 and replay.json() == {}
    assert len((await client.get(by_msg)).json()["data"]) == len(after)

    world.tick(11 * 3600)
    still = await client.post(resend, headers={"Idempotency-Key": "key-1"})
    assert still.status_code == 202
    assert len((await client.get(by_msg)).json()["data"]) == len(after)

    world.tick(2 * 3600)  # past 12 h: the key is forgotten
    await client.post(resend, headers={"Idempotency-Key": "key-1"})
    await client.post(resend, headers={"Idempotency-Key": "key-2"})
    await client.post(resend)
    assert len((await client.get(by_msg)).json()["data"]) == len(after) + 3


async def test_resend_outcome_follows_the_endpoint(
    client: httpx.AsyncClient, demo: DemoServer
) -> None:
    world = demo.world
    endpoint = world.roles["client_error"]
    dest = endpoint.dests[-1]
    app = f"/api/v1/app/{endpoint.app.id}"
    msg_id = world.msg_id(dest.msg)
    for _ in range(3):
        assert (
            await client.post(f"{app}/msg/{msg_id}/endpoint/{endpoint.id}/resend")
        ).status_code == 202
    attempts = (
        await client.get(f"{app}/attempt/msg/{msg_id}", params={"endpoint_id": endpoint.id})
    ).json()["data"]
    manual = [item for item in attempts if item["triggerType"] == MANUAL]
    assert len(manual) == 3
    assert all(
        400 <= item["responseStatusCode"] < 500 and item["status"] == FAIL for item in manual
    )

    ledger = world.roles["busiest"]
    failed = next(dest for dest in ledger.dests if dest.status == FAIL)
    ledger_app = f"/api/v1/app/{ledger.app.id}"
    failed_id = world.msg_id(failed.msg)
    # The ledger's outage is over: a manual resend now succeeds and settles the delivery.
    await client.post(f"{ledger_app}/msg/{failed_id}/endpoint/{ledger.id}/resend")
    latest = (
        await client.get(f"{ledger_app}/attempt/msg/{failed_id}", params={"limit": 1})
    ).json()["data"][0]
    assert latest["triggerType"] == MANUAL and latest["status"] == SUCCESS
    destinations = (await client.get(f"{ledger_app}/msg/{failed_id}/endpoint")).json()["data"]
    assert {item["id"]: item["status"] for item in destinations}[ledger.id] == SUCCESS


async def test_expunge_blanks_the_response_for_good(
    client: httpx.AsyncClient, demo: DemoServer
) -> None:
    world = demo.world
    endpoint = world.roles["flaky"]
    dest = next(
        dest for dest in reversed(endpoint.dests) if any(a.code >= 500 for a in dest.attempts)
    )
    attempt = next(a for a in dest.attempts if a.code >= 500)
    app = f"/api/v1/app/{endpoint.app.id}"
    path = f"{app}/msg/{world.msg_id(dest.msg)}/attempt/{world.attempt_id(attempt)}"
    assert (await client.get(path)).json()["response"] != ""
    response = await client.delete(f"{path}/content")
    assert response.status_code == 204
    assert (await client.get(path)).json()["response"] == ""
    world.tick(600)
    listed = (await client.get(f"{app}/attempt/msg/{world.msg_id(dest.msg)}")).json()["data"]
    assert (
        next(item for item in listed if item["id"] == world.attempt_id(attempt))["response"] == ""
    )
    headers = (await client.get(f"{path}/headers")).json()
    assert headers["sentHeaders"]["svix-id"] == world.msg_id(dest.msg)
    missing = await client.delete(
        f"{app}/msg/{world.msg_id(dest.msg)}/attempt/atmpt_2xwYZLU36HHvoYvmIflcGg08wz9/content"
    )
    assert missing.status_code == 404


async def test_recover_task_runs_to_completion(client: httpx.AsyncClient, demo: DemoServer) -> None:
    world = demo.world
    endpoint = world.roles["client_error"]
    since = NOW - timedelta(days=30)
    # Svix's rule: a failed attempt since `since` and no successful one (pending ones too).
    failed = [
        dest
        for dest in endpoint.dests
        if any(a.status == FAIL and a.ts_us >= to_us(since) for a in dest.attempts)
        and not any(a.status != FAIL and a.ts_us >= to_us(since) for a in dest.attempts)
    ]
    assert len(failed) > RECOVER_PER_SECOND
    app = f"/api/v1/app/{endpoint.app.id}"
    started = await client.post(
        f"{app}/endpoint/{endpoint.id}/recover",
        json={"since": since.isoformat()},
        headers={"Idempotency-Key": "recover-1"},
    )
    assert started.status_code == 202
    task = started.json()
    assert (
        task["id"].startswith("qtask_")
        and task["status"] == "running"
        and task["task"] == "endpoint.recover"
    )
    replay = await client.post(
        f"{app}/endpoint/{endpoint.id}/recover",
        json={"since": since.isoformat()},
        headers={"Idempotency-Key": "recover-1"},
    )
    assert replay.json() == task
    assert len(world.tasks) == 1

    task_path = f"/api/v1/background-task/{task['id']}"
    world.tick(1)
    partial = (await client.get(task_path)).json()
    assert partial["status"] == "running"
    assert partial["data"]["messagesSent"] == RECOVER_PER_SECOND
    for _ in range(20):
        world.tick(1)
    done = (await client.get(task_path)).json()
    assert done["status"] == "finished"
    assert done["data"] == {"messagesSent": len(failed)}
    manual = sum(1 for dest in failed for attempt in dest.attempts if attempt.trigger == MANUAL)
    assert manual == len(failed)

    bad = await client.post(
        f"{app}/endpoint/{endpoint.id}/recover", json={"until": since.isoformat()}
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "since"]


async def test_stats_count_deliveries_by_status(
    client: httpx.AsyncClient, demo: DemoServer
) -> None:
    world = demo.world
    _, endpoint, _ = paths(world, "timeout")
    stats = (await client.get(f"{endpoint}/stats")).json()
    dests = world.roles["timeout"].dests
    assert sum(stats.values()) == len(dests)
    assert stats["fail"] > 0 and stats["pending"] > 0 and stats["success"] > 0
    since = NOW - timedelta(days=1)
    recent = (await client.get(f"{endpoint}/stats", params={"since": since.isoformat()})).json()
    assert sum(recent.values()) == sum(1 for dest in dests if dest.msg.ts_us >= to_us(since))
    assert recent["success"] == 0  # it has been timing out for 36 hours


async def test_attempted_destinations(client: httpx.AsyncClient, demo: DemoServer) -> None:
    world = demo.world
    msg = next(
        dest.msg for dest in reversed(world.roles["flaky"].dests) if len(dest.msg.dests) >= 2
    )
    app = f"/api/v1/app/{msg.app.id}"
    page = (await client.get(f"{app}/msg/{world.msg_id(msg)}/endpoint")).json()
    ids = [item["id"] for item in page["data"]]
    assert ids == sorted(ids) and len(ids) == len(msg.dests)
    by_id = {dest.endpoint.id: dest for dest in msg.dests}
    for item in page["data"]:
        assert item["status"] == by_id[item["id"]].status
        assert item["url"] == by_id[item["id"]].endpoint.url
    first = (
        await client.get(f"{app}/msg/{world.msg_id(msg)}/endpoint", params={"limit": 1})
    ).json()
    second = (
        await client.get(
            f"{app}/msg/{world.msg_id(msg)}/endpoint",
            params={"limit": 1, "iterator": first["iterator"]},
        )
    ).json()
    assert [first["data"][0]["id"], second["data"][0]["id"]] == ids[:2]


async def test_headers(client: httpx.AsyncClient, demo: DemoServer) -> None:
    world = demo.world
    timeout = world.roles["timeout"]
    attempt = timeout.attempts[-1]
    assert attempt.code == 0
    app = f"/api/v1/app/{timeout.app.id}"
    path = f"{app}/msg/{world.msg_id(attempt.dest.msg)}/attempt/{world.attempt_id(attempt)}/headers"
    body = (await client.get(path)).json()
    assert body["responseHeaders"] is None
    sent = body["sentHeaders"]
    assert sent["svix-signature"].startswith("v1,")
    assert int(sent["svix-timestamp"]) <= attempt.ts_us // 1_000_000
    assert body["sensitive"] == ["svix-signature"]
    ok = world.roles["busiest"].attempts[-1]
    ok_app = f"/api/v1/app/{ok.dest.endpoint.app.id}"
    path = f"{ok_app}/msg/{world.msg_id(ok.dest.msg)}/attempt/{world.attempt_id(ok)}/headers"
    pairs = (await client.get(path)).json()["responseHeaders"]
    assert all(len(pair) == 2 for pair in pairs)
    assert "content-type" in {name for name, _ in pairs}
