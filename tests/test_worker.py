"""The data worker against a scripted fake client: what it fetches, when, and what it emits."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

import pytest

from attempt_tui.api.budget import RequestBudget
from attempt_tui.api.errors import NotFoundError, RateLimitedError
from attempt_tui.api.models import (
    ApplicationOut,
    EndpointMessageOut,
    EndpointOut,
    EndpointStats,
    MessageAttemptOut,
    MessageOut,
    Page,
)
from attempt_tui.compat import UTC
from attempt_tui.worker import (
    DataWorker,
    DetailLoaded,
    EndpointGone,
    EndpointsLoaded,
    Filters,
    LaneFailed,
    LaneRecovered,
    PageCursor,
    PageLoaded,
)
from attempt_tui.worker.detail import Prefill
from attempt_tui.worker.query import DetailKey
from tests.waiting import never, settled, until

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def message(n: int, status: int = 0) -> EndpointMessageOut:
    return EndpointMessageOut(
        id=f"msg_{n:027d}",
        event_type="invoice.paid",
        timestamp=T0 - timedelta(minutes=n),
        status=status,
    )


def attempt(msg_id: str, n: int, response: str = "ok") -> MessageAttemptOut:
    return MessageAttemptOut(
        id=f"atmpt_{n:027d}",
        msg_id=msg_id,
        endpoint_id="ep_a",
        url="https://example.com/hook",
        response=response,
        response_status_code=200,
        status=0,
        trigger_type=0,
        timestamp=T0 + timedelta(seconds=n),
    )


class FakeClient:
    """Answers like the Svix API from in-memory data and records every call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.messages: dict[str, list[EndpointMessageOut]] = {
            "ep_a": [message(n, status=n % 3) for n in range(10)],
            "ep_b": [message(100 + n) for n in range(3)],
        }
        self.gates: dict[str, asyncio.Event] = {}
        self.fail_with: Exception | None = None
        self.read_only = False
        self.bodies: dict[str, str] = {}
        self.budget = RequestBudget()

    async def _call(self, name: str, **kwargs: Any) -> None:
        self.calls.append((name, kwargs))
        gate = self.gates.get(kwargs.get("endpoint_id", "")) if name == "page" else None
        if gate is not None:
            await gate.wait()
        if self.fail_with is not None:
            raise self.fail_with

    def count(self, name: str) -> int:
        return sum(1 for call, _ in self.calls if call == name)

    async def list_applications(self, **kwargs: Any) -> Page:
        await self._call("apps")
        return Page(data=[], done=True)

    async def get_application(self, app_id: str) -> ApplicationOut:
        await self._call("app", app_id=app_id)
        return ApplicationOut(id=app_id, name="App", created_at=T0, updated_at=T0)

    async def get_endpoint(self, app_id: str, endpoint_id: str) -> EndpointOut:
        await self._call("endpoint", endpoint_id=endpoint_id)
        return EndpointOut(
            id=endpoint_id, url=f"https://{endpoint_id}.example", created_at=T0, updated_at=T0
        )

    async def list_endpoints(self, app_id: str, **kwargs: Any) -> Page:
        await self._call("endpoints", app_id=app_id)
        now = T0
        data = [
            EndpointOut(id=ep, url=f"https://{ep}.example", created_at=now, updated_at=now)
            for ep in self.messages
        ]
        return Page(data=data, done=True)

    async def get_endpoint_stats(self, app_id: str, endpoint_id: str, **kw: Any) -> EndpointStats:
        await self._call("stats", endpoint_id=endpoint_id)
        return EndpointStats(success=len(self.messages[endpoint_id]))

    async def list_attempted_messages(
        self, app_id: str, endpoint_id: str, *, limit: int, iterator: str | None = None, **kw: Any
    ) -> Page:
        await self._call("page", endpoint_id=endpoint_id, iterator=iterator, limit=limit, **kw)
        items = list(self.messages[endpoint_id])
        if kw.get("status") is not None:
            items = [m for m in items if m.status == kw["status"]]
        if kw.get("before") is not None:
            items = [m for m in items if m.timestamp < kw["before"]]
        start = 0
        if iterator and not iterator.startswith("-"):
            start = int(iterator)
        elif iterator:
            start = max(0, int(iterator[1:]) - limit)
        chunk = items[start : start + limit]
        end = start + len(chunk)
        going_back = bool(iterator and iterator.startswith("-"))
        return Page(
            data=chunk,
            iterator=str(end),
            prev_iterator=f"-{start}",
            done=(start == 0) if going_back else end >= len(items),
        )

    async def list_attempts_by_msg(self, app_id: str, msg_id: str, **kw: Any) -> Page:
        await self._call("attempts", msg_id=msg_id, **kw)
        return Page(data=[attempt(msg_id, 1, self.bodies.get(msg_id, "ok"))], done=True)

    async def get_message(self, app_id: str, msg_id: str, **kw: Any) -> MessageOut:
        await self._call("message", msg_id=msg_id)
        return MessageOut(id=msg_id, event_type="invoice.paid", payload={"a": 1}, timestamp=T0)

    async def list_attempted_destinations(self, app_id: str, msg_id: str, **kw: Any) -> Page:
        await self._call("destinations", msg_id=msg_id)
        return Page(data=[], done=True)

    async def resend(self, app_id: str, msg_id: str, endpoint_id: str, **kw: Any) -> None:
        await self._call("resend", msg_id=msg_id, **kw)

    async def expunge_attempt_content(self, app_id: str, msg_id: str, attempt_id: str) -> None:
        await self._call("expunge", attempt_id=attempt_id)
        self.bodies[msg_id] = ""

    async def get_attempt(self, app_id: str, msg_id: str, attempt_id: str) -> MessageAttemptOut:
        await self._call("attempt", attempt_id=attempt_id)
        return attempt(msg_id, 1, self.bodies.get(msg_id, "ok"))


@pytest.fixture
async def harness():
    client = FakeClient()
    events: list[Any] = []
    worker = DataWorker(client, events.append, poll_seconds=0, page_size=4)  # type: ignore[arg-type]
    worker.detail_lane.debounce = 0.02
    worker.start()
    yield worker, client, events
    await worker.stop()


def pages(events: list[Any]) -> list[Any]:
    return [e.page for e in events if isinstance(e, PageLoaded)]


async def open_endpoint(worker: DataWorker, events: list[Any], endpoint: str = "ep_a") -> None:
    worker.select_app("app_1")
    worker.select_endpoint(endpoint)
    await until(lambda: any(p.endpoint_id == endpoint for p in pages(events)))


async def opening_timers_ran_out(client: FakeClient) -> None:
    """Until what opening ep_a set off on a clock has asked and finished: the next page's
    prefetch (PREFETCH_DELAY_SECONDS) and the counts (after STATS_DEBOUNCE_SECONDS). With
    polling off nothing is due after that, however slowly a busy machine runs the test."""
    await until(lambda: client.count("stats") == 1 and page_calls(client) == [None, "4"])
    await settled(lambda: len(client.calls))


async def test_opening_an_endpoint_loads_its_first_page(harness) -> None:
    worker, client, events = harness
    await open_endpoint(worker, events)
    page = pages(events)[-1]
    assert [m.id for m in page.items] == [m.id for m in client.messages["ep_a"][:4]]
    assert page.page_number == 1 and page.has_next and not page.has_prev
    _, kwargs = next(c for c in client.calls if c[0] == "page")
    assert kwargs["limit"] == 4 and kwargs["iterator"] is None and kwargs["with_content"] is False
    await until(lambda: any(isinstance(e, EndpointsLoaded) for e in events))


async def test_unchanged_poll_emits_nothing(harness) -> None:
    worker, client, events = harness
    worker.poll_seconds = 0.02
    await open_endpoint(worker, events)
    fetched = client.count("page")
    await until(lambda: client.count("page") >= fetched + 3)
    assert len(pages(events)) == 1


async def test_changed_poll_emits_the_new_page(harness) -> None:
    worker, client, events = harness
    worker.poll_seconds = 0.02
    await open_endpoint(worker, events)
    client.messages["ep_a"][0] = message(0, status=2)
    await until(lambda: len(pages(events)) == 2)
    assert pages(events)[-1].items[0].status == 2


async def test_paused_worker_makes_no_requests(harness) -> None:
    worker, client, events = harness
    await open_endpoint(worker, events)
    await opening_timers_ran_out(client)  # they are not polls: pausing does not stop them
    worker.pause()
    worker.poll_seconds = 0.01
    before = len(client.calls)
    await asyncio.sleep(0.1)
    assert len(client.calls) == before
    worker.resume()
    await until(lambda: len(client.calls) > before)


async def test_stale_answer_never_overwrites_newer_selection(harness) -> None:
    worker, client, events = harness
    client.gates["ep_a"] = asyncio.Event()
    worker.select_app("app_1")
    worker.select_endpoint("ep_a")
    await until(lambda: client.count("page") == 1)
    worker.select_endpoint("ep_b")
    await until(lambda: any(p.endpoint_id == "ep_b" for p in pages(events)))
    client.gates["ep_a"].set()
    await asyncio.sleep(0.05)
    assert [p.endpoint_id for p in pages(events)] == ["ep_b"]


async def test_detail_fetch_is_debounced_to_the_last_row(harness) -> None:
    worker, client, events = harness
    await open_endpoint(worker, events)
    ids = [m.id for m in client.messages["ep_a"]]
    for msg_id in ids * 5:
        worker.select_message(msg_id)
        await asyncio.sleep(0.001)
    await until(lambda: any(isinstance(e, DetailLoaded) for e in events))
    await asyncio.sleep(0.05)
    assert client.count("attempts") <= 2
    details = [e.detail for e in events if isinstance(e, DetailLoaded)]
    assert details[-1].msg_id == ids[-1]


async def test_paging_forward_and_back(harness) -> None:
    worker, client, events = harness
    await open_endpoint(worker, events)
    assert worker.next_page()
    await until(lambda: pages(events)[-1].page_number == 2)
    assert [m.id for m in pages(events)[-1].items] == [m.id for m in client.messages["ep_a"][4:8]]
    assert worker.next_page()
    await until(lambda: pages(events)[-1].page_number == 3)
    assert not pages(events)[-1].has_next
    assert not worker.next_page()
    assert worker.prev_page()
    await until(lambda: pages(events)[-1].page_number == 2)
    assert worker.prev_page()
    await until(lambda: pages(events)[-1].page_number == 1)
    first = pages(events)[-1]
    assert [m.id for m in first.items] == [m.id for m in client.messages["ep_a"][:4]]
    assert not first.has_prev


async def test_several_statuses_are_merged_newest_first(harness) -> None:
    worker, client, events = harness
    worker.set_filters(Filters(statuses=frozenset({1, 2})))
    await open_endpoint(worker, events)
    page = pages(events)[-1]
    # The first two page calls are the merge; any later ones prefetch page 2.
    statuses = sorted(kw["status"] for name, kw in [c for c in client.calls if c[0] == "page"][:2])
    assert statuses == [1, 2]
    expected = [m for m in client.messages["ep_a"] if m.status in (1, 2)]
    assert [m.id for m in page.items] == [m.id for m in expected[:4]]
    assert page.next_cursor == PageCursor(before=expected[3].timestamp)
    assert worker.next_page()
    await until(lambda: pages(events)[-1].page_number == 2)
    assert [m.id for m in pages(events)[-1].items] == [m.id for m in expected[4:8]]
    assert worker.prev_page()
    await until(lambda: pages(events)[-1].page_number == 1)
    assert [m.id for m in pages(events)[-1].items] == [m.id for m in expected[:4]]


async def test_errors_back_off_honour_retry_after_and_recover(harness) -> None:
    worker, client, events = harness
    backoff_over = asyncio.Event()

    async def sleep(seconds: float) -> None:
        """Short waits (the polls, the detail's debounce) pass; the backoff lasts until the
        test ends it, so a starved test cannot outlast it between its checks."""
        if seconds >= 0.5:
            await backoff_over.wait()
        else:
            await asyncio.sleep(seconds)

    worker.sleep = sleep
    worker.poll_seconds = 0.01
    client.fail_with = RateLimitedError("Rate limited (429)", retry_after=0.6)
    worker.select_app("app_1")
    worker.select_endpoint("ep_a")
    await until(lambda: any(isinstance(e, LaneFailed) and e.lane == "page" for e in events))
    failure = next(e for e in events if isinstance(e, LaneFailed) and e.lane == "page")
    assert failure.retry_in == pytest.approx(0.6)
    calls = client.count("page")
    await asyncio.sleep(0.2)
    assert client.count("page") == calls  # no retry storm while backing off
    client.fail_with = None
    backoff_over.set()
    await until(lambda: bool(pages(events)), timeout=3)
    assert any(isinstance(e, LaneRecovered) and e.lane == "page" for e in events)


async def test_deleted_endpoint_reports_gone(harness) -> None:
    worker, client, events = harness

    async def gone(app_id: str, endpoint_id: str, **kwargs: Any) -> Page:
        await client._call("page", endpoint_id=endpoint_id)
        raise NotFoundError("Not found (404)", status=404)

    client.list_attempted_messages = gone  # type: ignore[method-assign]
    worker.select_app("app_1")
    worker.select_endpoint("ep_a")
    await until(lambda: any(isinstance(e, EndpointGone) for e in events))
    assert worker.query.endpoint_id is None


async def test_resend_uses_one_key_and_refreshes(harness) -> None:
    worker, client, events = harness
    await open_endpoint(worker, events)
    fetched = client.count("page")
    key = await worker.resend(client.messages["ep_a"][0].id)
    assert key
    resend = next(kw for name, kw in client.calls if name == "resend")
    assert resend["idempotency_key"] == key
    await until(lambda: client.count("page") > fetched)


async def test_expunge_holds_what_the_server_returns_when_re_read(harness) -> None:
    worker, client, events = harness
    await open_endpoint(worker, events)
    msg_id = client.messages["ep_a"][0].id
    worker.select_message(msg_id)
    await until(lambda: any(isinstance(e, DetailLoaded) for e in events))
    attempt_id = "atmpt_" + "0" * 26 + "1"
    check = await worker.expunge(msg_id, attempt_id)
    assert check.verdict == "gone" and check.attempt is not None
    assert check.attempt.response == ""
    latest = [e.detail for e in events if isinstance(e, DetailLoaded)][-1]
    assert all(a.response == "" for a in latest.attempts)
    assert latest.expunge_checks[attempt_id] == check


async def test_a_re_read_of_another_attempt_verifies_nothing(harness) -> None:
    worker, client, events = harness
    await open_endpoint(worker, events)
    msg_id = client.messages["ep_a"][0].id
    worker.select_message(msg_id)
    await until(lambda: any(isinstance(e, DetailLoaded) for e in events))
    check = await worker.expunge(msg_id, "atmpt_" + "9" * 27)  # the fake re-reads ...1
    assert check.verdict == "unverified" and "another attempt" in check.reason
    assert check.audit_outcome.startswith("unverified: ")


async def test_an_expunge_that_did_not_take_is_held_as_still_present(harness) -> None:
    worker, client, events = harness
    await open_endpoint(worker, events)
    msg_id = client.messages["ep_a"][0].id
    worker.select_message(msg_id)
    await until(lambda: any(isinstance(e, DetailLoaded) for e in events))

    async def ignored(app_id: str, msg_id: str, attempt_id: str) -> None:
        return None  # 204, body kept

    client.expunge_attempt_content = ignored  # type: ignore[method-assign]
    check = await worker.expunge(msg_id, "atmpt_" + "0" * 26 + "1")
    assert check.verdict == "still present" and check.audit_outcome == "failed: still present"
    latest = [e.detail for e in events if isinstance(e, DetailLoaded)][-1]
    assert any(a.response for a in latest.attempts)


async def test_a_failing_delivery_does_not_stop_polling() -> None:
    client = FakeClient()
    events: list[Any] = []
    broken = {"left": 1}

    def emit(event: Any) -> None:
        if isinstance(event, PageLoaded) and broken["left"]:
            broken["left"] -= 1
            raise RuntimeError("renderer bug")
        events.append(event)

    worker = DataWorker(client, emit, poll_seconds=0.01, page_size=4)  # type: ignore[arg-type]
    worker.start()
    try:
        worker.select_app("app_1")
        worker.select_endpoint("ep_a")
        await until(lambda: any(isinstance(e, LaneFailed) for e in events))
        failure = next(e for e in events if isinstance(e, LaneFailed))
        assert "Unexpected error" in failure.error.message
        client.messages["ep_a"][0] = message(0, status=2)
        await until(lambda: bool(pages(events)), timeout=5)
    finally:
        await worker.stop()


async def test_deleted_app_resets_the_view_and_reloads_apps(harness) -> None:
    from attempt_tui.worker import AppGone

    worker, client, events = harness
    await open_endpoint(worker, events)
    apps_before = client.count("apps")

    async def gone(app_id: str, **kwargs: Any) -> Page:
        await client._call("endpoints", app_id=app_id)
        raise NotFoundError("Not found: application app_1 (404)", status=404)

    client.list_endpoints = gone  # type: ignore[method-assign]
    worker.refresh_now()
    await until(lambda: any(isinstance(e, AppGone) for e in events))
    assert worker.query.app_id is None and worker.query.endpoint_id is None
    await until(lambda: client.count("apps") > apps_before)


async def poll_first_message(harness: Any, *, every: float, attempt_calls: int) -> None:
    """Highlight the first message of ep_a, polled every `every` s, until its attempts were
    asked for `attempt_calls` times."""
    worker, client, events = harness
    worker.poll_seconds = every
    await open_endpoint(worker, events)
    worker.select_message(client.messages["ep_a"][0].id)
    await until(lambda: client.count("attempts") >= attempt_calls, timeout=5)


async def test_polling_one_message_keeps_bodies_and_skips_refetching_them(harness) -> None:
    _, client, events = harness
    await poll_first_message(harness, every=0.5, attempt_calls=3)
    attempt_calls = [kw for name, kw in client.calls if name == "attempts"]
    assert attempt_calls[0]["with_content"] is True
    assert all(kw["with_content"] is False for kw in attempt_calls[1:])
    assert client.count("message") == 1
    latest = [e.detail for e in events if isinstance(e, DetailLoaded)][-1]
    assert latest.attempts[0].response == "ok"  # kept from the first load


async def test_destinations_are_asked_for_only_while_a_tab_shows_them(harness) -> None:
    worker, client, events = harness
    await poll_first_message(harness, every=0.05, attempt_calls=8)  # past 6 polls
    assert client.count("destinations") == 0
    detail = [e.detail for e in events if isinstance(e, DetailLoaded)][-1]
    assert detail.destinations is None  # not asked for, so not shown as "none"

    # Polling stops, so that what the wake below asks for is all that is asked for. Each
    # polling lane is woken to take the new interval (none) now: left alone, the lists' poll
    # (every ENDPOINTS_EVERY_N_POLLS polls, 0.3 s) could still come due after any fixed sleep
    # here. 50 turns of the loop with no new call let what the wake started finish.
    worker.poll_seconds = 0
    worker.wake("page", "detail", "endpoints", "stats")
    await settled(lambda: len(client.calls))
    calls_before = len(client.calls)
    worker.want_destinations(True)
    await until(lambda: client.count("destinations") == 1)
    # Only they were missing: the wake asks for them alone.
    assert [name for name, _ in client.calls[calls_before:]] == ["destinations"]
    await until(lambda: events and isinstance(events[-1], DetailLoaded))
    await until(
        lambda: [e for e in events if isinstance(e, DetailLoaded)][-1].detail.destinations == []
    )

    worker.want_destinations(False)
    worker.poll_seconds = 0.05
    worker.detail_lane.wake_up()  # polling again
    seen = client.count("destinations")
    polls = client.count("attempts")
    await until(lambda: client.count("attempts") >= polls + 8, timeout=5)
    assert client.count("destinations") == seen


async def test_a_new_message_asks_for_its_destinations_while_wanted(harness) -> None:
    worker, client, events = harness
    await open_endpoint(worker, events)
    worker.want_destinations(True)
    first, second = (m.id for m in client.messages["ep_a"][:2])
    worker.select_message(first)
    await until(lambda: client.count("destinations") == 1)
    worker.select_message(second)
    await until(lambda: client.count("destinations") == 2)
    assert [kw["msg_id"] for name, kw in client.calls if name == "destinations"] == [
        first,
        second,
    ]


async def test_a_go_to_prefill_shows_the_message_without_asking_again(harness) -> None:
    worker, client, events = harness
    await open_endpoint(worker, events)
    await opening_timers_ran_out(client)
    msg = client.messages["ep_a"][3]
    held_message = MessageOut(id=msg.id, event_type="x", payload={"b": 2}, timestamp=T0)
    held_attempts = [attempt(msg.id, 1, "held body")]
    key = DetailKey("app_1", "ep_a", msg.id)
    worker.detail_lane.prefill(Prefill(key, held_message, held_attempts, None))
    calls_before = len(client.calls)
    worker.select_message(msg.id)
    await until(
        lambda: any(isinstance(e, DetailLoaded) and e.detail.msg_id == msg.id for e in events)
    )
    detail = next(e.detail for e in events if isinstance(e, DetailLoaded))
    assert detail.message == held_message and detail.attempts == held_attempts
    assert client.calls[calls_before:] == []


def page_calls(client: FakeClient) -> list[str | None]:
    return [kw["iterator"] for name, kw in client.calls if name == "page"]


async def test_the_next_page_is_prefetched_and_shown_without_a_request(harness) -> None:
    worker, client, events = harness
    await open_endpoint(worker, events)
    await until(lambda: page_calls(client) == [None, "4"])
    assert worker.next_page()
    await until(lambda: pages(events)[-1].page_number == 2)
    assert [m.id for m in pages(events)[-1].items] == [m.id for m in client.messages["ep_a"][4:8]]
    # Page 2 came from the prefetch; showing it prefetched page 3, and nothing else was asked.
    await until(lambda: page_calls(client) == [None, "4", "8"])
    await asyncio.sleep(0.02)
    assert page_calls(client) == [None, "4", "8"]


async def test_polling_a_page_does_not_prefetch_again(harness) -> None:
    worker, client, events = harness
    worker.poll_seconds = 0.02
    await open_endpoint(worker, events)
    await until(lambda: page_calls(client).count("4") == 1)  # after PREFETCH_DELAY_SECONDS
    polls = page_calls(client).count(None)
    await until(lambda: page_calls(client).count(None) >= polls + 5)
    assert page_calls(client).count("4") == 1


async def test_a_stale_prefetch_is_fetched_again(harness) -> None:
    worker, client, events = harness
    clock = [1000.0]
    worker.monotonic = lambda: clock[0]
    await open_endpoint(worker, events)
    await until(lambda: page_calls(client) == [None, "4"])
    client.messages["ep_a"][5] = message(5, status=2)  # changed since the prefetch
    clock[0] += 11.0  # older than PREFETCH_MAX_AGE_SECONDS with polling off
    assert worker.next_page()
    await until(lambda: pages(events)[-1].page_number == 2)
    assert page_calls(client)[:3] == [None, "4", "4"]
    assert pages(events)[-1].items[1].status == 2


async def test_a_failed_prefetch_is_silent_and_the_real_fetch_reports(harness) -> None:
    worker, client, events = harness
    gate = asyncio.Event()
    await open_endpoint(worker, events)
    await until(lambda: page_calls(client) == [None, "4"])
    client.fail_with = NotFoundError("Not found (404)")
    client.gates["ep_a"] = gate
    assert worker.next_page()  # the prefetch already answered, so page 2 shows at once
    await until(lambda: pages(events)[-1].page_number == 2)
    gate.set()  # the prefetch of page 3 now fails
    await until(lambda: page_calls(client) == [None, "4", "8"])
    await asyncio.sleep(0.02)
    assert not [e for e in events if isinstance(e, LaneFailed)]
    assert worker.next_page()
    await until(lambda: any(isinstance(e, (LaneFailed, EndpointGone)) for e in events))


async def test_a_failed_prefetch_is_asked_again_on_the_next_page(harness) -> None:
    worker, client, events = harness
    await open_endpoint(worker, events)
    await until(lambda: page_calls(client) == [None, "4"])
    # Make the prefetch of page 2 fail, then let the server recover before `]`.
    worker.page_lane.drop_prefetch()
    client.fail_with = NotFoundError("Not found (404)")
    worker.page_lane.start_prefetch(pages(events)[-1])
    await until(
        lambda: worker.page_lane.prefetch is not None and worker.page_lane.prefetch.task.done()
    )
    client.fail_with = None
    assert worker.next_page()
    await until(lambda: pages(events)[-1].page_number == 2)
    assert not [e for e in events if isinstance(e, LaneFailed)]
    assert page_calls(client)[:4] == [None, "4", "4", "4"]


async def test_a_prefetched_page_is_as_fresh_as_its_fetch(harness) -> None:
    from attempt_tui.worker import Synced

    worker, client, events = harness
    clock = [1000.0]
    worker.monotonic = lambda: clock[0]
    await open_endpoint(worker, events)
    await until(lambda: page_calls(client) == [None, "4"])
    clock[0] += 5.0
    assert worker.next_page()
    await until(lambda: pages(events)[-1].page_number == 2)
    await until(lambda: any(isinstance(e, Synced) for e in events))
    synced = [e for e in events if isinstance(e, Synced)]
    assert synced[-1].at == 1000.0  # when the prefetch was made, not when it was shown


async def test_stop_leaves_no_request_running() -> None:
    client = FakeClient()
    events: list[Any] = []
    worker = DataWorker(client, events.append, poll_seconds=0, page_size=4)  # type: ignore[arg-type]
    client.gates["ep_a"] = asyncio.Event()  # page requests hang
    worker.start()
    worker.select_app("app_1")
    worker.select_endpoint("ep_a")
    await until(lambda: client.count("page") >= 1)
    await worker.stop()
    await asyncio.sleep(0)
    hanging = [
        task
        for task in asyncio.all_tasks()
        if task is not asyncio.current_task() and not task.done()
    ]
    assert hanging == []


def test_a_short_page_without_a_time_filter_explains_the_90_day_span() -> None:
    from attempt_tui.worker import MessagePage, window_note

    def page(filters: Filters, count: int) -> MessagePage:
        items = [message(n) for n in range(count)]
        return MessagePage("app", "ep", filters, 3, items, False, True, None, None, 4)

    assert "90 days" in (window_note(page(Filters(), 2)) or "")
    assert window_note(page(Filters(), 4)) is None  # a full page: more may follow
    assert window_note(page(Filters(after=T0 - timedelta(days=200)), 2)) is None


async def test_opened_on_an_endpoint_the_lists_wait_until_the_screen_drew_its_first_page() -> None:
    """The first frame is drawn without the lists' requests going out meanwhile (they cost it
    CPU); they go as soon as the screen says the page is drawn."""
    client = FakeClient()
    events: list[Any] = []

    # No timer of the worker runs out here: not the hold's own limit, nor the next page's
    # prefetch (PREFETCH_DELAY_SECONDS), which would be a second "page" call if a busy
    # machine ran the 50 turns below slowly.
    worker = DataWorker(client, events.append, poll_seconds=0, page_size=4, sleep=never)  # type: ignore[arg-type]
    worker.select_app("app_1")
    worker.select_endpoint("ep_a")
    worker.start(screen_draws_first_page=True)
    try:
        await until(lambda: bool(pages(events)))
        for _ in range(50):
            await asyncio.sleep(0)
        assert [name for name, _ in client.calls] == ["page"]
        worker.first_page_drawn()
        await until(lambda: any(isinstance(e, EndpointsLoaded) for e in events))
        assert {name for name, _ in client.calls} > {"page", "endpoints"}
    finally:
        await worker.stop()


async def test_opened_on_an_endpoint_without_a_screen_the_lists_go_once_the_page_answers() -> None:
    client = FakeClient()
    events: list[Any] = []
    worker = DataWorker(client, events.append, poll_seconds=0, page_size=4)  # type: ignore[arg-type]
    worker.select_app("app_1")
    worker.select_endpoint("ep_a")
    worker.start()
    try:
        await until(lambda: any(isinstance(e, EndpointsLoaded) for e in events))
        assert client.calls[0][0] == "page"
    finally:
        await worker.stop()
