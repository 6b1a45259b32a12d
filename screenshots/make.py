"""Regenerate the README screenshots: `python screenshots/make.py`.

Each view is built the way the CLI builds the app (`make_app`), on a fresh, fixed demo world
(seed 7, a fixed "now", no live traffic, a frozen monotonic clock), driven with Pilot at a
fixed terminal size and exported as SVG next to this file. Same code, same pictures.

Anything that would differ from run to run is pinned: the cursor does not blink, the audit log
is a temporary file read back under a fixed name, and its times and idempotency keys are fixed.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, OptionList, TabbedContent

from attempt_tui.api.models import MessageStatus
from attempt_tui.audit import AuditLog
from attempt_tui.compat import UTC
from attempt_tui.config import Settings
from attempt_tui.demo.server import DemoServer, build_demo
from attempt_tui.launch import make_app
from attempt_tui.secret import Secret
from attempt_tui.ui.app import AttemptApp
from attempt_tui.ui.screens.audit import AuditScreen
from attempt_tui.ui.screens.recover import RecoverScreen
from attempt_tui.ui.widgets.detail import DetailPane
from attempt_tui.ui.widgets.endpoint_picker import EndpointPicker
from attempt_tui.ui.widgets.headers import AttemptHeaders
from attempt_tui.ui.widgets.message_table import MessageTable
from attempt_tui.worker import core as worker_module

OUT_DIR = Path(__file__).resolve().parent
PALETTE_QUERY = "res"  # under 4 characters: commands and endpoints, no "Go to"
SEED = 7
DEMO_NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
WIDE = (120, 40)
NARROW = (80, 24)
LOAD_TIMEOUT = 10.0
AUDIT_FILE = "audit.jsonl"  # read back relative to a temporary directory: a fixed name
FIXED_KEY = "5f0c2a8e-7d41-4b3a-9c6e-1a2b3c4d5e6f"  # every idempotency key in the pictures


class FrozenMonotonic:
    """A monotonic clock that never moves, so "updated N s ago" always reads the same."""

    def __call__(self) -> float:
        return 1000.0


def build_app(demo: DemoServer, *, tour: bool = False, **overrides: Any) -> AttemptApp:
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
    tour_endpoint = demo.world.roles["flaky"].id if tour else None
    app = make_app(
        Settings(**values),
        transport=transport,
        clock=lambda: demo.world.now,
        monotonic=FrozenMonotonic(),
        tour=tour,
        tour_endpoint=tour_endpoint,
    )
    # Never the user's own audit log: a file in the temporary directory `pinned()` enters.
    audit = FixedTimeAuditLog(Path(AUDIT_FILE), demo)
    app.audit = app.data_worker.audit = audit
    return app


class FixedTimeAuditLog(AuditLog):
    """An audit log that stamps every entry with the demo world's fixed "now"."""

    def __init__(self, path: Path, demo: DemoServer) -> None:
        super().__init__(path)
        self.demo = demo

    def record(self, **fields: Any) -> Any:
        fields["now"] = self.demo.world.now
        return super().record(**fields)


@contextlib.contextmanager
def pinned() -> Iterator[None]:
    """No blinking cursor, one idempotency key, a scratch directory for the audit log."""
    saved_blink = Input._toggle_cursor
    saved_key = worker_module.new_idempotency_key
    Input._toggle_cursor = lambda self: None  # type: ignore[method-assign]
    worker_module.new_idempotency_key = lambda: FIXED_KEY  # type: ignore[attr-defined]
    try:
        with tempfile.TemporaryDirectory() as scratch, contextlib.chdir(scratch):
            yield
    finally:
        Input._toggle_cursor = saved_blink  # type: ignore[method-assign]
        worker_module.new_idempotency_key = saved_key  # type: ignore[attr-defined]


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


async def detail_with_attempts(pilot: Pilot) -> None:
    """Move down until the highlighted message has attempts (the newest may have none yet)."""
    detail = pilot.app.main_screen.query_one(DetailPane)
    await wait_for(pilot, lambda: detail.detail is not None)
    while not detail.detail.attempts:
        current = detail.detail.msg_id
        await pilot.press("j")
        await wait_for(pilot, lambda: detail.detail.msg_id != current)  # noqa: B023


async def retrying_message(pilot: Pilot) -> None:
    """Put the cursor on the newest message still being retried (pending), with its attempts."""
    app = pilot.app
    await wait_for(pilot, lambda: detail_loaded(app))
    table = app.main_screen.query_one(MessageTable)
    rows = list(table.messages.values())
    index = next((i for i, m in enumerate(rows) if m.status == MessageStatus.PENDING), None)
    if index is None:
        await detail_with_attempts(pilot)
        return
    msg_id = rows[index].id
    table.move_cursor(row=index)
    detail = app.main_screen.query_one(DetailPane)
    await wait_for(pilot, lambda: detail.detail is not None and detail.detail.msg_id == msg_id)
    await detail_with_attempts(pilot)


def show_tab(tab: str) -> Callable[[Pilot], Awaitable[None]]:
    async def run(pilot: Pilot) -> None:
        await retrying_message(pilot)
        await pilot.press("enter")
        pilot.app.main_screen.query_one("#detail-tabs", TabbedContent).active = tab
        await settle(pilot)

    return run


async def timeline(pilot: Pilot) -> None:
    await show_tab("tab-timeline")(pilot)


async def headers(pilot: Pilot) -> None:
    await show_tab("tab-headers")(pilot)
    view = pilot.app.main_screen.query_one(AttemptHeaders)
    await wait_for(pilot, lambda: "svix-id" in str(view.render()).lower())


async def palette(pilot: Pilot) -> None:
    await wait_for(pilot, lambda: detail_loaded(pilot.app))
    await pilot.press("colon", *PALETTE_QUERY)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
    options = pilot.app.screen.query_one(OptionList)
    await wait_for(pilot, lambda: options.option_count > 0)
    await pilot.pause(0.3)
    await settle(pilot)


async def copy_menu(pilot: Pilot) -> None:
    await wait_for(pilot, lambda: detail_loaded(pilot.app))
    await pilot.press("Y")
    await settle(pilot)


async def recover(pilot: Pilot) -> None:
    """The recover dialog on the flaky endpoint: the last week holds failed attempts."""
    app = pilot.app
    await wait_for(pilot, lambda: detail_loaded(app))
    await pilot.press("ctrl+r")
    await wait_for(pilot, lambda: isinstance(app.screen, RecoverScreen))
    await pilot.press("4")
    screen = app.screen
    assert isinstance(screen, RecoverScreen)
    await wait_for(pilot, lambda: screen.radius is not None)
    await settle(pilot)


async def audit_log(pilot: Pilot) -> None:
    """Resend a message, let its attempt land, then open the audit log (A)."""
    app = pilot.app
    await wait_for(pilot, lambda: detail_loaded(app))
    await pilot.press("R", "y")
    await wait_for(pilot, lambda: len(app.data_worker.audit.read()) == 1)
    await wait_for(pilot, lambda: app.main_screen.resend_watch is None)
    app.clear_notifications()
    await pilot.press("A")
    await wait_for(pilot, lambda: isinstance(app.screen, AuditScreen))
    await settle(pilot)


async def tour(pilot: Pilot) -> None:
    await wait_for(pilot, lambda: picker_loaded(pilot.app))
    await pilot.pause(0.4)  # the tour panel follows the screen a few times a second
    await settle(pilot)


async def live_tail(pilot: Pilot) -> None:
    await wait_for(pilot, lambda: detail_loaded(pilot.app))
    await pilot.press("t")
    await settle(pilot)


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
    tour: bool = False


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
    View("12-command-palette.svg", "Command palette", palette),
    View("13-copy-menu.svg", "Copy menu", copy_menu),
    View("14-recover.svg", "Recover failed messages", recover, role="flaky"),
    View("15-timeline.svg", "Retry timeline", timeline, role="flaky"),
    View("16-headers.svg", "Attempt headers", headers, role="flaky"),
    View("17-audit-log.svg", "Audit log", audit_log),
    View("18-tour.svg", "Onboarding tour", tour, role=None, tour=True),
    View("19-live-tail.svg", "Live tail", live_tail),
)


async def shoot(view: View) -> Path:
    demo = build_demo(seed=SEED, live=False, now=DEMO_NOW)
    overrides: dict[str, Any] = {"read_only": view.read_only}
    if view.role is not None:
        overrides.update(endpoint_settings(demo, view.role))
    path = OUT_DIR / view.filename
    with pinned():
        app = build_app(demo, tour=view.tour, **overrides)
        app.animation_level = "none"  # a half-drawn animation would make the picture vary
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
