"""The onboarding tour's panel: one step at a time, advanced by what the user does."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.widgets import Static

from attempt_tui.tour import Tour, TourState

TOUR_TICK_SECONDS = 0.3


class TourPanel(Static):
    def __init__(self, tour: Tour | None, state: Callable[[], TourState], *, id: str) -> None:
        super().__init__("", id=id)
        self.tour = tour
        self._state = state

    def on_mount(self) -> None:
        self.display = self.tour is not None
        if self.tour is not None:
            # The state is read from the rest of the screen, mounted after this returns.
            self.set_interval(TOUR_TICK_SECONDS, self.advance)
            self.call_after_refresh(self.advance)

    def advance(self) -> None:
        if self.tour is None:
            return
        state = self._state()
        self.tour.advance(state)
        self.update(Text(self.tour.line(state), style="bold"))
