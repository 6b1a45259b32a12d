"""The page lane: one page of an endpoint's messages, the next page prefetched.

The API filters by one status; several statuses are merged client-side, newest first, and
such merged pages have no Svix cursor back, so the start of each one visited is remembered.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from attempt_tui.api.budget import Priority, request_priority
from attempt_tui.api.errors import ApiError, NotFoundError
from attempt_tui.api.models import EndpointMessageOut, MessageStatus
from attempt_tui.worker.events import EndpointGone, MessagePage, PageLoaded, Synced
from attempt_tui.worker.lanes import Lane
from attempt_tui.worker.query import Filters, PageCursor, PageKey, PageScope, earlier

if TYPE_CHECKING:
    from attempt_tui.worker.core import DataWorker

# A prefetched next page is shown on `]` if it is younger than one poll (or this, with
# polling off); older, it is fetched again.
PREFETCH_MAX_AGE_SECONDS = 10.0
# The prefetch waits this long after a page is shown: it should not compete with drawing
# that page, nor run for pages flipped straight past.
PREFETCH_DELAY_SECONDS = 0.2
# Canceled is only reported when asked for with expanded_statuses=true.
EXPANDED_STATUSES = frozenset({MessageStatus.CANCELED})


class Prefetch:
    """The next page, fetched while the current one is read."""

    def __init__(self, key: PageKey, started: float) -> None:
        self.key = key
        self.started = started
        self.task: asyncio.Task[MessagePage] | None = None
        self.requested = False  # past its delay: the request is on its way

    def usable(self, now: float, max_age: float) -> bool:
        """Answered (or being asked), not failed, and young enough to show."""
        task = self.task
        if task is None or not (task.done() or self.requested):
            return False  # still waiting out its delay: the page's own request is quicker
        failed = task.done() and (task.cancelled() or task.exception() is not None)
        return not failed and now - self.started <= max_age


class PageLane(Lane[PageKey, MessagePage]):
    name = "page"

    def __init__(self, worker: DataWorker) -> None:
        super().__init__(worker)
        self.worker = worker
        self.prefetch: Prefetch | None = None
        # The key of the page on screen (last_key may be a forced refresh's placeholder).
        self.shown_key: PageKey | None = None
        # When the page just shown was prefetched, when that fetch started (its data's age).
        self._prefetch_started: float | None = None
        # Where each merged page visited starts, per list: history[n] starts page n+1.
        self._history_scope: PageScope | None = None
        self._history: list[PageCursor] = [PageCursor()]

    # ------------------------------------------------------------------ hooks

    def priority(self) -> Priority:
        return Priority.PAGE  # what the user is waiting for

    def key(self) -> PageKey | None:
        q = self.worker.query
        if q.app_id is None or q.endpoint_id is None:
            return None
        return PageKey(PageScope(q.app_id, q.endpoint_id, q.filters), q.cursor, q.page_number)

    async def fetch(self, key: PageKey) -> MessagePage:
        self._prefetch_started = None
        prefetched = self._take_prefetched(key)
        if prefetched is not None:
            return await prefetched
        return await self.request(key)

    def answered(self, key: PageKey, result: MessagePage) -> PageKey:
        worker = self.worker
        if result.page_number == 1 and worker.query.cursor != PageCursor():
            # Back on page 1 through a '-' cursor: poll it as "the newest" from now on, or
            # it would stay pinned to an old window and new messages would never show.
            worker.query = replace(worker.query, cursor=PageCursor(), page_number=1)
            key = self.key() or key
        if key != self.shown_key:
            self.start_prefetch(result)
        self.shown_key = key
        return key

    def deliver(self, key: PageKey, result: MessagePage) -> None:
        self.worker.emit(PageLoaded(result))

    def settled(self, key: PageKey) -> None:
        fetched = self._prefetch_started
        self.worker.emit(Synced(fetched if fetched is not None else self.worker.monotonic()))

    def not_found(self, key: PageKey, error: NotFoundError) -> bool:
        """The open endpoint is gone: back to its app's endpoint list."""
        worker = self.worker
        worker.query = replace(
            worker.query, endpoint_id=None, cursor=PageCursor(), selected_msg_id=None
        )
        self.forget()
        worker.emit(EndpointGone(key.app_id, key.endpoint_id, error.message))
        worker.wake("endpoints", "detail", "opened", force=True)
        return True

    def forget(self) -> None:
        super().forget()
        self.shown_key = None

    def rejected(self, key: PageKey, error: ApiError) -> None:
        """A page the server rejects (a cursor it refuses, say) leaves the page shown."""
        shown, page = self.shown_key, self.last_result
        if shown is None or page is None or shown.scope != key.scope:
            return
        if shown == key:
            return
        worker = self.worker
        worker.query = replace(worker.query, cursor=shown.cursor, page_number=shown.page_number)
        worker.emit(PageLoaded(page))

    # ------------------------------------------------------------------ the page shown

    def current(self) -> MessagePage | None:
        """The page on screen, if it answers the query as it is now."""
        if self.last_result is None or self.key() != self.shown_key:
            return None
        return self.last_result

    def sent_at(self, msg_id: str) -> datetime | None:
        """When a message on the page shown was sent (None when it is not on it)."""
        for message in self.last_result.items if self.last_result is not None else ():
            if message.id == msg_id:
                return message.timestamp
        return None

    # ------------------------------------------------------------------ prefetch

    def start_prefetch(self, page: MessagePage) -> None:
        """Start fetching the page after `page`, so `]` shows it without a round trip.

        Only when a new page is shown, never on a poll of the same one: one extra request
        per page turned.
        """
        self.drop_prefetch()
        position = page.next_position
        if position is None:
            return
        key = PageKey(PageScope(page.app_id, page.endpoint_id, page.filters), *position)
        prefetch = Prefetch(key, self.worker.monotonic())
        with request_priority(Priority.BACKGROUND):
            task = asyncio.create_task(self._prefetch_page(prefetch), name="prefetch-page")
        task.add_done_callback(_consume_error)
        prefetch.task = task
        self.prefetch = prefetch

    async def _prefetch_page(self, prefetch: Prefetch) -> MessagePage:
        await self.worker.sleep(PREFETCH_DELAY_SECONDS)
        prefetch.requested = True
        return await self.request(prefetch.key)

    def drop_prefetch(self) -> None:
        if self.prefetch is not None and self.prefetch.task is not None:
            self.prefetch.task.cancel()
        self.prefetch = None

    def _take_prefetched(self, key: PageKey) -> asyncio.Task[MessagePage] | None:
        prefetch = self.prefetch
        if prefetch is None or prefetch.key != key:
            return None  # a poll of the page shown leaves the next page's prefetch be
        self.prefetch = None
        max_age = self.worker.poll_seconds or PREFETCH_MAX_AGE_SECONDS
        if prefetch.task is None or not prefetch.usable(self.worker.monotonic(), max_age):
            if prefetch.task is not None:
                prefetch.task.cancel()  # too old, failed or not started: ask again
            return None
        self._prefetch_started = prefetch.started
        return prefetch.task

    # ------------------------------------------------------------------ requests

    async def request(self, key: PageKey) -> MessagePage:
        statuses = sorted(key.scope.filters.statuses)
        if len(statuses) <= 1:
            return await self._single(key, statuses[0] if statuses else None)
        return await self._merged(key, statuses)

    def _list_options(self, filters: Filters, status: int | None) -> dict[str, Any]:
        return {
            "limit": self.worker.page_size,
            "channel": filters.channel,
            "tag": filters.tag,
            "status": status,
            "after": filters.after,
            "event_types": list(filters.event_types) or None,
            "with_content": False,
            "expanded_statuses": bool(filters.statuses & EXPANDED_STATUSES),
        }

    async def _single(self, key: PageKey, status: int | None) -> MessagePage:
        scope, cursor, page_number = key.scope, key.cursor, key.page_number
        going_back = cursor.going_back
        page = await self.worker.client.list_attempted_messages(
            scope.app_id,
            scope.endpoint_id,
            iterator=cursor.iterator,
            before=earlier(cursor.before, scope.filters.before),
            **self._list_options(scope.filters, status),
        )
        if going_back and page.done:
            # Nothing newer than this page: it is the first page again.
            page_number = 1
        if going_back:
            has_prev = not page.done
            has_next = True
        else:
            has_prev = page_number != 1  # 0: a page found by jumping, with newer ones before it
            has_next = not page.done
        next_cursor = PageCursor(iterator=page.iterator) if page.iterator else None
        if page_number == 1 and going_back:
            prev_cursor = None
        else:
            prev_cursor = PageCursor(iterator=page.prev_iterator) if page.prev_iterator else None
        return MessagePage(
            app_id=scope.app_id,
            endpoint_id=scope.endpoint_id,
            filters=scope.filters,
            page_number=page_number,
            items=page.data,
            has_next=has_next and next_cursor is not None,
            has_prev=has_prev and prev_cursor is not None,
            next_cursor=next_cursor,
            prev_cursor=prev_cursor,
            page_size=self.worker.page_size,
        )

    async def _merged(self, key: PageKey, statuses: Sequence[int]) -> MessagePage:
        """One query per status, merged newest first."""
        scope = key.scope
        before = earlier(key.cursor.before, scope.filters.before)
        client = self.worker.client
        pages = await asyncio.gather(
            *(
                client.list_attempted_messages(
                    scope.app_id,
                    scope.endpoint_id,
                    before=before,
                    **self._list_options(scope.filters, status),
                )
                for status in statuses
            )
        )
        merged: dict[str, EndpointMessageOut] = {}
        for page in pages:
            for item in page.data:
                merged.setdefault(item.id, item)
        ordered = sorted(merged.values(), key=lambda m: (m.timestamp, m.id), reverse=True)
        page_size = self.worker.page_size
        items = ordered[:page_size]
        more = len(ordered) > page_size or any(not p.done for p in pages)
        next_cursor = None
        if more and items:
            # `before` is exclusive; the same-millisecond neighbour risk is accepted.
            next_cursor = PageCursor(before=items[-1].timestamp)
        return MessagePage(
            app_id=scope.app_id,
            endpoint_id=scope.endpoint_id,
            filters=scope.filters,
            page_number=key.page_number,
            items=items,
            has_next=next_cursor is not None,
            has_prev=key.page_number > 1,
            next_cursor=next_cursor,
            prev_cursor=self._merged_back_cursor(key),
            page_size=page_size,
        )

    def _merged_back_cursor(self, key: PageKey) -> PageCursor | None:
        if key.page_number <= 1:
            return None
        if self._history_scope != key.scope:
            self._history_scope = key.scope
            self._history = [PageCursor()]
        history = self._history
        while len(history) < key.page_number:
            history.append(key.cursor)
        history[key.page_number - 1] = key.cursor
        return history[key.page_number - 2]


def _consume_error(task: asyncio.Task[Any]) -> None:
    """A prefetch nobody used may fail quietly; the real fetch reports its own errors."""
    if not task.cancelled():
        task.exception()
