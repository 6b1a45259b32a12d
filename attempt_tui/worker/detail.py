"""The detail lane: the highlighted message, its attempts at the open endpoint, and where
else it was sent. Polls of the same message fetch only what can change."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from attempt_tui.api.models import MessageAttemptOut, MessageEndpointOut, MessageOut
from attempt_tui.worker.actions import ExpungeCheck
from attempt_tui.worker.events import DetailCleared, DetailLoaded, MessageDetail
from attempt_tui.worker.lanes import Lane
from attempt_tui.worker.query import DetailKey

if TYPE_CHECKING:
    from attempt_tui.worker.core import DataWorker

DETAIL_DEBOUNCE_SECONDS = 0.15
DESTINATIONS_EVERY_N_POLLS = 6
WATCH_POLL_SECONDS = 1.0


class DetailLane(Lane[DetailKey, MessageDetail]):
    name = "detail"
    debounce = DETAIL_DEBOUNCE_SECONDS

    def __init__(self, worker: DataWorker) -> None:
        super().__init__(worker)
        self.worker = worker
        self._polls = 0
        # Set by a forced refresh: fetch the payload and bodies again, not only new attempts.
        self.full = False
        # The message and its destinations as a go-to already fetched them, for its next fetch.
        self._prefilled: tuple[DetailKey, MessageOut, list[MessageEndpointOut]] | None = None

    def prefill(
        self, key: DetailKey, message: MessageOut, destinations: list[MessageEndpointOut]
    ) -> None:
        """Use these for `key`'s next fetch instead of asking for them again."""
        self._prefilled = (key, message, destinations)

    def key(self) -> DetailKey | None:
        q = self.worker.query
        if q.app_id is None or q.endpoint_id is None or q.selected_msg_id is None:
            return None
        return DetailKey(q.app_id, q.endpoint_id, q.selected_msg_id)

    def interval(self) -> float | None:
        if self.worker.watching_selected():
            return WATCH_POLL_SECONDS
        return self.worker.poll_seconds or None

    def polls_while_paused(self) -> bool:
        """Paused stops polling, except for following a resend the user just made."""
        return self.worker.watching_selected()

    def waits_for_quiet(self, key: DetailKey) -> bool:
        """A message a go-to opened is wanted at once: its attempts go with its page."""
        return self._prefilled is None or self._prefilled[0] != key

    def deliver(self, key: DetailKey, result: MessageDetail) -> None:
        self.worker.emit(DetailLoaded(result))

    def cleared(self) -> None:
        self.worker.emit(DetailCleared())

    async def fetch(self, key: DetailKey) -> MessageDetail:
        client = self.worker.client
        previous = self.last_result
        full, self.full = self.full, False
        same = previous is not None and (
            DetailKey(previous.app_id, previous.endpoint_id, previous.msg_id) == key
        )
        prefilled, self._prefilled = self._prefilled, None
        if prefilled is not None and prefilled[0] != key:
            prefilled = None
        # Lists default to the last 90 days; a message's attempts all come after it was sent.
        sent = prefilled[1].timestamp if prefilled else self.worker.sent_at(key.msg_id)
        since = sent - timedelta(seconds=1) if sent is not None else None
        checks = previous.expunge_checks if previous is not None and same else {}
        if not full and prefilled is not None:
            self._polls = 0
            attempts = await self._attempts(key, since, with_content=True)
            _, message, destinations = prefilled
            return MessageDetail(
                key.app_id, key.endpoint_id, key.msg_id, attempts, message, destinations, checks
            )
        if full or previous is None or not same:
            self._polls = 0
            attempts, message, sent_to = await asyncio.gather(
                self._attempts(key, since, with_content=True),
                client.get_message(key.app_id, key.msg_id, with_content=True),
                client.list_attempted_destinations(key.app_id, key.msg_id, limit=250),
            )
            return MessageDetail(
                key.app_id, key.endpoint_id, key.msg_id, attempts, message, sent_to.data, checks
            )
        # Polling the same message: the payload never changes and response bodies (which
        # may be megabytes) are kept from before; only new attempts need their bodies.
        self._polls += 1
        attempts = await self._attempts(key, since, with_content=False)
        known = {a.id: a.response for a in previous.attempts}
        if any(a.id not in known for a in attempts):
            attempts = await self._attempts(key, since, with_content=True)
        else:
            attempts = [a.model_copy(update={"response": known[a.id]}) for a in attempts]
        destinations = previous.destinations
        if self._polls % DESTINATIONS_EVERY_N_POLLS == 0:
            answer = await client.list_attempted_destinations(key.app_id, key.msg_id, limit=250)
            destinations = answer.data
        return replace(previous, attempts=attempts, destinations=destinations)

    async def _attempts(
        self, key: DetailKey, since: datetime | None, *, with_content: bool
    ) -> list[MessageAttemptOut]:
        page = await self.worker.client.list_attempts_by_msg(
            key.app_id,
            key.msg_id,
            endpoint_id=key.endpoint_id,
            limit=250,
            with_content=with_content,
            after=since,
        )
        return page.data

    def current(self) -> MessageDetail | None:
        """The last detail fetched, when it is of the message highlighted now (a view that was
        emptied, by a go-to to the same message, shows it again without asking)."""
        key, detail = self.key(), self.last_result
        if key is None or detail is None:
            return None
        if DetailKey(detail.app_id, detail.endpoint_id, detail.msg_id) != key:
            return None
        return detail

    def expunged(self, check: ExpungeCheck) -> MessageDetail | None:
        """Hold what the server returned when re-read after an expunge, so the Response tab
        (and every poll after, which keeps bodies it has) shows that and not our old copy.
        The check itself travels with the detail, so the tab can say what was verified."""
        detail = self.last_result
        if detail is None or all(a.id != check.attempt_id for a in detail.attempts):
            return None
        attempts = detail.attempts
        if check.attempt is not None:
            fresh = check.attempt
            attempts = [fresh if a.id == check.attempt_id else a for a in attempts]
        checks = {**detail.expunge_checks, check.attempt_id: check}
        self.last_result = replace(detail, attempts=attempts, expunge_checks=checks)
        return self.last_result
