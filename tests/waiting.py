"""Waiting in tests for something asynchronous to happen, without wall-clock windows."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


async def until(condition: Callable[[], bool], timeout: float = 3.0, step: float = 0.002) -> None:
    """Wait for `condition`. `timeout` is the sleep asked for, not the time passed: a busy
    machine's waits for a core do not count."""
    waited = 0.0
    while not condition():
        if waited > timeout:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(step)
        waited += step


async def settled(
    count: Callable[[], int], busy: Callable[[], bool] = lambda: False, turns: int = 50
) -> None:
    """Until `count()` (the requests or calls made so far) has not changed, and `busy()` has
    been false, for `turns` turns of the event loop. Turns, not a stretch of time: a starved
    process may spend any stretch without running at all."""
    calm, seen = 0, count()
    while calm < turns:
        waiting = busy()
        await asyncio.sleep(0.005 if waiting else 0)
        calm = 0 if waiting or count() != seen else calm + 1
        seen = count()


async def never(seconds: float) -> None:
    """A worker's sleep that never ends: what waits for time (the next page's prefetch, the
    counts' debounce, a hold's limit) never runs out, however slowly a busy machine runs."""
    await asyncio.Event().wait()
