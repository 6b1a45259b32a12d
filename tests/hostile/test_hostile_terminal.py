"""Byte level: the real app in a pseudo-terminal, against a real hostile HTTP server.

Everything the app writes to the terminal is kept. After a walk through every view, no escape
sequence, C1 control, bidi override or NUL/DEL from the data may be in those bytes (compared
with a run on benign data, so what Textual itself writes is allowed), the markup in the data
must be visible as text on the emulated screen, and the token must be nowhere: not in the
bytes (stdout and stderr both go to the pty) and not in Textual's log file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.hostile.conftest import TOKEN
from tests.hostile.hostile_api import (
    ATTACK_NAMES,
    FORBIDDEN_RAW,
    MARKUP_LITERALS,
    HostileApi,
    app_id,
    ep_id,
    msg_id,
)
from tests.hostile.terminal import PtyApp
from tests.served import ServedInThread

pytestmark = [
    pytest.mark.skipif(os.name != "posix", reason="needs a POSIX pty"),
    # Under pytest-xdist the module's tests stay on one worker, so the two walks run once.
    pytest.mark.xdist_group("pty-walk"),
    pytest.mark.long,
]

SIZE = (120, 40)
OSC = b"\x1b]"
DETAIL_TABS = 5  # response, payload, destinations, timeline, headers (extra presses are harmless)


@dataclass
class Run:
    output: bytes
    screens: list[str]
    exit_code: int | None
    log: str
    walk_error: str | None = None


def _env(home: Path, **extra: str) -> dict[str, str]:
    # COLUMNS and LINES would override the pty's size (pytest-xdist sets them to 80x24).
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SVIX_", "TEXTUAL", "NO_COLOR", "TMUX", "STY"))
        and k not in ("COLUMNS", "LINES")
    }
    env.update(
        TERM="xterm-256color",
        SVIX_AUTH_TOKEN=TOKEN,
        ATTEMPT_TUI_CONFIG=str(home / "config.toml"),
        ATTEMPT_TUI_SVIX_CLI_CONFIG=str(home / "svix.toml"),
        XDG_CONFIG_HOME=str(home),
        XDG_STATE_HOME=str(home / "state"),
        TEXTUAL_LOG=str(home / "textual.log"),
    )
    env.update(extra)
    return env


def _walk(app: PtyApp, attacks: list[str], screens: list[str]) -> None:
    """Every view: each message with every detail tab, the dialogs, help, filters, palette,
    the endpoint picker and the app selector."""

    def keep(check: str | None = None, what: str = "") -> None:
        if check is not None:
            app.wait_for(check, what=what)
        # The clock in the context bar repaints every second: settle briefly, not for silence.
        app.settle(quiet=0.15, timeout=1.0)
        screens.append(app.text())

    keep("Page 1", "the message page")
    for index, attack in enumerate(attacks):
        if index:
            app.send("down")
        keep(msg_id(attack), f"the detail of {attack}")
        app.send("enter", "tab")  # into the detail pane, then onto its tabs
        for _ in range(DETAIL_TABS - 1):
            app.send("right")
            keep()
        app.send("escape")
        keep()
    app.send("R")
    keep("Resend message?", "the resend dialog")
    app.send("n")
    keep()
    app.send("X")
    keep("Expunge response body?", "the expunge dialog")
    app.send("n")
    keep()
    app.send("?")
    keep("escape closes", "the help screen")
    app.send("escape")
    keep()
    app.send("/")
    keep("enter applies", "the filter bar")
    app.send("escape")
    keep()
    app.send("Y")
    keep("Copy to clipboard", "the copy menu")
    app.send("escape")
    keep()
    app.send("ctrl+r")
    keep("Recover failed messages", "the recover dialog")
    app.send("escape")
    keep()
    app.send("ctrl+p")
    keep()
    app.send(*"epurl")
    keep()
    app.send("escape")
    keep()
    app.send("E")  # the endpoint picker, every endpoint highlighted in turn
    keep()
    for _ in attacks:
        app.send("down")
        keep()
    app.send("shift+tab", "enter")  # the app selector, opened
    keep()
    app.send("escape")
    keep()


def _fail(app: PtyApp, screens: list[str]) -> None:
    """The detail fails (status line), then resend and expunge fail (notifications)."""
    app.wait_for("errdetail", what="the failed detail in the status line")
    screens.append(app.text())
    app.send("R")
    app.wait_for("Resend message?", what="the resend dialog")
    app.send("y")
    app.wait_for("Resend failed", what="the resend failure")
    app.settle(quiet=0.15, timeout=1.0)
    screens.append(app.text())


def _run(
    home: Path,
    attacks: list[str],
    *extra_args: str,
    errors: dict[str, int] | None = None,
    **env: str,
) -> Run:
    api = HostileApi(attacks=attacks, errors=errors)
    screens: list[str] = []
    with ServedInThread(api.asgi_app()) as server:
        args = ["--server-url", server.url, "--app", app_id(attacks[0])]
        args += ["--endpoint", ep_id(attacks[0]), "--poll", "0", *extra_args]
        app = PtyApp(args, _env(home, **env), cwd=home, size=SIZE)
        walk_error = None
        try:
            try:
                if "--read-only" in extra_args:
                    app.wait_for("Page 1", what="the message page")
                    app.settle()
                    screens.append(app.text())
                elif errors:
                    _fail(app, screens)
                else:
                    _walk(app, attacks, screens)
            except AssertionError as error:
                # Data that drives the terminal can derail the walk (a cleared screen never
                # shows what it waits for); the byte checks still run on what was written.
                walk_error = str(error)
            exit_code = app.quit()
        finally:
            app.close()
    log_path = home / "textual.log"
    log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else ""
    return Run(bytes(app.output), screens, exit_code, log, walk_error)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Run]]:
    """One walk on hostile data and the same walk on benign data (the baseline)."""
    hostile = _run(tmp_path_factory.mktemp("hostile"), ATTACK_NAMES)
    benign = _run(tmp_path_factory.mktemp("benign"), ["bold"])
    yield {"hostile": hostile, "benign": benign}


def _around(output: bytes, needle: bytes) -> str:
    at = output.find(needle)
    return repr(output[max(0, at - 80) : at + 120])


def test_app_ran_and_quit_cleanly(runs: dict[str, Run]) -> None:
    for name, run in runs.items():
        assert run.walk_error is None, f"{name} run: {run.walk_error}"
        assert run.exit_code == 0, f"{name} run: exit {run.exit_code}\n{run.screens[-1:]}"
        assert b"Traceback" not in run.output, name


def test_no_escape_sequence_from_data_reaches_the_terminal(runs: dict[str, Run]) -> None:
    hostile, benign = runs["hostile"].output, runs["benign"].output
    leaks = []
    for name, raw in FORBIDDEN_RAW.items():
        if hostile.count(raw) > benign.count(raw):
            leaks.append(f"{name}: {_around(hostile, raw)}")
    # Textual writes CSI cursor moves and SGR, but never clears the screen mid-run.
    for raw in (b"\x1b[2J", b"\x1b[H"):
        if hostile.count(raw) > benign.count(raw):
            leaks.append(f"{raw!r}: {_around(hostile, raw)}")
    # Every OSC the app writes is one Textual itself writes on benign data too (pointer shape).
    own_osc = set(re.findall(rb"\x1b\](\d*)", benign))
    for number in set(re.findall(rb"\x1b\](\d*)", hostile)) - own_osc:
        sequence = OSC + number
        leaks.append(f"OSC {number!r}: {_around(hostile, sequence)}")
    # No C1 control at all, in any encoding the terminal might read it in.
    text = hostile.decode("utf-8", errors="replace")
    c1 = [f"U+{ord(c):04X}" for c in text if 0x80 <= ord(c) <= 0x9F]
    if c1:
        leaks.append(f"C1 controls {sorted(set(c1))}")
    assert not leaks, "\n".join(leaks)


def test_data_was_really_shown(runs: dict[str, Run]) -> None:
    """The escapes were shown as visible notation, so the checks above looked at real data."""
    seen = "\n".join(runs["hostile"].screens)
    for visible in ("\\x1b]52;c;", "\\x1b[2J", "\\x9b31m", "\\u202e", "\\x00", "\\x7f"):
        assert visible in seen, visible
    for field in ("evt.", "eid.", "epurl.", "epdesc.", "aturl.", "body.", "payload.", "dsturl."):
        assert field in seen, field
    assert msg_id(ATTACK_NAMES[-1]) in seen


def test_markup_in_data_shows_literally(runs: dict[str, Run]) -> None:
    seen = "\n".join(runs["hostile"].screens)
    for literal in MARKUP_LITERALS:
        assert literal in seen, literal
    assert "[/bold]evt.unbalanced" in seen


def test_the_token_is_never_written(runs: dict[str, Run]) -> None:
    for name, run in runs.items():
        assert TOKEN.encode() not in run.output, f"{name}: token in the terminal output"
        assert TOKEN.rsplit(".", 1)[0].encode() not in run.output, name
        assert run.log, f"{name}: TEXTUAL_LOG wrote nothing, so it was not checked"
        assert TOKEN.rsplit(".", 1)[0] not in run.log, f"{name}: token in Textual's log"


def test_read_only_marker_survives_no_color(tmp_path: Path) -> None:
    run = _run(tmp_path, ["osc52", "click"], "--read-only", NO_COLOR="1")
    assert run.walk_error is None
    assert run.exit_code == 0
    top = run.screens[-1].splitlines()[0]
    assert "READ-ONLY" in top
    assert TOKEN.encode() not in run.output


def test_server_error_details_reach_the_terminal_inert(tmp_path: Path) -> None:
    run = _run(tmp_path, ["bidi"], errors={"msg_attempts": 500, "resend": 400})
    assert run.walk_error is None
    assert run.exit_code == 0
    seen = "\n".join(run.screens)
    assert "errdetail.bidi" in seen and "Resend failed" in seen
    for name in ("RLO", "LRI", "PDI", "RLM"):
        assert FORBIDDEN_RAW[name] not in run.output, name
    assert TOKEN.encode() not in run.output
