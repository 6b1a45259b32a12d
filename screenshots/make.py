"""Regenerate the README screenshots: `python screenshots/make.py`.

Each view is built the way the CLI builds the app (`make_app`), on a fresh, fixed demo world
(seed 7, a fixed "now", no live traffic, a frozen monotonic clock), driven with Pilot at a
fixed terminal size and exported as SVG next to this file. Same code, same pictures.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, TabbedContent

from attempt_tui.api.models import MessageStatus
from attempt_tui.config import Settings
from attempt_tui.demo import build_demo
from attempt_tui.demo.server import DemoServer
from attempt_tui.secret import Secret
from attempt_tui.ui.app import AttemptApp, make_app
from attempt_tui.ui.widgets.detail import DetailPane
from attempt_tui.ui.widgets.endpoint_picker import EndpointPicker
from attempt_tui.ui.widgets.message_table import MessageTable

OUT_DIR = Path(__file__).resolve().parent
SEED = 7
DEMO_NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
WIDE = (120, 40)
NARROW = (80, 24)
LOAD_TIMEOUT = 10.0


class FrozenMonotonic:
    """A monotonic clock that never moves, so "updated N s ago" always reads the same."""

    def __call__(self) -> float:
        return 1000.0


def build_app(demo: DemoServer, **overrides: Any) -> AttemptApp:
    """The real app on the in-process demo world; keyword args override Settings."""
    values: dict[str, Any] = {
        "server_url": "http://demo.attempt-tui.local",
        "token": Secret("demo-token"),
        "profile": "demo",
        "demo": True,
        "poll_seconds": 0,
    }
    values.update(overrides)
    transport = httpx.ASGITransport(app=demo.asgi_app)
    return make_app(
        Settings(**values),
        transport=transport,
        clock=lambda: demo.world.now,
        monotonic=FrozenMonotonic(),
    )


def endpoint_settings(demo: DemoServer, role: str) -> dict[str, str]:
    endpoint = demo.world.roles[role]
    return {"app_id": endpoint.app.id, "endpoint_id": endpoint.id}


async def settle(pilot: Pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def wait_for(pilot: Pilot, condition: Callable[[], bool]) -> None:
    """Poll until `condition()` holds, then let workers and rendering settle."""
    waited = 0.0
    while not condition():
        if waited > LOAD_TIMEOUT:
            raise RuntimeError("the app did not load its data in time")
        await pilot.pause(0.02)
        waited += 0.02
    await settle(pilot)


def picker_loaded(app: AttemptApp) -> bool:
    picker = app.main_screen.query_one(EndpointPicker)
    return len(picker.endpoints) > 0 and len(picker._stats) == len(picker.endpoints)


def detail_loaded(app: AttemptApp) -> bool:
    return app.main_screen.query_one(DetailPane).detail is not None


async def open_detail(pilot: Pilot) -> None:
    await wait_for(pilot, lambda: detail_loaded(pilot.app))
    await pilot.press("enter")
    await settle(pilot)


# --------------------------------------------------------------------------- the views


async def picker(pilot: Pilot) -> None:
    await wait_for(pilot, lambda: picker_loaded(pilot.app))


async def messages(pilot: Pilot) -> None:
    await wait_for(pilot, lambda: detail_loaded(pilot.app))


async def payload(pilot: Pilot) -> None:
    await open_detail(pilot)
    pilot.app.main_screen.query_one("#detail-tabs", TabbedContent).active = "tab-payload"
    await settle(pilot)


async def failing_message(pilot: Pilot) -> None:
    """Put the cursor on the newest message that failed (or is still being retried)."""
    app = pilot.app
    await wait_for(pilot, lambda: detail_loaded(app))
    table = app.main_screen.query_one(MessageTable)
    rows = list(table.messages.values())
    for wanted in (MessageStatus.FAIL, MessageStatus.PENDING):
        index = next((i for i, m in enumerate(rows) if m.status == wanted), None)
        if index is not None:
            break
    if index is None:
        raise RuntimeError("no failing message on the first page of the flaky endpoint")
    msg_id = rows[index].id
    table.move_cursor(row=index)
    await wait_for(pilot, lambda: app.main_screen.query_one(DetailPane).detail.msg_id == msg_id)
    await pilot.press("enter")
    await settle(pilot)


async def filters(pilot: Pilot) -> None:
    await wait_for(pilot, lambda: detail_loaded(pilot.app))
    await pilot.press("slash")
    screen = pilot.app.main_screen
    for name in ("pending", "fail"):
        screen.query_one(f"#status-{name}", Checkbox).value = True
    screen.query_one("#filter-after", Input).value = "2h"
    await settle(pilot)


def press_after_load(key: str) -> Callable[[Pilot], Awaitable[None]]:
    async def run(pilot: Pilot) -> None:
        await wait_for(pilot, lambda: detail_loaded(pilot.app))
        await pilot.press(key)
        await settle(pilot)

    return run


async def help_screen(pilot: Pilot) -> None:
    await wait_for(pilot, lambda: picker_loaded(pilot.app))
    await pilot.press("question_mark")
    await settle(pilot)


@dataclass(frozen=True)
class View:
    filename: str
    title: str
    drive: Callable[[Pilot], Awaitable[None]]
    role: str | None = "busiest"  # the demo endpoint to open; None = the picker
    size: tuple[int, int] = WIDE
    read_only: bool = False


VIEWS = (
    View("01-picker.svg", "Endpoint picker", picker, role=None),
    View("02-messages.svg", "Messages and attempts", messages),
    View("03-payload.svg", "Message payload", payload),
    View("04-flaky-endpoint.svg", "A failing delivery", failing_message, role="flaky"),
    View("05-filters.svg", "Filter bar", filters),
    View("06-resend-confirm.svg", "Resend confirmation", press_after_load("R")),
    View("07-expunge-confirm.svg", "Expunge confirmation", press_after_load("X")),
    View("08-read-only.svg", "Read-only mode", press_after_load("R"), read_only=True),
    View("09-help.svg", "Keys", help_screen, role=None),
    View("10-narrow-80x24.svg", "80x24", messages, size=NARROW),
    View("11-narrow-detail-80x24.svg", "80x24, attempt detail", open_detail, size=NARROW),
)


async def shoot(view: View) -> Path:
    demo = build_demo(seed=SEED, live=False, now=DEMO_NOW)
    overrides: dict[str, Any] = {"read_only": view.read_only}
    if view.role is not None:
        overrides.update(endpoint_settings(demo, view.role))
    app = build_app(demo, **overrides)
    app.animation_level = "none"  # a half-drawn animation would make the picture vary
    path = OUT_DIR / view.filename
    async with app.run_test(size=view.size, notifications=True) as pilot:
        await view.drive(pilot)
        svg = app.export_screenshot(title=f"attempt-tui · {view.title}")
    path.write_text(svg, encoding="utf-8")
    return path


async def main() -> int:
    # Colours must not depend on the caller's terminal settings.
    os.environ.pop("NO_COLOR", None)
    for view in VIEWS:
        path = await shoot(view)
        print(path.relative_to(OUT_DIR.parent))
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
