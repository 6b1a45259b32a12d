"""What the screen shows after go-to, resend and expunge is what the server now holds."""

from __future__ import annotations

import dataclasses

import httpx
from textual.widgets import Static

from attempt_tui.api.models import MessageAttemptOut
from attempt_tui.audit import AuditLog
from attempt_tui.ui.widgets.detail import DetailPane
from attempt_tui.ui.widgets.message_table import MessageTable
from tests.ui.helpers import open_endpoint_settings, wait_for


async def test_go_to_the_highlighted_message_keeps_its_attempts(make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        detail = app.screen.query_one(DetailPane)
        table = app.screen.query_one(MessageTable)
        await wait_for(pilot, lambda: detail.detail is not None)
        msg_id = table.selected_key
        page_before = app.main_screen.page
        app.main_screen.go_to(msg_id)
        await wait_for(
            pilot,
            lambda: app.main_screen.page is not None and app.main_screen.page is not page_before,
        )
        await pilot.pause(0.3)
        assert table.selected_key == msg_id
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "Highlight a message" not in summary
        assert detail.detail is not None and detail.detail.msg_id == msg_id


def _keeps_bodies(inner: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
    """A server that answers an expunge with 204 and keeps the body anyway."""

    class KeepsBodies(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.method == "DELETE" and request.url.path.endswith("/content"):
                return httpx.Response(204)
            return await inner.handle_async_request(request)

    return KeepsBodies()


def _notes(app) -> str:
    return " | ".join(str(n.message) for n in app._notifications)


async def _expunge_selected(app, pilot) -> MessageAttemptOut:
    detail = app.screen.query_one(DetailPane)
    await wait_for(pilot, lambda: detail.detail is not None)
    await pilot.press("enter")  # into the attempts
    attempt = detail.selected_attempt
    assert attempt is not None and attempt.response
    await pilot.press("X", "y")
    await wait_for(pilot, lambda: len(app.data_worker.audit.read()) == 1)
    await pilot.pause(0.2)
    return attempt


async def test_an_expunge_the_server_ignored_is_shown_and_audited_as_failed(
    make_demo_app, demo, tmp_path
) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    app.data_worker.audit = AuditLog(tmp_path / "audit.jsonl")
    http = app.data_worker.client._http
    http._transport = _keeps_bodies(http._transport)
    async with app.run_test(size=(120, 40)) as pilot:
        attempt = await _expunge_selected(app, pilot)
        shown = str(app.screen.query_one("#response-body").render())
        assert attempt.id in shown
        assert "did not take" in shown and "Empty response body" not in shown
        assert "Expunged:" not in shown
        assert '"received": true' in shown  # what the server still returns
        (entry,) = app.data_worker.audit.read()
        assert (entry.action, entry.outcome) == ("expunge", "failed: still present")
        assert "did not take" in _notes(app)


async def test_a_verified_expunge_says_expunged_never_empty(make_demo_app, demo, tmp_path) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    app.data_worker.audit = AuditLog(tmp_path / "audit.jsonl")
    async with app.run_test(size=(120, 40)) as pilot:
        attempt = await _expunge_selected(app, pilot)
        shown = str(app.screen.query_one("#response-body").render())
        assert attempt.id in shown and "Expunged: re-read after the expunge" in shown
        assert "Empty response body" not in shown and '"received"' not in shown
        (entry,) = app.data_worker.audit.read()
        assert entry.outcome == "ok"
        assert "checked, the server now returns no body" in _notes(app)
        await pilot.press("f5")  # a full re-read keeps saying what was verified
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        assert "Expunged:" in str(app.screen.query_one("#response-body").render())


def test_an_empty_body_is_not_called_expunged() -> None:
    from attempt_tui.ui.widgets.detail import response_view

    attempt = MessageAttemptOut.model_validate(
        {
            "id": "atmpt_1",
            "msgId": "msg_1",
            "endpointId": "ep_1",
            "url": "https://example.com",
            "response": "",
            "responseStatusCode": 204,
            "status": 0,
            "triggerType": 0,
            "timestamp": "2026-11-01T00:00:00Z",
        }
    )
    shown = response_view(attempt).plain
    assert "Empty response body." in shown and "xpunge" not in shown


async def test_after_a_resend_the_new_attempt_is_highlighted_and_shown(make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        detail = app.screen.query_one(DetailPane)
        await wait_for(pilot, lambda: detail.detail is not None)
        before = {a.id for a in detail.detail.attempts}
        await pilot.press("R", "y")
        await wait_for(
            pilot,
            lambda: detail.detail is not None and len(detail.detail.attempts) > len(before),
        )
        await pilot.pause(0.2)
        (new,) = [a for a in detail.detail.attempts if a.id not in before]
        assert new.trigger_type == 1
        assert detail.selected_attempt is not None and detail.selected_attempt.id == new.id
        assert new.id in str(app.screen.query_one("#response-body").render())


async def test_a_resent_message_leaving_the_fail_filter_is_said_where_one_looks(
    make_demo_app, demo, monkeypatch
) -> None:
    from attempt_tui.worker import Filters

    endpoint = demo.world.roles["flaky"]
    healthy = dataclasses.replace(endpoint.behaviour, fail_rate=0.0, outages=())
    monkeypatch.setattr(endpoint, "behaviour", healthy)  # the resend will land
    app = make_demo_app(**open_endpoint_settings(demo, "flaky"))
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.screen.query_one(MessageTable)
        detail = app.screen.query_one(DetailPane)
        await wait_for(pilot, lambda: detail.detail is not None)
        app.main_screen._set_filters(Filters(statuses=frozenset({2})))
        await wait_for(
            pilot,
            lambda: (
                app.main_screen.page is not None
                and app.main_screen.page.filters.statuses == {2}
                and detail.detail is not None
                and detail.detail.msg_id == table.selected_key
            ),
        )
        resent = table.selected_key
        await pilot.press("R", "y")
        await wait_for(pilot, lambda: resent not in table.messages)
        await pilot.pause(0.2)
        line = str(app.screen.query_one("#watch-line").render())
        assert app.screen.query_one("#watch-line").display
        assert resent in line and "left this list" in line and "after your resend" in line
        assert any("left this list" in str(n.message) for n in app._notifications)
        await wait_for(pilot, lambda: "Resend landed" in _notes(app))
        line = str(app.screen.query_one("#watch-line").render())
        assert "left this list" in line and "Resend landed" in line
        await pilot.press("j")  # moving on clears it
        await pilot.pause(0.1)
        assert not app.screen.query_one("#watch-line").display
