"""Helpers for Pilot tests: wait for the app to reach a state without fixed sleeps."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from tests.waiting import settled


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


def counts_settled(app) -> bool:
    """The endpoint counts asked for the endpoints now in view have answered (or failed).

    Counts are fetched for what is on screen, a moment after it is shown: a picture taken
    before they answer would show `stats …` one run and the counts the next.
    """
    from attempt_tui.ui.widgets.endpoint_picker import EndpointList, EndpointPicker

    worker = getattr(app, "data_worker", None)
    if worker is None:
        return True
    screen = app.main_screen
    in_view = tuple(screen.query_one(EndpointPicker).query_one(EndpointList).ids_on_screen())
    lane = worker.stats_lane
    if in_view != lane.visible:
        return False  # the picker has not told the worker yet
    key = lane.key()
    return key is None or lane.last_key == key or "stats" in screen.errors


def prefetch_sent(app) -> bool:
    """The next page's prefetch, which leaves PREFETCH_DELAY_SECONDS (real time) after a page
    is shown, has left (it may still wait for the request budget), or there is none."""
    prefetch = app.data_worker.page_lane.prefetch
    return prefetch is None or prefetch.requested or prefetch.task is None or prefetch.task.done()


async def requests_settle(pilot: Pilot, sent: Callable[[], int]) -> None:
    """Until, for 50 turns of the event loop, no request waited for the request budget or was
    in flight, and `sent()` (requests recorded so far) did not change. Turns of the loop, not
    a stretch of time: a starved process may spend any stretch without running at all, while
    a request that waits for the budget's next token goes out a moment later."""
    budget = pilot.app.data_worker.client.budget
    await settled(sent, busy=lambda: bool(budget.waiting or budget.in_flight))


def burst(pilot: Pilot, *keys: str) -> None:
    """Send keys the way a laggy link delivers them: all at once, none waiting for the last.

    `pilot.press` waits for the app to go idle after each key; a terminal over SSH does not.
    """
    from textual import events
    from textual.keys import _character_to_key

    for key in keys:
        char = key if len(key) == 1 else None
        if char is not None and not char.isalnum():
            key = _character_to_key(char)
        elif key == "space":
            char = " "
        pilot.app.post_message(events.Key(key, char))
