"""Copy text to the user's clipboard through the terminal (OSC 52), which also works over SSH.

The text may be hostile (payloads and response bodies come from the API), but it travels
base64-encoded, so no byte of it can end the escape sequence or start another one.

Whether it arrives can't be known from here: the terminal may refuse OSC 52, and tmux drops it
unless `set-clipboard on` (tmux takes the sequence itself) or `allow-passthrough on` (tmux
passes the wrapped form through). Inside tmux both forms are sent, tmux's options are read
when tmux answers, and `CopyReport.sentence` says what was sent and what may have dropped it.
"""

from __future__ import annotations

import base64
import os
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

DEFAULT_MAX_BYTES = 100_000
# GNU screen drops a DCS string longer than its buffer; 76 bytes per chunk is the usual safe size.
SCREEN_CHUNK = 76

_ESC = "\x1b"
_ST = "\x1b\\"


class ClipboardTooLarge(ValueError):
    """The text is too large to send through the terminal clipboard."""


def osc52_sequence(
    text: str, *, env: Mapping[str, str] | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> str:
    """The escape sequence that puts `text` on the clipboard, wrapped for tmux or screen.

    Raises ClipboardTooLarge when the base64 payload would exceed `max_bytes`.
    """
    environ = os.environ if env is None else env
    encoded = base64.b64encode(text.encode("utf-8", errors="replace")).decode("ascii")
    if len(encoded) > max_bytes:
        raise ClipboardTooLarge(
            f"Too large to copy: {_size(len(encoded))} encoded, "
            f"the terminal clipboard limit is {_size(max_bytes)}"
        )
    sequence = f"{_ESC}]52;c;{encoded}\x07"
    if environ.get("TMUX"):
        # tmux passes a DCS "tmux;" string through to the outer terminal; ESC inside is doubled.
        return f"{_ESC}Ptmux;{sequence.replace(_ESC, _ESC + _ESC)}{_ST}"
    if environ.get("STY") or environ.get("TERM", "").startswith("screen"):
        chunks = (
            sequence[start : start + SCREEN_CHUNK]
            for start in range(0, len(sequence), SCREEN_CHUNK)
        )
        return "".join(f"{_ESC}P{chunk}{_ST}" for chunk in chunks)
    return sequence


Route = Literal["terminal", "tmux", "screen"]
SHOW_BY_HAND = "Y, then v on a line, shows the text to select by hand"
TMUX_ADVICE = "add `set -g set-clipboard on` (or `set -g allow-passthrough on`) to ~/.tmux.conf"


def route(env: Mapping[str, str] | None = None) -> Route:
    """What the sequence goes through on its way to the terminal."""
    environ = os.environ if env is None else env
    if environ.get("TMUX"):
        return "tmux"
    if environ.get("STY") or environ.get("TERM", "").startswith("screen"):
        return "screen"
    return "terminal"


@dataclass(frozen=True)
class TmuxClipboard:
    """tmux's two options that decide whether a program's OSC 52 gets through; None: unknown."""

    set_clipboard: str | None
    allow_passthrough: str | None

    @property
    def passes(self) -> bool | None:
        """True: tmux forwards it; False: tmux drops it; None: could not tell."""
        if self.set_clipboard == "on" or self.allow_passthrough in ("on", "all"):
            return True
        if self.set_clipboard is None or self.allow_passthrough is None:
            return None
        return False


Run = Callable[[Sequence[str]], str | None]


def _run(args: Sequence[str]) -> str | None:
    try:
        done = subprocess.run(list(args), capture_output=True, text=True, timeout=0.5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None


def probe_tmux(run: Run = _run) -> TmuxClipboard:
    """Ask the tmux we run in for its clipboard options (two quick local commands)."""
    # allow-passthrough is a pane option in tmux 3.3+ (-A: with what the pane inherits), a
    # window one before; set-clipboard a server option.
    passthrough = run(["tmux", "show-options", "-Apv", "allow-passthrough"]) or run(
        ["tmux", "show-options", "-gv", "allow-passthrough"]
    )
    return TmuxClipboard(
        set_clipboard=run(["tmux", "show-options", "-sv", "set-clipboard"])
        or run(["tmux", "show-options", "-gv", "set-clipboard"]),
        allow_passthrough=passthrough.lstrip("*").strip() if passthrough else None,
    )


@dataclass(frozen=True)
class CopyReport:
    """What a copy sent, and through what."""

    characters: int
    route: Route
    tmux: TmuxClipboard | None = None

    @property
    def dropped(self) -> bool:
        """tmux says it drops the sequence: nothing reached a clipboard."""
        return self.tmux is not None and self.tmux.passes is False

    def sentence(self, what: str, why: str = "") -> str:
        """The notification: what was sent (and why that), and what may have stopped it."""
        because = f"; {why}" if why else ""
        sent = f"{what} ({self.characters:,} characters{because})"
        if self.route == "tmux":
            passes = self.tmux.passes if self.tmux is not None else None
            if passes is False:
                return (
                    f"Not copied: tmux drops clipboard writes from programs, so {sent} "
                    f"went nowhere. To let them through, {TMUX_ADVICE}. {SHOW_BY_HAND}."
                )
            if passes:
                return (
                    f"Sent {sent} to the clipboard through tmux (its options let it through); "
                    f"the terminal may still refuse it. If it is not there, {SHOW_BY_HAND}."
                )
            return (
                f"Sent {sent} through tmux, which passes it on only if you {TMUX_ADVICE}; "
                f"if it did not arrive, {SHOW_BY_HAND}."
            )
        via = "through GNU screen to " if self.route == "screen" else "to "
        return (
            f"Sent {sent} {via}the terminal's clipboard (OSC 52); a terminal that does not "
            f"allow clipboard writes drops it. If it is not there, {SHOW_BY_HAND}."
        )


def copy_to_terminal(
    text: str,
    write: Callable[[str], None],
    *,
    env: Mapping[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    tmux: TmuxClipboard | None = None,
) -> CopyReport:
    """Write the OSC 52 sequence for `text` (inside tmux, both the form tmux takes with
    set-clipboard on and the passthrough form); returns what was sent and through what."""
    sequence = osc52_sequence(text, env=env, max_bytes=max_bytes)
    way = route(env)
    if way == "tmux":
        plain = osc52_sequence(text, env={}, max_bytes=max_bytes)
        sequence = plain + sequence
    write(sequence)
    return CopyReport(len(text), way, tmux if way == "tmux" else None)


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} bytes"
    return f"{count / 1024:.0f} KiB"
