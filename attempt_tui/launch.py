"""The one factory that builds the app for the CLI, the tests and the benchmarks.

It builds what the UI may not: the API client (with its request budget) inside each
profile's data worker. The transport is injected: the real network, the demo server in
process, or a mock in unit tests.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from attempt_tui.api.budget import RequestBudget
from attempt_tui.api.client import SvixClient
from attempt_tui.api.early import EarlyGet
from attempt_tui.audit import AuditLog
from attempt_tui.config import ProfileLoader, Settings, ThemeStore, display_url
from attempt_tui.recent import MemoryRecentStore, RecentStore
from attempt_tui.ui import glyphs
from attempt_tui.ui.app import AttemptApp, WorkerBuilder, utc_now
from attempt_tui.ui.ascii_borders import use_ascii_borders
from attempt_tui.ui.no_colour import keep_text_readable
from attempt_tui.worker import DataWorker, Emit

# A short burst above the sustained rate: opening an endpoint asks for a handful at once.
BURST_SECONDS = 2.0


def build_client(
    settings: Settings, transport: Any = None, early: EarlyGet | None = None
) -> SvixClient:
    """`early`: the first page's request, already sent (see api/early.py)."""
    rate = settings.max_requests_per_second
    return SvixClient(
        settings.token,
        settings.server_url,
        transport=transport,
        read_only=settings.read_only,
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
        budget=RequestBudget(rate=rate, burst=max(1, round(rate * BURST_SECONDS))),
        early=early,
    )


def worker_builder(
    make_client: Callable[[Settings], SvixClient],
    *,
    clock: Callable[[], datetime],
    monotonic: Callable[[], float],
    audit: AuditLog,
) -> WorkerBuilder:
    """Builds each profile's worker with a client of its own from `make_client`."""

    def build(settings: Settings, emit: Emit) -> DataWorker:
        return DataWorker(
            make_client(settings),
            emit,
            poll_seconds=settings.poll_seconds,
            page_size=settings.page_size,
            monotonic=monotonic,
            audit=audit,
            profile=settings.profile,
            server=display_url(settings.server_url),
            clock=clock,
        )

    return build


def worker_with_client(
    client: SvixClient,
    *,
    clock: Callable[[], datetime],
    monotonic: Callable[[], float],
    audit: AuditLog | None = None,
) -> WorkerBuilder:
    """A builder whose worker uses this client (tests with a client of their own)."""
    return worker_builder(
        lambda _settings: client, clock=clock, monotonic=monotonic, audit=audit or AuditLog()
    )


def make_app(
    settings: Settings,
    *,
    transport: Any = None,
    clock: Callable[[], datetime] | None = None,
    monotonic: Callable[[], float] | None = None,
    warnings: list[str] | None = None,
    tour: bool = False,
    tour_endpoint: str | None = None,
    profile_loader: ProfileLoader | None = None,
    theme_store: ThemeStore | None = None,
    recent_store: RecentStore | None = None,
    audit: AuditLog | None = None,
    early: EarlyGet | None = None,
    started: Callable[[], None] | None = None,
) -> AttemptApp:
    """`profile_loader` opens another profile (the palette's Profile commands), `theme_store`
    remembers the theme and `recent_store` the apps and endpoints opened; all come from the
    config side, and without them the first two do not happen and recents live in memory.
    `early` is the first page's request, sent before the app was built: the first worker's
    client takes its answer. `started` is called once the first screen with data is drawn
    (the command line turns the garbage collector back on then)."""
    clock = clock or utc_now
    monotonic = monotonic or time.monotonic
    unused_early = [early] if early is not None else []

    def client_for(profile: Settings) -> SvixClient:
        first = profile is settings and bool(unused_early)
        return build_client(profile, transport, unused_early.pop() if first else None)

    if glyphs.current().ascii_borders:
        use_ascii_borders()
    build = worker_builder(
        client_for,
        clock=clock,
        monotonic=monotonic,
        audit=audit or AuditLog(),
    )
    app = AttemptApp(
        settings,
        build,
        clock=clock,
        monotonic=monotonic,
        warnings=warnings,
        tour=tour,
        tour_endpoint=tour_endpoint,
        profile_loader=profile_loader,
        theme_store=theme_store,
        recent_store=recent_store or MemoryRecentStore(),
        started=started,
    )
    if app.no_color:  # NO_COLOR: greys, but text never grey on nearly the same grey
        app._filters = keep_text_readable(app._filters)
    return app
