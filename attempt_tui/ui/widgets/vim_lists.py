"""Lists that move with the same keys everywhere: ↑/↓ and j/k, home/end and g/G, pgup/pgdn.

Textual's OptionList already has the arrows, home/end and page keys; these add the vim ones,
described as in Textual's own bindings so help lists each move once with all its keys. The
tables (`VimDataTable` in message_table.py) use the same keys and words.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import OptionList, RadioSet


class VimOptionList(OptionList):
    """An option list with j/k and g/G besides the arrows, home/end and page keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Cursor down", show=False, id="list.down"),
        Binding("up,k", "cursor_up", "Cursor up", show=False, id="list.up"),
        Binding("home,g", "first", "Top", show=False, id="list.first"),
        Binding("end,G", "last", "Bottom", show=False, id="list.last"),
        Binding("enter", "select", "Open", show=False, id="list.open"),
    ]


class VimRadioSet(RadioSet):
    """A set of choices that also moves with j/k."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "next_button", "Next option", show=False, id="choices.next"),
        Binding("k", "previous_button", "Previous option", show=False, id="choices.previous"),
    ]
