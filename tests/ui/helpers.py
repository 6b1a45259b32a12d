"""Helpers for Pilot tests: wait for the app to reach a state without fixed sleeps."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot


async def wait_for(pilot: Pilot, condition: Callable[[], bool], timeout: float = 5.0) -> None:
    waited = 0.0
    while not condition():
        if waited > timeout:
            raise AssertionError("the app did not reach the expected state in time")
        await pilot.pause(0.02)
        waited += 0.02
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def open_endpoint_settings(demo, role: str = "busiest") -> dict[str, str]:
    endpoint = demo.world.roles[role]
    return {"app_id": endpoint.app.id, "endpoint_id": endpoint.id}
