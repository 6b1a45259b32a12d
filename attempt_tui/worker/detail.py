"""The detail lane: the highlighted message, its attempts at the open endpoint, and where
else it was sent (asked for only while a tab that shows it is open). Polls of the same
message fetch only what can change."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from attempt_tui.api.models import MessageAttemptOut, MessageEndpointOut, MessageOut
from attempt_tui.worker.actions import ExpungeCheck
from attempt_tui.worker.events import DetailCleared, DetailLoaded, MessageDetail
from attempt_tui.worker.lanes import Lane, ready
from attempt_tui.worker.query import DetailKey

if TYPE_CHECKING:
    from attempt_tui.worker.core import DataWorker

DETAIL_DEBOUNCE_SECONDS = 0.15
DESTINATIONS_EVERY_N_POLLS = 6
WATCH_POLL_SECONDS = 1.0


@dataclass(frozen=True)
class Prefill:
    """What a go-to already fetched for the message it opens; None: not fetched."""

    key: DetailKey
    message: MessageOut
    attempts: list[MessageAttemptOut] | None
    destinations: list[MessageEndpointOut] | None


class DetailLane(Lane[DetailKey, MessageDetail]):
    name = "detail"
    debounce = DETAIL_DEBOUNCE_SECONDS

    def __init__(self, worker: DataWorker) -> None:
        super().__init__(worker)
        self.worker = worker
        self._polls = 0
        # Set by a forced refresh: fetch the payload and bodies again, not only new attempts.
        self.full = False
        # What a go-to already fetched for the message it opens, for that message's next fetch.
        self._prefilled: Prefill | None = None
        # Where the message was sent is asked for only while a tab showing it is open.
        self.destinations_wanted = False

    def prefill(self, prefill: Prefill) -> None:
        """Use these for the next fetch of `prefill.key` instead of asking for them again."""
        self._prefilled = prefill

    def want_destinations(self, wanted: bool) -> None:
        """A tab that shows where the message was sent opened (or closed): when they are not
        held yet, ask for them now."""
        self.destinations_wanted = wanted
        detail = self.last_result
        if wanted and detail is not None and detail.destinations is None:
            self.wake_up()

    def settled(self, key: DetailKey) -> None:
        # The tab opened while a fetch that did not want them was in flight: ask now.
        detail = self.last_result
        if self.destinations_wanted and detail is not None and detail.destinations is None:
            self.wake_up()

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
        return self._prefilled is None or self._prefilled.key != key

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
        if prefilled is not None and prefilled.key != key:
            prefilled = None
        # Lists default to the last 90 days; a message's attempts all come after it was sent.
        sent = prefilled.message.timestamp if prefilled else self.worker.sent_at(key.msg_id)
        since = sent - timedelta(seconds=1) if sent is not None else None
        checks = previous.expunge_checks if previous is not None and same else {}
        if not full and prefilled is not None:
            self._polls = 0
            attempts, destinations = await asyncio.gather(
                ready(prefilled.attempts)
                if prefilled.attempts is not None
                else self._attempts(key, since, with_content=True),
                self._destinations(key, prefilled.destinations),
            )
            return MessageDetail(
                key.app_id,
                key.endpoint_id,
                key.msg_id,
                attempts,
                prefilled.message,
                destinations,
                checks,
            )
        if full or previous is None or not same:
            self._polls = 0
            attempts, message, destinations = await asyncio.gather(
                self._attempts(key, since, with_content=True),
                client.get_message(key.app_id, key.msg_id, with_content=True),
                self._destinations(key, None),
            )
            return MessageDetail(
                key.app_id, key.endpoint_id, key.msg_id, attempts, message, destinations, checks
            )
        if self.destinations_wanted and previous.destinations is None:
            # Woken because a tab showing them opened: only they are missing.
            return replace(previous, destinations=await self._destinations(key, None))
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
            destinations = await self._destinations(key, None)
        return replace(previous, attempts=attempts, destinations=destinations)

    async def _destinations(
        self, key: DetailKey, held: list[MessageEndpointOut] | None
    ) -> list[MessageEndpointOut] | None:
        """Where the message was sent: `held` if known, else asked for only while wanted."""
        if held is not None or not self.destinations_wanted:
            return held
        answer = await self.worker.client.list_attempted_destinations(
            key.app_id, key.msg_id, limit=250
        )
        return answer.data

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
