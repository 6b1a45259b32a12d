"""Locating pasted ids against the demo world."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from attempt_tui.api.budget import RequestBudget
from attempt_tui.api.client import SvixClient
from attempt_tui.locate import NotLocated, locate
from attempt_tui.secret import Secret


@pytest.fixture
async def client(demo):
    client = SvixClient(
        Secret("t"), "http://demo", transport=httpx.ASGITransport(app=demo.asgi_app)
    )
    yield client
    await client.aclose()


async def apps(client):
    return (await client.list_applications()).data


async def test_app_by_id_and_uid(client, demo) -> None:
    app = demo.world.roles["busiest"].app
    all_apps = await apps(client)
    for text in (app.id, app.uid):
        found = await locate(client, text, apps=all_apps, current_app=None, current_endpoint=None)
        assert found.app_id == app.id and found.endpoint_id is None


async def test_endpoint_in_another_app(client, demo) -> None:
    endpoint = demo.world.roles["busiest"]
    all_apps = await apps(client)
    other = next(a.id for a in all_apps if a.id != endpoint.app.id)
    found = await locate(
        client, endpoint.id, apps=all_apps, current_app=other, current_endpoint=None
    )
    assert (found.app_id, found.endpoint_id) == (endpoint.app.id, endpoint.id)


async def test_message_by_id_and_event_id_lands_on_its_endpoint(client, demo) -> None:
    endpoint = demo.world.roles["busiest"]
    page = await client.list_attempted_messages(endpoint.app.id, endpoint.id, limit=20)
    message = next(m for m in page.data if m.event_id)
    all_apps = await apps(client)
    for text in (message.id, message.event_id):
        found = await locate(
            client, text, apps=all_apps, current_app=None, current_endpoint=endpoint.id
        )
        assert found.app_id == endpoint.app.id
        assert found.msg_id == message.id and found.endpoint_id == endpoint.id
        assert found.timestamp == message.timestamp


async def test_unknown_and_bad_text(client) -> None:
    all_apps = await apps(client)
    with pytest.raises(NotLocated, match="Nothing found"):
        await locate(client, "msg_nope", apps=all_apps, current_app=None, current_endpoint=None)
    with pytest.raises(NotLocated, match="Paste an id"):
        await locate(client, "../x y", apps=all_apps, current_app=None, current_endpoint=None)
    with pytest.raises(NotLocated, match="message id"):
        await locate(
            client, "atmpt_" + "x" * 27, apps=all_apps, current_app=None, current_endpoint=None
        )


# -- at real-account size: direct lookups first, a bounded search after ---------------------


class CountingTransport(httpx.AsyncBaseTransport):
    """The demo server, counting requests; can hold one request open or answer it itself."""

    def __init__(self, asgi_app, *, hold_at: int | None = None, answer_at=None) -> None:
        self.inner = httpx.ASGITransport(app=asgi_app)
        self.paths: list[str] = []
        self.in_flight = 0
        self.hold_at = hold_at  # the n-th request (1-based) never answers
        self.holding = asyncio.Event()
        self.answer_at = answer_at or {}  # n -> status answered instead of the demo's

    @property
    def count(self) -> int:
        return len(self.paths)

    def apps_looked_in(self) -> set[str]:
        return {path.split("/")[4] for path in self.paths if path.count("/") > 4}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        n = len(self.paths)
        self.in_flight += 1
        try:
            if n == self.hold_at:
                self.holding.set()
                await asyncio.Event().wait()
            if n in self.answer_at:
                status = self.answer_at[n]
                return httpx.Response(status, json={"code": "x", "detail": "refused"})
            return await self.inner.handle_async_request(request)
        finally:
            self.in_flight -= 1


def counting_client(demo, **transport_args) -> tuple[SvixClient, CountingTransport]:
    transport = CountingTransport(demo.asgi_app, **transport_args)
    client = SvixClient(
        Secret("t"),
        "http://demo",
        transport=transport,
        budget=RequestBudget(rate=10_000, burst=10_000, max_in_flight=50),
        max_retries=0,
    )
    return client, transport


@pytest.fixture
async def counted(demo):
    client, transport = counting_client(demo)
    yield client, transport
    await client.aclose()


@pytest.fixture(scope="module")
def large_demo():
    from attempt_tui.demo.server import build_demo

    return build_demo(large_apps=30000, live=False)


async def a_message(client, endpoint, *, with_event_id: bool = True):
    page = await client.list_attempted_messages(endpoint.app.id, endpoint.id, limit=20)
    return next(m for m in page.data if m.event_id or not with_event_id)


async def test_app_uid_of_a_large_account_is_one_request(large_demo) -> None:
    client, transport = counting_client(large_demo)
    async with client:
        found = await locate(
            client,
            " cust-29999 ",
            apps=[],
            more_apps_unloaded=True,
            current_app=None,
            current_endpoint=None,
        )
    assert found.app is not None and found.app.uid == "cust-29999"
    assert found.app_id == found.app.id and found.app.name == "Customer 29999"
    assert transport.count == 1


async def test_loaded_app_costs_no_request_and_app_id_one(counted, demo) -> None:
    client, transport = counted
    app = demo.world.roles["busiest"].app
    loaded = await apps(client)
    transport.paths.clear()
    found = await locate(client, app.uid, apps=loaded, current_app=None, current_endpoint=None)
    assert found.app_id == app.id and found.app is not None and transport.count == 0
    found = await locate(client, app.id, apps=[], current_app=None, current_endpoint=None)
    assert found.app_id == app.id and found.app is not None and transport.count == 1
    with pytest.raises(NotLocated, match="No app app_nope"):
        await locate(client, "app_nope", apps=[], current_app=None, current_endpoint=None)
    assert transport.count == 2  # an app_ id is never searched for elsewhere


async def test_event_id_in_the_open_app_is_two_requests(counted, demo) -> None:
    client, transport = counted
    endpoint = demo.world.roles["busiest"]
    message = await a_message(client, endpoint)
    loaded = await apps(client)
    transport.paths.clear()
    found = await locate(
        client,
        message.event_id,
        apps=loaded,
        current_app=endpoint.app.id,
        current_endpoint=endpoint.id,
    )
    assert (found.app_id, found.msg_id, found.endpoint_id) == (
        endpoint.app.id,
        message.id,
        endpoint.id,
    )
    assert found.app is not None and found.app.id == endpoint.app.id
    # The message by eventId (with its payload), then its attempts (with their bodies): they
    # say where it went and are what the detail shows.
    assert transport.paths == [
        f"/api/v1/app/{endpoint.app.id}/msg/{message.event_id}",
        f"/api/v1/app/{endpoint.app.id}/attempt/msg/{message.id}",
    ]
    assert found.message is not None and found.message.payload
    assert found.attempts and all(a.endpoint_id == endpoint.id for a in found.attempts)
    held = await client.list_attempts_by_msg(
        endpoint.app.id, message.id, endpoint_id=endpoint.id, limit=250
    )
    assert [a.id for a in found.attempts] == [a.id for a in held.data]
    assert [a.response for a in found.attempts] == [a.response for a in held.data]
    assert found.destinations is None  # asked for only when a tab shows them


async def test_a_message_not_sent_to_the_open_endpoint_lands_on_its_newest_attempt(
    counted, demo
) -> None:
    client, transport = counted
    endpoint = demo.world.roles["busiest"]
    message = await a_message(client, endpoint)
    other = next(e for e in endpoint.app.endpoints if e.id != endpoint.id)
    attempts = await client.list_attempts_by_msg(endpoint.app.id, message.id, limit=250)
    newest = max(attempts.data, key=lambda a: (a.timestamp, a.id))
    transport.paths.clear()
    found = await locate(
        client, message.id, apps=[], current_app=endpoint.app.id, current_endpoint=other.id
    )
    assert found.endpoint_id == newest.endpoint_id
    assert found.attempts is not None
    assert {a.endpoint_id for a in found.attempts} == {newest.endpoint_id}
    assert transport.count == 2


class AttemptsAnswered(httpx.AsyncBaseTransport):
    """The demo server, except that a message's attempts are answered with `page`."""

    def __init__(self, asgi_app, page: dict) -> None:
        self.inner = httpx.ASGITransport(app=asgi_app)
        self.page = page
        self.paths: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        if "/attempt/msg/" in request.url.path:
            return httpx.Response(200, json=self.page)
        return await self.inner.handle_async_request(request)


async def test_a_message_not_attempted_yet_asks_where_it_was_sent(demo) -> None:
    endpoint = demo.world.roles["busiest"]
    transport = AttemptsAnswered(demo.asgi_app, {"data": [], "done": True, "iterator": None})
    async with SvixClient(Secret("t"), "http://demo", transport=transport) as client:
        message = await a_message(client, endpoint)
        transport.paths.clear()
        found = await locate(
            client, message.id, apps=[], current_app=endpoint.app.id, current_endpoint=None
        )
    assert transport.paths[-1] == f"/api/v1/app/{endpoint.app.id}/msg/{message.id}/endpoint"
    assert len(transport.paths) == 3
    assert found.endpoint_id is not None and found.destinations
    assert found.attempts == ()  # none yet, and the detail need not ask again


async def test_a_cut_list_of_attempts_leaves_them_to_the_detail(demo) -> None:
    """With more attempts than one page, those of the chosen endpoint may be cut short."""
    endpoint = demo.world.roles["busiest"]
    async with SvixClient(
        Secret("t"), "http://demo", transport=httpx.ASGITransport(app=demo.asgi_app)
    ) as plain:
        message = await a_message(plain, endpoint)
        held = await plain.list_attempts_by_msg(endpoint.app.id, message.id, limit=250)
    page = held.model_dump(mode="json", by_alias=True)
    page.update(done=False, iterator="itr_more")
    transport = AttemptsAnswered(demo.asgi_app, page)
    async with SvixClient(Secret("t"), "http://demo", transport=transport) as client:
        found = await locate(
            client, message.id, apps=[], current_app=endpoint.app.id, current_endpoint=endpoint.id
        )
    assert found.endpoint_id == endpoint.id and found.attempts is None


async def test_app_uid_with_an_app_open_tries_the_event_id_first(counted, demo) -> None:
    client, transport = counted
    endpoint = demo.world.roles["busiest"]
    other = next(a for a in await apps(client) if a.id != endpoint.app.id)
    transport.paths.clear()
    found = await locate(
        client, other.uid, apps=[], current_app=endpoint.app.id, current_endpoint=endpoint.id
    )
    assert found.app_id == other.id and found.app is not None
    assert transport.paths == [
        f"/api/v1/app/{endpoint.app.id}/msg/{other.uid}",
        f"/api/v1/app/{other.uid}",
    ]


async def test_ids_in_the_open_app(counted, demo) -> None:
    client, transport = counted
    endpoint = demo.world.roles["busiest"]
    message = await a_message(client, endpoint, with_event_id=False)
    loaded = await apps(client)
    where = dict(apps=loaded, current_app=endpoint.app.id, current_endpoint=None)

    transport.paths.clear()
    found = await locate(client, endpoint.id, **where)
    assert (found.app_id, found.endpoint_id, found.msg_id) == (endpoint.app.id, endpoint.id, None)
    assert found.endpoint is not None and found.endpoint.uid == endpoint.uid
    assert transport.count == 1

    transport.paths.clear()
    found = await locate(client, message.id, **where)
    assert found.msg_id == message.id and found.endpoint_id is not None
    assert transport.count == 2  # the message, its attempts

    transport.paths.clear()
    found = await locate(client, endpoint.uid, **where)  # an endpoint uid
    assert (found.app_id, found.endpoint_id) == (endpoint.app.id, endpoint.id)
    assert transport.count == 3  # message by eventId, app by uid (misses), endpoint by uid


@pytest.mark.parametrize("loaded", [False, True])
async def test_app_slash_id_forms(counted, demo, loaded: bool) -> None:
    client, transport = counted
    endpoint = demo.world.roles["busiest"]
    app = endpoint.app
    with_event = await a_message(client, endpoint)
    known = await apps(client) if loaded else []
    cases = {
        f"{app.uid}/{with_event.id}": (with_event.id, endpoint.id, 3),
        f"{app.id}/{with_event.event_id}": (with_event.id, endpoint.id, 3),
        f" {app.uid}/{endpoint.id} ": (None, endpoint.id, 2),
        f"{app.uid}/{endpoint.uid}": (None, endpoint.id, 3),
    }
    for text, (msg_id, endpoint_id, most) in cases.items():
        transport.paths.clear()
        found = await locate(
            client, text, apps=known, current_app=None, current_endpoint=endpoint.id
        )
        assert (found.app_id, found.msg_id, found.endpoint_id) == (app.id, msg_id, endpoint_id)
        assert found.app is not None and found.app.id == app.id
        if msg_id is None:
            assert found.endpoint is not None and found.endpoint.id == endpoint.id
        else:  # its attempts at the endpoint, which say where it went
            assert found.attempts and {a.endpoint_id for a in found.attempts} == {endpoint.id}
        # A loaded app is not fetched again: one request fewer.
        assert transport.count == (most - 1 if loaded else most), text
        assert transport.apps_looked_in() <= {app.id, app.uid}


async def test_app_slash_id_misses_say_where(counted, demo) -> None:
    client, transport = counted
    app = demo.world.roles["busiest"].app
    where = dict(apps=[], current_app=None, current_endpoint=None)
    with pytest.raises(NotLocated, match="No app no-such-app"):
        await locate(client, "no-such-app/msg_x", **where)
    transport.paths.clear()
    with pytest.raises(NotLocated, match=f"Nothing found for nothing-here in app {app.uid}"):
        await locate(client, f"{app.uid}/nothing-here", **where)
    assert transport.count == 3
    with pytest.raises(NotLocated, match=f"No endpoint ep_x in app {app.uid}"):
        await locate(client, f"{app.uid}/ep_x", **where)
    with pytest.raises(NotLocated, match=f"No message msg_x in app {app.uid}"):
        await locate(client, f"{app.uid}/msg_x", **where)
    for bad in ("a/b/c", f"{app.uid}/", "/msg_x", "../msg_x", "a b/msg_x"):
        with pytest.raises(NotLocated, match="Paste an id"):
            await locate(client, bad, **where)
    with pytest.raises(NotLocated, match="message id"):
        await locate(client, f"{app.uid}/atmpt_x", **where)


async def test_attempt_on_screen_is_found_without_a_request(counted, demo) -> None:
    client, transport = counted
    endpoint = demo.world.roles["busiest"]
    message = await a_message(client, endpoint)
    attempt = (await client.list_attempts_by_msg(endpoint.app.id, message.id)).data[0]
    transport.paths.clear()
    found = await locate(
        client,
        attempt.id,
        apps=[],
        current_app=endpoint.app.id,
        current_endpoint=None,
        attempts_on_screen=[attempt],
    )
    assert (found.app_id, found.msg_id, found.endpoint_id) == (
        endpoint.app.id,
        message.id,
        attempt.endpoint_id,
    )
    assert transport.count == 0


async def test_found_in_a_recent_app_first(counted, demo) -> None:
    client, transport = counted
    open_app = demo.world.roles["busiest"].app
    endpoint = demo.world.roles["fulfilment"]
    message = await a_message(client, endpoint, with_event_id=False)
    loaded = await apps(client)
    progress: list[tuple[int, int, str]] = []
    transport.paths.clear()
    found = await locate(
        client,
        message.id,
        apps=loaded,
        recent_app_ids=[endpoint.app.id],
        current_app=open_app.id,
        current_endpoint=None,
        on_progress=lambda *args: progress.append(args),
    )
    assert (found.app_id, found.msg_id) == (endpoint.app.id, message.id)
    assert found.app is not None and found.app.name == endpoint.app.name
    total = 1 + len(loaded) - 2  # the recent app, then the loaded ones but the open one
    assert progress == [(1, total, endpoint.app.name)]
    assert transport.count == 3  # open app (miss), recent app (hit), its attempts


async def test_bounded_search_names_what_it_did_not_search(large_demo) -> None:
    client, transport = counting_client(large_demo)
    async with client:
        loaded = (await client.list_applications(limit=250)).data
        open_app, *recent = [a.id for a in loaded[:3]]
        progress: list[tuple[int, int, str]] = []
        transport.paths.clear()
        with pytest.raises(NotLocated) as err:
            await locate(
                client,
                "msg_2hVXOqRbq6eKwAvXhAlTaqzX0Qg",
                apps=loaded,
                more_apps_unloaded=True,
                recent_app_ids=[*recent, "app_notloaded"],
                current_app=open_app,
                current_endpoint=None,
                max_apps=10,
                on_progress=lambda *args: progress.append(args),
            )
    assert str(err.value) == (
        "Nothing found for msg_2hVXOqRbq6eKwAvXhAlTaqzX0Qg: looked in the open app,"
        " 3 recent apps and 10 other loaded apps; not searched: the other 237 of 250 loaded"
        " apps and the apps not loaded yet. Paste APP/ID to look in one app."
    )
    assert len(transport.apps_looked_in()) == 1 + 3 + 10
    assert transport.count == 14  # one request per app for a message id
    assert [n for n, _, _ in progress] == list(range(1, 14))
    assert {total for _, total, _ in progress} == {13}
    assert progress[0][2] == "Customer 29999" and progress[2][2] == "app_notloaded"


async def test_bounded_search_for_text_tries_app_uid_then_message_and_endpoint(
    large_demo,
) -> None:
    client, transport = counting_client(large_demo)
    async with client:
        loaded = (await client.list_applications(limit=50)).data
        transport.paths.clear()
        with pytest.raises(NotLocated) as err:
            await locate(
                client,
                "order-123",
                apps=loaded,
                more_apps_unloaded=False,
                current_app=None,
                current_endpoint=None,
                max_apps=4,
            )
    assert str(err.value) == (
        "Nothing found for order-123: no app has that uid, and no eventId or endpoint uid"
        " matched in 4 loaded apps; not searched: the other 46 of 50 loaded apps."
        " Paste APP/ID to look in one app."
    )
    assert transport.count == 1 + 4 * 2
    assert transport.paths[0] == "/api/v1/app/order-123"  # as an app uid, first
    assert transport.apps_looked_in() == {a.id for a in loaded[:4]}


async def test_search_of_every_app_says_so(counted, demo) -> None:
    client, _ = counted
    loaded = await apps(client)
    with pytest.raises(NotLocated) as err:
        await locate(
            client, "ep_nope", apps=loaded, current_app=loaded[0].id, current_endpoint=None
        )
    assert str(err.value) == (
        f"Nothing found for ep_nope: looked in the open app and {len(loaded) - 1} other"
        " loaded apps; that is every app."
    )


async def test_cancelling_the_search_leaves_no_request_running(large_demo) -> None:
    client, transport = counting_client(large_demo, hold_at=5)
    async with client:
        loaded = (await client.list_applications(limit=50)).data
        transport.paths.clear()
        transport.hold_at = 5
        before = asyncio.all_tasks()
        task = asyncio.create_task(
            locate(
                client,
                "msg_x",
                apps=loaded,
                current_app=loaded[0].id,
                current_endpoint=None,
            )
        )
        await asyncio.wait_for(transport.holding.wait(), 5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert transport.in_flight == 0
        assert transport.count == 5
        assert asyncio.all_tasks() == before


@pytest.mark.parametrize("status", [401, 403, 400])
async def test_errors_other_than_404_stop_the_search(large_demo, status: int) -> None:
    from attempt_tui.api.errors import ApiError, AuthError

    client, transport = counting_client(large_demo)
    async with client:
        loaded = (await client.list_applications(limit=50)).data
        transport.paths.clear()
        transport.answer_at = {3: status}
        with pytest.raises(ApiError) as err:
            await locate(
                client, "msg_x", apps=loaded, current_app=loaded[0].id, current_endpoint=None
            )
    assert err.value.status == status
    assert isinstance(err.value, AuthError) == (status in (401, 403))
    assert transport.count == 3


async def test_an_auth_error_in_app_slash_id_stops_both_lookups(counted, demo) -> None:
    from attempt_tui.api.errors import AuthError

    client, transport = counted
    app = demo.world.roles["busiest"].app
    transport.answer_at = {1: 401}
    with pytest.raises(AuthError):
        await locate(client, f"{app.uid}/msg_x", apps=[], current_app=None, current_endpoint=None)
    assert transport.in_flight == 0
    assert transport.count <= 2
