"""Look at what a running app shows, and report anything from data that could act on a terminal.

Two views: the composed screen (the strips Textual writes out, so exactly what is visible), and
the sources (every DataTable cell, OptionList prompt, Select option, Static and border title, so
also what is scrolled away or on a hidden tab).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.app import App
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, OptionList, Select, Static

from tests.hostile.hostile_api import ATTACK_NAMES

# Characters that must never be on screen: C0 (newline and tab only inside bodies), DEL, C1,
# bidi embeddings/overrides/isolates/marks and invisible format characters.
_FORMAT = {0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2028, 0x2029, 0xFEFF}
_FORMAT |= {*range(0x202A, 0x202F), *range(0x2060, 0x2065), *range(0x2066, 0x2070)}
FORBIDDEN = {*range(0x00, 0x20), *range(0x7F, 0xA0), *_FORMAT}


def bad_chars(text: str, *, multiline: bool = False) -> list[str]:
    """`U+XXXX at i: ...context...` for every forbidden character in `text`."""
    allowed = {0x0A, 0x09} if multiline else set()
    found = []
    for index, char in enumerate(text):
        code = ord(char)
        if code in FORBIDDEN and code not in allowed:
            context = text[max(0, index - 30) : index + 30]
            found.append(f"U+{code:04X} at {index}: {context!r}")
            if len(found) > 5:
                break
    return found


def _style_problem(style: Any) -> str | None:
    """Links and click actions must never come from data."""
    if style is None:
        return None
    if isinstance(style, str):
        return f"style {style!r}" if ("@" in style or "link" in style) else None
    if getattr(style, "link", None):
        return f"link {style.link!r}"
    meta = getattr(style, "meta", None) or {}
    actions = {key: value for key, value in meta.items() if key.startswith("@click")}
    return f"action {actions!r}" if actions else None


def screen_lines(app: App[Any]) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def screen_text(app: App[Any]) -> str:
    return "\n".join(screen_lines(app))


def screen_problems(app: App[Any]) -> list[str]:
    """Forbidden characters, links or click actions in the composed screen."""
    problems: list[str] = []
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        for segment in strip:
            for found in bad_chars(segment.text):
                problems.append(f"screen line {y}: {found}")
            issue = _style_problem(segment.style)
            if issue:
                problems.append(f"screen line {y}: {issue} on {segment.text!r}")
    return problems


# Every hostile string carries a `field.attack` marker (see hostile_api.py).
_DATA_MARKER = re.compile(r"[a-z]+\.(?:" + "|".join(ATTACK_NAMES) + r")\b")


def _check(where: str, value: Any, problems: list[str], *, multiline: bool = True) -> None:
    if value is None or value == "":
        return
    if isinstance(value, str):
        # A plain str handed to a widget may be parsed as markup; data must arrive as Text/Content.
        if _DATA_MARKER.search(value):
            problems.append(f"{where}: data as plain str {value[:60]!r} (may be parsed as markup)")
        plain, spans = value, []
    elif isinstance(value, Text | Content):
        plain, spans = value.plain, list(value.spans)
    else:
        return
    for found in bad_chars(plain, multiline=multiline):
        problems.append(f"{where}: {found}")
    for span in spans:
        issue = _style_problem(span.style)
        if issue:
            problems.append(f"{where}: {issue} on {plain[span.start : span.end]!r}")


def _widgets(screens: Iterable[Screen[Any]]) -> Iterable[Widget]:
    for screen in screens:
        yield from screen.walk_children(with_self=True)


def source_problems(app: App[Any]) -> list[str]:
    """Forbidden characters, links, actions or markup-parsed data in every widget's content."""
    problems: list[str] = []
    for widget in _widgets(app.screen_stack):
        name = f"{type(widget).__name__}#{widget.id}"
        for attr in ("border_title", "border_subtitle"):
            value = getattr(widget, attr)
            if isinstance(value, Content | Text):
                _check(f"{name}.{attr}", value, problems, multiline=False)
        if isinstance(widget, DataTable):
            for row in range(widget.row_count):
                for column, cell in enumerate(widget.get_row_at(row)):
                    _check(f"{name}[{row},{column}]", cell, problems, multiline=False)
        elif isinstance(widget, OptionList):
            for index in range(widget.option_count):
                prompt = widget.get_option_at_index(index).prompt
                _check(f"{name} option {index}", prompt, problems)
        elif isinstance(widget, Select):
            for index, (prompt, _value) in enumerate(widget._options):
                _check(f"{name} option {index}", prompt, problems, multiline=False)
        elif isinstance(widget, Static):
            _check(name, widget.render(), problems)
    return problems


def rendered_sources(app: App[Any]) -> str:
    """All source text (cells, prompts, statics) joined, to look for what was shown."""
    parts: list[str] = []
    for widget in _widgets(app.screen_stack):
        if isinstance(widget, DataTable):
            for row in range(widget.row_count):
                parts.extend(str(cell) for cell in widget.get_row_at(row))
        elif isinstance(widget, OptionList):
            for index in range(widget.option_count):
                parts.append(str(widget.get_option_at_index(index).prompt))
        elif isinstance(widget, Static):
            visual = widget.render()
            parts.append(visual.plain if isinstance(visual, Content | Text) else str(visual))
    return "\n".join(parts)
