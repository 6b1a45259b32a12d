"""Type-ahead: keys that arrive in a burst act as if each were typed after the last one settled.

Over a laggy SSH link keystrokes arrive together. Textual hands each key to whatever has focus
the moment the key is read, but what a key starts (a screen pushed, a pane opened, focus moved)
lands a few messages later, behind the keys already queued: `:ledger⏎` then reaches the
palette before its input exists, and `E k ⏎` moves in the message table the `E` just left.

The gate lets a key through when nothing is pending (the app and every widget of the screen in
front have empty queues); otherwise it holds the key, and the ones after it, until every
message already set off has been handled and focus stopped moving, then lets them through one
at a time, each after the last one's effects. A key typed at human speed finds the gate open:
only bursts (and keys that arrive mid-change) wait, and only as long as those effects take.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from textual import events
from textual.app import App
from textual.message import Message
from textual.message_pump import MessagePump

ROUND_TIMEOUT = 5.0
"""Seconds a settling round may take before the held keys go anyway (a safety net only: a round
normally takes a few milliseconds, and its end is the app's own state, not a clock)."""
MAX_ROUNDS = 20
"""Rounds of message handling after which the held keys go anyway (a key that keeps the app
busy for ever, say a live tail, must not swallow the keys after it)."""


class KeysReleased(Message, bubble=False):
    """The effects of the last key have settled: the next held key may go."""


def _pumps(app: App[Any]) -> list[MessagePump]:
    screen = app.screen
    return [app, *screen.walk_children(with_self=True)]


def _busy(pumps: list[MessagePump]) -> bool:
    # The queue is MessagePump's own (textual is pinned): messages posted and not yet handled.
    return any(not pump._message_queue.empty() for pump in pumps)


async def _one_round(app: App[Any]) -> None:
    """Wait until the app and every widget of the screen in front handled what was queued."""
    pending = 0
    done = asyncio.Event()

    def handled() -> None:
        nonlocal pending
        pending -= 1
        if pending == 0:
            done.set()

    for pump in _pumps(app):
        if pump.call_later(handled):
            pending += 1
    if pending:
        await asyncio.wait_for(done.wait(), ROUND_TIMEOUT)


async def settle(app: App[Any]) -> None:
    """Return once what the last key set off is done: same screen, same focus, queues empty."""
    previous: tuple[int, int] | None = None
    for _ in range(MAX_ROUNDS):
        await _one_round(app)
        screen = app.screen
        state = (id(screen), id(screen.focused))
        if state == previous and screen.is_mounted and not _busy(_pumps(app)):
            return
        previous = state


class TypeAhead:
    """Holds keys while the previous key's effects settle; `dispatch` handles one key."""

    def __init__(self, app: App[Any], dispatch: Callable[[events.Key], Awaitable[None]]):
        self._app = app
        self._dispatch = dispatch
        self._held: deque[events.Key] = deque()
        self._settling: asyncio.Task[None] | None = None

    @property
    def held(self) -> int:
        """How many keys wait for the previous ones to settle."""
        return len(self._held)

    async def key(self, event: events.Key) -> None:
        """A key from the terminal: handle it now, or once what is pending has settled."""
        if self._settling is None and not self._held and self._quiet():
            await self._dispatch(event)
            return
        self._held.append(event)
        if self._settling is None:
            self._settle_then_release()

    async def released(self) -> None:
        """What was pending settled: let the next held key go, and settle its effects."""
        self._settling = None
        if self._held:
            await self._dispatch(self._held.popleft())
            if self._held:
                self._settle_then_release()

    def close(self) -> None:
        """The app is closing: drop what is held and stop settling."""
        self._held.clear()
        if self._settling is not None:
            self._settling.cancel()
            self._settling = None

    def _quiet(self) -> bool:
        """Nothing pending: the screen is up and no queue holds a message."""
        try:
            return self._app.screen.is_mounted and not _busy(_pumps(self._app))
        except Exception:  # no screen yet: wait for it
            return False

    def _settle_then_release(self) -> None:
        self._settling = asyncio.create_task(self._settle())

    async def _settle(self) -> None:
        try:
            await settle(self._app)
        except Exception:  # never leave keys held: let them go as they are
            pass
        finally:
            self._app.post_message(KeysReleased())
