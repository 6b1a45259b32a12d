"""The command palette (ctrl+p or :): every key action by name, apps, endpoints, and
"go to" for a pasted id or eventId.

The app's own commands rank above Textual's system commands (theme, screenshot, keys panel),
and enter picks what the typed text matches: typed ahead over a slow link, `:ledger⏎` opens
the ledger endpoint even when enter arrives before the search for "ledger" has answered.

Textual reads a plain-string prompt or help as markup, so every prompt here is a rich
Text built through `safe`, and help strings are fixed text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.command import Command, CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.system_commands import SystemCommandsProvider
from textual.worker import Worker, WorkerState

from attempt_tui import safe
from attempt_tui.locate import LOOKUP_TEXT
from attempt_tui.ui.keys import command_bindings

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


OWN_SCORE_FLOOR = 0.5
"""The app's own hits score in (0.5, 1], Textual's system commands in [0, 0.5)."""


@dataclass
class SystemHit(Hit):
    """A hit of Textual's system commands: ranked below the app's own."""


@dataclass
class SystemDiscoveryHit(DiscoveryHit):
    """A system command listed before anything is typed: after the app's own."""


class SystemCommands(SystemCommandsProvider):
    """Textual's system commands, marked so the palette lists them after the app's own."""

    async def discover(self) -> Hits:
        async for hit in super().discover():
            if isinstance(hit, DiscoveryHit):
                yield SystemDiscoveryHit(hit.display, hit.command, hit.text, hit.help)

    async def search(self, query: str) -> Hits:
        async for hit in super().search(query):
            if isinstance(hit, Hit):
                score = hit.score * OWN_SCORE_FLOOR * 0.99
                yield SystemHit(score, hit.match_display, hit.command, hit.text, hit.help)


def _rank(command: Command) -> tuple[bool, float]:
    hit = command.hit
    return (isinstance(hit, (SystemHit, SystemDiscoveryHit)), -hit.score)


class AttemptPalette(CommandPalette):
    """The command palette: own commands first; enter waits for the search of what was typed."""

    BINDINGS = [
        Binding("enter", "submit", "Run", show=False, priority=True, id="palette.submit"),
    ]

    def __init__(self) -> None:
        super().__init__(id="--command-palette")
        self._submit_when_searched = False

    def _refresh_command_list(
        self, command_list: CommandList, commands: list[Command], clear_current: bool
    ) -> None:
        super()._refresh_command_list(command_list, sorted(commands, key=_rank), clear_current)

    def _searching(self) -> bool:
        group = self._GATHER_COMMANDS_GROUP
        return any(worker.group == group and not worker.is_finished for worker in self.workers)

    def action_submit(self) -> None:
        if self._searching():
            self._submit_when_searched = True  # picked when the search of the text answers
            return
        self._select_or_command()

    @on(Worker.StateChanged)
    def _search_done(self, event: Worker.StateChanged) -> None:
        if event.worker.group != self._GATHER_COMMANDS_GROUP:
            return
        waiting = event.state is WorkerState.SUCCESS and self._submit_when_searched
        if waiting and not self._searching():
            self._submit_when_searched = False
            self._select_or_command()


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
        for node, binding in command_bindings(screen):
            if binding.description in seen or node.check_action(binding.action, ()) is not True:
                continue
            seen.add(binding.description)
            key = self.app.get_key_display(binding)
            yield PaletteCommand(
                binding.description,
                f"Key {key}",
                partial(self.app.run_action, binding.action, node),
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
                    OWN_SCORE_FLOOR + score * OWN_SCORE_FLOOR * 0.99,
                    _highlight(command.name, offsets),
                    command.run,
                    text=command.name,
                    help=command.help,
                )
