"""A world the size of a real account: 30,000 customer apps and an app with 321 endpoints."""

from __future__ import annotations

import httpx
from demo_support import LARGE_APPS, MANY_ENDPOINTS, NOW, collect_pages, ids_of

from attempt_tui.demo import ids
from attempt_tui.demo.apps import Customers, customer_uid
from attempt_tui.demo.server import DemoServer, build_demo
from attempt_tui.demo.world import World

CAST = 3  # the scenario's apps, always present
PLATFORM = "umbrella-platform"


def test_the_large_world_adds_customers_and_a_platform_to_the_cast(large_demo: DemoServer) -> None:
    world = large_demo.world
    assert len(world.directory) == CAST + 1 + LARGE_APPS
    assert [app.uid for app in world.apps] == [
        "acme-payments",
        "globex-shop",
        "initech-tools",
        PLATFORM,
    ]
    small = build_demo(7, live=False, now=NOW).world
    # The cast is the same world with or without the extra apps.
    assert [app.id for app in small.apps] == [app.id for app in world.apps[:CAST]]
    assert small.msg_id(small.apps[0].messages[-1]) == world.msg_id(world.apps[0].messages[-1])


def test_customer_apps_are_found_by_uid_and_by_id(large_demo: DemoServer) -> None:
    world = large_demo.world
    for number in (1, 2, 12_345, LARGE_APPS):
        app = world.app(customer_uid(number))
        assert app is not None
        assert (app.uid, app.name) == (f"cust-{number:05d}", f"Customer {number:05d}")
        same = world.app(app.id)
        assert same is not None and same.uid == app.uid
        assert app.endpoints == [] and app.messages == []
    for missing in ("cust-00000", f"cust-{LARGE_APPS + 1:05d}", "cust-1", "cust-", "cust-¹²³"):
        assert world.app(missing) is None
    # A well-formed id of the right time but the wrong random tail is not the app.
    real = world.app("cust-00007")
    assert real is not None
    assert world.app(real.id[:-1] + ("A" if real.id[-1] != "A" else "B")) is None
    assert world.app(world.apps[0].id) is world.apps[0]
    assert world.app("acme-payments") is world.apps[0]


def test_customers_are_created_in_number_order() -> None:
    customers = Customers(1000, first_seq=50, start_us=10**15, span_us=10**12, salt=7)
    keys = customers.keys()
    assert keys == sorted(keys) and len(set(keys)) == 1000
    assert [customers.number_of_key(key) for key in keys[:3]] == [1, 2, 3]
    assert customers.number_of_key(keys[0] + 1) is None
    assert customers.number_of_uid("cust-01000") == 1000


async def test_paging_all_apps_in_pages_of_250(
    large_client: httpx.AsyncClient, large_demo: DemoServer
) -> None:
    pages = await collect_pages(large_client, "/api/v1/app", {"limit": 250}, max_pages=200)
    found = ids_of(pages)
    assert len(found) == len(set(found)) == CAST + 1 + LARGE_APPS
    assert len(pages) == -(-len(found) // 250)
    assert found == sorted(found, reverse=True)  # newest first; ids sort as their times
    assert pages[-1]["done"] is True and not any(page["done"] for page in pages[:-1])
    uids = {item["uid"] for page in pages for item in page["data"]}
    assert {customer_uid(1), customer_uid(LARGE_APPS), PLATFORM, "acme-payments"} <= uids

    # Back from the third page with its prevIterator: the second page again.
    back = await large_client.get(
        "/api/v1/app", params={"limit": 250, "iterator": pages[2]["prevIterator"]}
    )
    assert ids_of([back.json()]) == ids_of([pages[1]])

    ascending = await large_client.get("/api/v1/app", params={"limit": 3, "order": "ascending"})
    oldest = ascending.json()
    assert [item["uid"] for item in oldest["data"]] == ["cust-00001", "cust-00002", "cust-00003"]
    assert oldest["done"] is False


async def test_every_path_takes_a_customer_app_by_uid_or_id(
    large_client: httpx.AsyncClient, large_demo: DemoServer
) -> None:
    app = large_demo.world.app("cust-00321")
    assert app is not None
    for ref in (app.uid, app.id):
        got = await large_client.get(f"/api/v1/app/{ref}")
        assert got.status_code == 200 and got.json()["id"] == app.id
        for tail in ("endpoint", "msg"):
            page = await large_client.get(f"/api/v1/app/{ref}/{tail}")
            assert page.status_code == 200
            assert page.json() == {"data": [], "iterator": None, "prevIterator": None, "done": True}
    missing = await large_client.get("/api/v1/app/cust-99999")
    assert missing.status_code == 404


async def test_the_platform_app_has_hundreds_of_endpoints_that_answer(
    large_client: httpx.AsyncClient, large_demo: DemoServer
) -> None:
    platform = large_demo.world.app(PLATFORM)
    assert platform is not None and len(platform.endpoints) == MANY_ENDPOINTS
    assert all(1 <= len(endpoint.dests) <= 4 for endpoint in platform.endpoints)
    assert any(dest.status != 0 for endpoint in platform.endpoints for dest in endpoint.dests), (
        "some tenants fail"
    )

    pages = await collect_pages(large_client, f"/api/v1/app/{PLATFORM}/endpoint", {"limit": 250})
    listed = [item["uid"] for page in pages for item in page["data"]]
    assert len(pages) == 2
    assert listed == [f"ep-{index:04d}" for index in range(MANY_ENDPOINTS, 0, -1)]

    base = f"/api/v1/app/{PLATFORM}/endpoint/ep-0123"
    endpoint = await large_client.get(base)
    assert endpoint.status_code == 200 and endpoint.json()["uid"] == "ep-0123"
    stats = (await large_client.get(f"{base}/stats")).json()
    assert sum(stats.values()) == 4
    messages = (await large_client.get(f"{base}/msg")).json()
    assert len(messages["data"]) == 4 and messages["done"] is True
    attempts = await large_client.get(f"/api/v1/app/{PLATFORM}/attempt/endpoint/ep-0123")
    assert attempts.status_code == 200 and attempts.json()["data"]


def test_building_a_large_world_stays_cheap() -> None:
    world = World(7, live=False, now=NOW, large_apps=LARGE_APPS)
    # The customers only add integer keys; their records are built when asked for.
    assert world.build_seconds < 5  # generous: it takes a fraction of a second
    assert len(world.directory.keys) == CAST + LARGE_APPS
    key = world.directory.keys[-1]
    assert world.directory.at_key(key).id == ids.encode("app_", key, world.seed)
