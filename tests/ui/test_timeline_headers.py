"""Render tests of the retry timeline and attempt headers widgets in a tiny app at 80 columns."""

from __future__ import annotations

from datetime import datetime, timedelta

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget

from attempt_tui.api.models import (
    MessageAttemptHeadersOut,
    MessageAttemptOut,
    MessageStatus,
    TriggerType,
)
from attempt_tui.compat import UTC
from attempt_tui.ui.widgets.headers import MASK, AttemptHeaders
from attempt_tui.ui.widgets.timeline import BAR_WIDTH, RetryTimeline, span_words

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"
OSC52_SHOWN = "\\x1b]52;c;ZWNobyBwd25lZA==\\x07"
CLICK = "[@click=app.quit]"
SECRET = "Bearer sk_live_do_not_show"


class Harness(App[None]):
    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield RetryTimeline(id="timeline")
            yield AttemptHeaders(id="headers")


def rendered(widget: Widget) -> list[str]:
    return [widget.render_line(y).text for y in range(widget.size.height)]


def attempt(
    n: int,
    at: datetime,
    *,
    status: int = MessageStatus.FAIL,
    code: int = 503,
    trigger: int = TriggerType.SCHEDULED,
) -> MessageAttemptOut:
    return MessageAttemptOut(
        id=f"atmpt_{n:02d}",
        msg_id="msg_1",
        endpoint_id="ep_1",
        url=f"https://evil.test/{OSC52}{CLICK}",
        response=f"{OSC52}{CLICK}",
        response_status_code=code,
        status=status,
        status_text=CLICK,
        trigger_type=trigger,
        timestamp=at,
    )


THREE_FAILURES = [
    attempt(1, T0),
    attempt(2, T0 + timedelta(seconds=5), code=0),
    attempt(3, T0 + timedelta(seconds=305)),
]
NEXT_AT = T0 + timedelta(seconds=305 + 1800)


def test_span_words() -> None:
    cases = {0: "0 s", 45: "45 s", 295: "4 min 55 s", 1500: "25 min", 8700: "2 h 25 min"}
    cases |= {7200: "2 h", 99300: "1 d 3 h", 86400: "1 d"}
    for seconds, words in cases.items():
        assert span_words(timedelta(seconds=seconds)) == words


async def test_timeline_shows_past_scheduled_and_projected_tries() -> None:
    app = Harness()
    async with app.run_test(size=(80, 40)) as pilot:
        timeline = app.query_one(RetryTimeline)
        now = T0 + timedelta(minutes=10, seconds=5)
        timeline.show(THREE_FAILURES, NEXT_AT, now)
        await pilot.pause()
        lines = rendered(timeline)
        text = "\n".join(lines)
        assert lines[0] == "⟳ Retrying: 3 of 8 tries failed; next #4 in 25 min."
        assert lines[1] == "If every try fails, the last is #8 ~in 1 d 3 h."
        assert "#1   2026-11-01 12:00:00Z  ✖ fail     503      +0 s" in lines
        assert "#2   2026-11-01 12:00:05Z  ✖ fail     no resp  +5 s" in lines
        assert "#4   2026-11-01 12:35:05Z  ○ in 25 min (scheduled)  +30 min" in lines
        assert "#5  ~2026-11-01 14:35:05Z  ○ ~in 2 h 25 min (projected)  +2 h" in lines
        assert any(line.startswith("#8  ~2026-11-02 15:35:05Z") for line in lines)
        bar = next(line for line in lines if line.startswith("✖"))
        assert len(bar.rstrip()) == BAR_WIDTH
        assert bar.count("✖") == 3 and bar.count("○") == 5
        # Past part solid, future part dotted, "now" marked under the bar.
        assert bar.index("┄") > bar.rindex("✖")
        assert "▲ now" in lines[lines.index(bar) + 1]
        assert max(len(line.rstrip()) for line in lines) <= 78
        # Nothing API-controlled is drawn, so nothing hostile can leak through.
        assert "\x1b" not in text and "[@click" not in text


async def test_timeline_failed_for_good_and_delivered() -> None:
    app = Harness()
    async with app.run_test(size=(80, 40)) as pilot:
        timeline = app.query_one(RetryTimeline)
        eight, at = [], T0
        for n, hours in enumerate([0, 1, 1, 1, 2, 5, 10, 10]):
            at += timedelta(hours=hours)
            eight.append(attempt(n + 1, at))
        timeline.show(eight, None, at + timedelta(minutes=1))
        await pilot.pause()
        lines = rendered(timeline)
        assert lines[0] == "✖ Failed for good: all 8 scheduled tries failed; no more retries."
        drawn = "\n".join(line for line in lines if "to come" not in line)  # not the legend
        assert drawn.count("✖") == 1 + 8 + 8  # outlook, bar, one line per try
        assert "○" not in drawn and "projected" not in drawn and "scheduled)" not in drawn

        manual_ok = attempt(
            9,
            T0 + timedelta(minutes=7),
            status=MessageStatus.SUCCESS,
            code=200,
            trigger=TriggerType.MANUAL,
        )
        timeline.show([*THREE_FAILURES, manual_ok], None, T0 + timedelta(minutes=8))
        await pilot.pause()
        lines = rendered(timeline)
        assert lines[0] == "✔ Delivered by a manual resend at 2026-11-01 12:07:00Z."
        manual_line = next(line for line in lines if line.startswith("M "))
        assert "✔ success  200" in manual_line and manual_line.endswith("manual")
        assert not any(line.startswith("#4") for line in lines)


async def test_timeline_skips_work_when_nothing_visible_changed() -> None:
    app = Harness()
    async with app.run_test(size=(80, 40)) as pilot:
        timeline = app.query_one(RetryTimeline)
        updates: list[object] = []
        original = timeline.update

        def counting_update(*args: object, **kwargs: object) -> None:
            updates.append(args)
            original(*args, **kwargs)

        timeline.update = counting_update  # type: ignore[method-assign]
        now = NEXT_AT - timedelta(minutes=25, seconds=30)
        timeline.show(THREE_FAILURES, NEXT_AT, now)
        timeline.show(list(THREE_FAILURES), NEXT_AT, now)
        assert len(updates) == 1
        # A second later every relative time still reads the same: no repaint.
        timeline.show(THREE_FAILURES, NEXT_AT, now + timedelta(seconds=1))
        assert len(updates) == 1
        timeline.show(THREE_FAILURES, NEXT_AT, now + timedelta(minutes=2))
        assert len(updates) == 2
        await pilot.pause()
        assert any("in 23 min (scheduled)" in line for line in rendered(timeline))


async def test_timeline_clear_and_no_attempts() -> None:
    app = Harness()
    async with app.run_test(size=(80, 40)) as pilot:
        timeline = app.query_one(RetryTimeline)
        timeline.show([], None, T0)
        await pilot.pause()
        assert rendered(timeline)[0] == "No attempts yet."
        timeline.show(THREE_FAILURES, NEXT_AT, T0)
        timeline.clear()
        await pilot.pause()
        assert timeline.tries == []
        assert "retry timeline" in rendered(timeline)[0]


def hostile_headers() -> MessageAttemptHeadersOut:
    return MessageAttemptHeadersOut.model_validate(
        {
            "sentHeaders": {
                "webhook-id": "msg_1",
                "Authorization": SECRET,
                "X-Evil": OSC52,
                "content-type": "application/json",
                "X-Click": CLICK,
                "X-Api-Key": "key-should-not-show",
            },
            "responseHeaders": [
                ["Server", "nginx"],
                ["SET-COOKIE", "session=cookie-should-not-show"],
                ["X-Reflected", f"{OSC52}{CLICK}"],
                ["Content-Length", "0"],
            ],
            "sensitive": ["authorization", "x-api-key", "Set-Cookie"],
        }
    )


async def test_headers_sorted_sent_ordered_response_and_masked() -> None:
    app = Harness()
    async with app.run_test(size=(80, 40)) as pilot:
        widget = app.query_one(AttemptHeaders)
        widget.show(hostile_headers())
        await pilot.pause()
        lines = rendered(widget)
        text = "\n".join(lines)
        sent_end = lines.index("")
        names = [line.split(":", 1)[0] for line in lines[1:sent_end]]
        assert lines[0] == "Sent headers (6)"
        sorted_names = ["Authorization", "content-type", "webhook-id", "X-Api-Key", "X-Click"]
        assert names == [*sorted_names, "X-Evil"]
        assert lines[sent_end + 1] == "Response headers (4)"
        response = [line.split(":", 1)[0] for line in lines[sent_end + 2 :] if line]
        assert response == ["Server", "SET-COOKIE", "X-Reflected", "Content-Length"]
        # Sensitive values are masked whatever the case; the secrets never appear.
        assert f"Authorization: {MASK}  (sensitive, hidden)" in lines
        assert f"SET-COOKIE: {MASK}  (sensitive, hidden)" in lines
        for secret in ("sk_live", "key-should-not-show", "cookie-should-not-show"):
            assert secret not in text
        # Hostile values are shown literally: escapes visible, markup inert.
        assert "\x1b" not in text and "\x07" not in text
        assert f"X-Evil: {OSC52_SHOWN}" in lines
        assert f"X-Click: {CLICK}" in lines
        assert f"X-Reflected: {OSC52_SHOWN}{CLICK}" in lines
        assert app.is_running


async def test_headers_loading_error_and_empty_states() -> None:
    app = Harness()
    async with app.run_test(size=(80, 40)) as pilot:
        widget = app.query_one(AttemptHeaders)
        assert "Select an attempt" in rendered(widget)[0]
        widget.show(None, loading=True)
        await pilot.pause()
        assert rendered(widget)[0] == "Loading headers…"
        widget.show(None, error=f"server said {OSC52}{CLICK}")
        await pilot.pause()
        error = " ".join(line.strip() for line in rendered(widget) if line.strip())
        assert error == f"Could not load the headers: server said {OSC52_SHOWN}{CLICK}"
        widget.show(MessageAttemptHeadersOut(sent_headers={}, response_headers=None, sensitive=[]))
        await pilot.pause()
        text = "\n".join(rendered(widget))
        assert "Sent headers (0)" in text and "None recorded." in text
        assert "no HTTP response was recorded" in text
        widget.show(MessageAttemptHeadersOut(sent_headers={}, response_headers=[], sensitive=[]))
        await pilot.pause()
        assert "The response had no headers." in "\n".join(rendered(widget))
