"""Textual messages that carry the data worker's events into the UI."""

from __future__ import annotations

from textual.message import Message

from attempt_tui.worker import WorkerEvent


class WorkerUpdate(Message):
    """One event from the data worker."""

    def __init__(self, event: WorkerEvent) -> None:
        super().__init__()
        self.event = event
