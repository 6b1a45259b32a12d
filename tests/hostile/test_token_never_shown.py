"""The token never appears on screen, in notifications, the status line, emitted errors, the
audit log, exports or `attempt-tui config` output, whatever the server answers.

Every failing answer below echoes the token back (in the detail, the code, a 422 location, a
plain-text body, the transport exception's own text), so a missing scrub anywhere shows up.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from rich.console import Console
from rich.traceback import Traceback
from textual.screen import ModalScreen
from textual.widgets import Input

from attempt_tui.worker import LaneFailed
from tests.hostile.conftest import TOKEN
from tests.hostile.hostile_api import ATTACK_NAMES, HostileApi, ep_id, hostile
from tests.hostile.inspect_ui import rendered_sources, screen_text
from tests.ui.helpers import wait_for

SIZE = (160, 50)


def _echo() -> str:
    return f"invalid Authorization: Bearer {TOKEN} ({TOKEN})"


def _json(status: int) -> Callable[[], httpx.Response]:
    body = {"code": f"echo_{TOKEN}", "detail": _echo()}
    return lambda: httpx.Response(status, json=body, headers={"Retry-After": "0"})


def _raise(exc: type[Exception]) -> Callable[[], httpx.Response]:
    def fail() -> httpx.Response:
        raise exc(_echo())

    return fail


FAILURES: dict[str, Callable[[], httpx.Response]] = {
    "401": _json(401),
    "403": _json(403),
    "404": _json(404),
    "400": _json(400),
    "409": _json(409),
    "422": lambda: httpx.Response(
        422, json={"detail": [{"loc": ["header", TOKEN], "msg": _echo(), "type": "x"}]}
    ),
    "429": _json(429),
    "500": _json(500),
    "502-text": lambda: httpx.Response(502, text=_echo(), headers={"Retry-After": "0"}),
    "connect": _raise(httpx.ConnectError),
    "read-timeout": _raise(httpx.ReadTimeout),
    "protocol": _raise(httpx.RemoteProtocolError),
    "decode-json": lambda: httpx.Response(200, text=_echo()),
    "decode-shape": lambda: httpx.Response(200, json={"data": {TOKEN: TOKEN}, "done": TOKEN}),
}

# Which call fails: the app list, the message list, or the detail of the highlighted message.
LANE_ROUTES = {
    "apps": "/api/v1/app",
    "page": f"/endpoint/{ep_id(ATTACK_NAMES[0])}/msg",
    "detail": "/attempt/msg/",
}


class FailingTransport(httpx.AsyncBaseTransport):
    """The hostile API, except that requests whose path contains `fail_on` get `failure()`."""

    def __init__(self, failure: Callable[[], httpx.Response], fail_on: str) -> None:
        self.api = HostileApi()
        self.failure = failure
        self.fail_on = fail_on
        self.authorizations: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.authorizations.append(request.headers.get("Authorization", ""))
        path = request.url.path
        # "/api/..." names one path exactly; anything else is a part of the failing paths.
        exact = self.fail_on.startswith("/api")
        failing = path == self.fail_on if exact else self.fail_on in path
        response = self.failure() if failing else self.api.handle(request)
        response.request = request
        return response


@pytest.fixture(autouse=True)
def _no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries happen at once: no real sleeping."""
    monkeypatch.setattr("attempt_tui.api.client.backoff_delay", lambda retry, random: 0.0)


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _error_texts(error: BaseException) -> list[str]:
    texts = []
    for link in _chain(error):
        texts += [str(link), repr(link), repr(link.args), repr(vars(link))]
    return texts


def _notifications(app: Any) -> str:
    return "\n".join(f"{n.title}\n{n.message}" for n in app._notifications)


def _record_emitted(app: Any) -> list[Any]:
    events: list[Any] = []
    emit = app.data_worker._emit

    def recording(event: Any) -> None:
        events.append(event)
        emit(event)

    app.data_worker._emit = recording
    return events


def assert_no_token(where: str, text: str) -> None:
    assert TOKEN not in text, f"the token is in {where}"
    # Also the secret part alone, without the region suffix.
    assert TOKEN.rsplit(".", 1)[0] not in text, f"the token's secret part is in {where}"


# Every kind of failure on the deepest lane (the app, endpoints and page load, then the detail
# fails); a few kinds on the lanes before it.
READ_CASES = [("detail", kind) for kind in FAILURES] + [
    (lane, kind) for lane in ("apps", "page") for kind in ("401", "500", "connect", "decode-shape")
]


@pytest.mark.parametrize(("lane", "kind"), READ_CASES)
async def test_failing_reads_never_show_the_token(make_hostile_app, lane: str, kind: str) -> None:
    transport = FailingTransport(FAILURES[kind], LANE_ROUTES[lane])
    app = make_hostile_app(transport=transport)
    events = _record_emitted(app)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(
            pilot,
            lambda: (
                any(isinstance(e, LaneFailed) for e in events)
                or bool(app.main_screen.errors)
                or bool(app._notifications)
            ),
        )
        await pilot.pause(0.1)
        failures = [e for e in events if isinstance(e, LaneFailed)]
        # The canary works: the token was sent, and something failed visibly.
        assert f"Bearer {TOKEN}" in transport.authorizations
        assert failures or app._notifications
        assert_no_token("the screen", screen_text(app))
        assert_no_token("widget content", rendered_sources(app))
        assert_no_token("notifications", _notifications(app))
        assert_no_token("the status line", app.main_screen.query_one("#status-line").render().plain)
        for event in failures:
            for text in _error_texts(event.error):
                assert_no_token(f"LaneFailed({event.lane}).error", text)
        for event in events:
            assert_no_token(f"event {type(event).__name__}", repr(event))


@pytest.mark.parametrize("kind", ["401", "422", "502-text", "read-timeout"])
async def test_failing_mutations_never_show_or_log_the_token(make_hostile_app, kind: str) -> None:
    transport = FailingTransport(FAILURES[kind], "/resend")
    delete_fails = FailingTransport(FAILURES[kind], "/content")
    app = make_hostile_app(transport=_Both(transport, delete_fails))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        detail = app.main_screen.query_one("#detail")
        await wait_for(pilot, lambda: detail.detail is not None)
        await pilot.press("R", "y")
        await wait_for(pilot, lambda: _reported(_notifications(app), "Resend"))
        await pilot.press("X", "y")
        await wait_for(pilot, lambda: _reported(_notifications(app), "Expunge"))
        assert_no_token("the screen", screen_text(app))
        assert_no_token("notifications", _notifications(app))
        audit = app.data_worker.audit
        assert audit is not None
        logged = audit.path.read_text(encoding="utf-8")
        # Both are recorded: as failed, or as unknown when the server may have acted.
        assert logged.count('"outcome": "failed') + logged.count('"outcome": "unknown') >= 2
        assert_no_token("the audit log", logged)
        await pilot.press("A")  # the audit log viewer
        await pilot.pause()
        assert_no_token("the audit viewer", screen_text(app) + rendered_sources(app))


def _reported(notes: str, action: str) -> bool:
    """A failed mutation is reported as failed, or as of unknown outcome when it may have run."""
    return f"{action} failed" in notes or f"{action} outcome unknown" in notes


class _Both(httpx.AsyncBaseTransport):
    """Resend fails one way, expunge the same way; everything else is the hostile API."""

    def __init__(self, resend: FailingTransport, expunge: FailingTransport) -> None:
        self.resend, self.expunge = resend, expunge

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/content"):
            return await self.expunge.handle_async_request(request)
        return await self.resend.handle_async_request(request)


async def _export_through_the_dialog(pilot: Any, app: Any, path: Path) -> None:
    await pilot.press("e")
    dialog = app.screen
    assert isinstance(dialog, ModalScreen)
    dialog.query_one(Input).value = str(path)
    await pilot.press("enter")
    await wait_for(pilot, lambda: path.exists())


async def test_exports_never_contain_the_token(make_hostile_app, tmp_path: Path) -> None:
    page_file = tmp_path / "page.jsonl"
    message_file = tmp_path / "message.jsonl"
    app = make_hostile_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        detail = app.main_screen.query_one("#detail")
        await wait_for(pilot, lambda: detail.detail is not None)
        await _export_through_the_dialog(pilot, app, page_file)  # from the message list
        await pilot.press("enter")  # into the detail: the message with its attempts
        await _export_through_the_dialog(pilot, app, message_file)
        assert_no_token("notifications", _notifications(app))
    records = []
    for path in (page_file, message_file):
        raw = path.read_bytes()
        assert_no_token(path.name, raw.decode("ascii"))
        # Plain ASCII JSON lines: `cat` on an export can never drive the terminal.
        assert all(32 <= byte < 127 or byte == 10 for byte in raw)
        records += [json.loads(line) for line in raw.decode().splitlines()]
    kinds = [record.get("kind") for record in records]
    assert kinds.count("page") == 1 and kinds.count("message") == 1
    # Raw values are kept in exports (display is where they are made safe).
    event_types = {record.get("eventType") for record in records}
    assert hostile("evt", "osc52") in event_types


async def test_emitted_errors_rendered_like_a_textual_crash_do_not_show_the_token(
    make_hostile_app,
) -> None:
    transport = FailingTransport(FAILURES["500"], LANE_ROUTES["detail"])
    app = make_hostile_app(transport=transport)
    events = _record_emitted(app)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: any(isinstance(e, LaneFailed) for e in events))
    error = next(e for e in events if isinstance(e, LaneFailed)).error
    # What Textual prints if a handler crashes while this error is its __context__.
    crash = RuntimeError("a UI bug while handling an API error")
    crash.__context__ = error
    console = Console(file=io.StringIO(), width=200, color_system=None)
    console.print(
        Traceback.from_exception(
            type(crash), crash, crash.__traceback__, show_locals=True, locals_max_length=5
        )
    )
    rendered = console.file.getvalue()
    assert "Traceback" in rendered or "Error" in rendered
    assert_no_token("a Textual crash report", rendered)


# ---------------------------------------------------------------------------- config output


def _run_cli(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "attempt_tui", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result.stdout + result.stderr


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SVIX_AUTH_TOKEN", "SVIX_SERVER_URL")}
    env.update(
        ATTEMPT_TUI_CONFIG=str(home / "config.toml"),
        ATTEMPT_TUI_SVIX_CLI_CONFIG=str(home / "svix.toml"),
        XDG_CONFIG_HOME=str(home),
        XDG_STATE_HOME=str(home / "state"),
    )
    env.update(extra)
    return env


def test_config_output_never_shows_the_token(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n")
    token_file.chmod(0o600)
    bad_token_file = tmp_path / "bad-token"
    bad_token_file.write_text(f"{TOKEN} {TOKEN}\n")
    bad_token_file.chmod(0o600)
    (tmp_path / "config.toml").write_text(
        f'[profiles.prod]\ntoken = "{TOKEN}"\n[profiles.oops]\ntoken_env = "{TOKEN}"\n'
    )
    (tmp_path / "config.toml").chmod(0o644)  # a warning about permissions, not the token
    (tmp_path / "svix.toml").write_text(f'auth_token = "{TOKEN}"\n')
    runs = {
        "env": (["config"], _env(tmp_path, SVIX_AUTH_TOKEN=TOKEN)),
        "token file": (["config", "--token-file", str(token_file)], _env(tmp_path)),
        "bad token file": (["config", "--token-file", str(bad_token_file)], _env(tmp_path)),
        "profile": (["config", "--profile", "prod"], _env(tmp_path)),
        "token pasted as token_env": (["config", "--profile", "oops"], _env(tmp_path)),
        "svix cli": (["config", "--profile", "svix-cli"], _env(tmp_path)),
        "token flag": (["--token", TOKEN], _env(tmp_path)),
        "token flag with =": ([f"--auth-token={TOKEN}"], _env(tmp_path)),
    }
    for name, (args, env) in runs.items():
        output = _run_cli(args, env)
        assert output.strip(), name
        assert_no_token(f"`attempt-tui {' '.join(args[:1])}` output ({name})", output)
