"""The command palette (ctrl+p or :): every key action by name, apps, endpoints, and
"go to" for a pasted id or eventId.

Textual reads a plain-string prompt or help as markup, so every prompt here is a rich
Text built through `safe`, and help strings are fixed text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from attempt_tui import safe
from attempt_tui.locate import LOOKUP_TEXT

if TYPE_CHECKING:
    from attempt_tui.ui.app import AttemptApp
    from attempt_tui.ui.screens.main import MainScreen


@dataclass(frozen=True)
class PaletteCommand:
    name: str  # plain text, already cleaned
    help: str  # fixed text, never API data
    run: Callable[[], object]


def _highlight(name: str, offsets: Sequence[int]) -> Text:
    text = Text(name)
    for offset in offsets:
        if offset < len(name) and not name[offset].isspace():
            text.stylize("bold underline", offset, offset + 1)
    return text


def _lookup_text(text: str) -> bool:
    """An id, uid or eventId, or APP/ID: what go-to can look up."""
    parts = text.split("/")
    return len(parts) <= 2 and all(LOOKUP_TEXT.fullmatch(part) for part in parts)


class AttemptCommands(Provider):
    def _screen(self) -> MainScreen | None:
        from attempt_tui.ui.screens.main import MainScreen

        screen = self.screen
        return screen if isinstance(screen, MainScreen) else None

    def commands(self) -> Iterator[PaletteCommand]:
        screen = self._screen()
        if screen is None:
            return
        seen: set[str] = set()
        for binding in screen.BINDINGS:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            if binding.description in seen or screen.check_action(binding.action, ()) is not True:
                continue
            seen.add(binding.description)
            key = self.app.get_key_display(binding)
            yield PaletteCommand(
                binding.description,
                f"Key {key}",
                partial(screen.run_action, binding.action),
            )
        for name in screen.settings.profiles:
            if name != screen.settings.profile:
                label = f"Profile: {safe.clean(name, max_len=40)}"
                yield PaletteCommand(label, "Switch environment", partial(self._switch, name))
        picker = screen.picker
        for app in picker.apps:
            name = f"App: {safe.clean(app.name, max_len=60)}"
            yield PaletteCommand(name, "Switch to this app", partial(screen.open_app, app.id))
        for endpoint in picker.endpoints:
            name = f"Endpoint: {safe.clean(endpoint.url, max_len=80)}"
            if endpoint.description:
                name += f" ({safe.clean(endpoint.description, max_len=40)})"
            yield PaletteCommand(
                name, "Open this endpoint", partial(screen.open_endpoint, endpoint.id)
            )

    def _switch(self, name: str) -> None:
        app = cast("AttemptApp", self.app)  # the only app this palette is registered in
        app.run_worker(app.switch_profile(name), group="profile", exclusive=True)

    async def discover(self) -> Hits:
        for command in self.commands():
            yield DiscoveryHit(
                Text(command.name), command.run, text=command.name, help=command.help
            )

    async def search(self, query: str) -> Hits:
        screen = self._screen()
        wanted = query.strip()
        if screen is not None and len(wanted) >= 4 and _lookup_text(wanted):
            prompt = Text.assemble("Go to ", safe.text(wanted, max_len=80, style="bold"))
            yield Hit(
                1.0,
                prompt,
                partial(screen.go_to, wanted),
                text=f"Go to {wanted}",
                help="Find this id or eventId and open it",
            )
        matcher = self.matcher(query)
        for command in self.commands():
            score = matcher.match(command.name)
            if score > 0:
                _, offsets = matcher.fuzzy_search.match(query, command.name)
                yield Hit(
                    score * 0.99,
                    _highlight(command.name, offsets),
                    command.run,
                    text=command.name,
                    help=command.help,
                )
