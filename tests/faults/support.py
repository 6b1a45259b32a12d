"""Shared helpers for the fault tests: the token canary, a non-waiting sleep, message checks."""

from __future__ import annotations

from typing import Any

from attempt_tui.api.client import SvixClient
from attempt_tui.demo.faults import FaultTransport
from attempt_tui.demo.server import DemoServer
from attempt_tui.secret import Secret

# Long enough for the client's redaction, so a leak would show as the token itself.
TOKEN = "testsk_FAULTCANARY_93c1d7e0a4b2.eu"
BASE_URL = "http://demo.attempt-tui.local"
_NOT_HUMAN = ("Traceback", 'File "', "<html", "<body", "Exception", "Unexpected error", TOKEN)


class SleepRecorder:
    """The client's retry sleep: records the delays, never waits."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def make_client(demo: DemoServer, sleep: SleepRecorder, **kwargs: Any) -> SvixClient:
    """A client to the in-process faulty demo; retries are counted, never waited for."""
    return SvixClient(
        Secret(TOKEN),
        BASE_URL,
        transport=FaultTransport(demo.asgi_app),
        sleep=sleep,
        random=lambda: 0.5,
        **kwargs,
    )


def assert_human(text: str) -> None:
    """One non-empty line of words: no traceback, no HTML, no exception names, no token."""
    assert text.strip(), "empty message"
    assert "\n" not in text, f"more than one line: {text!r}"
    for bad in _NOT_HUMAN:
        assert bad not in text, f"{bad!r} in message shown to the user: {text!r}"


def status_line(app: Any) -> str:
    return str(app.main_screen.query_one("#status-line").render())


def notifications(app: Any) -> list[str]:
    """Every notification shown so far, in order, even those that have timed out since.

    Needs `record_notifications(app)` before the app runs; else the ones still on screen."""
    recorded = getattr(app, "_fault_test_notes", None)
    if recorded is not None:
        return list(recorded)
    return [str(n.message) for n in app._notifications]


def record_notifications(app: Any) -> None:
    recorded: list[str] = []
    notify = app.notify

    def recording(message: Any, *args: Any, **kwargs: Any) -> None:
        recorded.append(str(message))
        notify(message, *args, **kwargs)

    app.notify = recording
    app._fault_test_notes = recorded


def lane_errors(app: Any) -> dict[str, str]:
    """Each failing lane's error message (the screen keeps the event or the text)."""
    errors = app.main_screen.errors
    return {
        lane: value.error.message if hasattr(value, "error") else str(value)
        for lane, value in errors.items()
    }


def assert_everything_shown_is_human(app: Any) -> None:
    """Every lane's error and every notification is one human line; the status line is a
    few human lines."""
    for text in [*lane_errors(app).values(), *notifications(app)]:
        assert_human(text)
    if app.main_screen.errors:
        lines = status_line(app).splitlines()
        assert 1 <= len(lines) <= 3, lines
        for line in lines:
            assert_human(line)
