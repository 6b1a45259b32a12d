"""Column widths follow the window and the data: the pure fitting, then the real screens."""

from __future__ import annotations

import pytest
from rich.text import Text

from attempt_tui.ui.widgets.column_fit import ColumnSpec, fit_columns
from attempt_tui.ui.widgets.endpoint_picker import (
    EndpointList,
    EndpointPicker,
    picker_width,
)
from attempt_tui.ui.widgets.message_table import MESSAGE_COLUMNS, MessageTable
from tests.ui.helpers import open_endpoint_settings, wait_for

SPECS = (
    ColumnSpec("a", "A", 4, 4),
    ColumnSpec("b", "Bee", 5, 40, hide_order=2),
    ColumnSpec("c", "Cee", 5, 40, hide_order=1, short_label="C"),
)


def test_room_to_spare_goes_to_the_last_column_and_nothing_is_cut() -> None:
    widths = fit_columns(SPECS, {"a": 4, "b": 10, "c": 6}, 40, padding=2)
    assert widths == {"a": 4, "b": 10, "c": 40 - 6 - 4 - 10}


def test_when_short_the_widest_column_gives_way_first() -> None:
    # Wanted 4 + 30 + 8 = 42, room for 30: only b is cut, c keeps its whole value.
    widths = fit_columns(SPECS, {"a": 4, "b": 30, "c": 8}, 30 + 6, padding=2)
    assert widths == {"a": 4, "b": 18, "c": 8}
    # Both wide: both are cut to about the same width, none below its minimum.
    widths = fit_columns(SPECS, {"a": 4, "b": 30, "c": 30}, 30 + 6, padding=2)
    assert widths == {"a": 4, "b": 13, "c": 13}


def test_below_the_minimums_columns_are_hidden_in_their_order() -> None:
    assert list(fit_columns(SPECS, {}, 4 + 5 + 5 + 6, padding=2)) == ["a", "b", "c"]
    assert list(fit_columns(SPECS, {}, 4 + 5 + 5 + 5, padding=2)) == ["a", "b"]
    assert list(fit_columns(SPECS, {}, 6, padding=2)) == ["a"]
    assert fit_columns(SPECS, {}, 0, padding=2) == {"a": 4}  # never-hidden columns stay


def test_the_short_label_is_used_when_the_label_does_not_fit() -> None:
    spec = SPECS[2]
    assert spec.header(3) == "Cee" and spec.header(2) == "C"
    # A column is not made wider for its long label: its short one is enough.
    assert fit_columns((spec,), {"c": 1}, 5, padding=0) == {"c": 5}


@pytest.mark.parametrize(("screen", "picker"), [(100, 34), (120, 34), (160, 47), (200, 60)])
def test_the_picker_grows_with_the_window(screen: int, picker: int) -> None:
    assert picker_width(screen) == picker
    assert picker_width(1000) == 72


def table(app) -> MessageTable:
    return app.screen.query_one(MessageTable)


def cell_widths(app) -> dict[str, int]:
    return table(app)._wanted


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        ((80, 24), ["status", "created", "event_type", "id", "next", "channels"]),
        ((120, 40), [spec.key for spec in MESSAGE_COLUMNS]),
        ((200, 50), [spec.key for spec in MESSAGE_COLUMNS]),
    ],
)
async def test_message_columns_follow_the_window(make_demo_app, demo, size, shown) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: table(app).row_count > 0)
        widths = table(app).widths
        assert list(widths) == shown
        # The columns fill the table's width (less its scrollbar), and never more.
        used = sum(widths.values()) + 2 * len(widths)
        assert used == table(app).size.width - table(app).styles.scrollbar_size_vertical
        columns = [str(column.label) for column in table(app).ordered_columns]
        assert len(columns) == len(shown)
        if size == (200, 50):  # wide: no value is cut
            wanted = cell_widths(app)
            assert all(widths[key] >= wanted[key] for key in widths), (widths, wanted)


async def test_a_cut_cell_ends_in_an_ellipsis(make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: table(app).row_count > 0)
        cut = [
            cell
            for row in table(app)._shown.values()
            for cell in row
            if isinstance(cell, Text) and cell.overflow == "ellipsis" and cell.no_wrap
        ]
        assert cut  # every cell is set to end in "…" when too wide, none wraps
        lines = app.screen.query_one(MessageTable).render_lines(table(app).region.reset_offset)
        assert any("…" in line.text for line in lines)


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 50)])
async def test_the_picker_shows_one_line_per_endpoint(make_demo_app, size) -> None:
    app = make_demo_app()
    async with app.run_test(size=size) as pilot:
        picker = app.screen.query_one(EndpointPicker)
        await wait_for(pilot, lambda: len(picker.endpoints) == 5 and len(picker.stats) == 5)
        option_list = picker.query_one(EndpointList)
        option_list._update_lines()
        assert option_list.option_count == 5
        assert [option_list._heights[i] for i in range(5)] == [1] * 5
        assert option_list.virtual_size.height == 5
        if size[0] >= 100:
            assert picker.outer_size.width == picker_width(size[0])
        for index in range(5):
            prompt = option_list.get_option_at_index(index).prompt
            assert isinstance(prompt, Text) and "\n" not in prompt.plain
            assert prompt.cell_len <= option_list.size.width


def test_a_picker_line_shows_hostile_text_inert_and_on_one_line() -> None:
    from datetime import datetime

    from attempt_tui.api.models import EndpointOut, EndpointStats
    from attempt_tui.compat import UTC
    from attempt_tui.ui.widgets.endpoint_picker import LineLayout, endpoint_prompt

    endpoint = EndpointOut(
        id="ep_1",
        url="https://evil.example/\x1b]52;c;aGk=\x07path\nnext-line",
        description="[@click=app.quit]desc\x1b[2J",
        version=1,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        updated_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    stats = EndpointStats(success=1, fail=2, pending=3, sending=0)
    layout = LineLayout.fit(
        ["[@click=app.quit]desc\x1b[2J"], [endpoint.url], [Text("✔1 ✖2 …3")], 80
    )
    line = endpoint_prompt(endpoint, stats, layout)
    assert "\x1b" not in line.plain and "\x07" not in line.plain and "\n" not in line.plain
    assert "\\x1b" in line.plain and "[@click=app.quit]" in line.plain  # shown, as text
    assert line.cell_len <= 80 and line.plain.rstrip().endswith("✔1 ✖2 …3")
