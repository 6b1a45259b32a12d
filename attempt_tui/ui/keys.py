"""Every key of a screen, read from the bindings of its widgets: for help (`?`) and the palette.

Keys are declared once, as BINDINGS on the widget they act on; these functions walk the screen
and collect them, so help never drifts from what the keys do. A widget names its help section
with a `HELP_SECTION` class attribute; widgets without one (Textual's lists, tabs and scroll
views) fall in the section of their nearest ancestor that has one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Input

# Text fields edit text with the usual keys; listing them would bury the dashboard's own.
_SKIPPED = (Input,)
# Sideways moves of Textual's scroll views and row tables: nothing here is wider than its pane.
_SIDEWAYS = frozenset(
    {"scroll_left", "scroll_right", "page_left", "page_right", "cursor_left", "cursor_right"}
)


@dataclass(frozen=True)
class KeyRow:
    keys: str  # as displayed, e.g. "↑ k"
    description: str
    note: str = ""  # a binding's tooltip: more words where the description is short


@dataclass(frozen=True)
class KeySection:
    title: str
    rows: tuple[KeyRow, ...]


def _section(node: DOMNode) -> str | None:
    for ancestor in node.ancestors_with_self:
        title = getattr(ancestor, "HELP_SECTION", None)
        if isinstance(title, str):
            return title
    return None


def _bindings(node: DOMNode) -> Iterator[Binding]:
    for bindings in node._bindings.key_to_bindings.values():
        for binding in bindings:
            if binding.description and binding.action not in _SIDEWAYS:
                yield binding


def key_sections(screen: Screen[Any]) -> list[KeySection]:
    """Every key of the screen (and the app), one section per part of it, in screen order.

    A key with two meanings (p: Pause / Resume) is one row; two keys for one meaning
    (↓ and j: Cursor down) are one row too.
    """
    app = screen.app
    everywhere = _section(screen) or "Everywhere"
    rows: dict[str, dict[str, tuple[list[str], list[str], str]]] = {}
    nodes: list[tuple[str, DOMNode]] = [
        (_section(node) or everywhere, node)
        for node in screen.walk_children(with_self=True)
        if not isinstance(node, _SKIPPED)
    ]
    nodes.append((everywhere, app))
    rows[everywhere] = {}
    for title, node in nodes:
        section = rows.setdefault(title, {})
        for binding in _bindings(node):
            key = app.get_key_display(binding)
            # Rows are keyed by action: the same action under several keys is one row.
            keys, meanings, note = section.setdefault(binding.action, ([], [], binding.tooltip))
            if key not in keys:
                keys.append(key)
            if binding.description.casefold() not in {m.casefold() for m in meanings}:
                meanings.append(binding.description)
    sections: list[KeySection] = []
    for title, by_action in rows.items():
        merged: dict[str, tuple[list[str], str]] = {}  # key(s) -> descriptions, note
        for keys, meanings, note in by_action.values():
            shown = " ".join(keys)
            descriptions, old_note = merged.setdefault(shown, ([], note))
            known = {d.casefold() for d in descriptions}
            descriptions.extend(m for m in meanings if m.casefold() not in known)
            if note and not old_note:
                merged[shown] = (descriptions, note)
        section_rows = tuple(
            KeyRow(keys, " / ".join(descriptions), note)
            for keys, (descriptions, note) in merged.items()
        )
        if section_rows:
            sections.append(KeySection(title, section_rows))
    return sections


def _shown(node: DOMNode) -> bool:
    """On screen: neither the node nor a container of it is hidden (a closed filter bar, the
    panes the narrow layout leaves out)."""
    return all(ancestor.display for ancestor in node.ancestors_with_self)


def command_bindings(screen: Screen[Any]) -> Iterator[tuple[DOMNode, Binding]]:
    """The bindings the palette offers by name: those of the screen and of its parts on screen
    that declare a help section (their own feature keys, not the lists' cursor keys)."""
    for node in screen.walk_children(with_self=True):
        if "HELP_SECTION" not in type(node).__dict__ or not _shown(node):
            continue
        for binding in type(node).BINDINGS:
            if isinstance(binding, Binding) and binding.description:
                yield node, binding
