"""What the screen shows after go-to, resend and expunge is what the server now holds."""

from __future__ import annotations

from textual.widgets import Static

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
