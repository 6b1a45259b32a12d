"""Snapshots are taken once the endpoint counts of what is on screen have answered."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.ui.helpers import counts_settled, wait_for


@pytest.fixture
def snap_compare(snap_compare: Callable[..., bool]) -> Callable[..., bool]:
    def compare(
        app: Any,
        *args: Any,
        run_before: Callable[[Pilot], Awaitable[None]] | None = None,
        **options: Any,
    ) -> bool:
        async def before(pilot: Pilot) -> None:
            if run_before is not None:
                await run_before(pilot)
            await wait_for(pilot, lambda: counts_settled(pilot.app))

        return snap_compare(app, *args, run_before=before, **options)

    return compare
