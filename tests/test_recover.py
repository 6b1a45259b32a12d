"""The recover operation against the in-process demo world (and a mock for task failures)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from attempt_tui.api.client import SvixClient
from attempt_tui.api.errors import NotFoundError, ReadOnlyError
from attempt_tui.api.models import BackgroundTaskOut, CountOut, MessageStatus, TriggerType
from attempt_tui.audit import AuditLog
from attempt_tui.compat import UTC
from attempt_tui.demo.world import to_us
from attempt_tui.recover import (
    BlastRadius,
    RecoverTimedOut,
    RecoverWindow,
    blast_radius,
    custom_window,
    messages_sent,
    preset_windows,
    run_recover,
    task_summary,
)
from attempt_tui.secret import Secret
from attempt_tui.timeparse import TimeParseError
from tests.conftest import DEMO_NOW

FAIL = int(MessageStatus.FAIL)


class Recorder(httpx.AsyncBaseTransport):
    """Forwards to the demo server, records requests, and can lose the first POST's answer."""

    def __init__(self, inner: httpx.AsyncBaseTransport, *, drop_first_post: bool = False):
        self.inner = inner
        self.drop_first_post = drop_first_post
        self.requests: list[httpx.Request] = []
        self.responses: list[httpx.Response] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        response = await self.inner.handle_async_request(request)
        await response.aread()
        self.responses.append(response)
        if request.method == "POST" and self.drop_first_post:
            self.drop_first_post = False
            # Svix did the work, but the answer never arrived.
            raise httpx.ReadTimeout("lost", request=request)
        return response

    def posts(self) -> list[httpx.Request]:
        return [r for r in self.requests if r.method == "POST"]


class WorldSleep:
    """The injected sleep: advances the demo world instead of waiting."""

    def __init__(self, world: Any) -> None:
        self.world = world
        self.slept: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.world.tick(seconds)


async def no_sleep(seconds: float) -> None:
    return None


@pytest.fixture
def recorder(demo) -> Recorder:
    return Recorder(httpx.ASGITransport(app=demo.asgi_app))


@pytest.fixture
async def client(recorder: Recorder) -> AsyncIterator[SvixClient]:
    svix = SvixClient(Secret("demo-token"), "http://demo.test", transport=recorder, sleep=no_sleep)
    yield svix
    await svix.aclose()


@pytest.fixture
def audit(tmp_path: Path) -> AuditLog:
    return AuditLog(tmp_path / "audit.jsonl")


def svix_recover_dests(endpoint: Any, since_us: int, until_us: int | None = None) -> list[Any]:
    """What Svix's recover resends, by its own rule, read straight off the demo world: each
    message with a failed attempt at the endpoint in [since, until) and no successful one."""
    failed: dict[int, Any] = {}
    succeeded: set[int] = set()
    for dest in endpoint.dests:
        for attempt in dest.attempts:
            if attempt.ts_us < since_us or (until_us is not None and attempt.ts_us >= until_us):
                continue
            if attempt.status == FAIL:
                failed[id(dest)] = dest
            else:
                succeeded.add(id(dest))
    return [dest for key, dest in failed.items() if key not in succeeded]


def failed_dests(endpoint: Any, window: RecoverWindow) -> list[Any]:
    until = to_us(window.until) if window.until else None
    return svix_recover_dests(endpoint, to_us(window.since), until)


# ----------------------------------------------------------------------------- windows


def test_presets_include_since_yesterday_and_the_utc_day_before() -> None:
    now = datetime(2026, 11, 1, 12, 30, tzinfo=UTC)
    five_hours, since_yesterday, yesterday, week = preset_windows(now)
    assert (five_hours.since, five_hours.until) == (now - timedelta(hours=5), None)
    assert (since_yesterday.since, since_yesterday.until) == (now - timedelta(hours=24), None)
    assert since_yesterday.describe() == ("Since yesterday (last 24 h): 2026-10-31 12:30Z → now")
    assert yesterday.since == datetime(2026, 10, 31, tzinfo=UTC)
    assert yesterday.until == datetime(2026, 11, 1, tzinfo=UTC)
    assert (week.since, week.until) == (now - timedelta(days=7), None)
    assert week.describe() == "Last week: 2026-10-25 12:30Z → now"
    assert yesterday.describe() == (
        "Yesterday (the UTC day): 2026-10-31 00:00Z → 2026-11-01 00:00Z"
    )


def test_custom_window_parses_relative_and_iso_and_rejects_nonsense() -> None:
    now = DEMO_NOW
    window = custom_window(" 2h ", "", now=now)
    assert (window.since, window.until, window.label) == (now - timedelta(hours=2), None, "Custom")
    window = custom_window("2026-10-30", "yesterday", now=now)
    assert window.since == datetime(2026, 10, 30, tzinfo=UTC)
    assert window.until == datetime(2026, 10, 31, tzinfo=UTC)
    with pytest.raises(TimeParseError, match="can't read"):
        custom_window("soon", "", now=now)
    with pytest.raises(ValueError, match="in the future"):
        custom_window("2027-01-01", "", now=now)
    with pytest.raises(ValueError, match="must be after since"):
        custom_window("1h", "2h", now=now)
    with pytest.raises(ValueError, match="at most 14 days"):
        custom_window("15d", "", now=now)


# ----------------------------------------------------------------------------- blast radius


@pytest.mark.parametrize("role", ["busiest", "flaky", "timeout"])
@pytest.mark.parametrize("index", [0, 1, 2, 3])
async def test_blast_radius_counts_what_svix_recover_resends(
    demo, client, role: str, index: int
) -> None:
    endpoint = demo.world.roles[role]
    window = preset_windows(demo.world.now)[index]
    radius = await blast_radius(client, endpoint.app.id, endpoint.id, window)
    expected_attempts = demo.world.count_attempts_by_endpoint(
        endpoint,
        status=FAIL,
        after_us=to_us(window.since) - 1,
        before_us=to_us(window.until) if window.until else None,
    )
    assert radius.attempts == CountOut(count=expected_attempts, approximated=False)
    assert not radius.messages_capped and not radius.successes_capped
    assert radius.messages == len(failed_dests(endpoint, window))


async def test_the_window_is_of_attempt_times_not_of_message_creation(demo, client) -> None:
    # The flaky endpoint: on the UTC day before, messages that failed then and were not
    # delivered in that day are resent, also those created the day before.
    endpoint = demo.world.roles["flaky"]
    window = preset_windows(demo.world.now)[2]
    radius = await blast_radius(client, endpoint.app.id, endpoint.id, window)
    dests = failed_dests(endpoint, window)
    assert radius.messages == len(dests) > 0
    assert radius.attempts.count > radius.messages  # retries are attempts, not messages
    assert radius.messages_text() == f"{radius.messages} failed messages"


async def test_recover_resends_exactly_what_the_count_said(demo, client) -> None:
    world = demo.world
    endpoint = world.roles["flaky"]
    window = preset_windows(world.now)[1]  # since yesterday: now minus 24 h
    radius = await blast_radius(client, endpoint.app.id, endpoint.id, window)
    task = await run_recover(
        client,
        endpoint.app.id,
        endpoint.id,
        window,
        audit=None,
        profile="demo",
        server="s",
        on_progress=lambda task: None,
        sleep=WorldSleep(world),
    )
    assert messages_sent(task) == radius.messages > 0


def test_out_of_range_counts_from_the_api_are_said() -> None:
    radius = BlastRadius(CountOut(count=-9007199254740991), 0, messages_capped=False)
    assert radius.attempts_text() == "⚠ -9007199254740991 (out of range) failed attempts"
    task = BackgroundTaskOut(
        id="qtask_1",
        status="finished",
        task="endpoint.recover",
        data={"messagesSent": -1},
        updated_at=DEMO_NOW,
    )
    assert messages_sent(task) is None
    assert "messages sent: ⚠ -1 (out of range)" in task_summary(task)


def test_blast_radius_text_says_at_least_when_approximated() -> None:
    radius = BlastRadius(CountOut(count=10_000, approximated=True), 1000, messages_capped=True)
    assert radius.attempts_text() == "at least 10,000 failed attempts"
    assert radius.messages_text() == "at least 1,000 failed messages"
    assert not radius.nothing_to_do
    one = BlastRadius(CountOut(count=1, approximated=False), 1, messages_capped=False)
    assert (one.attempts_text(), one.messages_text()) == (
        "1 failed attempt",
        "1 failed message",
    )


# ----------------------------------------------------------------------------- run_recover


async def test_recover_resends_every_failed_message_and_follows_the_task(
    demo, client, recorder, audit
) -> None:
    world = demo.world
    endpoint = world.roles["busiest"]
    window = preset_windows(world.now)[3]
    radius = await blast_radius(client, endpoint.app.id, endpoint.id, window)
    before = {id(dest): len(dest.attempts) for dest in failed_dests(endpoint, window)}
    seen: list[BackgroundTaskOut] = []
    sleep = WorldSleep(world)

    task = await run_recover(
        client,
        endpoint.app.id,
        endpoint.id,
        window,
        audit=audit,
        profile="demo",
        server="http://demo.test",
        on_progress=seen.append,
        sleep=sleep,
    )

    assert task.status == "finished" and task.task == "endpoint.recover"
    assert messages_sent(task) == radius.messages == len(before)
    assert seen[0].status == "running" and seen[-1] == task
    assert sleep.slept and set(sleep.slept) == {1.0}
    for dest in endpoint.dests:
        if id(dest) in before:
            assert len(dest.attempts) == before[id(dest)] + 1
            assert dest.attempts[-1].trigger == TriggerType.MANUAL
    posts = recorder.posts()
    assert len(posts) == 1
    assert json.loads(posts[0].content) == {"since": "2026-10-25T12:00:00Z"}
    entries = audit.read()
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.action, entry.outcome, entry.app, entry.endpoint) == (
        "recover",
        "ok",
        endpoint.app.id,
        endpoint.id,
    )
    assert (entry.profile, entry.server) == ("demo", "http://demo.test")
    assert entry.idempotency_key == posts[0].headers["Idempotency-Key"]


async def test_a_retried_post_reuses_its_key_and_runs_once(demo, recorder, audit) -> None:
    recorder.drop_first_post = True
    endpoint = demo.world.roles["timeout"]
    window = preset_windows(demo.world.now)[3]
    async with SvixClient(
        Secret("demo-token"), "http://demo.test", transport=recorder, sleep=no_sleep
    ) as svix:
        task = await run_recover(
            svix,
            endpoint.app.id,
            endpoint.id,
            window,
            audit=audit,
            profile="demo",
            server="s",
            on_progress=lambda task: None,
            sleep=WorldSleep(demo.world),
            idempotency_key="key-made-once",
        )
    posts = recorder.posts()
    assert len(posts) == 2
    assert {post.headers["Idempotency-Key"] for post in posts} == {"key-made-once"}
    replayed = [r for r in recorder.responses if r.headers.get("idempotent-replayed") == "true"]
    assert len(replayed) == 1
    assert len(demo.world.tasks) == 1 and task.id in demo.world.tasks
    assert task.status == "finished"
    assert [e.idempotency_key for e in audit.read()] == ["key-made-once"]


async def test_read_only_client_refuses_sends_nothing_and_audits_nothing(
    demo, recorder, audit
) -> None:
    endpoint = demo.world.roles["busiest"]
    window = preset_windows(demo.world.now)[0]
    async with SvixClient(
        Secret("demo-token"), "http://demo.test", transport=recorder, read_only=True
    ) as svix:
        with pytest.raises(ReadOnlyError, match="Read-only"):
            await run_recover(
                svix,
                endpoint.app.id,
                endpoint.id,
                window,
                audit=audit,
                profile="demo",
                server="s",
                on_progress=lambda task: None,
            )
    assert recorder.requests == []
    assert demo.world.tasks == {}
    assert audit.read() == []  # a refused action never happened


async def test_a_refused_post_is_audited_as_failed(demo, client, recorder, audit) -> None:
    app = demo.world.roles["busiest"].app
    window = preset_windows(demo.world.now)[0]
    with pytest.raises(NotFoundError):
        await run_recover(
            client,
            app.id,
            "ep_doesnotexist",
            window,
            audit=audit,
            profile="demo",
            server="s",
            on_progress=lambda task: None,
        )
    [entry] = audit.read()
    assert entry.outcome.startswith("failed: ") and entry.endpoint == "ep_doesnotexist"
    assert entry.idempotency_key == recorder.posts()[0].headers["Idempotency-Key"]


async def test_an_unwritable_audit_log_warns_but_the_recovery_goes_on(
    demo, client, tmp_path: Path
) -> None:
    endpoint = demo.world.roles["busiest"]
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    warnings: list[str] = []
    task = await run_recover(
        client,
        endpoint.app.id,
        endpoint.id,
        preset_windows(demo.world.now)[2],
        audit=AuditLog(blocker / "audit.jsonl"),
        profile="demo",
        server="s",
        on_progress=lambda task: None,
        sleep=WorldSleep(demo.world),
        on_warning=warnings.append,
    )
    assert task.status == "finished"
    assert len(warnings) == 1
    assert warnings[0].startswith("Could not write the audit log (")


# ----------------------------------------------------------------------------- task endings

TASK = {
    "id": "qtask_1srOrx2ZWZBpBUvZwXKQmoEYga2",
    "task": "endpoint.recover",
    "updatedAt": "2026-11-01T12:00:00Z",
}


def mock_client(statuses: list[str]) -> tuple[SvixClient, list[httpx.Request]]:
    """POST answers "running"; each GET answers the next status (the last one repeats)."""
    requests: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        if request.method == "POST":
            return httpx.Response(202, json={**TASK, "status": "running"})
        status = statuses.pop(0) if len(statuses) > 1 else statuses[0]
        return httpx.Response(200, json={**TASK, "status": status, "data": {"messagesSent": 3}})

    svix = SvixClient(
        Secret("token"), "http://mock.test", transport=httpx.MockTransport(handle), sleep=no_sleep
    )
    return svix, requests


async def test_a_failed_task_is_returned_as_failed(audit) -> None:
    svix, requests = mock_client(["running", "failed"])
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    window = preset_windows(DEMO_NOW)[0]
    async with svix:
        task = await run_recover(
            svix,
            "app_1",
            "ep_1",
            window,
            audit=audit,
            profile="p",
            server="s",
            on_progress=lambda task: None,
            sleep=sleep,
            poll_interval=0.5,
        )
    assert task.status == "failed"
    assert slept == [0.5, 0.5]
    assert [r.url.path for r in requests][1:] == [f"/api/v1/background-task/{TASK['id']}"] * 2
    assert [e.outcome for e in audit.read()] == ["ok"]  # Svix accepted the recovery


async def test_a_task_that_never_ends_times_out(audit) -> None:
    svix, _ = mock_client(["running"])
    async with svix:
        with pytest.raises(RecoverTimedOut, match="still running after 3 s"):
            await run_recover(
                svix,
                "app_1",
                "ep_1",
                preset_windows(DEMO_NOW)[0],
                audit=audit,
                profile="p",
                server="s",
                on_progress=lambda task: None,
                sleep=no_sleep,
                timeout=3,
            )


def test_task_summary_words_its_data_and_ignores_nested_values() -> None:
    task = BackgroundTaskOut.model_validate(
        {**TASK, "status": "running", "data": {"messagesSent": 5, "nested": {"a": 1}}}
    )
    assert task_summary(task) == "running · messages sent: 5"
    assert messages_sent(task) == 5
    odd = task.model_copy(update={"data": {"messagesSent": True}})
    assert messages_sent(odd) is None
