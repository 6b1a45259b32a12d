"""The request budget on a fake clock: rate, burst, in-flight cap, priorities, the 429 pause.

Nothing here sleeps for real: `FakeClock.sleep` parks the caller until the test moves the
clock past its deadline with `advance`.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from attempt_tui.api.budget import Priority, RequestBudget, current_priority, request_priority
from attempt_tui.api.client import SvixClient
from attempt_tui.secret import Secret

APP = "app_2hVXOqRbq6eKwAvXhAlTaqzX0Qe"


async def settle() -> None:
    """Let every ready task run until it blocks (zero-length yields only)."""
    for _ in range(50):
        await asyncio.sleep(0)


class FakeClock:
    """A monotonic clock and a sleep that wakes only when `advance` passes its deadline."""

    def __init__(self) -> None:
        self.now = 0.0
        self._timers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._timers, (self.now + seconds, next(self._order), future))
        await future

    async def advance(self, seconds: float) -> None:
        target = self.now + seconds
        await settle()
        while self._timers and self._timers[0][0] <= target + 1e-12:
            deadline, _, future = heapq.heappop(self._timers)
            self.now = max(self.now, deadline)
            if not future.done():
                future.set_result(None)
            await settle()
        self.now = target
        await settle()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def make_budget(clock: FakeClock, **kwargs: Any) -> RequestBudget:
    return RequestBudget(monotonic=clock.monotonic, sleep=clock.sleep, **kwargs)


class Requests:
    """Tasks that each take a slot, note when they got it, and hold it until let go."""

    def __init__(self, budget: RequestBudget, clock: FakeClock) -> None:
        self.budget = budget
        self.clock = clock
        self.granted: list[tuple[str, float]] = []
        self.tasks: list[asyncio.Task[None]] = []
        self._done: dict[str, asyncio.Event] = {}

    def start(self, name: str, priority: Priority = Priority.DETAIL, *, hold: bool = False) -> None:
        done = self._done[name] = asyncio.Event()
        if not hold:
            done.set()

        async def run() -> None:
            with request_priority(priority):
                async with self.budget.slot():
                    self.granted.append((name, self.clock.now))
                    await done.wait()

        self.tasks.append(asyncio.create_task(run()))

    def finish(self, name: str) -> None:
        self._done[name].set()

    def names(self) -> list[str]:
        return [name for name, _ in self.granted]

    async def cancel_all(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)


def test_priority_comes_from_the_context() -> None:
    assert current_priority() is Priority.DETAIL
    with request_priority(Priority.BACKGROUND):
        assert current_priority() is Priority.BACKGROUND
        with request_priority(Priority.PAGE):
            assert current_priority() is Priority.PAGE
        assert current_priority() is Priority.BACKGROUND
    assert current_priority() is Priority.DETAIL


async def test_burst_then_sustained_rate(clock: FakeClock) -> None:
    budget = make_budget(clock, rate=10.0, burst=5, max_in_flight=100)
    requests = Requests(budget, clock)
    for i in range(30):
        requests.start(f"r{i}")
    await settle()
    assert len(requests.granted) == 5  # the burst, at once
    await clock.advance(0.1)
    assert len(requests.granted) == 6
    await clock.advance(0.9)
    assert len(requests.granted) == 15  # 5 + 10 per second
    await clock.advance(1.0)
    assert len(requests.granted) == 25
    times = [when for _, when in requests.granted]
    assert times[:5] == [0.0] * 5
    assert times[5:8] == pytest.approx([0.1, 0.2, 0.3])
    assert budget.granted == 25
    await requests.cancel_all()


async def test_idle_budget_refills_only_up_to_burst(clock: FakeClock) -> None:
    budget = make_budget(clock, rate=10.0, burst=3, max_in_flight=100)
    requests = Requests(budget, clock)
    await clock.advance(60)
    for i in range(5):
        requests.start(f"r{i}")
    await settle()
    assert len(requests.granted) == 3
    await requests.cancel_all()


async def test_in_flight_cap(clock: FakeClock) -> None:
    budget = make_budget(clock, max_in_flight=2)
    requests = Requests(budget, clock)
    for name in ("a", "b", "c", "d"):
        requests.start(name, hold=True)
    await settle()
    assert requests.names() == ["a", "b"]
    assert (budget.in_flight, budget.waiting) == (2, 2)
    requests.finish("b")
    await settle()
    assert requests.names() == ["a", "b", "c"]
    assert budget.in_flight == 2
    for name in ("a", "c", "d"):
        requests.finish(name)
    await settle()
    assert requests.names() == ["a", "b", "c", "d"]
    assert (budget.in_flight, budget.waiting) == (0, 0)


async def test_page_queued_after_background_is_served_first(clock: FakeClock) -> None:
    budget = make_budget(clock, max_in_flight=1)
    requests = Requests(budget, clock)
    requests.start("busy", hold=True)
    await settle()
    for name in ("stats-1", "stats-2", "stats-3"):
        requests.start(name, Priority.BACKGROUND)
    requests.start("detail", Priority.DETAIL)
    requests.start("page", Priority.PAGE)
    await settle()
    assert budget.waiting == 5
    requests.finish("busy")
    await settle()
    assert requests.names() == ["busy", "page", "detail", "stats-1", "stats-2", "stats-3"]


async def test_a_cancelled_waiter_gives_its_turn_away(clock: FakeClock) -> None:
    budget = make_budget(clock, max_in_flight=1)
    requests = Requests(budget, clock)
    requests.start("busy", hold=True)
    requests.start("gone", Priority.PAGE)
    requests.start("next", Priority.BACKGROUND)
    await settle()
    requests.tasks[1].cancel()
    requests.finish("busy")
    await settle()
    assert requests.names() == ["busy", "next"]
    assert (budget.in_flight, budget.waiting) == (0, 0)


async def test_a_429_pause_holds_every_waiting_request_until_it_ends(clock: FakeClock) -> None:
    changes: list[float | None] = []
    budget = make_budget(clock, max_in_flight=10)
    budget.on_change = lambda: changes.append(budget.paused_until)
    requests = Requests(budget, clock)
    budget.pause_for(2.0)
    assert budget.paused_until == 2.0
    assert budget.throttled_seconds_left() == 2.0
    for name in ("page", "detail", "stats"):
        requests.start(name, Priority.BACKGROUND if name == "stats" else Priority.DETAIL)
    await clock.advance(1.5)
    assert requests.granted == []
    assert budget.throttled_seconds_left() == pytest.approx(0.5)
    await clock.advance(0.5)
    assert sorted(requests.names()) == ["detail", "page", "stats"]
    assert {when for _, when in requests.granted} == {2.0}
    assert budget.paused_until is None and budget.throttled_seconds_left() == 0.0
    assert changes == [2.0, None]  # started, ended
    assert budget.rate_limited == 1


async def test_a_later_longer_pause_extends_and_a_shorter_one_does_not(clock: FakeClock) -> None:
    changes: list[float | None] = []
    budget = make_budget(clock)
    budget.on_change = lambda: changes.append(budget.paused_until)
    requests = Requests(budget, clock)
    budget.pause_for(1.0)
    budget.pause_for(0.5)  # shorter: the running pause stands
    await clock.advance(0.5)
    budget.pause_for(2.0)  # ends at 2.5
    requests.start("r")
    await clock.advance(1.9)
    assert requests.granted == []
    await clock.advance(0.1)
    assert requests.granted == [("r", 2.5)]
    assert changes == [1.0, 2.5, None]
    assert budget.rate_limited == 3


class Server:
    """A MockTransport handler that notes when each request reached it on the fake clock."""

    def __init__(self, clock: FakeClock, answer: Callable[[httpx.Request], Awaitable[Any]]) -> None:
        self.clock = clock
        self.answer = answer
        self.seen: list[tuple[str, float]] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append((request.url.path.rsplit("/", 1)[-1], self.clock.now))
        result: httpx.Response = await self.answer(request)
        return result


def endpoint_body(name: str) -> dict[str, Any]:
    return {
        "id": name,
        "url": "https://hooks.example.com/",
        "version": 1,
        "createdAt": "2024-05-01T00:00:00Z",
        "updatedAt": "2024-05-01T00:00:00Z",
    }


def make_client(clock: FakeClock, server: Server, budget: RequestBudget) -> SvixClient:
    return SvixClient(
        Secret("t"),
        "https://api.example.test",
        transport=httpx.MockTransport(server),
        sleep=clock.sleep,
        budget=budget,
    )


async def test_a_429_with_retry_after_stops_every_other_request(clock: FakeClock) -> None:
    answered = asyncio.Event()
    limited = {"ep_a": 1}

    async def answer(request: httpx.Request) -> httpx.Response:
        name = request.url.path.rsplit("/", 1)[-1]
        if limited.get(name):
            limited[name] -= 1
            await answered.wait()  # in flight while the others queue up
            return httpx.Response(429, headers={"Retry-After": "2"}, json={"detail": "slow"})
        return httpx.Response(200, json=endpoint_body(name))

    server = Server(clock, answer)
    budget = make_budget(clock, max_in_flight=1)
    client = make_client(clock, server, budget)
    first = asyncio.create_task(client.get_endpoint(APP, "ep_a"))
    await settle()
    others = [asyncio.create_task(client.get_endpoint(APP, name)) for name in ("ep_b", "ep_c")]
    await settle()
    answered.set()
    await settle()
    assert budget.throttled_seconds_left() == 2.0
    await clock.advance(1.99)
    assert server.seen == [("ep_a", 0.0)]  # nothing else went out while paused
    await clock.advance(0.01)
    results = await asyncio.gather(first, *others)
    assert [ep.id for ep in results] == ["ep_a", "ep_b", "ep_c"]
    assert server.seen == [("ep_a", 0.0), ("ep_b", 2.0), ("ep_c", 2.0), ("ep_a", 2.0)]
    assert (budget.rate_limited, budget.granted) == (1, 4)
    await client.aclose()


async def test_429_without_retry_after_backs_off_doubling(clock: FakeClock) -> None:
    replies = [429, 429, 429, 200]

    async def answer(request: httpx.Request) -> httpx.Response:
        status = replies.pop(0)
        return httpx.Response(status, json=endpoint_body("ep_a") if status == 200 else {})

    server = Server(clock, answer)
    budget = make_budget(clock)
    client = make_client(clock, server, budget)
    call = asyncio.create_task(client.get_endpoint(APP, "ep_a"))
    for _ in range(8):
        await clock.advance(0.5)
    await call
    assert [when for _, when in server.seen] == [0.0, 0.5, 1.5, 3.5]  # paused 0.5, 1, 2 s
    assert budget.rate_limited == 3
    await client.aclose()


async def test_a_client_error_is_not_retried_and_does_not_pause(clock: FakeClock) -> None:
    from attempt_tui.api.errors import ValidationFailed

    async def answer(request: httpx.Request) -> httpx.Response:
        detail = [{"loc": ["query", "limit"], "msg": "must be at most 250", "type": "x"}]
        return httpx.Response(422, json={"detail": detail})

    server = Server(clock, answer)
    budget = make_budget(clock)
    client = make_client(clock, server, budget)
    with pytest.raises(ValidationFailed) as err:
        await client.list_endpoints(APP, limit=500)
    assert "query.limit: must be at most 250" in err.value.message
    assert len(server.seen) == 1
    assert (budget.granted, budget.rate_limited, budget.paused_until) == (1, 0, None)
    await client.aclose()
