"""The picker and the message table at 80x24, 120x40 and 200x50: widths follow the window."""

from __future__ import annotations

import pytest

from attempt_tui.ui.widgets.detail import DetailPane
from attempt_tui.ui.widgets.endpoint_picker import EndpointPicker
from tests.ui.helpers import open_endpoint_settings, wait_for

SIZES = [(80, 24), (120, 40), (200, 50)]


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_picker_at_size(snap_compare, make_demo_app, size) -> None:
    app = make_demo_app()

    async def run_before(pilot) -> None:
        picker = app.screen.query_one(EndpointPicker)
        await wait_for(pilot, lambda: len(picker.endpoints) == 5 and len(picker.stats) == 5)
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_messages_at_size(snap_compare, make_demo_app, demo, size) -> None:
    app = make_demo_app(**open_endpoint_settings(demo, "flaky"))

    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: app.screen.query_one(DetailPane).detail is not None)
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
