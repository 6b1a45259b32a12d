"""The data worker at real-account size, against a fake client on a fake clock.

Apps and endpoints are paged 100 at a time on demand, counts are fetched only for the
endpoints on screen (a few at a time, cached), an app and endpoint given at start open in the
first round of requests, every lane's requests carry their priority in the request budget, and
errors a retry can't fix are reported once and not polled again.
"""

from __future__ import annotations

import asyncio
import gc
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from attempt_tui.api.budget import Priority, RequestBudget, current_priority
from attempt_tui.api.client import SvixClient
from attempt_tui.api.errors import (
    ApiError,
    AuthError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    ServerError,
    ValidationFailed,
)
from attempt_tui.api.models import (
    ApplicationOut,
    EndpointMessageOut,
    EndpointOut,
    EndpointStats,
    MessageAttemptOut,
    MessageOut,
    Page,
)
from attempt_tui.compat import UTC
from attempt_tui.locate import Location
from attempt_tui.secret import Secret
from attempt_tui.worker import (
    AppsLoaded,
    DataWorker,
    EndpointsLoaded,
    GoToProgress,
    LaneFailed,
    LaneRecovered,
    NotOpened,
    Opened,
    PageCursor,
    PageLoaded,
    StatsLoaded,
    Throttled,
)
from attempt_tui.worker.listing import (
    APPS_PAGE_SIZE,
    ENDPOINTS_EVERY_N_POLLS,
    STATS_AT_ONCE,
    STATS_DEBOUNCE_SECONDS,
)
from attempt_tui.worker.paging import PREFETCH_DELAY_SECONDS
from tests import waiting

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


# ---------------------------------------------------------------------- the fake clock


class FakeTime:
    """Monotonic time and a sleep that only returns when the test moves time on."""

    def __init__(self) -> None:
        self.now = 1000.0
        self._sleepers: list[tuple[float, asyncio.Future[None]]] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        entry = (self.now + max(0.0, seconds), future)
        self._sleepers.append(entry)
        try:
            await future
        finally:
            if entry in self._sleepers:
                self._sleepers.remove(entry)

    async def advance(self, seconds: float) -> None:
        """Move time on by `seconds`, waking every sleep that ends on the way, in order."""
        target = self.now + seconds
        while True:
            await settle()
            due = [end for end, future in self._sleepers if end <= target and not future.done()]
            if not due:
                break
            self.now = max(self.now, min(due))
            for end, future in list(self._sleepers):
                if end <= self.now and not future.done():
                    future.set_result(None)
        self.now = target
        await settle()


async def settle(rounds: int = 50) -> None:
    """Let every task that can run do so (nothing here waits on real time)."""
    for _ in range(rounds):
        await asyncio.sleep(0)


async def until(condition: Callable[[], bool], timeout: float = 3.0) -> None:
    """Wait for `condition`; one that cannot be evaluated yet (no such event) is not met."""

    def holds() -> bool:
        try:
            return bool(condition())
        except (AssertionError, LookupError):
            return False

    await waiting.until(holds, timeout)


# ---------------------------------------------------------------------- the fake API


def application(n: int) -> ApplicationOut:
    return ApplicationOut(
        id=f"app_{n:05d}",
        uid=f"cust-{n:05d}",
        name=f"Customer {n:05d}",
        created_at=T0,
        updated_at=T0,
    )


def endpoint(app_n: int, n: int) -> EndpointOut:
    return EndpointOut(
        id=f"ep_{app_n:05d}x{n:04d}",
        uid=f"ep-{n:04d}",
        url=f"https://hooks.tenant-{n:04d}.example/svix",
        created_at=T0,
        updated_at=T0,
    )


def message(n: int) -> EndpointMessageOut:
    return EndpointMessageOut(
        id=f"msg_{n:027d}", event_type="invoice.paid", timestamp=T0 - timedelta(minutes=n), status=0
    )


def paged(items: Sequence[Any], limit: int, iterator: str | None) -> Page[Any]:
    """Offset cursors: the iterator is where the next page starts."""
    start = int(iterator) if iterator else 0
    chunk = list(items[start : start + limit])
    end = start + len(chunk)
    return Page(data=chunk, iterator=str(end), prev_iterator=f"-{start}", done=end >= len(items))


@dataclass(frozen=True)
class Call:
    name: str
    args: dict[str, Any]
    priority: Priority


Failure = Callable[[dict[str, Any]], Exception | None]


def always(error: Exception) -> Failure:
    return lambda args: error


class FakeClient:
    """A Svix account in memory: `apps` apps, `endpoints[n]` endpoints in app n.

    Every call is recorded with the request priority it was made at; `gates[name]` holds
    calls of that name until set; `fail[name]` decides an error per call.
    """

    def __init__(self, apps: int = 250, endpoints: dict[int, int] | None = None) -> None:
        self.budget = RequestBudget()
        self.apps = [application(n) for n in range(1, apps + 1)]
        counts = endpoints if endpoints is not None else {1: 230, 2: 3}
        self.endpoints: dict[str, list[EndpointOut]] = {
            application(app_n).id: [endpoint(app_n, n) for n in range(1, count + 1)]
            for app_n, count in counts.items()
        }
        self.messages = [message(n) for n in range(10)]
        self.calls: list[Call] = []
        self.gates: dict[str, asyncio.Event] = {}
        self.fail: dict[str, Failure] = {}
        self.stats_in_flight = 0
        self.most_stats_in_flight = 0

    async def _call(self, name: str, **args: Any) -> None:
        self.calls.append(Call(name, args, current_priority()))
        gate = self.gates.get(name)
        if gate is not None:
            await gate.wait()
        failure = self.fail.get(name)
        error = failure(args) if failure is not None else None
        if error is not None:
            raise error

    def named(self, name: str) -> list[Call]:
        return [call for call in self.calls if call.name == name]

    def count(self, name: str) -> int:
        return len(self.named(name))

    def _app(self, ref: str) -> ApplicationOut:
        for app in self.apps:
            if ref in (app.id, app.uid):
                return app
        raise NotFoundError(f"No application {ref}", status=404)

    def _endpoint(self, app_ref: str, ref: str) -> EndpointOut:
        for ep in self.endpoints.get(self._app(app_ref).id, []):
            if ref in (ep.id, ep.uid):
                return ep
        raise NotFoundError(f"No endpoint {ref}", status=404)

    async def list_applications(self, *, limit: int = 50, iterator: str | None = None) -> Page[Any]:
        await self._call("apps", limit=limit, iterator=iterator)
        return paged(self.apps, limit, iterator)

    async def get_application(self, app_id_or_uid: str) -> ApplicationOut:
        await self._call("app", ref=app_id_or_uid)
        return self._app(app_id_or_uid)

    async def list_endpoints(
        self, app_id: str, *, limit: int = 50, iterator: str | None = None
    ) -> Page[Any]:
        await self._call("endpoints", app_id=app_id, limit=limit, iterator=iterator)
        return paged(self.endpoints.get(self._app(app_id).id, []), limit, iterator)

    async def get_endpoint(self, app_id: str, endpoint_id: str) -> EndpointOut:
        await self._call("endpoint", app_id=app_id, ref=endpoint_id)
        return self._endpoint(app_id, endpoint_id)

    async def get_endpoint_stats(
        self, app_id: str, endpoint_id: str, *, since: datetime | None = None, **kw: Any
    ) -> EndpointStats:
        self.stats_in_flight += 1
        self.most_stats_in_flight = max(self.most_stats_in_flight, self.stats_in_flight)
        try:
            await self._call("stats", app_id=app_id, endpoint_id=endpoint_id, since=since)
        finally:
            self.stats_in_flight -= 1
        return EndpointStats(success=int(endpoint_id[-4:]))

    async def list_attempted_messages(
        self, app_id: str, endpoint_id: str, *, limit: int, iterator: str | None = None, **kw: Any
    ) -> Page[Any]:
        await self._call("page", app_id=app_id, endpoint_id=endpoint_id, iterator=iterator)
        self._endpoint(app_id, endpoint_id)
        return paged(self.messages, limit, iterator)

    async def list_attempts_by_msg(self, app_id: str, msg_id: str, **kw: Any) -> Page[Any]:
        await self._call("attempts", msg_id=msg_id)
        attempt = MessageAttemptOut(
            id="atmpt_1",
            msg_id=msg_id,
            endpoint_id=kw.get("endpoint_id") or "",
            url="https://example.com/hook",
            response="ok",
            response_status_code=200,
            status=0,
            trigger_type=0,
            timestamp=T0,
        )
        return Page(data=[attempt], done=True)

    async def get_message(self, app_id: str, msg_id: str, **kw: Any) -> MessageOut:
        await self._call("message", app_id=app_id, msg_id=msg_id)
        if msg_id not in {m.id for m in self.messages}:
            raise NotFoundError(f"No message {msg_id}", status=404)
        return MessageOut(id=msg_id, event_type="invoice.paid", payload={}, timestamp=T0)

    async def list_attempted_destinations(self, app_id: str, msg_id: str, **kw: Any) -> Page[Any]:
        await self._call("destinations", msg_id=msg_id)
        return Page(data=[], done=True)

    async def aclose(self) -> None:
        self.budget.close()


# ---------------------------------------------------------------------- harness


class Harness:
    def __init__(self, client: FakeClient, time: FakeTime, *, poll_seconds: float) -> None:
        self.client = client
        self.time = time
        self.events: list[Any] = []
        self.worker = DataWorker(
            client,  # type: ignore[arg-type]
            self.events.append,
            poll_seconds=poll_seconds,
            page_size=4,
            sleep=time.sleep,
            monotonic=time.monotonic,
            jitter=lambda: 0.5,
            clock=lambda: T0,
        )

    def of(self, kind: type) -> list[Any]:
        return [e for e in self.events if isinstance(e, kind)]

    def last(self, kind: type) -> Any:
        found = self.of(kind)
        assert found, f"no {kind.__name__} emitted"
        return found[-1]

    def failures(self, lane: str) -> list[LaneFailed]:
        return [e for e in self.of(LaneFailed) if e.lane == lane]

    async def advance(self, seconds: float) -> None:
        await self.time.advance(seconds)


@pytest.fixture
async def make() -> Any:
    made: list[Harness] = []

    def build(client: FakeClient | None = None, *, poll_seconds: float = 0) -> Harness:
        harness = Harness(client or FakeClient(), FakeTime(), poll_seconds=poll_seconds)
        made.append(harness)
        return harness

    yield build
    for harness in made:
        await harness.worker.stop()


def open_ids(h: Harness, app_n: int = 1, ep_n: int = 1) -> None:
    h.worker.open_at_start(application(app_n).id, endpoint(app_n, ep_n).id)


# ---------------------------------------------------------------------- apps


async def test_apps_are_listed_a_hundred_per_page_and_the_next_on_demand(make) -> None:
    h = make()
    h.worker.start()
    await until(lambda: bool(h.of(AppsLoaded)))
    first = h.last(AppsLoaded)
    assert [a.id for a in first.apps] == [a.id for a in h.client.apps[:100]]
    assert first.has_more is True
    assert [c.args for c in h.client.named("apps")] == [{"limit": APPS_PAGE_SIZE, "iterator": None}]

    h.worker.load_more_apps()
    h.worker.load_more_apps()  # asked twice before the answer: one request
    await until(lambda: len(h.last(AppsLoaded).apps) == 200)
    assert h.last(AppsLoaded).has_more is True
    assert [c.args["iterator"] for c in h.client.named("apps")] == [None, "100"]

    h.worker.load_more_apps()
    await until(lambda: len(h.last(AppsLoaded).apps) == 250)
    last = h.last(AppsLoaded)
    assert last.has_more is False
    assert [a.id for a in last.apps] == [a.id for a in h.client.apps]

    h.worker.load_more_apps()  # the last page said done: nothing more to ask for
    await h.advance(60)
    assert [c.args["iterator"] for c in h.client.named("apps")] == [None, "100", "200"]


async def test_refresh_reads_the_first_page_of_apps_again_and_keeps_the_others(make) -> None:
    h = make()
    h.worker.start()
    await until(lambda: bool(h.of(AppsLoaded)))
    h.worker.load_more_apps()
    await until(lambda: len(h.last(AppsLoaded).apps) == 200)
    asked = h.client.count("apps")

    h.client.apps.insert(0, application(9999))  # a new customer: newest first
    h.worker.refresh_now()
    await until(lambda: h.client.count("apps") == asked + 1)
    await until(lambda: h.last(AppsLoaded).apps[0].id == application(9999).id)
    assert h.client.named("apps")[-1].args["iterator"] is None
    assert len({a.id for a in h.last(AppsLoaded).apps}) >= 200
    await h.advance(60)
    assert h.client.count("apps") == asked + 1


async def test_the_first_app_listed_opens_when_nothing_was_asked_for(make) -> None:
    h = make()
    h.worker.start()
    await until(lambda: any(e.app is not None for e in h.of(Opened)))
    assert h.worker.query.app_id == h.client.apps[0].id
    assert h.last(Opened).app == h.client.apps[0] and h.last(Opened).endpoint is None
    assert h.client.count("app") == 0  # the list had it


# ---------------------------------------------------------------------- endpoints


async def test_endpoints_are_paged_and_start_over_when_another_app_opens(make) -> None:
    h = make()
    app1, app2 = application(1).id, application(2).id
    h.worker.select_app(app1)
    h.worker.start()
    await until(lambda: bool(h.of(EndpointsLoaded)))
    loaded = h.last(EndpointsLoaded)
    assert (loaded.app_id, len(loaded.endpoints), loaded.has_more) == (app1, 100, True)
    assert h.client.named("endpoints")[0].args == {"app_id": app1, "limit": 100, "iterator": None}

    h.worker.load_more_endpoints()
    h.worker.load_more_endpoints()
    await until(lambda: len(h.last(EndpointsLoaded).endpoints) == 200)
    h.worker.load_more_endpoints()
    await until(lambda: len(h.last(EndpointsLoaded).endpoints) == 230)
    assert h.last(EndpointsLoaded).has_more is False
    assert [c.args["iterator"] for c in h.client.named("endpoints")] == [None, "100", "200"]
    h.worker.load_more_endpoints()  # done: no fourth page
    await settle()
    assert h.client.count("endpoints") == 3

    h.worker.select_app(app2)
    await until(lambda: h.last(EndpointsLoaded).app_id == app2)
    assert len(h.last(EndpointsLoaded).endpoints) == 3 and not h.last(EndpointsLoaded).has_more

    h.worker.select_app(app1)  # back: the first page only, as for any app opened
    await until(lambda: h.last(EndpointsLoaded).app_id == app1)
    again = h.last(EndpointsLoaded)
    assert (len(again.endpoints), again.has_more) == (100, True)
    assert h.client.named("endpoints")[-1].args["iterator"] is None


# ---------------------------------------------------------------------- stats


def stats_ids(h: Harness) -> list[str]:
    return [c.args["endpoint_id"] for c in h.client.named("stats")]


async def test_stats_are_fetched_only_for_the_endpoints_shown_and_the_open_one(make) -> None:
    h = make(poll_seconds=5)
    open_ids(h, 1, 150)
    h.worker.start()
    await until(lambda: bool(h.of(EndpointsLoaded)))
    await h.advance(STATS_DEBOUNCE_SECONDS)
    await until(lambda: bool(h.of(StatsLoaded)))
    open_one = endpoint(1, 150).id
    assert stats_ids(h) == [open_one]  # nothing shown yet: only the open endpoint

    shown = [endpoint(1, n).id for n in range(1, 6)]
    h.worker.show_stats_for(shown)
    await h.advance(STATS_DEBOUNCE_SECONDS)
    await until(lambda: set(h.last(StatsLoaded).stats) == {*shown, open_one})
    assert sorted(stats_ids(h)) == sorted([open_one, *shown])
    loaded = h.last(StatsLoaded)
    assert loaded.app_id == application(1).id and loaded.span is None
    assert loaded.stats[shown[0]] == EndpointStats(success=1)

    # A whole poll cycle later nothing but what is shown was ever counted.
    await h.advance(5 * ENDPOINTS_EVERY_N_POLLS + 1)
    assert set(stats_ids(h)) == {open_one, *shown}


async def test_no_stats_for_an_app_until_its_endpoints_are_shown(make) -> None:
    h = make(poll_seconds=5)
    h.worker.select_app(application(1).id)
    h.worker.start()
    await until(lambda: bool(h.of(EndpointsLoaded)))
    await h.advance(5 * ENDPOINTS_EVERY_N_POLLS + 1)
    assert h.client.count("stats") == 0

    h.worker.show_stats_for([endpoint(1, 1).id])
    await h.advance(STATS_DEBOUNCE_SECONDS)
    await until(lambda: h.client.count("stats") == 1)

    h.worker.select_app(application(2).id)  # another app: what was shown no longer is
    await until(lambda: h.last(EndpointsLoaded).app_id == application(2).id)
    await h.advance(5 * ENDPOINTS_EVERY_N_POLLS + 1)
    assert [c.args["app_id"] for c in h.client.named("stats")] == [application(1).id]


async def test_at_most_four_stats_requests_are_in_flight(make) -> None:
    h = make()
    h.worker.select_app(application(1).id)
    gate = h.client.gates["stats"] = asyncio.Event()
    h.worker.start()
    shown = [endpoint(1, n).id for n in range(1, 13)]
    h.worker.show_stats_for(shown)
    await h.advance(STATS_DEBOUNCE_SECONDS)
    await until(lambda: h.client.stats_in_flight == STATS_AT_ONCE)
    await settle()
    assert h.client.stats_in_flight == STATS_AT_ONCE == 4
    assert h.client.count("stats") == 4

    gate.set()
    await until(lambda: bool(h.of(StatsLoaded)))
    assert set(h.last(StatsLoaded).stats) == set(shown)
    assert sorted(stats_ids(h)) == sorted(shown)
    assert h.client.most_stats_in_flight == 4


async def test_stats_wait_until_the_list_stops_moving(make) -> None:
    h = make()
    h.worker.select_app(application(1).id)
    h.worker.start()
    await until(lambda: bool(h.of(EndpointsLoaded)))
    for top in range(1, 40, 3):  # scrolling: a new set on screen every 0.1 s
        h.worker.show_stats_for([endpoint(1, n).id for n in range(top, top + 5)])
        await h.advance(0.1)
    assert h.client.count("stats") == 0
    await h.advance(STATS_DEBOUNCE_SECONDS)
    await until(lambda: h.client.count("stats") == 5)
    await settle()
    assert sorted(stats_ids(h)) == [endpoint(1, n).id for n in range(37, 42)]


async def test_scrolling_back_does_not_fetch_fresh_stats_again(make) -> None:
    h = make(poll_seconds=5)  # stats poll every 30 s; counts younger than 27 s are fresh
    h.worker.select_app(application(1).id)
    h.worker.start()
    top = [endpoint(1, n).id for n in range(1, 6)]
    below = [endpoint(1, n).id for n in range(6, 11)]

    h.worker.show_stats_for(top)
    await h.advance(STATS_DEBOUNCE_SECONDS)
    await until(lambda: h.client.count("stats") == 5)
    h.worker.show_stats_for(below)
    await h.advance(STATS_DEBOUNCE_SECONDS)
    await until(lambda: h.client.count("stats") == 10)
    await until(lambda: set(h.last(StatsLoaded).stats) == set(below))

    await h.advance(5)
    h.worker.show_stats_for(top)  # back up: the counts from 5 s ago are still fresh
    await h.advance(STATS_DEBOUNCE_SECONDS)
    await until(lambda: set(h.last(StatsLoaded).stats) == set(top))
    assert h.client.count("stats") == 10

    h.worker.refresh_now()  # F5 reads what is on screen again
    await h.advance(STATS_DEBOUNCE_SECONDS)
    await until(lambda: h.client.count("stats") == 15)
    assert sorted(stats_ids(h)[10:]) == sorted(top)

    await h.advance(5 * ENDPOINTS_EVERY_N_POLLS)  # the next poll finds them due
    await until(lambda: h.client.count("stats") == 20)
    assert sorted(stats_ids(h)[15:]) == sorted(top)


async def test_counts_beside_the_messages_are_fetched_once_and_refreshed_when_read(make) -> None:
    """A list in view but not read (the messages have the focus) costs one request per endpoint
    scrolled into view; only the open endpoint's counts are kept fresh, until the list is read
    again."""
    h = make(poll_seconds=5)  # stats poll every 30 s; counts younger than 27 s are fresh
    h.worker.select_app(application(1).id)
    open_one = endpoint(1, 3).id
    h.worker.select_endpoint(open_one)
    h.worker.start()
    shown = [endpoint(1, n).id for n in range(1, 9)]
    h.worker.show_stats_for(shown, refresh=False)
    await h.advance(STATS_DEBOUNCE_SECONDS)
    await until(lambda: h.client.count("stats") == 8)  # each once, the open one among them

    await h.advance(5 * ENDPOINTS_EVERY_N_POLLS + 1)  # a poll: only the open one is due
    await until(lambda: h.client.count("stats") == 9)
    await settle()
    assert stats_ids(h)[8:] == [open_one]

    h.worker.show_stats_for(shown, refresh=True)  # the list is read (it has the focus)
    await until(lambda: h.client.count("stats") == 16)
    assert sorted(stats_ids(h)[9:]) == sorted(set(shown) - {open_one})


async def test_stats_of_another_span_are_cached_apart(make) -> None:
    h = make()
    h.worker.select_app(application(1).id)
    h.worker.start()
    shown = [endpoint(1, 1).id]
    h.worker.show_stats_for(shown)
    await h.advance(STATS_DEBOUNCE_SECONDS)
    await until(lambda: h.client.count("stats") == 1)
    assert h.client.named("stats")[0].args["since"] is None

    h.worker.set_stats_span(timedelta(days=1))
    await h.advance(STATS_DEBOUNCE_SECONDS)
    await until(lambda: h.client.count("stats") == 2)
    assert h.client.named("stats")[1].args["since"] == T0 - timedelta(days=1)
    await until(lambda: h.last(StatsLoaded).span == timedelta(days=1))

    h.worker.set_stats_span(None)  # back to all time: cached
    await h.advance(STATS_DEBOUNCE_SECONDS)
    await until(lambda: h.last(StatsLoaded).span is None)
    assert h.client.count("stats") == 2


# ---------------------------------------------------------------------- opening at start


async def test_ids_at_start_ask_for_the_page_before_any_list_answers(make) -> None:
    h = make()
    lists = asyncio.Event()
    h.client.gates["apps"] = lists
    h.client.gates["endpoints"] = lists
    open_ids(h, 1, 7)
    h.worker.start()
    await until(lambda: h.client.count("page") == 1)
    page = h.client.named("page")[0]
    assert page.args == {
        "app_id": application(1).id,
        "endpoint_id": endpoint(1, 7).id,
        "iterator": None,
    }
    # The lists are asked for too (once the page has answered) and are still waiting.
    await until(lambda: h.client.count("apps") == 1 and h.client.count("endpoints") == 1)
    assert not h.of(AppsLoaded) and not h.of(EndpointsLoaded)
    await until(lambda: bool(h.of(PageLoaded)))
    await until(lambda: bool(h.of(Opened)))
    assert h.last(Opened) == Opened(application(1), endpoint(1, 7))
    assert h.client.count("app") == 1 and h.client.count("endpoint") == 1

    lists.set()
    await until(lambda: bool(h.of(EndpointsLoaded)) and bool(h.of(AppsLoaded)))
    assert h.worker.query.endpoint_id == endpoint(1, 7).id  # the list did not open another


async def test_uids_at_start_are_looked_up_together_then_opened(make) -> None:
    h = make()
    lookups = asyncio.Event()
    h.client.gates["app"] = lookups
    h.client.gates["endpoint"] = lookups
    h.worker.open_at_start("cust-00001", "ep-0042")
    h.worker.start()
    await until(lambda: h.client.count("app") == 1 and h.client.count("endpoint") == 1)
    assert h.client.named("app")[0].args == {"ref": "cust-00001"}
    assert h.client.named("endpoint")[0].args == {"app_id": "cust-00001", "ref": "ep-0042"}
    assert h.client.count("page") == 0
    assert h.worker.query.app_id is None  # the first app listed is not opened meanwhile
    lookups.set()

    await until(lambda: h.client.count("page") == 1)
    assert h.client.named("page")[0].args["endpoint_id"] == endpoint(1, 42).id
    assert h.worker.query.app_id == application(1).id
    assert h.worker.query.endpoint_id == endpoint(1, 42).id
    assert h.of(Opened)[0] == Opened(application(1), endpoint(1, 42))
    assert not h.of(NotOpened)
    await until(lambda: bool(h.of(PageLoaded)))
    assert h.client.count("app") == 1 and h.client.count("endpoint") == 1  # not again


async def test_a_missing_app_at_start_opens_the_first_app_and_looks_there(make) -> None:
    h = make()
    h.worker.open_at_start("no-such-customer", "ep-0003")
    h.worker.start()
    await until(lambda: bool(h.of(NotOpened)))
    failed = h.last(NotOpened)
    assert (failed.what, failed.ref, failed.at_start) == ("app", "no-such-customer", True)
    assert failed.message == "No application no-such-customer"

    first = h.client.apps[0]
    await until(lambda: h.worker.query.endpoint_id is not None)
    assert h.worker.query.app_id == first.id
    assert h.worker.query.endpoint_id == endpoint(1, 3).id
    assert h.client.named("endpoint")[-1].args == {"app_id": first.id, "ref": "ep-0003"}
    await until(lambda: h.last(Opened) == Opened(first, endpoint(1, 3)))
    assert len(h.of(NotOpened)) == 1


async def test_a_missing_endpoint_at_start_is_reported_and_its_app_stays_open(make) -> None:
    h = make()
    h.worker.open_at_start("cust-00002", "ep-0099")
    h.worker.start()
    await until(lambda: bool(h.of(NotOpened)))
    failed = h.last(NotOpened)
    assert (failed.what, failed.ref, failed.at_start) == ("endpoint", "ep-0099", True)
    assert h.worker.query.app_id == application(2).id
    assert h.worker.query.endpoint_id is None
    assert Opened(application(2), None) in h.of(Opened)
    await until(lambda: h.last(EndpointsLoaded).app_id == application(2).id)
    assert h.client.count("page") == 0


async def test_an_endpoint_without_an_app_is_looked_for_in_the_first_app(make) -> None:
    h = make()
    h.worker.open_at_start(None, "ep-0200")
    h.worker.start()
    await until(lambda: h.worker.query.endpoint_id is not None)
    assert h.worker.query.app_id == application(1).id
    assert h.worker.query.endpoint_id == endpoint(1, 200).id
    await until(lambda: h.last(Opened) == Opened(application(1), endpoint(1, 200)))


async def test_an_endpoint_missing_from_the_first_app_is_reported(make) -> None:
    h = make()
    h.worker.open_at_start(None, "ep-7777")
    h.worker.start()
    await until(lambda: bool(h.of(NotOpened)))
    assert (h.last(NotOpened).what, h.last(NotOpened).ref) == ("endpoint", "ep-7777")
    assert h.worker.query.app_id == application(1).id and h.worker.query.endpoint_id is None


async def test_an_app_typed_in_opens_directly_with_one_request(make) -> None:
    h = make()
    h.worker.start()
    await until(lambda: h.worker.query.app_id == application(1).id)
    h.worker.open_app_ref("cust-00240")  # not among the apps loaded
    await until(lambda: h.worker.query.app_id == application(240).id)
    assert [c.args for c in h.client.named("app")] == [{"ref": "cust-00240"}]
    assert h.last(Opened) == Opened(application(240), None)
    assert h.client.count("apps") == 1  # no paging through the list to find it

    h.worker.open_app_ref("cust-99999")
    await until(lambda: bool(h.of(NotOpened)))
    failed = h.last(NotOpened)
    assert (failed.what, failed.ref, failed.at_start) == ("app", "cust-99999", False)
    assert h.worker.query.app_id == application(240).id  # nothing else opened


async def test_go_to_opens_and_reports_the_app_and_endpoint_found(make) -> None:
    h = make()
    h.worker.start()
    await until(lambda: h.worker.query.app_id == application(1).id)
    before = h.client.count("app") + h.client.count("endpoint")
    found = Location(
        application(2).id, endpoint(2, 2).id, app=application(2), endpoint=endpoint(2, 2)
    )
    h.worker.open_location(found)
    assert h.last(Opened) == Opened(application(2), endpoint(2, 2))
    await until(lambda: h.client.count("page") == 1)
    await settle()
    assert h.client.count("app") + h.client.count("endpoint") == before  # go-to fetched them

    h.worker.open_location(Location(application(1).id))  # without the app itself
    await until(lambda: h.last(Opened).app == application(1))
    assert h.last(Opened).endpoint is None


# ---------------------------------------------------------------------- priorities


async def test_each_lane_asks_at_its_priority(make) -> None:
    h = make()
    open_ids(h, 1, 1)
    h.worker.start()
    await until(lambda: bool(h.of(PageLoaded)))
    h.worker.show_stats_for([endpoint(1, 2).id])
    h.worker.want_destinations(True)  # the Destinations tab is open
    h.worker.select_message(h.client.messages[0].id)
    await h.advance(max(STATS_DEBOUNCE_SECONDS, PREFETCH_DELAY_SECONDS))
    await until(
        lambda: (
            h.client.count("stats") == 2
            and h.client.count("page") == 2
            and h.client.count("destinations") == 1
        )
    )
    await until(lambda: h.client.count("apps") == 1 and h.client.count("endpoints") == 1)

    def priorities(name: str) -> set[Priority]:
        return {call.priority for call in h.client.named(name)}

    page, prefetch = h.client.named("page")
    assert (page.args["iterator"], page.priority) == (None, Priority.PAGE)
    assert (prefetch.args["iterator"], prefetch.priority) == ("4", Priority.BACKGROUND)
    # Nobody waits for the lists or the counts while messages are open.
    assert priorities("apps") == {Priority.BACKGROUND}
    assert priorities("endpoints") == {Priority.BACKGROUND}
    assert priorities("stats") == {Priority.BACKGROUND}
    # The open message, and the open app and endpoint themselves.
    for name in ("attempts", "message", "destinations", "app", "endpoint"):
        assert priorities(name) == {Priority.DETAIL}, name


async def test_lists_are_not_background_while_nothing_is_open(make) -> None:
    h = make()
    h.worker.start()
    await until(lambda: h.client.count("endpoints") == 1)
    assert h.client.named("apps")[0].priority == Priority.DETAIL
    assert h.client.named("endpoints")[0].priority == Priority.DETAIL


async def test_uid_lookups_at_start_go_first(make) -> None:
    h = make()
    h.worker.open_at_start("cust-00001", "ep-0001")
    h.worker.start()
    await until(lambda: h.client.count("page") == 1)
    assert {c.priority for c in h.client.named("app")[:1]} == {Priority.PAGE}
    assert h.client.named("endpoint")[0].priority == Priority.PAGE
    assert h.client.named("page")[0].priority == Priority.PAGE


# ---------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "error",
    [
        AuthError("Unauthorized: the token is not valid", status=401),
        AuthError("Forbidden", status=403),
        BadRequestError("Bad request", status=400),
        ConflictError("Conflict", status=409),
        ValidationFailed("limit: too large", status=422),
    ],
    ids=["401", "403", "400", "409", "422"],
)
async def test_a_client_error_on_the_page_is_reported_once_and_not_polled_again(
    make, error: ApiError
) -> None:
    h = make(poll_seconds=1)
    h.client.fail["page"] = always(error)
    open_ids(h)
    h.worker.start()
    await until(lambda: bool(h.failures("page")))
    for _ in range(10):  # ten poll intervals
        await h.advance(1)
    assert h.client.count("page") == 1
    assert h.failures("page") == [LaneFailed("page", error, None)]
    # The other lanes went on polling meanwhile: time did pass for them.
    assert h.client.count("endpoints") >= 2

    h.worker.refresh_now()  # F5 asks again
    await until(lambda: h.client.count("page") == 2)
    await until(lambda: len(h.failures("page")) == 2)
    await h.advance(5)
    assert h.client.count("page") == 2

    del h.client.fail["page"]
    h.worker.refresh_now()
    await until(lambda: bool(h.of(PageLoaded)))
    assert LaneRecovered("page") in h.events
    polls = [c for c in h.client.named("page") if c.args["iterator"] is None]
    await h.advance(1)  # and it polls again
    await until(
        lambda: len([c for c in h.client.named("page") if c.args["iterator"] is None]) > len(polls)
    )


async def test_a_client_error_is_asked_again_when_the_query_changes(make) -> None:
    h = make(poll_seconds=1)
    h.client.fail["page"] = lambda args: (
        AuthError("Forbidden", status=403) if args["endpoint_id"] == endpoint(1, 1).id else None
    )
    open_ids(h, 1, 1)
    h.worker.start()
    await until(lambda: bool(h.failures("page")))
    h.worker.select_endpoint(endpoint(1, 2).id)
    await until(lambda: bool(h.of(PageLoaded)))
    assert h.last(PageLoaded).page.endpoint_id == endpoint(1, 2).id
    assert LaneRecovered("page") in h.events


async def test_a_server_error_is_retried_with_backoff(make) -> None:
    """The contrast: a 5xx may pass, so the lane tries again on its own."""
    h = make(poll_seconds=1)
    h.client.fail["page"] = always(ServerError("Bad gateway", status=502))
    open_ids(h)
    h.worker.start()
    await until(lambda: bool(h.failures("page")))
    assert h.failures("page")[0].retry_in is not None
    for _ in range(10):
        await h.advance(1)
    assert h.client.count("page") >= 3


async def test_a_404_no_lane_handles_is_reported_once(make) -> None:
    """The detail lane has no 404 hook: a message that answers 404 is not asked for again."""
    h = make(poll_seconds=1)
    h.client.fail["attempts"] = always(NotFoundError("No message", status=404))
    open_ids(h)
    h.worker.start()
    await until(lambda: bool(h.of(PageLoaded)))
    h.worker.select_message(h.client.messages[0].id)
    await h.advance(1)
    await until(lambda: bool(h.failures("detail")))
    asked = h.client.count("attempts")
    for _ in range(10):
        await h.advance(1)
    assert h.client.count("attempts") == asked == 1
    [failed] = h.failures("detail")
    assert isinstance(failed.error, NotFoundError) and failed.retry_in is None
    assert h.client.count("page") > 5  # the page went on polling meanwhile


async def test_a_404_on_stats_is_left_to_the_other_lanes(make) -> None:
    h = make(poll_seconds=1)
    h.client.fail["stats"] = always(NotFoundError("No endpoint", status=404))
    h.worker.select_app(application(1).id)
    h.worker.start()
    h.worker.show_stats_for([endpoint(1, 1).id])
    await h.advance(STATS_DEBOUNCE_SECONDS)
    await until(lambda: h.client.count("stats") == 1)
    await settle()
    assert not h.failures("stats")


async def test_a_page_the_server_rejects_leaves_the_page_shown(make) -> None:
    h = make(poll_seconds=1)
    h.client.fail["page"] = lambda args: (
        ValidationFailed("iterator: invalid", status=422) if args["iterator"] else None
    )
    open_ids(h)
    h.worker.start()
    await until(lambda: bool(h.of(PageLoaded)))
    first = h.last(PageLoaded).page
    assert first.page_number == 1 and first.has_next

    assert h.worker.next_page()
    await h.advance(PREFETCH_DELAY_SECONDS)  # page 2 was being prefetched
    await until(lambda: bool(h.failures("page")))
    assert h.failures("page")[0].retry_in is None
    assert h.last(PageLoaded).page == first  # page 1 is shown again
    assert h.worker.query.cursor == PageCursor() and h.worker.query.page_number == 1
    assert h.worker.page_lane.current() == first

    polls = h.client.count("page")
    await h.advance(1)  # page 1 goes on polling
    await until(lambda: h.client.count("page") > polls)
    assert LaneRecovered("page") in h.events

    h.worker.refresh_now()  # F5 still works
    await until(lambda: h.client.named("page")[-1].args["iterator"] is None)
    await until(lambda: h.worker.page_lane.current() is not None)

    del h.client.fail["page"]
    assert h.worker.next_page()  # and so does the next page, once the server takes it
    await h.advance(PREFETCH_DELAY_SECONDS)
    await until(lambda: h.last(PageLoaded).page.page_number == 2)
    assert [m.id for m in h.last(PageLoaded).page.items] == [m.id for m in h.client.messages[4:8]]


# ---------------------------------------------------------------------- throttling


async def test_a_429_pauses_every_request_and_says_for_how_long(make) -> None:
    time = FakeTime()
    answers = iter([429])

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/v1/app" and next(answers, 200) == 429:
            return httpx.Response(429, headers={"Retry-After": "2"}, json={"code": "rate_limit"})
        return httpx.Response(200, json={"data": [], "iterator": None, "done": True})

    budget = RequestBudget(monotonic=time.monotonic, sleep=time.sleep)
    client = SvixClient(
        Secret("testsk_x"),
        "http://svix.test",
        transport=httpx.MockTransport(handler),
        budget=budget,
        sleep=time.sleep,
    )
    events: list[Any] = []
    worker = DataWorker(
        client, events.append, poll_seconds=0, sleep=time.sleep, monotonic=time.monotonic
    )
    worker.start()
    try:
        await until(lambda: any(isinstance(e, Throttled) for e in events))
        throttled = [e for e in events if isinstance(e, Throttled)]
        assert throttled == [Throttled(2.0)]  # seconds until requests resume
        assert not any(isinstance(e, AppsLoaded) for e in events)
        await time.advance(2)
        await until(lambda: any(isinstance(e, AppsLoaded) for e in events))
        assert Throttled(None) in events
        assert not any(isinstance(e, LaneFailed) for e in events)
    finally:
        await worker.close()


# ---------------------------------------------------------------------- go-to


async def test_go_to_hands_locate_the_loaded_apps_and_reports_progress(make, monkeypatch) -> None:
    h = make()
    h.worker.start()
    await until(lambda: h.worker.query.app_id == application(1).id)
    seen: dict[str, Any] = {}

    async def fake_locate(client: Any, text: str, **kw: Any) -> Location:
        seen.update(kw, text=text)
        kw["on_progress"](1, 2, "Customer 00007")
        return Location(application(7).id)

    monkeypatch.setattr("attempt_tui.worker.core.locate", fake_locate)
    found = await h.worker.go_to("msg_x", (), [application(7).id])
    assert found == Location(application(7).id)
    assert seen["text"] == "msg_x"
    assert [a.id for a in seen["apps"]] == [a.id for a in h.client.apps[:100]]
    assert seen["more_apps_unloaded"] is True
    assert list(seen["recent_app_ids"]) == [application(7).id]
    assert seen["current_app"] == application(1).id
    assert h.last(GoToProgress) == GoToProgress("msg_x", 1, 2, "Customer 00007")


async def test_go_to_searches_a_bounded_number_of_apps_with_progress(make) -> None:
    h = make()
    h.worker.start()
    await until(lambda: h.worker.query.app_id == application(1).id)
    h.client.messages.append(message(500))
    wanted = message(500).id

    # Only app 5 has it (the fake answers every app; the search stops at the first).
    def only_in_app_5(args: dict[str, Any]) -> Exception | None:
        if args["app_id"] != application(5).id:
            return NotFoundError("No message", status=404)
        return None

    h.client.fail["message"] = only_in_app_5
    found = await h.worker.go_to(wanted, (), [application(150).id])
    assert (found.app_id, found.msg_id) == (application(5).id, wanted)
    progress = h.of(GoToProgress)
    # The recent app first, then loaded apps (the open one was looked in before).
    assert [p.searched for p in progress] == [1, 2, 3, 4, 5]
    assert {p.total for p in progress} == {11}
    assert progress[0].app_label == application(150).id  # not loaded: its id
    assert progress[1].app_label == "Customer 00002"
    searched = [c.args["app_id"] for c in h.client.named("message")]
    assert searched == [application(n).id for n in (1, 150, 2, 3, 4, 5)]


# ---------------------------------------------------------------------- mended gaps


async def test_opening_an_unlisted_endpoint_leaves_no_coroutine_unawaited(make) -> None:
    h = make()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        open_ids(h, 1, 7)
        h.worker.start()
        await until(lambda: bool(h.of(Opened)))
        gc.collect()
    assert not [w for w in caught if "never awaited" in str(w.message)]


async def test_the_next_page_can_be_asked_for_right_after_a_refresh(make) -> None:
    h = make()
    open_ids(h)
    h.worker.start()
    await until(lambda: h.worker.page_lane.current() is not None)
    h.worker.refresh_now()
    assert h.worker.next_page()  # `]` right after F5 still turns the page
    await h.advance(PREFETCH_DELAY_SECONDS)
    await until(lambda: h.last(PageLoaded).page.page_number == 2)
