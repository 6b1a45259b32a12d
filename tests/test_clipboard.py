"""OSC 52 copy: plain/tmux/screen forms decode back to the text; size cap; hostile text inert."""

from __future__ import annotations

import base64
import re

import pytest

from attempt_tui.clipboard import (
    SCREEN_CHUNK,
    ClipboardTooLarge,
    CopyReport,
    copy_to_terminal,
    osc52_sequence,
    probe_tmux,
)

PLAIN: dict[str, str] = {"TERM": "xterm-256color"}
TMUX = {"TERM": "screen-256color", "TMUX": "/tmp/tmux-1000/default,123,0"}
SCREEN_STY = {"TERM": "xterm", "STY": "4242.pts-0.host"}
SCREEN_TERM = {"TERM": "screen.xterm-256color"}

TEXTS = [
    "msg_2Xq0cOJnbZ6XgkLxZ3kDLZ7NtBw",
    '{"amount": 12, "note": "café ☕ 日本"}',
    "",
    "x" * 1000,
    "evil\x07\x1b]52;c;AAAA\x07\x1b\\\x1bP\x9b31m\x00end",
]


def decode_plain(seq: str) -> str:
    match = re.fullmatch(r"\x1b\]52;c;([A-Za-z0-9+/=]*)\x07", seq)
    assert match, repr(seq[:80])
    return base64.b64decode(match.group(1), validate=True).decode("utf-8")


def decode_tmux(seq: str) -> str:
    assert seq.startswith("\x1bPtmux;") and seq.endswith("\x1b\\")
    inner = seq[len("\x1bPtmux;") : -2]
    # Every ESC inside is doubled; a lone ESC would end the passthrough early.
    assert "\x1b" not in inner.replace("\x1b\x1b", "")
    return decode_plain(inner.replace("\x1b\x1b", "\x1b"))


def decode_screen(seq: str) -> str:
    chunks = re.findall(r"\x1bP(.*?)\x1b\\", seq, flags=re.DOTALL)
    assert "".join(f"\x1bP{c}\x1b\\" for c in chunks) == seq
    assert all(len(chunk.encode()) <= SCREEN_CHUNK for chunk in chunks)
    return decode_plain("".join(chunks))


@pytest.mark.parametrize("text", TEXTS)
def test_plain_form_round_trips(text: str) -> None:
    assert decode_plain(osc52_sequence(text, env=PLAIN)) == text


@pytest.mark.parametrize("text", TEXTS)
def test_tmux_form_round_trips(text: str) -> None:
    seq = osc52_sequence(text, env=TMUX)
    assert seq.startswith("\x1bPtmux;\x1b\x1b]52;c;")
    assert decode_tmux(seq) == text


@pytest.mark.parametrize("env", [SCREEN_STY, SCREEN_TERM])
@pytest.mark.parametrize("text", TEXTS)
def test_screen_form_round_trips_in_small_chunks(text: str, env: dict[str, str]) -> None:
    seq = osc52_sequence(text, env=env)
    assert decode_screen(seq) == text


def test_long_text_in_screen_is_split_into_many_chunks() -> None:
    seq = osc52_sequence("y" * 600, env=SCREEN_STY)
    assert seq.count("\x1bP") == seq.count("\x1b\\") > 10


def test_tmux_wins_over_screen_term() -> None:
    # tmux sets TERM=screen*; its own wrapping must be used.
    assert osc52_sequence("a", env=TMUX).startswith("\x1bPtmux;")


def test_empty_tmux_variable_is_not_tmux() -> None:
    assert osc52_sequence("a", env={"TMUX": "", "TERM": "xterm"}) == "\x1b]52;c;YQ==\x07"


def test_env_defaults_to_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMUX", "/tmp/tmux,1,0")
    assert osc52_sequence("a").startswith("\x1bPtmux;")
    monkeypatch.delenv("TMUX")
    monkeypatch.delenv("STY", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert osc52_sequence("a") == "\x1b]52;c;YQ==\x07"


@pytest.mark.parametrize("env", [PLAIN, TMUX, SCREEN_STY])
def test_hostile_text_cannot_end_the_sequence(env: dict[str, str]) -> None:
    hostile = "\x07\x1b\\\x1b]52;c;ZXZpbA==\x07\x1b[2J\x9c\x9b" * 20
    seq = osc52_sequence(hostile, env=env)
    # Only the wrapper's own control characters appear: the payload is pure base64.
    payload = re.sub(r"\x1bPtmux;|\x1b\x1b\]52;c;|\x1b\]52;c;|\x07|\x1bP|\x1b\\|\x1b\x1b", "", seq)
    assert re.fullmatch(r"[A-Za-z0-9+/=]*", payload)
    assert seq.count("\x07") == 1
    assert "\x9b" not in seq and "\x9c" not in seq


def test_size_cap_counts_encoded_bytes() -> None:
    assert decode_plain(osc52_sequence("a" * 75, env=PLAIN, max_bytes=100)) == "a" * 75
    with pytest.raises(ClipboardTooLarge) as excinfo:
        osc52_sequence("a" * 76, env=PLAIN, max_bytes=100)  # 104 base64 characters
    assert isinstance(excinfo.value, ValueError)
    assert "Too large to copy" in str(excinfo.value)
    assert "104 bytes" in str(excinfo.value)


def test_default_cap_is_100_000_bytes() -> None:
    osc52_sequence("a" * 75_000, env=PLAIN)
    with pytest.raises(ClipboardTooLarge, match="KiB"):
        osc52_sequence("a" * 75_001, env=PLAIN)


def test_copy_to_terminal_writes_once_and_reports_what_it_sent() -> None:
    written: list[str] = []
    report = copy_to_terminal("café", written.append, env=PLAIN)
    assert (report.characters, report.route, report.tmux) == (4, "terminal", None)
    assert len(written) == 1 and decode_plain(written[0]) == "café"


def test_inside_tmux_both_forms_are_sent() -> None:
    # The plain form is what tmux takes with set-clipboard on; the wrapped one passes through
    # with allow-passthrough on.
    written: list[str] = []
    report = copy_to_terminal("café", written.append, env=TMUX)
    assert report.route == "tmux" and len(written) == 1
    plain, wrapped = written[0].split("\x1bPtmux;", 1)
    assert decode_plain(plain) == "café"
    assert decode_tmux("\x1bPtmux;" + wrapped) == "café"


def test_tmux_options_are_read_and_decide_what_is_said() -> None:
    answers = {"set-clipboard": "external", "allow-passthrough": "off"}
    asked: list[list[str]] = []

    def run(args):
        asked.append(list(args))
        return answers[args[-1]]

    dropped = probe_tmux(run)
    assert asked[0][:2] == ["tmux", "show-options"]
    assert dropped.passes is False
    report = CopyReport(33, "tmux", dropped)
    said = report.sentence("the attempt id atmpt_1", "the attempts have the focus")
    assert said.startswith("Not copied: tmux drops clipboard writes")
    assert "set -g set-clipboard on" in said and "select by hand" in said
    assert "33 characters; the attempts have the focus" in said and report.dropped
    answers["set-clipboard"] = "on"
    assert probe_tmux(run).passes is True
    assert "may still refuse it" in CopyReport(3, "tmux", probe_tmux(run)).sentence("x")
    unknown = CopyReport(3, "tmux", probe_tmux(lambda args: None))
    assert unknown.tmux is not None and unknown.tmux.passes is None and not unknown.dropped
    assert "passes it on only if you add `set -g set-clipboard on`" in unknown.sentence("x")


def test_outside_tmux_the_terminal_may_drop_it_and_that_is_said() -> None:
    said = CopyReport(31, "terminal").sentence("the message id msg_1")
    assert said.startswith("Sent the message id msg_1 (31 characters)")
    assert "drops it" in said and "select by hand" in said


def test_copy_to_terminal_writes_nothing_when_too_large() -> None:
    written: list[str] = []
    with pytest.raises(ClipboardTooLarge):
        copy_to_terminal("a" * 1000, written.append, env=PLAIN, max_bytes=10)
    assert written == []


def test_lone_surrogate_does_not_crash() -> None:
    assert decode_plain(osc52_sequence("a\ud800b", env=PLAIN)) == "a?b"
