"""One request budget for every call the client makes.

Svix rate-limits a whole organisation, so a dashboard that storms the API throttles the
company's own production traffic. Every HTTP try takes a slot from one `RequestBudget`: a
token bucket (a sustained rate with a burst), a cap on requests in flight, and a global pause
after a 429. Requests that have to wait are served by priority, then first come first served.

The priority of a request comes from the context, not from a parameter on every client method:

    with request_priority(Priority.BACKGROUND):
        stats = await client.get_endpoint_stats(app_id, endpoint_id)

Asyncio tasks copy the context they are created in, so a priority set around
`asyncio.gather(...)` or at the top of a task covers every request made inside it.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from enum import IntEnum

__all__ = ["Priority", "RequestBudget", "current_priority", "request_priority"]

Sleep = Callable[[float], Awaitable[None]]

# A token counts as whole when float rounding leaves it a hair short.
_EPSILON = 1e-9


class Priority(IntEnum):
    """Lower is served first."""

    PAGE = 0  # the open page of messages: what the user is waiting for
    DETAIL = 1  # the highlighted message
    BACKGROUND = 2  # counts, stats, prefetches, lists nobody is waiting for


_PRIORITY: ContextVar[Priority] = ContextVar("request_priority", default=Priority.DETAIL)


def current_priority() -> Priority:
    """The priority requests made here get (`Priority.DETAIL` unless set)."""
    return _PRIORITY.get()


@contextmanager
def request_priority(priority: Priority) -> Iterator[None]:
    """Give every request made inside the block (and tasks started in it) `priority`."""
    token = _PRIORITY.set(priority)
    try:
        yield
    finally:
        _PRIORITY.reset(token)


class RequestBudget:
    """A token bucket plus an in-flight cap, with priorities and a global 429 pause.

    `monotonic` and `sleep` are injected so tests run on a fake clock. The budget's own time
    never runs behind the end of a sleep it has finished, so a sleep that returns at once
    still counts as the time it was asked to wait.

    `on_change` is called whenever `paused_until` changes (a pause starts, grows or ends).
    Counters: `granted` slots so far, and `rate_limited`, the 429 answers reported through
    `pause_for`.
    """

    def __init__(
        self,
        rate: float = 10.0,
        burst: int = 20,
        max_in_flight: int = 6,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        if rate <= 0 or burst < 1 or max_in_flight < 1:
            raise ValueError("rate must be positive; burst and max_in_flight at least 1")
        self.rate = rate
        self.burst = burst
        self.max_in_flight = max_in_flight
        self.on_change = on_change
        self.granted = 0
        self.rate_limited = 0
        self.paused_until: float | None = None
        self._monotonic = monotonic
        self._sleep = sleep
        self._slept_until = float("-inf")
        self._tokens = float(burst)
        self._refilled_at = monotonic()
        self._in_flight = 0
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._changed = asyncio.Event()
        self._server: asyncio.Task[None] | None = None
        self._pause_timer: asyncio.Task[None] | None = None

    def __repr__(self) -> str:
        return (
            f"RequestBudget(rate={self.rate}, burst={self.burst}, "
            f"max_in_flight={self.max_in_flight}, in_flight={self._in_flight}, "
            f"waiting={self.waiting}, paused_until={self.paused_until})"
        )

    @property
    def in_flight(self) -> int:
        return self._in_flight

    @property
    def waiting(self) -> int:
        return sum(1 for _, _, future in self._waiting if not future.done())

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Wait for a token and a place in flight (at the context's priority); hold the place
        until the block ends."""
        await self._acquire(current_priority())
        try:
            yield
        finally:
            self._release()

    def charge(self) -> None:
        """Count a request sent without a slot (one sent before the event loop ran)."""
        self._token_shortfall()  # refill up to now first
        self._tokens -= 1
        self.granted += 1

    def pause_for(self, seconds: float) -> None:
        """A 429 answer: grant no slot to anyone for `seconds` (a longer pause already running
        is kept). Call it from the event loop."""
        self.rate_limited += 1
        if seconds <= 0:
            return
        until = self._now() + seconds
        if self.paused_until is not None and until <= self.paused_until:
            return
        self.paused_until = until
        if self._pause_timer is None:
            self._pause_timer = asyncio.get_running_loop().create_task(self._end_pause(seconds))
        self._notify()

    def throttled_seconds_left(self) -> float:
        """Seconds until the 429 pause ends; 0.0 when not paused."""
        if self.paused_until is None:
            return 0.0
        return max(0.0, self.paused_until - self._now())

    def close(self) -> None:
        """Stop the budget's timers and cancel the requests still waiting (on shutdown)."""
        for task in (self._server, self._pause_timer):
            if task is not None:
                task.cancel()
        for _, _, future in self._waiting:
            future.cancel()
        self._waiting.clear()

    # -- granting ---------------------------------------------------------------------------

    async def _acquire(self, priority: Priority) -> None:
        if not self._waiting and self._can_grant():
            self._grant()
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (int(priority), next(self._order), future))
        if self._server is None:
            self._server = asyncio.get_running_loop().create_task(self._serve_waiting())
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self._release()  # granted just as the caller gave up
            raise

    async def _serve_waiting(self) -> None:
        """Grant waiting requests in priority order, as tokens, places and pauses allow."""
        try:
            while self._drop_abandoned():
                if self.paused_until is not None or self._in_flight >= self.max_in_flight:
                    await self._wait_for_change()
                    continue
                shortfall = self._token_shortfall()
                if shortfall > 0:
                    await self._sleep_for(shortfall / self.rate)
                    continue
                _, _, future = heapq.heappop(self._waiting)
                self._grant()
                future.set_result(None)
        finally:
            self._server = None

    def _drop_abandoned(self) -> bool:
        """Forget cancelled waiters at the head of the queue; is anyone still waiting?"""
        while self._waiting and self._waiting[0][2].done():
            heapq.heappop(self._waiting)
        return bool(self._waiting)

    def _can_grant(self) -> bool:
        return (
            self.paused_until is None
            and self._in_flight < self.max_in_flight
            and self._token_shortfall() == 0
        )

    def _grant(self) -> None:
        self._tokens -= 1
        self._in_flight += 1
        self.granted += 1

    def _release(self) -> None:
        self._in_flight -= 1
        self._changed.set()

    async def _wait_for_change(self) -> None:
        self._changed.clear()
        await self._changed.wait()

    # -- time -------------------------------------------------------------------------------

    def _now(self) -> float:
        return max(self._monotonic(), self._slept_until)

    async def _sleep_for(self, seconds: float) -> None:
        started = self._now()
        await self._sleep(seconds)
        self._slept_until = max(self._slept_until, started + seconds)

    def _token_shortfall(self) -> float:
        """How much of a token is missing right now (0.0 when one is there)."""
        now = self._now()
        self._tokens = min(float(self.burst), self._tokens + (now - self._refilled_at) * self.rate)
        self._refilled_at = now
        return 0.0 if self._tokens >= 1 - _EPSILON else 1 - self._tokens

    async def _end_pause(self, seconds: float) -> None:
        try:
            await self._sleep_for(seconds)
            while (left := self.throttled_seconds_left()) > 0:  # the pause grew meanwhile
                await self._sleep_for(left)
        finally:
            self._pause_timer = None
        self.paused_until = None
        self._changed.set()
        self._notify()

    def _notify(self) -> None:
        if self.on_change is not None:
            self.on_change()
