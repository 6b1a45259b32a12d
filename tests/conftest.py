"""Shared fixtures: a fixed demo world and the app built on it, offline and deterministic."""

from __future__ import annotations

import gc
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from attempt_tui.compat import UTC
from attempt_tui.config import Settings
from attempt_tui.secret import Secret

DEMO_NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def pytest_configure(config: pytest.Config) -> None:
    """Collect the youngest objects every 50,000 allocations instead of every 700: an app's
    start allocates about 100,000, and the collections in between found little garbage yet
    cost a fifth of a Pilot test's CPU time."""
    gc.set_threshold(50_000, 20, 20)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long tests first: handed out last, each would leave the other workers idle at the
    end of a parallel run while it alone still ran (a minute of the suite's four)."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


@pytest.fixture(autouse=True)
def _collected_and_frozen() -> None:
    """Start each test with the garbage of the ones before it collected and what survives
    frozen: the collector otherwise re-scans every object earlier tests left alive (modules,
    caches, demo worlds) in each full collection, which cost a Pilot test up to twice its CPU
    time in a worker that had run a few hundred tests. The app does the same at start-up."""
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def _notifications_outlast_a_busy_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """A notification lives for a span of wall time: a test that reads it after waiting for
    something else fails when the machine is busy enough to outlast it (CI runs one suite at
    idle priority). In tests they live an hour; none is about their going away."""
    from textual.app import App

    notify = App.notify

    def lasting(self: App[Any], message: Any, **options: Any) -> None:
        options["timeout"] = 3600
        notify(self, message, **options)

    monkeypatch.setattr(App, "notify", lasting)


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Never read the developer's own config or token."""
    home = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("ATTEMPT_TUI_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("ATTEMPT_TUI_SVIX_CLI_CONFIG", str(home / "svix.toml"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.delenv("SVIX_AUTH_TOKEN", raising=False)
    monkeypatch.delenv("SVIX_SERVER_URL", raising=False)
    monkeypatch.delenv("SVIX_DEBUG_URL", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture(autouse=True)
def _unicode_glyphs() -> None:
    """The terminal the tests run in (TERM=linux, say) does not change the marks on screen."""
    from attempt_tui.ui import glyphs

    glyphs.use(glyphs.UNICODE)


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor would make screenshots depend on timing."""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture
def demo():
    from attempt_tui.demo.server import build_demo

    built = build_demo(seed=7, live=False, now=DEMO_NOW)
    yield built
    _untie(built.world)


def _untie(world: Any) -> None:
    """Break the demo world's reference cycles (message <-> delivery <-> attempt, app <->
    endpoint) so it is freed as soon as the test lets go of it: left to the cyclic collector,
    its hundred thousand objects were traced again before the next test (see
    _collected_and_frozen), a good part of that collection's time."""
    for app in world.apps:
        for endpoint in app.endpoints:
            for dest in endpoint.dests:
                dest.attempts.clear()
            endpoint.dests.clear()
            endpoint.attempts.clear()
        for msg in app.messages:
            msg.dests.clear()
        app.messages.clear()
        app.endpoints.clear()


class FrozenMonotonic:
    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value


@pytest.fixture
def make_demo_app(demo) -> Callable[..., Any]:
    """Build the real app on the in-process demo world; keyword args override Settings."""
    from attempt_tui.launch import make_app

    def build(*, started: Callable[[], None] | None = None, **overrides: Any):
        """`started`: the command line's start-up hook (see AttemptApp)."""
        values: dict[str, Any] = {
            "server_url": "http://demo.attempt-tui.local",
            "token": Secret("demo-token"),
            "profile": "demo",
            "demo": True,
            "poll_seconds": 0,
        }
        values.update(overrides)
        settings = Settings(**values)
        transport = httpx.ASGITransport(app=demo.asgi_app)
        return make_app(
            settings,
            transport=transport,
            clock=lambda: demo.world.now,
            monotonic=FrozenMonotonic(),
            started=started,
        )

    return build


def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent
