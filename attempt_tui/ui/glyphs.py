"""The one place that decides which characters mark status, ticks and borders.

Every mark also has a word or a position next to it, so nothing depends on colour. On the Linux
console (TERM=linux) the font has no ✔ ✖ ⟳ ⊘ and no rounded or heavy box drawing: there the
marks are ASCII and borders are drawn with + - |. `ATTEMPT_TUI_ASCII=1` asks for the same
anywhere (a terminal whose font lacks the symbols); `ATTEMPT_TUI_ASCII=0` never.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class GlyphSet:
    name: str
    success: str
    fail: str
    pending: str
    sending: str
    canceled: str
    unknown: str
    tick: str  # inside a ticked box: [✔]; an unticked one is [ ]
    arrived: str  # before a message that just arrived (live tail)
    ascii_borders: bool


UNICODE = GlyphSet(
    name="unicode",
    success="✔",
    fail="✖",
    pending="…",
    sending="⟳",
    canceled="⊘",
    unknown="?",
    tick="✔",
    arrived="●",
    ascii_borders=False,
)

ASCII = GlyphSet(
    name="ascii",
    success="+",
    fail="x",
    pending="~",
    sending=">",
    canceled="-",
    unknown="?",
    tick="x",
    arrived="*",
    ascii_borders=True,
)


def glyph_set_for(environ: Mapping[str, str]) -> GlyphSet:
    """The glyphs for a terminal described by these environment variables."""
    forced = environ.get("ATTEMPT_TUI_ASCII", "").strip()
    if forced in ("1", "0"):
        return ASCII if forced == "1" else UNICODE
    term = environ.get("TERM", "")
    return ASCII if term == "linux" or term.startswith("linux-") else UNICODE


_current = glyph_set_for(os.environ)


def current() -> GlyphSet:
    """The glyphs of this terminal (read from the environment at start)."""
    return _current


def use(glyphs: GlyphSet) -> None:
    """Use these glyphs from now on (the tests, and a start on another terminal)."""
    global _current
    _current = glyphs


def status_glyph(label: str) -> str:
    """The mark of a message status label ("success", "fail", ...)."""
    glyphs = _current
    marks = {
        "success": glyphs.success,
        "pending": glyphs.pending,
        "fail": glyphs.fail,
        "sending": glyphs.sending,
        "canceled": glyphs.canceled,
    }
    return marks.get(label, glyphs.unknown)


def tick_box(ticked: bool) -> str:
    """A tick box that differs by more than colour: `[✔]` or `[ ]`."""
    return f"[{_current.tick if ticked else ' '}]"
