"""Numbers from the API that cannot be real are shown as out of range; cut cells end in "…"."""

from __future__ import annotations

import json

import httpx
from textual.widgets.data_table import ColumnKey

from attempt_tui import safe
from attempt_tui.api.models import EndpointOut, EndpointStats
from attempt_tui.ui import format as fmt
from attempt_tui.ui.widgets.detail import AttemptTable, DetailPane
from attempt_tui.ui.widgets.endpoint_picker import endpoint_prompt
from attempt_tui.ui.widgets.message_table import MessageTable
from attempt_tui.ui.widgets.timeline import RetryTimeline
from tests.ui.helpers import open_endpoint_settings, wait_for

HUGE_NEGATIVE = -9007199254740991
LONG_CODE = 44201967
LONG_EVENT_TYPE = "invoice.payment_failed.with.a.very.long.suffix"


def test_counts_and_durations_out_of_range_are_said() -> None:
    assert safe.count(HUGE_NEGATIVE) == "⚠ -9007199254740991 (out of range)"
    assert safe.count(2**60).startswith("⚠")
    assert safe.count(1234) == "1,234" and safe.count(0) == "0"
    assert fmt.duration_text(HUGE_NEGATIVE, words=True).plain.endswith("(out of range)")
    assert fmt.duration_text(120).plain == "120 ms"
    assert fmt.http_code_text(LONG_CODE).plain == "⚠ 44201967"
    assert fmt.http_code_text(503).plain == "503"


def test_fit_cuts_with_an_ellipsis_only_when_too_wide() -> None:
    code = fmt.http_code_text(LONG_CODE)
    assert fmt.fit(code, 7).plain == "⚠ 4420…"
    assert fmt.fit(fmt.http_code_text(200), 7).plain == "200"


def test_picker_counts_out_of_range_are_marked() -> None:
    endpoint = EndpointOut.model_validate(
        {
            "id": "ep_1",
            "url": "https://example.com/hook",
            "version": 1,
            "description": "",
            "createdAt": "2026-11-01T00:00:00Z",
            "updatedAt": "2026-11-01T00:00:00Z",
        }
    )
    line = endpoint_prompt(endpoint, EndpointStats(success=HUGE_NEGATIVE, fail=3)).plain
    assert "✔⚠ -9007199254740991" in line and "✖3" in line


def _mangle(inner: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
    class Mangled(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            response = await inner.handle_async_request(request)
            path = request.url.path
            if request.method != "GET" or not ("/attempt/msg/" in path or path.endswith("/msg")):
                return response
            body = json.loads(await response.aread())
            for item in body.get("data", []):
                if "responseStatusCode" in item:
                    item["responseStatusCode"] = LONG_CODE
                    item["responseDurationMs"] = HUGE_NEGATIVE
                else:
                    item["eventType"] = LONG_EVENT_TYPE
            return httpx.Response(200, json=body)

    return Mangled()


async def test_table_cells_timeline_and_response_show_what_is_out_of_range(
    make_demo_app, demo
) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    http = app.data_worker.client._http
    http._transport = _mangle(http._transport)
    async with app.run_test(size=(120, 40)) as pilot:
        detail = app.screen.query_one(DetailPane)
        await wait_for(pilot, lambda: detail.detail is not None)
        attempts = app.screen.query_one(AttemptTable)
        row = attempts.get_row(attempts.selected_key)
        code, duration = row[2], row[3]
        assert code.plain == "⚠ 4420…"  # cut, and says it was cut
        assert duration.plain.startswith("⚠") and duration.plain.endswith("…")
        assert code.cell_len <= 7 and duration.cell_len <= 9

        messages = app.screen.query_one(MessageTable)
        event_cell = messages.get_row(messages.selected_key)[2]
        width = messages.columns[ColumnKey("event_type")].width
        assert event_cell.plain.endswith("…") and event_cell.cell_len == width

        shown = str(app.screen.query_one("#response-body").render())
        assert "⚠ 44201967 (out of range)" in shown
        assert "⚠ -9007199254740991 (out of range)" in shown

        timeline = str(app.screen.query_one(RetryTimeline).render())
        lines = [line for line in timeline.splitlines() if "⚠" in line]
        assert lines, timeline
        for line in lines:
            # The code is cut to its column and the gap after it stays apart.
            assert "⚠ 44201… +" in line


def test_unknown_statuses_and_triggers_fit_their_columns() -> None:
    assert fmt.status_text(42).plain == "? status 42"  # 11 cells: the attempts' column
    assert fmt.trigger_text(7).plain == "? 7"
    assert fmt.status_text(2).plain == "✖ fail"
