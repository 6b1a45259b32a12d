"""The whole app under each fault: no crash, a human message, no half-updated screen, and
polling that recovers by itself once the fault stops."""

from __future__ import annotations

import time
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from attempt_tui.demo.faults import FaultPlan
from attempt_tui.demo.server import DemoServer
from attempt_tui.ui.screens.confirm import ConfirmScreen
from attempt_tui.ui.widgets.detail import DetailPane
from attempt_tui.ui.widgets.endpoint_picker import EndpointPicker
from attempt_tui.ui.widgets.message_table import MessageTable
from tests.faults.support import (
    assert_everything_shown_is_human,
    lane_errors,
    notifications,
    status_line,
)
from tests.ui.helpers import wait_for

# Faults that fail a request, with words the status line must show for them.
# Answers a retry can't change: not polled again; F5 asks again once the cause is fixed.
NOT_RETRIED = frozenset({"401", "403", "409", "422"})

FAILING = {
    "401": "Unauthorized",
    "403": "Forbidden",
    "409": "Conflict",
    "422": "Invalid request",
    "429": "Rate limited",
    "429-retry-after": "Rate limited",
    "500": "Server error",
    "502": "Server error",
    "503": "Server error",
    "timeout": "timed out",
    "reset": "closed the connection",
    "drop": "closed the connection",
    "refused": "could not connect",
    "truncated": "not JSON",
    "wrong-shape": "Unexpected response",
}


def table(app: Any) -> MessageTable:
    return app.main_screen.query_one(MessageTable)


def detail(app: Any) -> DetailPane:
    return app.main_screen.query_one(DetailPane)


async def open_dashboard(pilot: Pilot, app: Any) -> None:
    await wait_for(
        pilot,
        lambda: (
            table(app).row_count == 50
            and detail(app).detail is not None
            and detail(app).detail.msg_id == table(app).selected_key
        ),
    )


def assert_consistent(app: Any, demo: DemoServer) -> None:
    """One endpoint's page in the table; the detail pane, if any, is the highlighted message's."""
    endpoint = demo.world.roles["busiest"]
    assert app.data_worker.query.endpoint_id == endpoint.id
    assert table(app).row_count == 50
    shown = detail(app).detail
    assert shown is None or shown.msg_id == table(app).selected_key


async def assert_recovers_with_fresh_data(pilot: Pilot, app: Any, demo: DemoServer) -> None:
    """New messages arrive; with the fault off, polling alone clears the errors and shows them."""
    world = demo.world
    endpoint = world.roles["busiest"]
    world.tick(120)
    newest = world.msg_id(endpoint.dests[-1].msg)
    assert newest not in table(app).messages
    await wait_for(
        pilot,
        lambda: (
            not app.main_screen.errors
            and newest in table(app).messages
            and detail(app).detail is not None
            and detail(app).detail.msg_id == table(app).selected_key
        ),
        timeout=8,
    )
    assert not app.main_screen.query_one("#status-line").display
    assert_consistent(app, demo)
    assert_everything_shown_is_human(app)


@pytest.mark.long
async def test_failing_requests_keep_the_screen_and_recover(
    make_faulty_app: Any, plan: FaultPlan, faulty_demo: DemoServer
) -> None:
    """Each failing fault in turn, on every request, in one session (a session is slow to
    start): while it lasts the last good data stays whole and a human error shows; once it
    stops, polling alone brings fresh data (after F5 for answers a retry can't change)."""
    app = make_faulty_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_dashboard(pilot, app)
        for kind, words in FAILING.items():
            before = list(table(app).messages)
            plan.add(kind)
            await wait_for(pilot, lambda: {"page", "detail"} <= app.main_screen.errors.keys())
            assert words in lane_errors(app)["page"], (kind, lane_errors(app))
            assert status_line(app).startswith("⚠ "), (kind, status_line(app))
            assert_everything_shown_is_human(app)
            assert list(table(app).messages) == before, kind
            assert_consistent(app, demo=faulty_demo)
            plan.clear()
            if kind in NOT_RETRIED:
                assert "F5 retries" in status_line(app), (kind, status_line(app))
                await pilot.press("f5")
            await assert_recovers_with_fresh_data(pilot, app, faulty_demo)


async def test_starting_under_a_fault_then_recovering(
    make_faulty_app: Any, plan: FaultPlan, faulty_demo: DemoServer
) -> None:
    plan.add("401")
    app = make_faulty_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: "apps" in app.main_screen.errors)
        assert "Unauthorized" in status_line(app)
        assert lane_errors(app)["apps"].startswith("Unauthorized: applications")
        assert_everything_shown_is_human(app)
        assert table(app).row_count == 0
        plan.off()
        await pilot.press("f5")  # a rejected token is not retried on its own
        await open_dashboard(pilot, app)
        await assert_recovers_with_fresh_data(pilot, app, faulty_demo)


async def test_tolerated_body_faults(
    make_faulty_app: Any, plan: FaultPlan, faulty_demo: DemoServer
) -> None:
    """Unknown enum values, extra and missing optional fields, a 5 MB body and a payload nested
    500 deep all show, without an error."""
    app = make_faulty_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_dashboard(pilot, app)
        pane = detail(app)

        plan.add("unknown-enum")
        # Said in a form that fits its column: "? status 42", not a cut "? unknown(4…".
        await wait_for(pilot, lambda: "? status 42" in str(table(app).get_row_at(0)))
        await wait_for(pilot, lambda: {a.status for a in pane.detail.attempts} == {42})
        assert str(table(app).get_row_at(0)[0]) == "? status 42"
        plan.clear()

        for kind in ("extra-fields", "missing-optional"):
            plan.add(kind)
            await wait_for(pilot, lambda: len(plan.injected) > 8)
            assert_consistent(app, faulty_demo)
            plan.clear()
            plan.injected.clear()

        plan.add("huge", path="/attempt/msg/")
        # Bodies of attempts already shown are kept between polls (they never change), so
        # the 5 MB body arrives with the next message's first load.
        await pilot.press("j")
        await wait_for(pilot, lambda: len(pane.detail.attempts[0].response) == 5_000_000)
        shown = str(app.main_screen.query_one("#response-body").render())
        assert "Showing 20,000 of 5,000,000 characters" in shown
        plan.clear()

        plan.add("deep", path="/msg/[^/]+$")
        await pilot.press("j")  # the payload is fetched once per message
        await wait_for(
            pilot,
            lambda: (
                pane.detail.msg_id == table(app).selected_key
                and pane.detail.message is not None
                and "a" in (pane.detail.message.payload or {})
            ),
        )
        payload = str(app.main_screen.query_one("#payload-body").render())
        assert payload.startswith('{\n  "a": {\n    "a": {')
        plan.clear()

        assert app.main_screen.errors == {}
        assert_everything_shown_is_human(app)
        await assert_recovers_with_fresh_data(pilot, app, faulty_demo)


async def test_endpoint_deleted_while_open_goes_back_to_the_picker(
    make_faulty_app: Any, plan: FaultPlan, faulty_demo: DemoServer
) -> None:
    endpoint = faulty_demo.world.roles["busiest"]
    app = make_faulty_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_dashboard(pilot, app)
        plan.add("404", path=endpoint.id)
        await wait_for(pilot, lambda: app.data_worker.query.endpoint_id is None)
        (note,) = notifications(app)
        assert note.startswith(f"Endpoint {endpoint.id} is gone")
        assert "Pick another endpoint" in note
        assert_everything_shown_is_human(app)
        # Nothing of the deleted endpoint is left on screen.
        assert table(app).row_count == 0 and detail(app).detail is None
        assert app.focused is app.main_screen.query_one(EndpointPicker).query_one("#endpoint-list")
        assert app.main_screen.errors == {}
        plan.off()
        endpoint_list = app.main_screen.query_one("#endpoint-list", OptionList)
        endpoint_list.highlighted = endpoint_list.get_option_index(endpoint.id)
        await pilot.press("enter")  # it exists again: pick it
        await open_dashboard(pilot, app)
        await assert_recovers_with_fresh_data(pilot, app, faulty_demo)


async def test_401_is_not_retried_until_f5(
    make_faulty_app: Any, plan: FaultPlan, faulty_demo: DemoServer, retry_sleep: Any
) -> None:
    """A rejected token fails each call once (no client retries) and is not polled again:
    the status line says F5 retries, and F5 asks once more."""
    app = make_faulty_app(fast_backoff=False)
    tries: list[float] = []

    def record(method: str, path: str) -> None:
        if path.endswith("/msg"):
            tries.append(time.monotonic())

    async with app.run_test(size=(120, 40)) as pilot:
        await open_dashboard(pilot, app)
        app.data_worker.client._on_request = record
        plan.add("401")
        await wait_for(pilot, lambda: "page" in app.main_screen.errors)
        await pilot.pause(1.5)  # three polls' worth at 0.5 s
        assert_everything_shown_is_human(app)
        assert "Unauthorized" in status_line(app)
        assert "F5 retries" in status_line(app)
        assert retry_sleep.delays == []
        assert len(tries) == 1, tries
        await pilot.press("f5")
        await wait_for(pilot, lambda: len(tries) == 2)


# --- resend: exactly once, and its failures ------------------------------------------------


def manual_attempts(demo: DemoServer, msg_id: str) -> int:
    endpoint = demo.world.roles["busiest"]
    dest = next(d for d in endpoint.dests if demo.world.msg_id(d.msg) == msg_id)
    return sum(1 for a in dest.attempts if a.trigger == 1)


async def resend_highlighted(pilot: Pilot, app: Any) -> str:
    msg_id = table(app).selected_key
    assert msg_id is not None
    await pilot.press("R")
    assert isinstance(app.screen, ConfirmScreen)
    await pilot.press("y")
    return msg_id


async def test_mutations_whose_answer_is_lost_happen_once_and_are_confirmed_once(
    make_faulty_app: Any, plan: FaultPlan, faulty_demo: DemoServer, retry_sleep: Any
) -> None:
    app = make_faulty_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_dashboard(pilot, app)
        msg_id = table(app).selected_key
        before = manual_attempts(faulty_demo, msg_id)
        plan.add("drop", path="/resend$", method="POST", count=1)
        await resend_highlighted(pilot, app)
        await wait_for(pilot, lambda: any("Resent" in n for n in notifications(app)))
        await pilot.pause(0.3)
        assert manual_attempts(faulty_demo, msg_id) == before + 1
        confirmations = [n for n in notifications(app) if n.startswith("Resent")]
        assert len(confirmations) == 1 and confirmations[0].startswith(f"Resent {msg_id}")
        assert not [n for n in notifications(app) if "failed" in n.lower()]
        assert plan.injected == [("drop", "POST", plan.injected[0][2])]
        assert len(retry_sleep.delays) == 1  # one retry, same Idempotency-Key
        await wait_for(
            pilot,
            lambda: (
                sum(1 for a in detail(app).detail.attempts if a.trigger_type == 1) == before + 1
            ),
        )

        # An expunge whose answer is lost: DELETE is retried, the body is gone, said once.
        await pilot.press("enter")  # into the attempts
        attempt = detail(app).selected_attempt
        assert attempt is not None and attempt.response
        plan.injected.clear()
        plan.add("drop", path="/content$", method="DELETE", count=1)
        await pilot.press("X")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await wait_for(pilot, lambda: any("Expunged" in n for n in notifications(app)))
        expunged = [n for n in notifications(app) if "xpunge" in n]
        assert expunged == [
            f"Expunged the response body of {attempt.id}: checked, the server now returns no body."
        ]
        assert plan.injected == [("drop", "DELETE", plan.injected[0][2])]
        assert_everything_shown_is_human(app)


# kind -> (how the notification starts, words it must contain). A refusal (4xx) failed for
# sure; after a 5xx or a network error the server may have acted, so the outcome is unknown.
RESEND_FAILURES = {
    "401": ("Resend failed: ", "Unauthorized"),
    "403": ("Resend failed: ", "Forbidden"),
    "404": ("Resend failed: ", "Not found"),
    "409": ("Resend failed: ", "Conflict"),
    "422": ("Resend failed: ", "Invalid request"),
    "429-retry-after": ("Resend failed: ", "Rate limited"),
    "503": ("Resend outcome unknown", "Server error"),
    "timeout": ("Resend outcome unknown", "timed out"),
    "refused": ("Resend failed, nothing was sent", "could not connect"),
}


async def test_each_resend_failure_is_one_human_notification(
    make_faulty_app: Any, plan: FaultPlan, faulty_demo: DemoServer
) -> None:
    app = make_faulty_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_dashboard(pilot, app)
        msg_id = table(app).selected_key
        assert msg_id is not None
        made = manual_attempts(faulty_demo, msg_id)
        for kind, (start, words) in RESEND_FAILURES.items():
            seen = len(notifications(app))
            plan.add(kind, path="/resend$", method="POST")
            await resend_highlighted(pilot, app)
            await wait_for(pilot, lambda n=seen: len(notifications(app)) > n)
            await pilot.pause(0.1)
            (note,) = notifications(app)[seen:]
            assert note.startswith(start) and words in note, (kind, note)
            assert msg_id in note
            assert_everything_shown_is_human(app)
            assert manual_attempts(faulty_demo, msg_id) == made, kind
            assert_consistent(app, faulty_demo)
            plan.clear()
        seen = len(notifications(app))
        await resend_highlighted(pilot, app)  # trying again works
        await wait_for(
            pilot, lambda: any(n.startswith("Resent") for n in notifications(app)[seen:])
        )
        assert manual_attempts(faulty_demo, msg_id) == made + 1
