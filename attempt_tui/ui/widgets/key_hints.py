"""One line of key hints for the screen's shown bindings, in place of Textual's Footer.

Textual's Footer mounts a widget per key and recomposes them all whenever focus or an
action's availability changes. Over SSH that is start-up time and repaints for nothing, so
this draws the same hints as one line and repaints only when the line would change.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.style import Style
from rich.text import Text
from textual.events import Click
from textual.screen import Screen
from textual.widget import Widget


class Hint(NamedTuple):
    key: str
    key_display: str
    description: str
    enabled: bool


class KeyHints(Widget, can_focus=False):
    """The shown bindings of the active screen as `key description` pairs; click to press."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-hints--key", "key-hints--description", "key-hints--disabled"}
    DEFAULT_CSS = """
    KeyHints {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        text-overflow: clip;
        .key-hints--key {
            color: $footer-key-foreground;
            text-style: bold;
        }
        .key-hints--description {
            color: $footer-description-foreground;
        }
        .key-hints--disabled {
            text-style: dim;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.hints: tuple[Hint, ...] = ()
        # (first column, past last column, key) of each hint drawn, for clicks.
        self._spans: list[tuple[int, int, Hint]] = []

    def on_mount(self) -> None:
        # The screen signals once its widgets are up, and again on every change.
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is not self.screen:
            return
        active = screen.active_bindings
        leading_actions: frozenset[str] = getattr(screen, "LEADING_HINTS", frozenset())
        # In order: the screen's leading keys (back, help), what the focused part offers
        # besides its bindings, the keys of the focused part and its containers (innermost
        # first), then the rest of the screen's, then the app's.
        leading: list[Hint] = []
        local: list[Hint] = []
        screen_wide: list[Hint] = []
        app_wide: list[Hint] = []
        # "escape,q" is two keys for one hint: show the first.
        seen: set[tuple[str, str]] = set()
        for namespace, binding, enabled, _tooltip in active.values():
            meaning = (binding.action, binding.description)
            if not binding.show or meaning in seen:
                continue
            seen.add(meaning)
            key_display = self.app.get_key_display(binding)
            hint = Hint(binding.key, key_display, binding.description, enabled)
            if namespace is screen:
                (leading if binding.action in leading_actions else screen_wide).append(hint)
            elif namespace is self.app:
                app_wide.append(hint)
            else:
                local.append(hint)
        hints = (*leading, *_focus_hints(screen), *local, *screen_wide, *app_wide)
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            _, binding, enabled, _tooltip = palette
            hints += (Hint(binding.key, self.app.get_key_display(binding), "palette", enabled),)
        if hints != self.hints:
            self.hints = hints
            self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-hints--key", partial=True)
        description_style = self.get_component_rich_style("key-hints--description", partial=True)
        disabled_style = self.get_component_rich_style("key-hints--disabled", partial=True)
        text = Text(no_wrap=True, overflow="crop", end="")
        self._spans = []
        *hints, last = self.hints or (None,)
        pinned = last if last is not None and last.description == "palette" else None
        if pinned is None and last is not None:
            hints.append(last)
        # The palette key stays at the right edge, as in Textual's footer; the rest fill
        # the line from the left, whole hints only (a cut-off label reads as another key).
        width = self.size.width - (_width(pinned) + 2 if pinned else 0)
        for hint in hints:
            start = text.cell_len + (1 if self._spans else 0)
            if start + _width(hint) > width and self._spans:
                break
            if self._spans:
                text.append(" ")
            self._append(text, hint, key_style, description_style, disabled_style)
        if pinned is not None:
            text.append(" " * max(1, self.size.width - text.cell_len - _width(pinned)))
            self._append(text, pinned, key_style, description_style, disabled_style)
        return text

    def _append(
        self, text: Text, hint: Hint, key_style: Style, description: Style, disabled: Style
    ) -> None:
        start = text.cell_len
        extra = disabled if not hint.enabled else Style()
        text.append(hint.key_display, key_style + extra)
        text.append(f" {hint.description}", description + extra)
        self._spans.append((start, text.cell_len, hint))

    def on_click(self, event: Click) -> None:
        for start, end, hint in self._spans:
            if start <= event.x < end:
                if not hint.key:
                    return  # a focus hint names keys of the focused part: nothing to press
                if hint.enabled:
                    self.app.simulate_key(hint.key)
                else:
                    self.app.bell()
                return


def _focus_hints(screen: Screen[object]) -> tuple[Hint, ...]:
    """Keys of the focused widget that its bindings do not show (say, a tab strip's arrows),
    offered by a container of it through a `focus_hints(focused)` method."""
    focused = screen.focused
    if focused is None:
        return ()
    for node in focused.ancestors_with_self:
        offer = getattr(node, "focus_hints", None)
        if callable(offer):
            return tuple(Hint("", keys, text, True) for keys, text in offer(focused))
    return ()


def _width(hint: Hint) -> int:
    return len(hint.key_display) + 1 + len(hint.description)
