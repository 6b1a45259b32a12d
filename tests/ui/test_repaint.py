"""What a poll repaints (issue #5, figure 3): only what changed, and no layout.

Textual writes to the terminal what widgets mark dirty, so these tests spy on
`Widget.refresh`: a whole-widget refresh (no regions) repaints the widget's whole
region, a layout refresh also repaints every scrollbar on the screen.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from rich.text import Text
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Static

from attempt_tui.demo.model import FAIL, SUCCESS
from attempt_tui.ui.format import status_label
from attempt_tui.ui.messages import WorkerUpdate
from attempt_tui.ui.widgets.endpoint_picker import EndpointList, EndpointPicker
from attempt_tui.ui.widgets.message_table import MessageTable
from attempt_tui.ui.widgets.repaint import same_text, set_border_title, update_static
from attempt_tui.worker import DetailLoaded, EndpointsLoaded, PageLoaded
from tests.ui.helpers import open_endpoint_settings, wait_for

CHANGED_ROW, CURSOR_ROW = 1, 3


@dataclass
class Refresh:
    widget: Widget
    regions: tuple[Region, ...]
    layout: bool


class RefreshSpy:
    def __init__(self) -> None:
        self.calls: list[Refresh] = []
        self.recording = False

    def of(self, widget: Widget) -> list[Refresh]:
        return [call for call in self.calls if call.widget is widget]

    def describe(self) -> list[str]:
        return [
            f"{type(c.widget).__name__}#{c.widget.id} {list(c.regions)} layout={c.layout}"
            for c in self.calls
        ]


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Iterator[RefreshSpy]:
    spy = RefreshSpy()
    original = Widget.refresh

    def refresh(self: Widget, *regions: Region, **options: bool) -> Widget:
        if spy.recording:
            spy.calls.append(Refresh(self, regions, bool(options.get("layout"))))
        return original(self, *regions, **options)

    monkeypatch.setattr(Widget, "refresh", refresh)
    yield spy


async def _open_at_row(pilot, app, demo, row: int) -> MessageTable:
    table = app.screen.query_one(MessageTable)
    await wait_for(pilot, lambda: table.row_count > row)
    for _ in range(row):
        await pilot.press("j")
    await wait_for(
        pilot,
        lambda: (
            app.main_screen.query_one("#detail").detail is not None
            and app.main_screen.query_one("#detail").detail.msg_id == table.selected_key
        ),
    )
    endpoint_list = app.screen.query_one(EndpointList)
    await wait_for(pilot, lambda: endpoint_list.option_count > 0)
    await pilot.pause()
    return table


def _flip(demo, row: int) -> tuple[str, str]:
    """Change the delivery status of the row-th newest message; (msg id, new status label)."""
    world = demo.world
    endpoint = world.roles["busiest"]
    with world.lock:
        dest = world.list_attempted_messages(endpoint, limit=row + 1, iterator=None).items[row]
        dest.status = FAIL if dest.status == SUCCESS else SUCCESS
        return world.msg_id(dest.msg), status_label(dest.status)


async def test_one_changed_status_repaints_one_cell_and_one_endpoint(
    make_demo_app, demo, spy: RefreshSpy
) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        table = await _open_at_row(pilot, app, demo, CURSOR_ROW)
        endpoint_list = app.screen.query_one(EndpointList)
        busiest = demo.world.roles["busiest"].id
        old_prompt = endpoint_list.get_option(busiest).prompt
        selected = table.selected_key

        msg_id, label = _flip(demo, CHANGED_ROW)
        spy.recording = True
        app.data_worker.refresh_now()
        await wait_for(pilot, lambda: status_label(table.messages[msg_id].status) == label)
        await wait_for(pilot, lambda: endpoint_list.get_option(busiest).prompt != old_prompt)
        await pilot.pause()
        spy.recording = False

        assert table.get_row_index(msg_id) == CHANGED_ROW
        assert table.selected_key == selected and table.cursor_row == CURSOR_ROW
        assert [c for c in spy.calls if c.layout] == [], spy.describe()
        whole = [c for c in spy.calls if not c.regions]
        assert whole == [], spy.describe()
        # The table: the status cell of the changed row, and nothing else.
        cell = table._get_cell_region((CHANGED_ROW, 0)).translate(-table.scroll_offset)
        assert [c.regions for c in spy.of(table)] == [(cell,)]
        # The endpoint list: the lines of the endpoint whose counts changed.
        height = endpoint_list._heights[endpoint_list.get_option_index(busiest)]
        (call,) = spy.of(endpoint_list)
        (region,) = call.regions
        assert region.height == height
        assert {type(c.widget) for c in spy.calls} == {MessageTable, EndpointList}
        # What is drawn there is the new text.
        row_line = table.render_line(table.header_height + CHANGED_ROW - round(table.scroll_y))
        assert label in row_line.text
        stats_line = endpoint_list.get_option(busiest).prompt.plain.splitlines()[-1]
        drawn = [endpoint_list.render_line(y).text for y in range(endpoint_list.size.height)]
        assert any(stats_line.strip() in line for line in drawn)


async def test_a_poll_with_the_same_data_repaints_nothing(
    make_demo_app, demo, spy: RefreshSpy
) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_at_row(pilot, app, demo, CURSOR_ROW)
        screen = app.main_screen
        picker = screen.query_one(EndpointPicker)
        detail = screen.query_one("#detail").detail
        assert screen.page is not None and detail is not None
        # Equal values in new objects, as a poll delivers them.
        events = [
            PageLoaded(copy.deepcopy(screen.page)),
            EndpointsLoaded(
                screen.worker.query.app_id,
                copy.deepcopy(picker.endpoints),
                copy.deepcopy(picker.stats),
            ),
            DetailLoaded(copy.deepcopy(detail)),
        ]
        spy.recording = True
        for event in events:
            screen.post_message(WorkerUpdate(event))
        screen._tick_freshness()  # also re-shows the page for relative times now and then
        await pilot.pause()
        await pilot.pause()
        spy.recording = False
        assert spy.calls == [], spy.describe()


async def test_endpoint_list_rebuilds_when_its_order_changes(make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_at_row(pilot, app, demo, 0)
        picker = app.main_screen.query_one(EndpointPicker)
        endpoint_list = picker.query_one(EndpointList)
        endpoints = list(reversed(picker.endpoints))
        picker.show_endpoints(endpoints, endpoints[0].id)
        await pilot.pause()
        assert [o.id for o in endpoint_list.options] == [e.id for e in endpoints]


def test_same_text_sees_the_base_style() -> None:
    assert same_text(Text("x", style="red"), Text("x", style="red"))
    assert not same_text(Text("x", style="red"), Text("x", style="green"))
    assert not same_text(Text("x"), Text("y"))
    assert not same_text(Text("x"), "x")
    assert same_text("x", "x")


async def test_equal_static_and_border_title_are_not_set_again(spy: RefreshSpy) -> None:
    from textual.app import App, ComposeResult

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield Static(Text("a", style="dim"), id="s")

    app = One()
    async with app.run_test() as pilot:
        static = app.query_one("#s", Static)
        await pilot.pause()
        spy.recording = True
        assert not update_static(static, Text("a", style="dim"))
        assert set_border_title(static, Text.assemble("T · ", Text("u", style="bold")))
        assert not set_border_title(static, Text.assemble("T · ", Text("u", style="bold")))
        assert set_border_title(static, "", subtitle=True)
        assert not set_border_title(static, "", subtitle=True)
        assert len(spy.calls) == 2, spy.describe()
        assert update_static(static, Text("a", style="bold"))
        assert static.content.style == "bold"
