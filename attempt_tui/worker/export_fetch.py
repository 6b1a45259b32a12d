"""The payloads of a page of messages, for an export: the page lists them without content.

Fetched in pages (up to 250 messages a request) over the time span the page covers, with the
page's own filters, so a page of 50 usually costs one request; messages the listing no longer
returns (their status changed, say) are fetched one by one, at most `MAX_SINGLE_FETCHES` of
them. What is still missing is named, never written as an empty payload.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from attempt_tui.api.client import iter_pages
from attempt_tui.api.errors import ApiError
from attempt_tui.api.models import EndpointMessageOut, MessageStatus, Page

if TYPE_CHECKING:
    from attempt_tui.api.client import SvixClient
    from attempt_tui.worker.events import MessagePage

LIST_LIMIT = 250
MAX_LIST_PAGES = 20
MAX_SINGLE_FETCHES = 10
# Svix stamps ids to the millisecond; the list's before/after are exclusive.
_EDGE = timedelta(milliseconds=1)

PayloadProgress = Callable[[int, int, int], None]
"""(messages with their payload so far, messages on the page, requests made)."""


@dataclass(frozen=True)
class PagePayloads:
    items: list[EndpointMessageOut]  # the page's messages, in its order, with payloads
    missing: list[str]  # ids whose payload the server did not return
    requests: int


async def fetch_page_payloads(
    client: SvixClient, page: MessagePage, on_progress: PayloadProgress
) -> PagePayloads:
    """The page's messages again, with content. Raises ApiError when the listing fails."""
    wanted = {m.id for m in page.items}
    found: dict[str, EndpointMessageOut] = {}
    total = len(wanted)
    requests = 0
    if not wanted:
        return PagePayloads([], [], 0)
    newest = max(m.timestamp for m in page.items)
    oldest = min(m.timestamp for m in page.items)
    filters = page.filters
    statuses = sorted(filters.statuses)

    def fetch(iterator: str | None) -> Awaitable[Page[EndpointMessageOut]]:
        return client.list_attempted_messages(
            page.app_id,
            page.endpoint_id,
            limit=LIST_LIMIT,
            iterator=iterator,
            with_content=True,
            expanded_statuses=MessageStatus.CANCELED in filters.statuses,
            status=statuses[0] if len(statuses) == 1 else None,
            channel=filters.channel,
            tag=filters.tag,
            event_types=list(filters.event_types) or None,
            before=newest + _EDGE,
            after=oldest - _EDGE,
        )

    on_progress(0, total, 0)
    async for listed in iter_pages(fetch, max_pages=MAX_LIST_PAGES):
        requests += 1
        for item in listed.data:
            if item.id in wanted:
                found[item.id] = item
        on_progress(len(found), total, requests)
        if len(found) == total:
            break
    for msg_id in [m.id for m in page.items if m.id not in found][:MAX_SINGLE_FETCHES]:
        requests += 1
        try:
            message = await client.get_message(page.app_id, msg_id, with_content=True)
        except ApiError:
            continue
        if message.id != msg_id:
            continue  # not the message asked for: its payload is not this one's
        shown = next(m for m in page.items if m.id == msg_id)
        found[msg_id] = shown.model_copy(update={"payload": message.payload})
        on_progress(len(found), total, requests)
    items = [found.get(m.id, m) for m in page.items]
    missing = [m.id for m in page.items if m.id not in found]
    return PagePayloads(items, missing, requests)
