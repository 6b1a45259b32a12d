"""Change what is on screen only when it differs: every write goes over the wire (issue #5).

Textual repaints a widget's whole region on `Static.update` and on a border title, and
`Static.update` also runs a layout, which repaints every scrollbar on the screen. So equal
values must not be set again.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.visual import VisualType
from textual.widget import Widget
from textual.widgets import Static


def same_text(a: object, b: object) -> bool:
    """Equal, for `Text` including the base style (`Text.__eq__` compares only text and spans)."""
    if isinstance(a, Text) and isinstance(b, Text):
        return (
            a.plain == b.plain
            and a.spans == b.spans
            and a.style == b.style
            and a.justify == b.justify
            and a.overflow == b.overflow
            and a.no_wrap == b.no_wrap
            and a.end == b.end
        )
    if isinstance(a, Text) or isinstance(b, Text):
        return False
    return a == b


def update_static(static: Static, content: VisualType) -> bool:
    """`static.update(content)` unless it already shows that; True when it updated."""
    if same_text(static.content, content):
        return False
    static.update(content)
    return True


def set_border_title(widget: Widget, title: Text | str, *, subtitle: bool = False) -> bool:
    """Set the border title (or subtitle) unless it is already that; True when it changed."""
    shown = widget.border_subtitle if subtitle else widget.border_title
    # The getter returns the stored title as markup; compare in that form.
    wanted = Content.from_rich_text(title) if isinstance(title, Text) else widget.render_str(title)
    if shown == wanted.markup:
        return False
    if subtitle:
        widget.border_subtitle = title
    else:
        widget.border_title = title
    return True
