"""The payloads of a page for an export: in pages, only the messages asked for, named when not."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from attempt_tui.api.errors import NotFoundError
from attempt_tui.api.models import EndpointMessageOut, MessageOut, Page
from attempt_tui.compat import UTC
from attempt_tui.worker.events import MessagePage
from attempt_tui.worker.export_fetch import fetch_page_payloads
from attempt_tui.worker.query import Filters

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def item(msg_id: str, payload: dict[str, Any] | None = None) -> EndpointMessageOut:
    return EndpointMessageOut(
        id=msg_id, event_type="x", payload=payload or {}, timestamp=T0, status=2
    )


def page_of(*ids: str) -> MessagePage:
    return MessagePage(
        app_id="app_1",
        endpoint_id="ep_1",
        filters=Filters(statuses=frozenset({2})),
        page_number=1,
        items=[item(i) for i in ids],
        has_next=False,
        has_prev=False,
        next_cursor=None,
        prev_cursor=None,
        page_size=50,
    )


class Listing:
    """Lists `listed` (with content) and answers get_message from `singles`."""

    def __init__(self, listed: list[EndpointMessageOut], singles: dict[str, MessageOut]):
        self.listed = listed
        self.singles = singles
        self.calls: list[tuple[str, dict[str, Any]]] = []

    async def list_attempted_messages(self, app_id: str, endpoint_id: str, **kw: Any) -> Any:
        self.calls.append(("list", kw))
        return Page[EndpointMessageOut](data=self.listed, done=True)

    async def get_message(self, app_id: str, msg_id: str, **kw: Any) -> MessageOut:
        self.calls.append(("get", {"msg_id": msg_id, **kw}))
        if msg_id not in self.singles:
            raise NotFoundError("Not found (404)", status=404)
        return self.singles[msg_id]


def message(msg_id: str, payload: dict[str, Any]) -> MessageOut:
    return MessageOut(id=msg_id, event_type="x", payload=payload, timestamp=T0)


async def test_one_listing_with_content_covers_the_page() -> None:
    client = Listing([item("msg_1", {"a": 1}), item("msg_2", {"b": 2})], {})
    steps: list[tuple[int, int, int]] = []
    fetched = await fetch_page_payloads(
        client, page_of("msg_1", "msg_2"), lambda *s: steps.append(s)
    )  # type: ignore[arg-type]
    assert [m.payload for m in fetched.items] == [{"a": 1}, {"b": 2}]
    assert fetched.missing == [] and fetched.requests == 1
    ((name, kw),) = client.calls
    assert name == "list"
    assert kw["with_content"] is True and kw["status"] == 2 and kw["limit"] == 250
    assert steps == [(0, 2, 0), (2, 2, 1)]


async def test_only_the_messages_asked_for_count_and_the_rest_are_named() -> None:
    # A server that answers with other messages (a mock, or a changed status): their payloads
    # are never taken for ours, and what is not found is named.
    client = Listing(
        [item("msg_other", {"x": 1})],
        {"msg_1": message("msg_1", {"a": 1}), "msg_2": message("msg_elsewhere", {"z": 9})},
    )
    fetched = await fetch_page_payloads(client, page_of("msg_1", "msg_2", "msg_3"), lambda *s: None)  # type: ignore[arg-type]
    assert fetched.items[0].payload == {"a": 1}
    assert fetched.missing == ["msg_2", "msg_3"]
    assert fetched.requests == 4  # one listing, then one lookup per message not listed
