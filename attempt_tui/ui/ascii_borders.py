"""Box drawing in ASCII for terminals whose font has no rounded or heavy lines (glyphs.py).

Textual draws every border style and the tab underline from its own character tables
(textual is pinned, so these tables are known); on such a terminal they are replaced once,
at start, by its ASCII set: + - | for boxes and - for the tab underline.
"""

from __future__ import annotations

from textual import _border
from textual.renderables.bar import Bar

_KEEP = ("", "none", "hidden", "blank", "ascii")


def use_ascii_borders() -> None:
    """From now on, every border is drawn in ASCII."""
    for name in list(_border.BORDER_CHARS):
        if name not in _KEEP:
            _border.BORDER_CHARS[name] = _border.BORDER_CHARS["ascii"]
            _border.BORDER_LOCATIONS[name] = _border.BORDER_LOCATIONS["ascii"]
    _border.get_box.cache_clear()
    Bar.HALF_BAR_LEFT = "-"
    Bar.BAR = "-"
    Bar.HALF_BAR_RIGHT = "-"
