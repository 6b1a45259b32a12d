"""Greys that stay readable under NO_COLOR.

With NO_COLOR, Textual turns every colour into the grey of the same brightness; red (a dark
colour) becomes grey 237 on the grey 234 background, so failures vanish. This filter does the
same, except that a text grey too close to its background grey is moved to the far end (light
on a dark background, dark on a light one). Failures then still read: in bold, with their ✖ and
their word.
"""

from __future__ import annotations

from functools import lru_cache

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter, Monochrome, monochrome_style

# Text and background greys closer than this (0..1 brightness) are pulled apart.
MIN_CONTRAST = 0.35
LIGHT = Color(230, 230, 230)
DARK = Color(25, 25, 25)


@lru_cache(maxsize=1024)
def readable_style(style: Style, background: Color) -> Style:
    """`style` in greys, its text readable on its own background (or `background`)."""
    grey = monochrome_style(style)
    if grey.color is None or not grey.color.triplet:
        return grey
    text = Color.from_rich_color(grey.color)
    behind = (
        Color.from_rich_color(grey.bgcolor)
        if grey.bgcolor is not None and grey.bgcolor.triplet
        else background.monochrome
    )
    if abs(text.brightness - behind.brightness) >= MIN_CONTRAST:
        return grey
    far = LIGHT if behind.brightness < 0.5 else DARK
    return grey + Style(color=far.rich_color)


def is_drawing(text: str) -> bool:
    """Only lines, blocks and spaces (borders, scrollbars, rules): their greys are kept, so a
    pane without the focus keeps its fainter border."""
    return all(char == " " or "\u2500" <= char <= "\u259f" for char in text)


class ReadableMonochrome(LineFilter):
    """Textual's Monochrome, with text kept readable on its background."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            Segment(
                text,
                (
                    None
                    if style is None
                    else monochrome_style(style)
                    if is_drawing(text)
                    else readable_style(style, background)
                ),
                None,
            )
            for text, style, _ in segments
        ]


def keep_text_readable(filters: list[LineFilter]) -> list[LineFilter]:
    """`filters` (an app's) with Textual's Monochrome replaced by ReadableMonochrome."""
    return [ReadableMonochrome() if isinstance(f, Monochrome) else f for f in filters]
