"""Fixtures for the fault tests: the demo world behind a fault plan, in-process or served."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from attempt_tui.config import Settings
from attempt_tui.demo.faults import FaultPlan, close_on_network_fault
from attempt_tui.demo.server import DemoServer, build_demo
from attempt_tui.secret import Secret
from tests.conftest import DEMO_NOW, FrozenMonotonic
from tests.faults.support import (
    BASE_URL,
    TOKEN,
    SleepRecorder,
    make_client,
    record_notifications,
)
from tests.served import ServedInThread


@pytest.fixture
def plan() -> FaultPlan:
    # In-process nothing times out by itself: `timeout` fails at once as a ReadTimeout.
    return FaultPlan(hang_seconds=0)


@pytest.fixture
def faulty_demo(plan: FaultPlan) -> DemoServer:
    return build_demo(7, live=False, now=DEMO_NOW, faults=plan)


@pytest.fixture
def retry_sleep() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def make_faulty_app(faulty_demo: DemoServer, retry_sleep: SleepRecorder) -> Callable[..., Any]:
    """The real app on the faulty demo, opened on the busiest endpoint; retries never wait.

    Keyword args override Settings; `fast_backoff` shortens the worker's per-lane backoff so
    recovery is seen in a fraction of a second (the schedule itself is tested elsewhere).
    """
    from attempt_tui.launch import worker_with_client
    from attempt_tui.ui.app import AttemptApp

    def build(*, fast_backoff: bool = True, max_retries: int = 1, **overrides: Any):
        endpoint = faulty_demo.world.roles["busiest"]
        values: dict[str, Any] = {
            "server_url": BASE_URL,
            "token": Secret(TOKEN),
            "profile": "demo",
            "demo": True,
            "poll_seconds": 0.5,
            "app_id": endpoint.app.id,
            "endpoint_id": endpoint.id,
        }
        values.update(overrides)
        client = make_client(faulty_demo, retry_sleep, max_retries=max_retries)
        clock = lambda: faulty_demo.world.now  # noqa: E731
        monotonic = FrozenMonotonic()
        app = AttemptApp(
            Settings(**values),
            worker_with_client(client, clock=clock, monotonic=monotonic),
            clock=clock,
            monotonic=monotonic,
        )
        record_notifications(app)
        if fast_backoff:
            app.data_worker.backoff = lambda lane: 0.25  # type: ignore[method-assign]
        return app

    return build


@dataclass
class Served:
    demo: DemoServer
    plan: FaultPlan
    base_url: str


@pytest.fixture
def served() -> Iterator[Served]:
    """The faulty demo served by uvicorn over real HTTP on a free 127.0.0.1 port."""
    plan = FaultPlan(hang_seconds=1.0)
    demo = build_demo(7, live=False, now=DEMO_NOW, faults=plan)
    with ServedInThread(close_on_network_fault(demo.asgi_app), log_level="critical") as server:
        yield Served(demo, plan, server.url)
