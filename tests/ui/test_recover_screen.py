"""Pilot tests of the recover dialog on the in-process demo world."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.widgets import Button, Input, ProgressBar, Static

from attempt_tui.api.client import SvixClient
from attempt_tui.audit import AuditLog
from attempt_tui.demo.world import to_us
from attempt_tui.recover import RecoverResult
from attempt_tui.secret import Secret
from attempt_tui.ui.screens.recover import RecoverScreen
from attempt_tui.worker import RecoverSession
from tests.test_recover import svix_recover_dests
from tests.ui.helpers import wait_for

FAIL = 2


class Opened:
    """The pushed screen, what it returned, and the audit log it wrote to."""

    def __init__(self, screen: RecoverScreen, audit: AuditLog) -> None:
        self.screen = screen
        self.audit = audit
        self.results: list[RecoverResult | None] = []

    def text(self, selector: str) -> str:
        return str(self.screen.query_one(selector, Static).render())


async def open_recover(
    pilot: Any,
    demo: Any,
    tmp_path: Path,
    role: str = "busiest",
    *,
    client: SvixClient | None = None,
    endpoint_update: dict[str, str] | None = None,
) -> Opened:
    app = pilot.app
    target = demo.world.roles[role]
    endpoint = await app.data_worker.client.get_endpoint(target.app.id, target.id)
    if endpoint_update:
        endpoint = endpoint.model_copy(update=endpoint_update)

    async def world_sleep(seconds: float) -> None:
        demo.world.tick(seconds)
        await asyncio.sleep(0)

    audit = AuditLog(tmp_path / "audit.jsonl")
    session = RecoverSession(
        client or app.data_worker.client,
        target.app.id,
        endpoint.id,
        audit,
        "demo",
        "http://demo.attempt-tui.local",
    )
    screen = RecoverScreen(session, endpoint, lambda: demo.world.now, sleep=world_sleep)
    opened = Opened(screen, audit)
    app.push_screen(screen, opened.results.append)
    await wait_for(pilot, lambda: app.screen is screen and screen.window is not None)
    return opened


def failed_messages_since(endpoint: Any, since_us: int) -> int:
    """What Svix's recover resends of a window from `since_us` to now (its own rule)."""
    return len(svix_recover_dests(endpoint, since_us))


async def test_last_week_shows_the_blast_radius_then_recovers_on_y(
    make_demo_app, demo, tmp_path: Path
) -> None:
    app = make_demo_app()
    async with app.run_test(size=(100, 40)) as pilot:
        opened = await open_recover(pilot, demo, tmp_path)
        screen = opened.screen
        await wait_for(pilot, lambda: screen.radius is not None)
        assert screen.window is not None and screen.window.label == "Last 5 hours"
        await pilot.press("4")
        await wait_for(
            pilot,
            lambda: (
                screen.radius is not None
                and screen.window is not None
                and screen.window.label == "Last week"
            ),
        )
        endpoint = demo.world.roles["busiest"]
        expected = failed_messages_since(endpoint, to_us(demo.world.now - timedelta(days=7)))
        assert expected > 0
        plan = opened.text("#recover-plan")
        assert "Last week: 2026-10-25 12:00Z → now" in plan
        assert f"Resends  {expected} failed messages" in plan
        assert f"{screen.radius.attempts.count:,} failed attempts in the window" in plan
        assert "of attempt times: when Svix tried to deliver" in plan
        assert "each message with a failed attempt in this window and no successful" in plan
        assert app.focused is screen.query_one("#recover-cancel", Button)

        await pilot.press("y")
        await wait_for(pilot, lambda: screen.phase == "done")
        status = opened.text("#recover-status")
        assert f"Finished: {expected} messages resent." in status
        bar = screen.query_one("#recover-bar", ProgressBar)
        assert bar.progress == bar.total == expected
        assert app.focused is screen.query_one("#recover-close", Button)
        [entry] = opened.audit.read()
        assert (entry.action, entry.outcome, entry.endpoint) == ("recover", "ok", endpoint.id)

        await pilot.press("escape")
        await wait_for(pilot, lambda: bool(opened.results))
    [result] = opened.results
    assert result is not None and result.finished
    assert result.messages_sent == expected
    assert result.task is not None and result.task.id in demo.world.tasks
    assert result.idempotency_key == entry.idempotency_key
    assert (result.app_id, result.endpoint_id) == (endpoint.app.id, endpoint.id)


@pytest.mark.parametrize("key", ["escape", "n", "enter"])
async def test_cancel_sends_nothing_and_returns_none(
    make_demo_app, demo, tmp_path: Path, key: str
) -> None:
    app = make_demo_app()
    async with app.run_test(size=(100, 40)) as pilot:
        opened = await open_recover(pilot, demo, tmp_path)
        await wait_for(pilot, lambda: opened.screen.radius is not None)
        await pilot.press("4")  # a window with failed messages, so y would act
        await wait_for(pilot, lambda: opened.screen.query_one("#recover-confirm").disabled is False)
        await pilot.press(key)  # enter presses the focused Cancel
        await wait_for(pilot, lambda: bool(opened.results))
    assert opened.results == [None]
    assert demo.world.tasks == {}
    assert opened.audit.read() == []


async def test_a_window_without_failed_messages_cannot_be_confirmed(
    make_demo_app, demo, tmp_path: Path
) -> None:
    # The busiest endpoint failed a few tries on the UTC day before, and every one of those
    # messages got through within that day: nothing for Svix to resend.
    app = make_demo_app()
    async with app.run_test(size=(100, 40)) as pilot:
        opened = await open_recover(pilot, demo, tmp_path, "busiest")
        screen = opened.screen
        await pilot.press("3")
        await wait_for(
            pilot,
            lambda: screen.radius is not None and screen.window.label == "Yesterday (the UTC day)",
        )
        assert screen.radius.attempts.count > 0
        assert "nothing to recover" in opened.text("#recover-plan")
        assert screen.query_one("#recover-confirm", Button).disabled
        assert screen.check_action("confirm", ()) is False
        await pilot.press("y")
        await pilot.pause()
        assert screen.phase == "choose" and demo.world.tasks == {}


async def test_since_yesterday_counts_the_last_24_hours_of_attempts(
    make_demo_app, demo, tmp_path: Path
) -> None:
    app = make_demo_app()
    async with app.run_test(size=(100, 40)) as pilot:
        opened = await open_recover(pilot, demo, tmp_path, "flaky")
        screen = opened.screen
        await pilot.press("2")
        await wait_for(
            pilot,
            lambda: (
                screen.radius is not None and screen.window.label == "Since yesterday (last 24 h)"
            ),
        )
        since = demo.world.now - timedelta(hours=24)
        assert screen.window.since == since and screen.window.until is None
        expected = failed_messages_since(demo.world.roles["flaky"], to_us(since))
        assert f"Resends  {expected} failed messages" in opened.text("#recover-plan")
        await pilot.press("y")
        await wait_for(pilot, lambda: screen.phase == "done")
        assert f"Finished: {expected} messages resent." in opened.text("#recover-status")


async def test_read_only_shows_the_refusal_and_sends_nothing(
    make_demo_app, demo, tmp_path: Path
) -> None:
    app = make_demo_app(read_only=True)
    async with app.run_test(size=(100, 40)) as pilot:
        opened = await open_recover(pilot, demo, tmp_path)
        screen = opened.screen
        assert "Read-only: recover is disabled" in opened.text("#recover-read-only")
        await pilot.press("4")
        await wait_for(
            pilot, lambda: screen.radius is not None and screen.window.label == "Last week"
        )
        assert screen.query_one("#recover-confirm", Button).disabled
        await pilot.press("y")
        await wait_for(pilot, lambda: screen.query_one("#recover-error").display)
        assert "Read-only mode: recover is disabled. Nothing was sent." in opened.text(
            "#recover-error"
        )
        assert screen.phase == "choose"
        assert demo.world.tasks == {}
        assert opened.audit.read() == []  # refused before sending: nothing to audit
        await pilot.press("escape")
        await wait_for(pilot, lambda: bool(opened.results))
    assert opened.results == [None]


async def test_custom_window_reports_bad_text_and_counts_good_text(
    make_demo_app, demo, tmp_path: Path
) -> None:
    app = make_demo_app()
    async with app.run_test(size=(100, 40)) as pilot:
        opened = await open_recover(pilot, demo, tmp_path, "timeout")
        screen = opened.screen
        await wait_for(pilot, lambda: screen.radius is not None)
        await pilot.press("5")
        since = screen.query_one("#since", Input)
        await wait_for(pilot, lambda: app.focused is since)
        assert screen.window is None and screen.check_action("confirm", ()) is False
        await pilot.press(*"soon", "enter")
        await wait_for(pilot, lambda: screen.query_one("#recover-error").display)
        assert 'can\'t read "soon" as a time' in opened.text("#recover-error")
        assert screen.window is None
        since.value = "2d"
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.radius is not None)
        assert not screen.query_one("#recover-error").display
        assert screen.window.label == "Custom"
        assert screen.window.since == demo.world.now - timedelta(days=2)
        expected = failed_messages_since(demo.world.roles["timeout"], to_us(screen.window.since))
        assert screen.radius.messages == expected > 0
        assert app.focused is screen.query_one("#recover-cancel", Button)
        since.value = "3d"  # editing makes the counted window stale until enter
        await pilot.pause()
        assert screen.window is None and screen.check_action("confirm", ()) is False


class FailingPosts(httpx.AsyncBaseTransport):
    """The demo server, except that the first `failures` POSTs get a 503."""

    def __init__(self, inner: httpx.AsyncBaseTransport, failures: int) -> None:
        self.inner = inner
        self.failures = failures
        self.post_keys: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            self.post_keys.append(request.headers["Idempotency-Key"])
            if self.failures > 0:
                self.failures -= 1
                return httpx.Response(503, json={"code": "unavailable", "detail": "try later"})
        return await self.inner.handle_async_request(request)


async def test_a_failed_post_is_one_line_and_y_retries_under_the_same_key(
    make_demo_app, demo, tmp_path: Path
) -> None:
    async def no_sleep(seconds: float) -> None:
        return None

    transport = FailingPosts(httpx.ASGITransport(app=demo.asgi_app), failures=4)
    client = SvixClient(
        Secret("demo-token"), "http://demo.test", transport=transport, sleep=no_sleep
    )
    app = make_demo_app()
    async with app.run_test(size=(100, 40)) as pilot:
        opened = await open_recover(pilot, demo, tmp_path, client=client)
        screen = opened.screen
        await pilot.press("4")
        await wait_for(
            pilot, lambda: screen.radius is not None and screen.window.label == "Last week"
        )
        await pilot.press("y")
        await wait_for(pilot, lambda: screen.query_one("#recover-error").display)
        error = opened.text("#recover-error")
        assert error.startswith("Recover failed: ") and "\n" not in error
        assert screen.phase == "choose" and demo.world.tasks == {}
        assert app.focused is screen.query_one("#recover-cancel", Button)

        await pilot.press("y")
        await wait_for(pilot, lambda: screen.phase == "done")
        assert screen.last_task is not None and screen.last_task.status == "finished"
        await pilot.press("escape")
        await wait_for(pilot, lambda: bool(opened.results))
    await client.aclose()
    assert len(transport.post_keys) == 5  # 4 refused tries, then the one that worked
    assert len(set(transport.post_keys)) == 1
    assert len(demo.world.tasks) == 1
    outcomes = [(e.outcome.split(":")[0], e.idempotency_key) for e in opened.audit.read()]
    assert outcomes == [("ok", transport.post_keys[0]), ("failed", transport.post_keys[0])]
    [result] = opened.results
    assert result is not None and result.finished and result.error is None


async def test_endpoint_text_from_the_api_is_shown_literally(
    make_demo_app, demo, tmp_path: Path
) -> None:
    app = make_demo_app()
    async with app.run_test(size=(100, 40)) as pilot:
        opened = await open_recover(
            pilot,
            demo,
            tmp_path,
            endpoint_update={
                "url": "https://x.test/[@click=app.quit]",
                "description": "[bold]hi[/bold]\x1b]8;;https://evil\x07",
            },
        )
        await wait_for(pilot, lambda: opened.screen.radius is not None)
        shown = opened.text("#recover-endpoint")
        assert "https://x.test/[@click=app.quit]" in shown
        assert "[bold]hi[/bold]\\x1b]8;;https://evil\\x07" in shown
        assert "\x1b" not in shown


class FailingCounts(httpx.AsyncBaseTransport):
    """The demo server, except that the count call answers 401 until `broken` is cleared."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.broken = True

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.broken and request.url.path.endswith("/count"):
            return httpx.Response(401, json={"code": "authentication_failed", "detail": "nope"})
        return await self.inner.handle_async_request(request)


async def test_a_failed_count_blocks_confirming_until_f5_counts_again(
    make_demo_app, demo, tmp_path: Path
) -> None:
    transport = FailingCounts(httpx.ASGITransport(app=demo.asgi_app))
    client = SvixClient(Secret("demo-token"), "http://demo.test", transport=transport)
    app = make_demo_app()
    async with app.run_test(size=(100, 40)) as pilot:
        opened = await open_recover(pilot, demo, tmp_path, client=client)
        screen = opened.screen
        await wait_for(pilot, lambda: screen.query_one("#recover-error").display)
        assert opened.text("#recover-error").startswith("Could not count failed messages: ")
        assert screen.radius is None and screen.check_action("confirm", ()) is False
        transport.broken = False
        await pilot.press("f5")
        await wait_for(pilot, lambda: screen.radius is not None)
        assert not screen.query_one("#recover-error").display
    await client.aclose()
