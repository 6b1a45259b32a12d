"""The dashboard on an account of real size: 30,000 customer apps and a 321-endpoint app.

Every request the app makes is counted at the transport: nothing lists every app, counts are
asked for only for the endpoints on screen, and an app typed in or pasted is one request away.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from attempt_tui.config import Settings
from attempt_tui.demo.server import DemoServer, build_demo
from attempt_tui.launch import make_app
from attempt_tui.secret import Secret
from attempt_tui.ui.app import AttemptApp
from attempt_tui.ui.screens.app_select import AppQuery, AppSelectScreen
from attempt_tui.ui.widgets.endpoint_picker import EndpointList, EndpointPicker
from attempt_tui.ui.widgets.message_table import MessageTable
from tests.conftest import DEMO_NOW, FrozenMonotonic
from tests.hostile.inspect_ui import screen_text
from tests.ui.helpers import counts_settled, wait_for

SIZE = (120, 40)
CUSTOMERS = 30_000
PLATFORM_ENDPOINTS = 321
APPS_PATH = "/api/v1/app"


@pytest.fixture(scope="module")
def large() -> DemoServer:
    """Built once: every test here only reads it."""
    return build_demo(
        large_apps=CUSTOMERS, many_endpoints=PLATFORM_ENDPOINTS, live=False, now=DEMO_NOW
    )


class CountingTransport(httpx.AsyncBaseTransport):
    """The in-process demo, with every request it answers recorded."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests: list[httpx.Request] = []
        self.answered: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        response = await self.inner.handle_async_request(request)
        self.answered.append(request)
        return response

    def to(self, path: str, among: list[httpx.Request] | None = None) -> list[httpx.Request]:
        return [r for r in (self.requests if among is None else among) if r.url.path == path]

    def stats(self) -> list[str]:
        """The endpoint ids whose counts were asked for, in order."""
        return [r.url.path.split("/")[-2] for r in self.requests if r.url.path.endswith("/stats")]


def build(large: DemoServer, **overrides: Any) -> tuple[AttemptApp, CountingTransport]:
    values: dict[str, Any] = {
        "server_url": "http://demo.attempt-tui.local",
        "token": Secret("demo-token"),
        "profile": "demo",
        "demo": True,
        "poll_seconds": 0,
    }
    values.update(overrides)
    transport = CountingTransport(httpx.ASGITransport(app=large.asgi_app))
    app = make_app(
        Settings(**values),
        transport=transport,
        clock=lambda: large.world.now,
        monotonic=FrozenMonotonic(),
    )
    return app, transport


def app_id_of(large: DemoServer, uid: str) -> str:
    found = large.world.directory.get(uid)
    assert found is not None, uid
    return found.id


def record_calls(target: Any, name: str) -> list[Any]:
    """Record the arguments of every call of the worker's `name` intent (it still runs)."""
    calls: list[Any] = []
    original: Callable[..., Any] = getattr(target, name)

    def recording(*args: Any, **options: Any) -> Any:
        calls.append(args)
        return original(*args, **options)

    setattr(target, name, recording)
    return calls


async def test_a_customer_by_uid_opens_with_one_lookup(large: DemoServer) -> None:
    app, transport = build(large, app_id="cust-27182")
    wanted = app_id_of(large, "cust-27182")
    endpoints_path = f"{APPS_PATH}/{wanted}/endpoint"
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        await wait_for(pilot, lambda: bool(transport.to(endpoints_path, transport.answered)))
        await wait_for(pilot, lambda: screen.open_app_info is not None)
        assert app.data_worker.query.app_id == wanted
        assert screen.open_app_info is not None and screen.open_app_info.uid == "cust-27182"
        assert screen.query_one(EndpointPicker).endpoints == []  # customers have none
        assert "Customer 27182" in screen_text(app)
        assert len(transport.to(f"{APPS_PATH}/cust-27182")) == 1
        assert len(transport.to(APPS_PATH)) <= 1  # never paging through 30,000 apps
        assert app.data_worker.query.endpoint_id is None


async def test_an_endpoint_of_the_platform_app_by_uid_shows_its_messages(
    large: DemoServer,
) -> None:
    app, transport = build(large, app_id="umbrella-platform", endpoint_id="ep-0200")
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one(MessageTable)
        await wait_for(pilot, lambda: table.row_count > 0)
        screen = app.main_screen
        query = app.data_worker.query
        assert query.app_id == app_id_of(large, "umbrella-platform")
        assert screen.open_endpoint_info is not None
        assert screen.open_endpoint_info.uid == "ep-0200"
        assert query.endpoint_id == screen.open_endpoint_info.id
        # Both looked up once, together; the page is of the endpoint found.
        assert len(transport.to(f"{APPS_PATH}/umbrella-platform")) == 1
        assert len(transport.to(f"{APPS_PATH}/umbrella-platform/endpoint/ep-0200")) == 1
        page_path = f"{APPS_PATH}/{query.app_id}/endpoint/{query.endpoint_id}/msg"
        assert transport.to(page_path)


async def test_counts_are_asked_for_only_for_the_endpoints_in_view(
    large: DemoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, transport = build(large, app_id="umbrella-platform")
    # What the list said was in view, with its height then (it changes in the first layout,
    # and a report reaches the worker a little after it was made).
    measured: list[tuple[list[str], int]] = []
    ids_on_screen = EndpointList.ids_on_screen

    def measuring(self: EndpointList) -> list[str]:
        ids = ids_on_screen(self)
        measured.append((ids, self.region.height))
        return ids

    monkeypatch.setattr(EndpointList, "ids_on_screen", measuring)
    shown = record_calls(app.data_worker, "show_stats_for")
    async with app.run_test(size=SIZE) as pilot:
        picker = app.screen.query_one(EndpointPicker)
        options = picker.query_one(EndpointList)

        def counted_in_view() -> bool:
            ids = options.ids_on_screen()
            return bool(ids) and all(i in picker.stats for i in ids)

        # One endpoint per line: a screenful of counts (four at a time) takes a while on a busy
        # machine.
        await wait_for(
            pilot, lambda: len(picker.endpoints) == 100 and counted_in_view(), timeout=20
        )
        in_view = options.ids_on_screen()
        first = transport.stats()
        assert 0 < len(in_view) <= options.size.height  # one endpoint per line, those in view
        assert sorted(first) == sorted(in_view)  # no endpoint is open: nothing else
        # Never more than a screenful, as high as the list was when it looked.
        assert measured and all(len(ids) <= height for ids, height in measured)
        assert all(any(ids == seen for seen, _ in measured) for (ids,) in shown)
        endpoint_pages = [r for r in transport.requests if r.url.path.endswith("/endpoint")]
        assert len(endpoint_pages) == 1 and "iterator" not in endpoint_pages[0].url.params

        options.focus()
        await pilot.press("end")  # to the end of the first 100: the next 100 are asked for
        await wait_for(
            pilot, lambda: len(picker.endpoints) == 200 and counted_in_view(), timeout=20
        )
        endpoint_pages = [r for r in transport.requests if r.url.path.endswith("/endpoint")]
        assert len(endpoint_pages) == 2
        assert endpoint_pages[1].url.params["limit"] == "100"
        assert endpoint_pages[1].url.params.get("iterator")

        now_in_view = options.ids_on_screen()
        later = transport.stats()[len(first) :]
        assert later, "the endpoints scrolled into view are counted"
        assert set(later) <= set(now_in_view)  # only what came into view
        assert not set(later) & set(first)  # what was counted is not asked for again
        assert len(transport.stats()) == len(set(transport.stats()))
        seen = {i for (ids,) in shown for i in ids}
        assert set(transport.stats()) <= seen  # never an endpoint that was not on screen


async def test_the_app_selector_lists_a_page_and_asks_for_more_at_its_end(
    large: DemoServer,
) -> None:
    app, transport = build(large)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.data_worker.query.app_id is not None)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, AppSelectScreen))
        selector = app.screen
        assert isinstance(selector, AppSelectScreen)
        assert len(selector.apps) == 100 and selector.has_more
        lists = transport.to(APPS_PATH)
        assert len(lists) == 1 and "iterator" not in lists[0].url.params

        await pilot.press("down", "end")
        await wait_for(pilot, lambda: len(selector.apps) == 200)
        lists = transport.to(APPS_PATH)
        assert len(lists) == 2
        assert lists[1].url.params.get("iterator")
        assert lists[1].url.params["limit"] == "100"

        # A customer far beyond the pages loaded, typed in: one lookup opens it.
        selector.query_one(AppQuery).focus()
        await pilot.press(*"cust-00042", "enter")
        wanted = app_id_of(large, "cust-00042")
        await wait_for(pilot, lambda: app.data_worker.query.app_id == wanted)
        assert len(transport.to(f"{APPS_PATH}/cust-00042")) == 1
        assert len(transport.to(APPS_PATH)) == 2


async def test_typing_a_loaded_customer_opens_it_without_a_lookup(large: DemoServer) -> None:
    app, transport = build(large)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.data_worker.query.app_id is not None)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, AppSelectScreen))
        # The newest customers come first: cust-29999 is on the first page.
        await pilot.press(*"cust-29999", "enter")
        wanted = app_id_of(large, "cust-29999")
        await wait_for(pilot, lambda: app.data_worker.query.app_id == wanted)
        await wait_for(pilot, lambda: app.main_screen.open_app_info is not None)
        assert app.main_screen.open_app_info is not None
        assert app.main_screen.open_app_info.id == wanted
        assert len(transport.to(f"{APPS_PATH}/cust-29999")) <= 1
        assert not transport.to(f"{APPS_PATH}/{wanted}")
        assert len(transport.to(APPS_PATH)) == 1


async def test_go_to_a_customer_takes_at_most_two_requests(large: DemoServer) -> None:
    """With an app open, a bare uid is first an eventId there, then an app uid."""
    app, transport = build(large)
    worker = app.data_worker
    during: list[list[httpx.Request]] = []
    original = worker.go_to

    async def go_to(*args: Any) -> Any:
        before = len(transport.requests)
        try:
            return await original(*args)
        finally:
            during.append(transport.requests[before:])

    worker.go_to = go_to  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: worker.query.app_id is not None)
        await wait_for(pilot, lambda: bool(app.main_screen.picker.apps))

        app.main_screen.go_to("cust-29999")
        wanted = app_id_of(large, "cust-29999")
        await wait_for(pilot, lambda: worker.query.app_id == wanted)
        assert len(during) == 1 and len(during[0]) <= 2

        app.main_screen.go_to("cust-00042")  # not among the apps loaded
        wanted = app_id_of(large, "cust-00042")
        await wait_for(pilot, lambda: worker.query.app_id == wanted)
        assert len(during) == 2
        assert [r.url.path for r in during[1]] == [
            f"{APPS_PATH}/{app_id_of(large, 'cust-29999')}/msg/cust-00042",
            f"{APPS_PATH}/cust-00042",
        ]
        assert len(transport.to(APPS_PATH)) == 1


async def test_counts_beside_the_messages_are_kept_fresh_only_while_the_list_is_read(
    large: DemoServer,
) -> None:
    app, _ = build(large, app_id="umbrella-platform", endpoint_id="ep-0005")
    worker = app.data_worker
    calls: list[bool] = []
    original = worker.show_stats_for

    def recording(ids: Any, *, refresh: bool = True) -> None:
        calls.append(refresh)
        original(ids, refresh=refresh)

    worker.show_stats_for = recording  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(MessageTable).row_count > 0)
        await wait_for(pilot, lambda: bool(calls))
        assert calls[-1] is False  # the messages have the focus: the list is not being read
        assert worker.stats_lane.refresh_visible is False
        await pilot.press("E")
        await wait_for(pilot, lambda: calls[-1] is True)
        assert worker.stats_lane.refresh_visible is True


async def test_go_to_an_event_id_in_the_open_app_is_on_screen_after_three_requests(
    large: DemoServer,
) -> None:
    """The message by eventId, its attempts (which say where it went and are what the detail
    shows) and the page around it; where else it was sent waits for its tab."""
    from attempt_tui.ui.widgets.detail import DetailPane

    endpoint = large.world.roles["busiest"]
    app, transport = build(large, app_id=endpoint.app.id, endpoint_id=endpoint.id)
    worker = app.data_worker
    async with app.run_test(size=SIZE) as pilot:
        table = app.main_screen.query_one(MessageTable)
        await wait_for(pilot, lambda: table.row_count > 0)
        await wait_for(pilot, lambda: app.main_screen.query_one(DetailPane).detail is not None)
        # The counts of the start (asked for a moment after the list shows), not the go-to's.
        in_view = worker.stats_lane
        await wait_for(pilot, lambda: bool(in_view.visible) and in_view.last_result is not None)
        await wait_for(pilot, lambda: counts_settled(app))
        first = await worker.client.list_attempted_messages(endpoint.app.id, endpoint.id, limit=250)
        page = await worker.client.list_attempted_messages(
            endpoint.app.id, endpoint.id, limit=250, iterator=first.iterator
        )
        wanted = next(m for m in page.data[20:] if m.event_id)  # not on the first page
        assert wanted.event_id is not None
        before = len(transport.requests)
        detail = app.main_screen.query_one(DetailPane)
        app.main_screen.go_to(wanted.event_id)

        def shown() -> bool:
            held = detail.detail
            return held is not None and held.msg_id == wanted.id and table.selected_key == wanted.id

        await wait_for(pilot, shown)
        # The next page's prefetch may leave before the screen catches up: it is not the go-to's.
        asked = [
            r.url.path
            for r in transport.requests[before:]
            if not (r.url.path.endswith("/msg") and "iterator" in r.url.params)
        ]
        until_shown = len(transport.requests)
        base = f"{APPS_PATH}/{endpoint.app.id}"
        assert asked == [
            f"{base}/msg/{wanted.event_id}",
            f"{base}/attempt/msg/{wanted.id}",
            f"{base}/endpoint/{endpoint.id}/msg",
        ]
        assert detail.detail is not None and detail.detail.attempts
        assert detail.detail.destinations is None

        # Where else it was sent: asked for once its tab opens, said while it is asked.
        app.main_screen.query_one("#detail-tabs").active = "tab-destinations"
        await wait_for(pilot, lambda: detail.detail is not None and detail.detail.destinations)
        after = [r.url.path for r in transport.requests[until_shown:]]
        assert after.count(f"{base}/msg/{wanted.id}/endpoint") == 1
        # Only they were missing: the message and its attempts are not asked for again.
        assert not [p for p in after if p.startswith((f"{base}/attempt/", f"{base}/msg/"))][1:]
        assert endpoint.id in detail.query_one("#destinations").rows
        assert not detail.query_one("#destinations-note").display
