"""What faults must show in the UI and the worker, beyond "no crash".

Each test states the behaviour a support engineer needs when a fault hits mid-task.
"""

from __future__ import annotations

from typing import Any

from textual.geometry import Region

from attempt_tui.demo.faults import TARGETS, FaultPlan
from attempt_tui.demo.server import DemoServer
from attempt_tui.ui.widgets.context_bar import ContextBar
from tests.faults.support import notifications
from tests.faults.test_app_faults import (
    detail,
    manual_attempts,
    open_dashboard,
    resend_highlighted,
    table,
)
from tests.ui.helpers import wait_for

ATTEMPTS_OF_MESSAGE = "/attempt/msg/"


async def test_detail_pane_tells_the_truth_when_the_detail_cannot_load(
    make_faulty_app: Any, plan: FaultPlan, faulty_demo: DemoServer
) -> None:
    app = make_faulty_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_dashboard(pilot, app)
        plan.add("503", path=ATTEMPTS_OF_MESSAGE)
        await pilot.press("j")
        await wait_for(pilot, lambda: "detail" in app.main_screen.errors)
        shown = detail(app).detail
        summary = str(app.main_screen.query_one("#summary").render())
        assert shown is None or shown.msg_id == table(app).selected_key, (
            f"detail pane shows {shown.msg_id if shown else None} "
            f"while {table(app).selected_key} is highlighted"
        )
        assert "Highlight a message" not in summary


async def test_freshness_is_not_claimed_while_the_messages_fail(
    make_faulty_app: Any, plan: FaultPlan, faulty_demo: DemoServer
) -> None:
    app = make_faulty_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_dashboard(pilot, app)
        bar = app.main_screen.query_one(ContextBar)
        path, method = TARGETS["messages"]
        plan.add("503", path=path, method=method)
        await wait_for(pilot, lambda: "page" in app.main_screen.errors)
        app.monotonic.value += 120  # two minutes pass; the messages keep failing
        failed = len(plan.injected)
        await pilot.press("f5")  # the endpoint list loads; the messages fail again
        await wait_for(pilot, lambda: len(plan.injected) > failed)
        await pilot.pause(1.2)  # the freshness ticker runs every second
        assert "page" in app.main_screen.errors
        assert "just now" not in bar.freshness, bar.freshness


async def test_expunge_that_happened_is_not_reported_as_failed(
    make_faulty_app: Any, plan: FaultPlan, faulty_demo: DemoServer
) -> None:
    app = make_faulty_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_dashboard(pilot, app)
        msg_id = table(app).selected_key
        await pilot.press("enter")  # into the attempts
        attempt = detail(app).selected_attempt
        assert attempt is not None and attempt.response
        plan.add("503", path=r"/msg/[^/]+/attempt/[^/]+$", method="GET")
        await pilot.press("X", "y")
        await wait_for(pilot, lambda: any("Expunge" in n for n in notifications(app)))
        world = faulty_demo.world
        message = world.message(world.roles["busiest"].app, msg_id)
        assert world.attempt(message, attempt.id).expunged  # it did happen
        assert not [n for n in notifications(app) if n.startswith("Expunge failed")], notifications(
            app
        )


async def test_resend_with_every_answer_lost_is_not_reported_as_failed(
    make_faulty_app: Any, plan: FaultPlan, faulty_demo: DemoServer
) -> None:
    app = make_faulty_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_dashboard(pilot, app)
        msg_id = table(app).selected_key
        before = manual_attempts(faulty_demo, msg_id)
        plan.add("drop", path="/resend$", method="POST")
        await resend_highlighted(pilot, app)
        await wait_for(pilot, lambda: any("Resen" in n for n in notifications(app)))
        assert manual_attempts(faulty_demo, msg_id) == before + 1  # it did happen, once
        assert not [n for n in notifications(app) if n.startswith("Resend failed")], notifications(
            app
        )


async def test_a_rejected_token_is_fully_explained_at_80_columns(
    make_faulty_app: Any, plan: FaultPlan, faulty_demo: DemoServer
) -> None:
    app = make_faulty_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dashboard(pilot, app)
        plan.add("401")
        lanes = {"page": "messages", "detail": "attempts", "endpoints": "endpoints"}
        await wait_for(pilot, lambda: lanes.keys() <= app.main_screen.errors.keys(), timeout=10)
        await pilot.pause(0.1)
        status = app.main_screen.query_one("#status-line")
        visible = " ".join(strip.text for strip in status.render_lines(Region(0, 0, *status.size)))
        assert "Unauthorized" in visible
        for name in lanes.values():
            assert name in visible, f"{name!r} not visible in {visible!r}"


async def test_f5_after_a_fault_clears_the_error_once_data_loads(
    make_faulty_app: Any, plan: FaultPlan, faulty_demo: DemoServer
) -> None:
    app = make_faulty_app(fast_backoff=False)  # the lane's own retry is a second away
    app.data_worker.jitter = lambda: 0.5
    async with app.run_test(size=(120, 40)) as pilot:
        await open_dashboard(pilot, app)
        path, method = TARGETS["messages"]
        plan.add("503", path=path, method=method)
        await wait_for(pilot, lambda: "page" in app.main_screen.errors)
        plan.off()
        loaded = app.main_screen.page
        await pilot.press("f5")
        await wait_for(pilot, lambda: app.main_screen.page is not loaded)
        await pilot.pause(0.3)
        assert app.main_screen.errors == {}, app.main_screen.errors


async def test_back_on_page_1_new_messages_appear(
    make_faulty_app: Any, plan: FaultPlan, faulty_demo: DemoServer
) -> None:
    app = make_faulty_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_dashboard(pilot, app)
        screen = app.main_screen
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: screen.page is not None and screen.page.page_number == 2)
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: screen.page is not None and screen.page.page_number == 1)
        world = faulty_demo.world
        world.tick(120)
        newest = world.msg_id(world.roles["busiest"].dests[-1].msg)
        # A poll (every 0.5 s) brings it: waited for in pauses asked, not a span of real time
        # a starved process may spend without running.
        await wait_for(pilot, lambda: newest in table(app).messages)
