"""What the screen shows after go-to, resend and expunge is what the server now holds."""

from __future__ import annotations

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
