"""Seeded random faults with someone at the keyboard, until over a hundred of at least fifteen
kinds have hit the app; afterwards it answers keys at once and shows fresh data by itself.

Nothing here is a wall-clock window: the soak runs until enough faults were injected (however
long a busy machine takes), and "at once" means the key's effect is there when the app has
handled the key, with no time allowed for any request."""

from __future__ import annotations

import random
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
FAULT_RATE = 0.25
ENOUGH_FAULTS = 110
ENOUGH_KINDS = 15
MAX_ROUNDS = 1_000  # a round is a few keys and a quarter second; about 250 are needed
# Settles of the app (no time) a key may take to show its effect: a key that waited for the
# network would need far more.
SETTLES_PER_KEY = 3
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


async def acts_at_once(pilot: Any, key: str, done: Callable[[], bool]) -> bool:
    """Whether `key`'s effect is there once the app has handled it (a few settles, no time)."""
    await pilot.press(key)
    for _ in range(SETTLES_PER_KEY):
        if done():
            return True
        await pilot.pause()
    return done()


def in_detail(app: Any) -> bool:
    focused = app.focused
    return focused is not None and app.main_screen.query_one(DetailPane) in focused.ancestors


@pytest.fixture
def plan() -> FaultPlan:
    return FaultPlan.random(
        SEED, rate=FAULT_RATE, kinds=(*DEFAULT_RANDOM_KINDS, "refused"), hang_seconds=0
    )


@pytest.mark.long
async def test_over_a_hundred_random_faults(
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
        for _ in range(MAX_ROUNDS):
            injected = Counter(kind for kind, _, _ in plan.injected)
            if sum(injected.values()) >= ENOUGH_FAULTS and len(injected) >= ENOUGH_KINDS:
                break
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
        assert sum(injected.values()) >= ENOUGH_FAULTS, injected
        assert len(injected) >= ENOUGH_KINDS, injected

        # Whatever happened, nothing shown was a traceback, an exception or the token.
        for text in [*seen_status, *notifications(app)]:
            assert_human(text)
        assert not [text for text in seen_status if "Unexpected error" in text]

        # Responsive: keys act at once.
        assert app.data_worker.query.endpoint_id == faulty_demo.world.roles["busiest"].id
        for _ in range(3):
            assert await acts_at_once(
                pilot, "question_mark", lambda: isinstance(app.screen, HelpScreen)
            )
            assert await acts_at_once(pilot, "escape", lambda: isinstance(app.screen, MainScreen))
            row = table(app).cursor_row
            assert await acts_at_once(pilot, "j", lambda r=row: table(app).cursor_row == r + 1)

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
