"""The onboarding tour: find a failed delivery, read why, resend it and watch it land.

Pure logic: the UI reports what it sees as a `TourState`; the tour says which step is
current and what to tell the user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from attempt_tui.api.models import MessageStatus


@dataclass(frozen=True)
class TourState:
    endpoint_id: str | None = None
    target_endpoint_id: str | None = None  # the endpoint with the most failures
    target_endpoint_url: str | None = None
    fail_filter: bool = False
    detail_open: bool = False
    selected_status: int | None = None
    confirm_open: bool = False
    watching: bool = False
    landed: bool = False


@dataclass(frozen=True)
class TourStep:
    title: str
    text: Callable[[TourState], str]
    done: Callable[[TourState], bool]


def _pick_text(state: TourState) -> str:
    where = state.target_endpoint_url or "the endpoint with the most failures (✖)"
    return f"In the picker, highlight {where} with ↑/↓ and press enter."


STEPS: tuple[TourStep, ...] = (
    TourStep(
        "Find the failing endpoint",
        _pick_text,
        lambda s: s.endpoint_id is not None and s.endpoint_id == s.target_endpoint_id,
    ),
    TourStep(
        "Show only failures",
        lambda s: "Press / to filter, tab to 'fail', space to tick it, then enter.",
        lambda s: s.fail_filter,
    ),
    TourStep(
        "Open a failed message",
        lambda s: "Highlight a failed message (✖ fail) and press enter to see its attempts.",
        lambda s: s.detail_open and s.selected_status == MessageStatus.FAIL,
    ),
    TourStep(
        "Read why it failed",
        lambda s: (
            "The Response tab shows the HTTP code and what the endpoint answered. "
            "Press R to resend it."
        ),
        lambda s: s.confirm_open or s.watching or s.landed,
    ),
    TourStep(
        "Resend it",
        lambda s: "The dialog says exactly what will happen. Press y to resend.",
        lambda s: s.watching or s.landed,
    ),
    TourStep(
        "Watch it land",
        lambda s: "The spinner follows the new attempt until it succeeds or fails.",
        lambda s: s.landed,
    ),
)


class Tour:
    """Steps are done in order; a later step never counts before the earlier ones."""

    def __init__(self) -> None:
        self.index = 0

    @property
    def finished(self) -> bool:
        return self.index >= len(STEPS)

    def advance(self, state: TourState) -> bool:
        """Move past every step `state` completes; True when the step changed."""
        start = self.index
        while not self.finished and STEPS[self.index].done(state):
            self.index += 1
        return self.index != start

    def line(self, state: TourState) -> str:
        if self.finished:
            return "Tour complete: that is the whole loop. Press ? for every key; q quits."
        step = STEPS[self.index]
        return f"Tour {self.index + 1}/{len(STEPS)} · {step.title}: {step.text(state)}"
