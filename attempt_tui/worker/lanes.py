"""A lane: one kind of data with its own loop.

A lane never has two requests in flight, a changed query cancels the request that was
answering the old one, a stale answer never overwrites a newer selection, and errors back
off per lane. What differs between lanes (what to fetch, how to deliver it, what a 404
means, whether it polls while paused) are the hooks a subclass overrides.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from attempt_tui.api.budget import Priority, request_priority
from attempt_tui.api.errors import (
    ApiError,
    AuthError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    RateLimitedError,
    ReadOnlyError,
    ValidationFailed,
)
from attempt_tui.worker.events import LaneFailed, LaneRecovered, WorkerEvent

# Answers a retry can't change: the user is told what to change, and F5 asks again.
CLIENT_ERRORS = (
    AuthError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    ReadOnlyError,
    ValidationFailed,
)

# A lane held back until another's first answer waits no longer than this.
HOLD_MAX_SECONDS = 3.0

K = TypeVar("K")
R = TypeVar("R")

Sleep = Callable[[float], Awaitable[None]]


class LaneHost(Protocol):
    """What a lane needs from the worker that runs it."""

    poll_seconds: float
    paused: bool
    sleep: Sleep

    def emit(self, event: WorkerEvent) -> None: ...

    def backoff(self, lane: Lane[Any, Any]) -> float: ...


class _Force:
    """A key that never equals a real one, so the next result is always delivered."""

    def __eq__(self, other: object) -> bool:
        return False

    def __hash__(self) -> int:
        return 0


FORCE: Any = _Force()


async def wait_for_event(event: asyncio.Event, delay: float | None, sleep: Sleep) -> bool:
    """Wait until `event` is set (True) or `delay` seconds pass on the injected clock (False)."""
    if delay is None:
        await event.wait()
        return True
    if event.is_set():
        return True
    woken = asyncio.ensure_future(event.wait())
    timer = asyncio.ensure_future(sleep(delay))
    try:
        await asyncio.wait({woken, timer}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        woken.cancel()
        timer.cancel()
    return event.is_set()


async def ready(value: R) -> R:
    """A value already held, as an awaitable beside requests made side by side."""
    return value


async def outcome(call: Awaitable[R]) -> R | ApiError:
    """The answer, or the ApiError that came instead (for requests made side by side)."""
    try:
        return await call
    except ApiError as error:
        return error


class Lane(Generic[K, R]):
    name: ClassVar[str]
    debounce: float = 0.0

    def __init__(self, host: LaneHost) -> None:
        self.host = host
        self.wake = asyncio.Event()
        self.last_key: K | None = None
        self.last_result: R | None = None
        self.failures = 0
        self.retry_after: float | None = None
        self.task: asyncio.Task[None] | None = None
        # A query the server rejected (4xx): not polled again until woken or changed.
        self.rejected_key: K | None = None
        self.failing = False  # its last failure was reported and not yet recovered from
        self.answered_once = asyncio.Event()  # the first request came back (either way)

    # ------------------------------------------------------------------ hooks

    def key(self) -> K | None:
        """What should be on screen now; None: nothing to fetch."""
        raise NotImplementedError

    async def fetch(self, key: K) -> R:
        raise NotImplementedError

    def deliver(self, key: K, result: R) -> None:
        """Tell the UI about a changed result."""
        raise NotImplementedError

    def interval(self) -> float | None:
        """Seconds between polls; None polls only when woken."""
        return self.host.poll_seconds or None

    def waits_for_quiet(self, key: K) -> bool:
        """Whether a new `key` waits out `debounce` first (a key already known to be wanted
        need not wait for the cursor to stop moving)."""
        return True

    def priority(self) -> Priority:
        """Where this lane's requests queue in the request budget."""
        return Priority.DETAIL

    def rejected(self, key: K, error: ApiError) -> None:
        """The server rejected `key` with an error a retry can't fix."""

    def polls_while_paused(self) -> bool:
        return False

    def answered(self, key: K, result: R) -> K:
        """A fresh answer arrived for `key` (changed or not); returns the key to keep."""
        return key

    def settled(self, key: K) -> None:
        """After an answer was taken in (delivered or not)."""

    def cleared(self) -> None:
        """The lane had data and now has nothing to fetch."""

    def not_found(self, key: K, error: NotFoundError) -> bool:
        """A 404 for `key`; True when the lane handled it (not a failure to retry)."""
        return False

    # ------------------------------------------------------------------ control

    def start(self, *, after: asyncio.Event | None = None) -> None:
        """Run the lane; with `after`, its first request waits for that (a few seconds at most)."""
        self.task = asyncio.create_task(self._run(after), name=f"lane-{self.name}")
        self.wake.set()

    def wake_up(self, *, force: bool = False) -> None:
        if force:
            self.last_key = FORCE
        self.wake.set()

    def forget(self) -> None:
        self.last_key = None
        self.last_result = None

    def recover(self) -> None:
        """Forget the lane's failures and say it recovered (when it had failed)."""
        if self.failures or self.failing:
            self.failures = 0
            self.retry_after = None
            self.failing = False
            self.host.emit(LaneRecovered(self.name))

    def paused(self) -> bool:
        return self.host.paused and not self.polls_while_paused()

    # ------------------------------------------------------------------ loop

    async def _run(self, after: asyncio.Event | None = None) -> None:
        if after is not None:
            await wait_for_event(after, HOLD_MAX_SECONDS, self.host.sleep)
        while True:
            try:
                await self._turn()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # a bug must not stop polling for good
                self.failures += 1
                reason = ApiError(f"Unexpected error: {type(error).__name__}")
                self._report(LaneFailed(self.name, reason, self.host.backoff(self)))

    async def _turn(self) -> None:
        """Wait for the lane's next turn, fetch, and deliver the answer if it still applies."""
        await self._wait_for_turn()
        key = self.key()
        if key is None:
            self.recover()  # nothing to fetch any more, so its old error no longer applies
            if self.last_key is not None:
                self.forget()
                self.cleared()
            return
        if self.debounce and key != self.last_key and self.waits_for_quiet(key):
            await self._settle()
            key = self.key()
            if key is None:
                return
        with request_priority(self.priority()):
            fetch = asyncio.create_task(self.fetch(key))
        try:
            while not fetch.done():
                woken = asyncio.create_task(self.wake.wait())
                try:
                    await asyncio.wait({fetch, woken}, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    woken.cancel()
                if fetch.done():
                    break
                if self.key() != key:
                    fetch.cancel()
                    # asyncio.wait, not `await fetch` in a suppress: the lane itself may be
                    # cancelled (stopped) meanwhile, and a suppressed CancelledError would
                    # swallow that too, leaving stop() waiting for a lane that runs on.
                    await asyncio.wait({fetch})
                    if not fetch.cancelled():
                        fetch.exception()  # answered before the cancel: taken, not logged
                    return
                # Woken for the same query (a forced refresh): the request in flight answers
                # it; keep listening, the query may still change before it does.
                self.wake.clear()
        except asyncio.CancelledError:
            fetch.cancel()  # stopping: the request must not outlive its lane
            raise
        self.answered_once.set()
        if self.key() != key:
            return  # a stale answer never overwrites a newer selection
        error = fetch.exception()
        if error is not None:
            self._failed(key, error)
            return
        self._answered(key, fetch.result())

    async def _wait_for_turn(self) -> None:
        """Wait until woken, or until the lane's next poll (or backoff) is due."""
        while True:
            if self.wake.is_set():
                self.wake.clear()
                return
            woken = await wait_for_event(self.wake, self._next_delay(), self.host.sleep)
            if not woken and not self.paused():
                return

    def _next_delay(self) -> float | None:
        if self.failures:
            return self.host.backoff(self)
        if self.paused():
            return None
        if self.rejected_key is not None and self.key() == self.rejected_key:
            return None  # asking again would get the same answer: wait for F5 or a change
        return self.interval()

    async def _settle(self) -> None:
        """Wait until the query has been still for `debounce` seconds."""
        while True:
            self.wake.clear()
            if not await wait_for_event(self.wake, self.debounce, self.host.sleep):
                return

    def _failed(self, key: K, error: BaseException) -> None:
        if not isinstance(error, ApiError):
            error = ApiError(f"Unexpected error: {type(error).__name__}")
        if isinstance(error, NotFoundError) and self.not_found(key, error):
            return
        if isinstance(error, CLIENT_ERRORS):
            self.failures = 0
            self.retry_after = None
            self.rejected_key = key
            self.rejected(key, error)
            self._report(LaneFailed(self.name, error, None))
            return
        self.failures += 1
        self.retry_after = error.retry_after if isinstance(error, RateLimitedError) else None
        automatic = self.host.poll_seconds or self.retry_after
        retry_in = self.host.backoff(self) if automatic else None
        if not self.host.poll_seconds and self.retry_after is None:
            self.failures = 0  # manual mode: no automatic retry, F5 tries again
        self._report(LaneFailed(self.name, error, retry_in))

    def _report(self, failure: LaneFailed) -> None:
        self.failing = True
        self.host.emit(failure)

    def _answered(self, key: K, result: R) -> None:
        key = self.answered(key, result)
        self.rejected_key = None
        self.recover()
        changed = key != self.last_key or result != self.last_result
        self.last_key = key
        self.last_result = result
        if changed:
            self.deliver(key, result)
        self.settled(key)
