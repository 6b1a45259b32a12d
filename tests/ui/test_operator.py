"""Copy, export, recover and go-to from the dashboard, against the demo world."""

from __future__ import annotations

import base64
import json
import re

from textual.widgets import Input

from attempt_tui.ui.screens.copy import CopyScreen
from attempt_tui.ui.screens.export import ExportScreen
from attempt_tui.ui.screens.main import MainScreen
from attempt_tui.ui.screens.recover import RecoverScreen
from attempt_tui.ui.widgets.detail import DetailPane
from attempt_tui.ui.widgets.message_table import MessageTable
from tests.ui.helpers import open_endpoint_settings, wait_for


def capture_terminal(app) -> list[str]:
    written: list[str] = []
    app.main_screen._write_terminal = written.append
    return written


def decoded_clipboard(sequence: str) -> str:
    match = re.search(r"\x1b\]52;c;([A-Za-z0-9+/=]*)\x07", sequence)
    assert match, "not an OSC 52 sequence"
    return base64.b64decode(match.group(1)).decode()


async def test_y_copies_the_highlighted_message_id(make_demo_app, demo, monkeypatch) -> None:
    monkeypatch.delenv("TMUX", raising=False)
    monkeypatch.delenv("STY", raising=False)
    app = make_demo_app(**open_endpoint_settings(demo))
    written = capture_terminal(app)
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.screen.query_one(MessageTable)
        await wait_for(pilot, lambda: table.row_count > 0)
        await pilot.press("y")
        assert decoded_clipboard(written[-1]) == table.selected_key
        said = " ".join(str(n.message) for n in app._notifications)
        assert f"Sent the message id {table.selected_key}" in said
        assert "the message list has the focus" in said


async def test_y_inside_tmux_that_drops_it_says_so_and_offers_the_text(
    make_demo_app, demo, monkeypatch
) -> None:
    from attempt_tui.clipboard import TmuxClipboard
    from attempt_tui.ui.screens.copy import CopyTextScreen
    from attempt_tui.ui.widgets.detail import AttemptTable

    monkeypatch.setenv("TMUX", "/tmp/tmux-1000/default,123,0")
    app = make_demo_app(**open_endpoint_settings(demo))
    written = capture_terminal(app)
    app.main_screen.tmux_probe = lambda: TmuxClipboard("external", "off")
    async with app.run_test(size=(120, 40)) as pilot:
        detail = app.screen.query_one(DetailPane)
        await wait_for(pilot, lambda: detail.detail is not None)
        await pilot.press("enter")  # into the attempts: y copies the attempt id
        assert isinstance(app.focused, AttemptTable)
        attempt = detail.selected_attempt
        await pilot.press("y")
        assert decoded_clipboard(written[-1]) == attempt.id
        note = list(app._notifications)[-1]
        said = str(note.message)
        assert said.startswith(
            f"Not copied: tmux drops clipboard writes from programs, so the attempt id {attempt.id}"
        )
        assert "the attempts have the focus" in said and "set -g set-clipboard on" in said
        assert note.severity == "warning"
        await pilot.press("Y")
        assert isinstance(app.screen, CopyScreen)
        keys = [choice.key for choice in app.screen.choices]
        app.screen.query_one("#copy-choices").highlighted = keys.index("attempt")
        await pilot.press("v")
        assert isinstance(app.screen, CopyTextScreen)
        assert attempt.id in str(app.screen.query_one("#copy-text").render())
        await pilot.press("escape")
        assert isinstance(app.screen, CopyScreen)


async def test_copy_menu_offers_payload_and_replay_commands(make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    written = capture_terminal(app)
    async with app.run_test(size=(120, 40)) as pilot:
        detail = app.screen.query_one(DetailPane)
        await wait_for(pilot, lambda: detail.detail is not None)
        await pilot.press("Y")
        assert isinstance(app.screen, CopyScreen)
        keys = [choice.key for choice in app.screen.choices]
        assert {"msg", "payload", "curl", "svix", "body"} <= set(keys)
        app.screen.query_one("#copy-choices").highlighted = keys.index("curl")
        await pilot.press("enter")
        command = decoded_clipboard(written[-1])
        assert "$SVIX_AUTH_TOKEN" in command and "demo-token" not in command
        assert table_key(app) in command
        await pilot.press("Y")
        app.screen.query_one("#copy-choices").highlighted = keys.index("payload")
        await pilot.press("enter")
        assert json.loads(decoded_clipboard(written[-1])) == detail.detail.message.payload


def table_key(app) -> str:
    return app.screen.query_one(MessageTable).selected_key


async def test_export_page_and_message(make_demo_app, demo, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        detail = app.screen.query_one(DetailPane)
        await wait_for(pilot, lambda: detail.detail is not None)
        await pilot.press("e")
        assert isinstance(app.screen, ExportScreen)
        app.screen.query_one(Input).value = "page.jsonl"  # relative: told as a full path
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        page_file = tmp_path / "page.jsonl"
        header, *rows = [json.loads(line) for line in page_file.read_text().splitlines()]
        assert header["kind"] == "page" and len(rows) == 50
        assert header["payloads"] == "included" and header["payloads_left_out"] == []
        # The payloads are the API's, not the empty {} of a list without content.
        assert all(row["payload"] for row in rows)
        selected = next(row for row in rows if row["id"] == detail.detail.msg_id)
        assert selected["payload"] == detail.detail.message.payload
        assert any(str(page_file) in str(n.message) for n in app._notifications)
        # Again to the same file: refused without overwrite, said in the dialog.
        await pilot.press("e")
        app.screen.query_one(Input).value = str(page_file)
        await pilot.press("enter")
        await wait_for(pilot, lambda: not app.screen.running)
        assert isinstance(app.screen, ExportScreen)
        assert "Export failed" in str(app.screen.query_one("#export-progress").render())
        await pilot.press("escape")
        await pilot.press("enter")  # into the attempts: now one message is exported
        await pilot.press("e")
        message_file = tmp_path / "message.jsonl"
        app.screen.query_one(Input).value = str(message_file)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        header = json.loads(message_file.read_text().splitlines()[0])
        assert header["kind"] == "message" and header["msg_id"] == detail.detail.msg_id
        assert "demo-token" not in message_file.read_text()


async def test_export_can_leave_payloads_out_and_says_so(make_demo_app, demo, tmp_path) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    requests: list[tuple[str, str]] = []
    async with app.run_test(size=(120, 40)) as pilot:
        detail = app.screen.query_one(DetailPane)
        await wait_for(pilot, lambda: detail.detail is not None)
        app.data_worker.client._on_request = lambda method, path: requests.append((method, path))
        await pilot.press("e")
        app.screen.query_one(Input).value = str(tmp_path / "bare.jsonl")
        app.screen.query_one("#export-no-payloads").value = True
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        header, *rows = [
            json.loads(line) for line in (tmp_path / "bare.jsonl").read_text().splitlines()
        ]
        assert header["payloads"] == "left out (not fetched)"
        assert all(row["payload"] is None for row in rows)
        assert not [r for r in requests if r[1].endswith("/msg")]
        assert any("payloads left out" in str(n.message) for n in app._notifications)


async def test_a_page_export_fetches_payloads_in_pages_with_progress(make_demo_app, demo) -> None:
    from attempt_tui.worker.export_fetch import fetch_page_payloads

    app = make_demo_app(page_size=250, **open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.main_screen.page is not None)
        page = app.main_screen.page
        assert len(page.items) == 250
        seen: list[tuple[int, int, int]] = []
        fetched = await fetch_page_payloads(
            app.data_worker.client, page, lambda *step: seen.append(step)
        )
        assert fetched.missing == [] and all(m.payload for m in fetched.items)
        assert [m.id for m in fetched.items] == [m.id for m in page.items]
        assert fetched.requests <= 2  # pages of 250, not a request per message
        assert seen[0] == (0, 250, 0) and seen[-1][0] == 250


async def test_recover_from_the_flaky_endpoint(make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo, "flaky"))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(MessageTable).row_count > 0)
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, RecoverScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_recover_is_greyed_and_explained_when_read_only(make_demo_app, demo) -> None:
    app = make_demo_app(read_only=True, **open_endpoint_settings(demo, "flaky"))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(MessageTable).row_count > 0)
        assert app.screen.check_action("recover", ()) is None
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, MainScreen)
        assert any("recover is disabled" in str(n.message) for n in app._notifications)


async def test_go_to_a_message_id_from_another_endpoint(make_demo_app, demo) -> None:
    import httpx

    from attempt_tui.api.client import SvixClient
    from attempt_tui.secret import Secret

    target_endpoint = demo.world.roles["flaky"]
    probe = SvixClient(Secret("t"), "http://d", transport=httpx.ASGITransport(app=demo.asgi_app))
    page = await probe.list_attempted_messages(
        target_endpoint.app.id, target_endpoint.id, limit=250
    )
    await probe.aclose()
    wanted = page.data[120]  # deep in the list: not on the first page
    # Start in another app: the message's app and one of its endpoints must be found.
    app = make_demo_app(**open_endpoint_settings(demo, "fulfilment"))
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.screen.query_one(MessageTable)
        await wait_for(pilot, lambda: table.row_count > 0)
        app.main_screen.go_to(wanted.id)
        await wait_for(pilot, lambda: table.selected_key == wanted.id)
        assert app.data_worker.query.app_id == target_endpoint.app.id
        destinations = [e.id for e in target_endpoint.app.endpoints]
        assert app.data_worker.query.endpoint_id in destinations
        assert app.main_screen.page.has_prev
        info = str(app.screen.query_one("#page-info").render())
        assert info.startswith("From ")


async def test_palette_lists_actions_and_offers_go_to(make_demo_app, demo) -> None:
    from textual.command import CommandPalette

    from attempt_tui.ui.palette import AttemptCommands

    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(MessageTable).row_count > 0)
        provider = AttemptCommands(app.main_screen)
        names = [command.name for command in provider.commands()]
        assert "Resend" in names and "Next page" in names
        assert any(name.startswith("Endpoint: https://") for name in names)
        hits = [hit async for hit in provider.search("msg_3xyzabc")]
        assert str(hits[0].match_display).startswith("Go to msg_3xyzabc")
        hits = [hit async for hit in provider.search("acme-payments/evt_1")]
        assert str(hits[0].match_display).startswith("Go to acme-payments/evt_1")
        hits = [hit async for hit in provider.search("a/b/c/d")]
        assert not hits or not str(hits[0].match_display).startswith("Go to")
        await pilot.press("colon")
        await pilot.pause()
        assert CommandPalette.is_open(app)


async def test_picker_finds_sorts_and_changes_the_stats_window(make_demo_app, demo) -> None:
    from datetime import timedelta

    from attempt_tui.ui.widgets.endpoint_picker import EndpointPicker

    app = make_demo_app()
    requests: list[str] = []
    app.data_worker.client._on_request = lambda method, path: requests.append(path)
    async with app.run_test(size=(120, 40)) as pilot:
        picker = app.screen.query_one(EndpointPicker)
        await wait_for(pilot, lambda: len(picker.stats) == len(picker.endpoints) > 0)
        await pilot.press("s")
        shown = picker.visible_endpoints()
        fails = [picker.stats[e.id].fail for e in shown]
        assert fails == sorted(fails, reverse=True)
        await pilot.press("slash")
        await pilot.press(*"ledger")
        assert [e.uid for e in picker.visible_endpoints()] == ["ledger-prod"]
        assert app.screen.query_one("#endpoint-list").option_count == 1
        await pilot.press("enter")  # back to the list
        before = len([p for p in requests if p.endswith("/stats")])
        await pilot.press("w")
        assert picker.window.span == timedelta(hours=24)
        assert app.data_worker.stats_span == timedelta(hours=24)
        await wait_for(pilot, lambda: len([p for p in requests if p.endswith("/stats")]) > before)
        await pilot.press("slash", *"crm", "escape")  # escape drops the search
        assert picker.text_filter == "" and not app.screen.query_one("#endpoint-find").display
        assert len(picker.visible_endpoints()) == len(picker.endpoints)
        assert app.screen.focused is app.screen.query_one("#endpoint-list")


async def test_destinations_jump_to_the_same_message_elsewhere(make_demo_app, demo) -> None:
    from textual.widgets import TabbedContent

    app = make_demo_app(**open_endpoint_settings(demo, "flaky"))
    async with app.run_test(size=(120, 40)) as pilot:
        detail = app.screen.query_one(DetailPane)
        await wait_for(pilot, lambda: detail.detail is not None)
        assert detail.detail.destinations is None  # not asked for until their tab opens
        app.screen.query_one("#detail-tabs", TabbedContent).active = "tab-destinations"
        await wait_for(pilot, lambda: detail.detail is not None and detail.detail.destinations)
        msg_id = detail.detail.msg_id
        others = [d.id for d in detail.detail.destinations if d.id != detail.detail.endpoint_id]
        assert others, "the demo sends messages to several endpoints"
        destinations = app.screen.query_one("#destinations")
        destinations.focus()
        destinations.move_cursor(row=destinations.get_row_index(others[0]))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.data_worker.query.endpoint_id == others[0])
        table = app.screen.query_one(MessageTable)
        await wait_for(pilot, lambda: table.selected_key == msg_id)


async def test_headers_tab_masks_sensitive_headers_and_timeline_shows(make_demo_app, demo) -> None:
    from textual.widgets import TabbedContent

    from attempt_tui.ui.widgets.headers import AttemptHeaders
    from attempt_tui.ui.widgets.timeline import RetryTimeline

    app = make_demo_app(**open_endpoint_settings(demo, "flaky"))
    async with app.run_test(size=(120, 40)) as pilot:
        detail = app.screen.query_one(DetailPane)
        await wait_for(pilot, lambda: detail.detail is not None)
        while not detail.detail.attempts:  # the newest may not have been tried yet
            current = detail.detail.msg_id
            await pilot.press("j")
            await wait_for(pilot, lambda: detail.detail.msg_id != current)  # noqa: B023
        timeline = str(app.screen.query_one(RetryTimeline).render())
        assert "#1" in timeline
        app.screen.query_one("#detail-tabs", TabbedContent).active = "tab-headers"
        headers = app.screen.query_one(AttemptHeaders)
        await wait_for(pilot, lambda: "svix-id" in str(headers.render()).lower())
        shown = str(headers.render())
        assert "svix-signature" in shown.lower() and "v1," not in shown
        assert "sensitive" in shown
