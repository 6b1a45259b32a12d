"""The watch lane: after a resend, the message's attempts at its endpoint every second,
also while it is not the highlighted message (the detail lane follows it when it is)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from attempt_tui.api.models import MessageAttemptOut
from attempt_tui.worker.detail import WATCH_POLL_SECONDS
from attempt_tui.worker.events import WatchedAttempts
from attempt_tui.worker.lanes import Lane

if TYPE_CHECKING:
    from attempt_tui.worker.core import DataWorker


@dataclass(frozen=True)
class WatchKey:
    app_id: str
    endpoint_id: str
    msg_id: str


class WatchLane(Lane[WatchKey, list[MessageAttemptOut]]):
    name = "watch"

    def __init__(self, worker: DataWorker) -> None:
        super().__init__(worker)
        self.worker = worker
        self.watched: tuple[str, str, str] | None = None  # (app_id, msg_id, endpoint_id)

    def key(self) -> WatchKey | None:
        if self.watched is None or self.worker.watching_selected():
            return None
        app_id, msg_id, endpoint_id = self.watched
        return WatchKey(app_id, endpoint_id, msg_id)

    def interval(self) -> float | None:
        return WATCH_POLL_SECONDS

    def polls_while_paused(self) -> bool:
        return True  # the user just resent it and waits for the answer

    async def fetch(self, key: WatchKey) -> list[MessageAttemptOut]:
        page = await self.worker.client.list_attempts_by_msg(
            key.app_id, key.msg_id, endpoint_id=key.endpoint_id, limit=50, with_content=False
        )
        return page.data

    def answered(self, key: WatchKey, result: list[MessageAttemptOut]) -> WatchKey:
        self.last_key = None  # every answer is judged, changed or not: the watch may time out
        return key

    def deliver(self, key: WatchKey, result: list[MessageAttemptOut]) -> None:
        self.worker.emit(WatchedAttempts(key.msg_id, key.endpoint_id, result))
