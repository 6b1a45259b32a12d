"""A minute of seeded random faults with someone at the keyboard; afterwards the app answers
keys at once and shows fresh data by itself."""

from __future__ import annotations

import random
import statistics
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from attempt_tui.demo.faults import DEFAULT_RANDOM_KINDS, FaultPlan
from attempt_tui.demo.server import DemoServer
from attempt_tui.ui.screens.confirm import ConfirmScreen
from attempt_tui.ui.screens.help import HelpScreen
from attempt_tui.ui.screens.main import MainScreen
from attempt_tui.ui.widgets.detail import DetailPane
from attempt_tui.worker import core as worker_module
from tests.faults.support import assert_human, lane_errors, notifications, status_line
from tests.faults.test_app_faults import assert_recovers_with_fresh_data, open_dashboard, table
from tests.ui.helpers import wait_for

SEED = 20261101
SOAK_SECONDS = 60.0
FAULT_RATE = 0.25
TYPICAL_KEY_SECONDS = 0.5
WORST_KEY_SECONDS = 3.0
# What a person might press while things break: move, open and leave the detail, page,
# refresh, and start a resend (cancelled or confirmed).
KEYS = [
    ["j"],
    ["k"],
    ["j", "j"],
    ["enter", "escape"],
    ["right_square_bracket"],
    ["left_square_bracket"],
    ["f5"],
    ["R", "n"],
    ["R", "y"],
]


async def seconds_until(pilot: Any, key: str, done: Callable[[], bool]) -> float:
    """Wall seconds from pressing `key` until `done()`."""
    started = time.monotonic()
    await pilot.press(key)
    while not done():
        assert time.monotonic() - started < 10, f"{key} had no effect"
        await pilot.pause(0.01)
    return time.monotonic() - started


def in_detail(app: Any) -> bool:
    focused = app.focused
    return focused is not None and app.main_screen.query_one(DetailPane) in focused.ancestors


@pytest.fixture
def plan() -> FaultPlan:
    return FaultPlan.random(
        SEED, rate=FAULT_RATE, kinds=(*DEFAULT_RANDOM_KINDS, "refused"), hang_seconds=0
    )


async def test_a_minute_of_random_faults(
    make_faulty_app: Any,
    plan: FaultPlan,
    faulty_demo: DemoServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The worker's real backoff, capped lower so recovery is not a long wait at the end.
    monkeypatch.setattr(worker_module, "MAX_BACKOFF_SECONDS", 4.0)
    app = make_faulty_app(fast_backoff=False)
    keys = random.Random(SEED)
    seen_status: set[str] = set()
    async with app.run_test(size=(120, 40)) as pilot:
        deadline = time.monotonic() + SOAK_SECONDS
        while time.monotonic() < deadline:
            for key in keys.choice(KEYS):
                if key in ("y", "n") and not isinstance(app.screen, ConfirmScreen):
                    continue  # the dialog did not open (nothing to resend yet)
                if key == "escape" and not in_detail(app):
                    continue  # escape from the table would leave the endpoint
                await pilot.press(key)
            faulty_demo.world.tick(2)  # deliveries keep happening
            await pilot.pause(0.25)
            if app.main_screen.errors:
                seen_status.update(status_line(app).splitlines())
                seen_status.update(lane_errors(app).values())
            assert isinstance(app.screen, MainScreen | ConfirmScreen), app.screen
            if isinstance(app.screen, ConfirmScreen):
                await pilot.press("escape")

        plan.off()
        injected = Counter(kind for kind, _, _ in plan.injected)
        assert sum(injected.values()) > 100 and len(injected) >= 15, injected

        # Whatever happened, nothing shown was a traceback, an exception or the token.
        for text in [*seen_status, *notifications(app)]:
            assert_human(text)
        assert not [text for text in seen_status if "Unexpected error" in text]

        # Responsive: keys act at once.
        assert app.data_worker.query.endpoint_id == faulty_demo.world.roles["busiest"].id
        latencies = []
        for _ in range(3):
            latencies.append(
                await seconds_until(
                    pilot, "question_mark", lambda: isinstance(app.screen, HelpScreen)
                )
            )
            latencies.append(
                await seconds_until(pilot, "escape", lambda: isinstance(app.screen, MainScreen))
            )
            row = table(app).cursor_row
            latencies.append(
                await seconds_until(pilot, "j", lambda r=row: table(app).cursor_row == r + 1)
            )
        # A busy test machine adds its own pauses: judge the typical key, bound the worst.
        assert statistics.median(latencies) < TYPICAL_KEY_SECONDS, latencies
        assert max(latencies) < WORST_KEY_SECONDS, latencies

        while app.data_worker.query.page_number > 1:
            page = app.data_worker.query.page_number
            await pilot.press("left_square_bracket")
            await wait_for(pilot, lambda p=page: app.data_worker.query.page_number < p, timeout=8)

        # Fresh: F5 (which answers a retry can't change wait for) and then polling clear
        # every error and show what arrived after the faults.
        await pilot.press("f5")
        await open_dashboard(pilot, app)
        await assert_recovers_with_fresh_data(pilot, app, faulty_demo)
        assert table(app).row_count == 50
