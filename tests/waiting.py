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
