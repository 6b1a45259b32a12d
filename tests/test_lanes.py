"""The lane loop itself: stopping it always stops it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, ClassVar

from attempt_tui.worker.lanes import Lane


@dataclass
class Host:
    poll_seconds: float = 0
    paused: bool = False
    events: list[Any] = field(default_factory=list)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    def emit(self, event: Any) -> None:
        self.events.append(event)

    def backoff(self, lane: Lane[Any, Any]) -> float:
        return 1.0


class SlowToCancel(Lane[str, str]):
    """A lane whose request takes a while to wind down once cancelled (a connection closing)."""

    name: ClassVar[str] = "slow"

    def __init__(self, host: Host) -> None:
        super().__init__(host)
        self.wanted = "a"
        self.started: dict[str, asyncio.Event] = {"a": asyncio.Event(), "b": asyncio.Event()}
        self.winding_down = asyncio.Event()
        self.wound_down = asyncio.Event()

    def key(self) -> str | None:
        return self.wanted

    async def fetch(self, key: str) -> str:
        self.started[key].set()
        try:
            await asyncio.Event().wait()
        finally:
            self.winding_down.set()
            await self.wound_down.wait()
        return key

    def deliver(self, key: str, result: str) -> None:
        pass


async def settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


async def test_a_lane_stopped_while_it_drops_a_stale_request_stops() -> None:
    lane = SlowToCancel(Host())
    lane.start()
    await lane.started["a"].wait()
    lane.wanted = "b"  # the selection moves on: the lane cancels the request for "a"
    lane.wake_up()
    await lane.winding_down.wait()
    assert lane.task is not None
    lane.task.cancel()  # the worker stops while that request winds down
    lane.wound_down.set()
    await settle()
    assert lane.task.done() and lane.task.cancelled()
    assert not lane.started["b"].is_set()  # it did not go on to the next request
