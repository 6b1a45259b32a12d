"""The Textual application and the one factory that builds it."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from textual.app import App
from textual.binding import Binding

from attempt_tui.api.client import SvixClient
from attempt_tui.audit import AuditLog
from attempt_tui.config import Settings
from attempt_tui.ui.messages import WorkerUpdate
from attempt_tui.ui.palette import AttemptCommands
from attempt_tui.ui.screens.main import MainScreen
from attempt_tui.worker import DataWorker, WorkerEvent


def styles_dir() -> Path:
    """Styles ship inside the wheel as attempt_tui/styles; in a checkout they sit at the top."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "styles"
    return installed if installed.is_dir() else package.parent / "styles"


def utc_now() -> datetime:
    return datetime.now(UTC)


class AttemptApp(App[None]):
    CSS_PATH = [styles_dir() / "app.tcss"]
    TITLE = "attempt-tui"
    COMMANDS = {AttemptCommands}
    COMMAND_PALETTE_BINDING = "ctrl+p"
    BINDINGS = [Binding("q", "quit", "Quit", id="app.quit")]

    def __init__(
        self,
        settings: Settings,
        client: SvixClient,
        *,
        clock: Callable[[], datetime] = utc_now,
        monotonic: Callable[[], float] = time.monotonic,
        warnings: list[str] | None = None,
        audit: AuditLog | None = None,
        tour: bool = False,
        tour_endpoint: str | None = None,
    ) -> None:
        super().__init__()
        self.startup_warnings = warnings or []
        self.settings = settings
        self.client = client
        self.clock = clock
        self.monotonic = monotonic
        self.data_worker = DataWorker(
            client,
            self._deliver,
            poll_seconds=settings.poll_seconds,
            page_size=settings.page_size,
            monotonic=monotonic,
            audit=audit or AuditLog(),
            profile=settings.profile,
            server=settings.server_url,
            clock=clock,
        )
        self.main_screen = MainScreen(
            settings, self.data_worker, clock, monotonic, tour=tour, tour_endpoint=tour_endpoint
        )

    def _deliver(self, event: WorkerEvent) -> None:
        self.main_screen.post_message(WorkerUpdate(event))

    def on_mount(self) -> None:
        self.push_screen(self.main_screen)
        for warning in self.startup_warnings:
            self.notify(
                warning, title="Config warning", severity="warning", timeout=10, markup=False
            )

    async def on_unmount(self) -> None:
        await self.data_worker.stop()
        await self.client.aclose()


def make_app(
    settings: Settings,
    *,
    transport: Any = None,
    clock: Callable[[], datetime] | None = None,
    monotonic: Callable[[], float] | None = None,
    warnings: list[str] | None = None,
    tour: bool = False,
    tour_endpoint: str | None = None,
) -> AttemptApp:
    """Build the app for the CLI, the tests and the benchmarks; the transport is injected."""
    client = SvixClient(
        settings.token,
        settings.server_url,
        transport=transport,
        read_only=settings.read_only,
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
    )
    return AttemptApp(
        settings,
        client,
        clock=clock or utc_now,
        monotonic=monotonic or time.monotonic,
        warnings=warnings,
        tour=tour,
        tour_endpoint=tour_endpoint,
    )
