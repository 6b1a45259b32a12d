"""The Textual application: one worker and main screen per profile (built by launch.py)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from textual import events, on
from textual.app import App
from textual.binding import Binding

from attempt_tui.compat import UTC
from attempt_tui.config import ConfigError, ProfileLoader, Settings, ThemeStore
from attempt_tui.recent import RecentStore
from attempt_tui.ui.messages import WorkerUpdate
from attempt_tui.ui.palette import AttemptCommands, AttemptPalette, SystemCommands
from attempt_tui.ui.screens.main import MainScreen
from attempt_tui.ui.type_ahead import KeysReleased, TypeAhead
from attempt_tui.worker import DataWorker, Emit, WorkerEvent


def styles_dir() -> Path:
    """Styles ship inside the wheel as attempt_tui/styles; in a checkout they sit at the top."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "styles"
    return installed if installed.is_dir() else package.parent / "styles"


def utc_now() -> datetime:
    return datetime.now(UTC)


# The start-up hook is called by then even if the first screen never gets its data.
START_WAIT_SECONDS = 10.0

# Builds one profile's worker (with its own API client) and binds its events to `emit`.
WorkerBuilder = Callable[[Settings, Emit], DataWorker]


class AttemptApp(App[None]):
    CSS_PATH = [styles_dir() / "app.tcss"]
    TITLE = "attempt-tui"
    COMMANDS = {SystemCommands, AttemptCommands}
    COMMAND_PALETTE_BINDING = "ctrl+p"
    BINDINGS = [Binding("q", "quit", "Quit", id="app.quit")]

    def __init__(
        self,
        settings: Settings,
        build_worker: WorkerBuilder,
        *,
        clock: Callable[[], datetime] = utc_now,
        monotonic: Callable[[], float] = time.monotonic,
        warnings: list[str] | None = None,
        tour: bool = False,
        tour_endpoint: str | None = None,
        profile_loader: ProfileLoader | None = None,
        theme_store: ThemeStore | None = None,
        recent_store: RecentStore | None = None,
        started: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        # Called once, when the first screen with data is drawn or START_WAIT_SECONDS pass.
        self._started_hook = started
        self.startup_warnings = warnings or []
        self.clock = clock
        self.monotonic = monotonic
        # Built outside the UI, which never reads config or files itself, nor holds an API
        # client; None turns profile switching or theme memory off.
        self.build_worker = build_worker
        self.profile_loader = profile_loader
        self.theme_store = theme_store
        self.recent_store = recent_store
        self.type_ahead = TypeAhead(self, self._dispatch_key)
        self._start(settings, tour=tour, tour_endpoint=tour_endpoint)

    def _start(
        self, settings: Settings, *, tour: bool = False, tour_endpoint: str | None = None
    ) -> None:
        """Build the worker and main screen for one profile's settings."""
        self.settings = settings

        def deliver(event: WorkerEvent) -> None:
            # Bound to this worker's own screen: after a profile switch, a late event of the
            # old worker can never reach the new screen.
            screen.post_message(WorkerUpdate(event))

        self.data_worker = self.build_worker(settings, deliver)
        screen = MainScreen(
            settings,
            self.data_worker,
            self.clock,
            self.monotonic,
            tour=tour,
            tour_endpoint=tour_endpoint,
            recent=self.recent_store,
        )
        self.main_screen = screen

    def on_load(self) -> None:
        # Fetching starts before the screen is built, so the first frame can hold data; the
        # main screen says when it has drawn the first page (see DataWorker.start).
        self.data_worker.start(screen_draws_first_page=True)

    def on_mount(self) -> None:
        if self._started_hook is not None:
            self.set_timer(START_WAIT_SECONDS, self._start_ended)
        self._load_theme()
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.push_screen(self.main_screen)
        for warning in self.startup_warnings:
            self.notify(
                warning, title="Config warning", severity="warning", timeout=10, markup=False
            )

    @on(MainScreen.FirstScreenDrawn)
    def _start_ended(self) -> None:
        started, self._started_hook = self._started_hook, None
        if started is not None:
            started()

    async def on_unmount(self) -> None:
        self.type_ahead.close()
        await self.data_worker.close()

    # ------------------------------------------------------------------ keys

    async def on_event(self, event: events.Event) -> None:
        # Keys from the terminal go through the type-ahead gate (see type_ahead.py).
        if isinstance(event, events.Key) and not event.is_forwarded:
            await self.type_ahead.key(event)
            return
        await super().on_event(event)

    async def _dispatch_key(self, event: events.Key) -> None:
        await super().on_event(event)

    @on(KeysReleased)
    async def _keys_released(self) -> None:
        await self.type_ahead.released()

    def action_command_palette(self) -> None:
        if self.use_command_palette and not self.screen.has_class("--textual-command-palette"):
            self.push_screen(AttemptPalette())

    # ------------------------------------------------------------------ themes

    def _load_theme(self) -> None:
        name = self.theme_store.load() if self.theme_store is not None else None
        if name and name in self.available_themes:
            self.theme = name

    def _remember_theme(self, theme: Any) -> None:
        if self.theme_store is None:
            return
        try:
            self.theme_store.save(theme.name)
        except (OSError, ValueError) as error:
            self.notify(
                f"Theme not saved: {type(error).__name__}", severity="warning", markup=False
            )

    # ------------------------------------------------------------------ profiles

    async def switch_profile(self, name: str) -> None:
        """Leave the current environment and open `name` (from the config), with a fresh screen."""
        if self.profile_loader is None:
            self.notify(
                f"Cannot switch to {name}: profiles are not available here.",
                severity="error",
                markup=False,
            )
            return
        try:
            settings, warnings = self.profile_loader(name)
        except ConfigError as error:
            self.notify(f"Cannot switch to {name}: {error}", severity="error", markup=False)
            return
        old_worker = self.data_worker
        self._start(settings)
        await self.switch_screen(self.main_screen)
        await old_worker.close()
        for warning in warnings:
            self.notify(warning, severity="warning", markup=False)
        mode = " (read-only)" if settings.read_only else ""
        self.notify(f"Switched to profile {name}{mode}.", markup=False)
