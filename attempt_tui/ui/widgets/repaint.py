"""Change what is on screen only when it differs: every write goes over the wire.

Textual repaints a widget's whole region on `Static.update` and on a border title, and
`Static.update` also runs a layout, which repaints every scrollbar on the screen. So equal
values must not be set again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.text import Text
from textual.content import Content
from textual.geometry import Region
from textual.visual import VisualType
from textual.widget import Widget
from textual.widgets import Static
from typing_extensions import Self


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


if TYPE_CHECKING:
    # For the type checker the mixin is the widget it is mixed into, so `super().refresh`
    # is Widget.refresh.
    _MixedIntoWidget = Widget
else:
    _MixedIntoWidget = object


class RepaintsItself(_MixedIntoWidget):
    """A mixin for a widget that can change its data without the whole-widget repaint.

    Within `repainting_itself()`, a bare `refresh()` is skipped; the caller then refreshes
    only the region it changed. Refreshes of a region, of layout or recompose still happen.
    Not a Widget itself: Textual takes a widget's default CSS from its first Widget base, so
    it goes first and the widget class second (`class T(RepaintsItself, DataTable)`).
    """

    _repainting_itself = False

    @contextmanager
    def repainting_itself(self) -> Iterator[None]:
        self._repainting_itself = True
        try:
            yield
        finally:
            self._repainting_itself = False

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        if self._repainting_itself and not (regions or layout or recompose):
            return self
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
