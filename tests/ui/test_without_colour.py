"""Status, ticks and failures read without colour; the Linux console gets ASCII marks and boxes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rich.segment import Segment
from rich.style import Style
from textual import _border
from textual.color import Color
from textual.filter import Monochrome
from textual.renderables.bar import Bar

from attempt_tui.api.models import EndpointOut, EndpointStats, MessageStatus
from attempt_tui.ui import format as fmt
from attempt_tui.ui import glyphs
from attempt_tui.ui.ascii_borders import use_ascii_borders
from attempt_tui.ui.no_colour import MIN_CONTRAST, ReadableMonochrome, readable_style
from attempt_tui.ui.widgets.endpoint_picker import EndpointPicker, endpoint_counts
from attempt_tui.ui.widgets.filter_bar import StatusCheckbox
from tests.ui.helpers import open_endpoint_settings, wait_for


@pytest.fixture
def ascii_glyphs() -> Iterator[None]:
    before = glyphs.current()
    glyphs.use(glyphs.ASCII)
    yield
    glyphs.use(before)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"TERM": "linux"}, glyphs.ASCII),
        ({"TERM": "linux-16color"}, glyphs.ASCII),
        ({"TERM": "xterm-256color"}, glyphs.UNICODE),
        ({"TERM": "screen"}, glyphs.UNICODE),
        ({}, glyphs.UNICODE),
        ({"TERM": "xterm", "ATTEMPT_TUI_ASCII": "1"}, glyphs.ASCII),
        ({"TERM": "linux", "ATTEMPT_TUI_ASCII": "0"}, glyphs.UNICODE),
    ],
)
def test_one_place_decides_the_glyphs(environ: dict[str, str], expected) -> None:
    assert glyphs.glyph_set_for(environ) is expected


def test_the_ascii_set_is_ascii_and_every_mark_differs() -> None:
    for glyph_set in (glyphs.UNICODE, glyphs.ASCII):
        marks = [
            glyph_set.success,
            glyph_set.fail,
            glyph_set.pending,
            glyph_set.sending,
            glyph_set.canceled,
        ]
        assert len(set(marks)) == len(marks)
    assert all(value.isascii() for value in vars(glyphs.ASCII).values() if isinstance(value, str))


def test_status_cells_and_counts_use_the_glyph_set(ascii_glyphs) -> None:
    assert fmt.status_text(MessageStatus.FAIL).plain == "x fail"
    assert fmt.status_text(MessageStatus.SUCCESS).plain == "+ success"
    assert glyphs.tick_box(True) == "[x]" and glyphs.tick_box(False) == "[ ]"


def test_unicode_marks_elsewhere() -> None:
    glyphs.use(glyphs.glyph_set_for({"TERM": "xterm-256color"}))
    assert fmt.status_text(MessageStatus.FAIL).plain == "✖ fail"
    assert glyphs.tick_box(True) == "[✔]"


def test_a_failure_is_bold_as_well_as_coloured(demo) -> None:
    assert fmt.status_text(MessageStatus.FAIL).style == "bold red"
    endpoint = demo.world.roles["flaky"]
    out = EndpointOut.model_validate(
        {
            "id": endpoint.id,
            "url": endpoint.url,
            "description": "",
            "version": 1,
            "createdAt": "2026-01-01T00:00:00Z",
            "updatedAt": "2026-01-01T00:00:00Z",
        }
    )
    counts = endpoint_counts(out, EndpointStats(success=1, fail=2, pending=0, sending=0))
    fail_span = next(span for span in counts.spans if "✖2" in counts.plain[span.start : span.end])
    assert "bold" in str(fail_span.style)
    # No failures is plain text, not dim grey.
    none = endpoint_counts(out, EndpointStats(success=1, fail=0, pending=0, sending=0))
    assert all("dim" not in str(span.style) for span in none.spans)


DARK_BACKGROUND = Color(30, 30, 30)


def test_no_colour_keeps_red_text_readable_on_a_dark_background() -> None:
    red_on_panel = Style(color="#e04040", bgcolor="#1c1c1c", bold=True)
    textual_grey = Monochrome().apply([Segment("✖ fail", red_on_panel)], DARK_BACKGROUND)[0]
    ours = ReadableMonochrome().apply([Segment("✖ fail", red_on_panel)], DARK_BACKGROUND)[0]

    def contrast(style: Style) -> float:
        assert style.color is not None and style.bgcolor is not None
        text = Color.from_rich_color(style.color)
        return abs(text.brightness - Color.from_rich_color(style.bgcolor).brightness)

    assert textual_grey.style is not None and ours.style is not None
    assert contrast(textual_grey.style) < MIN_CONTRAST  # what NO_COLOR did: grey on grey
    assert contrast(ours.style) >= MIN_CONTRAST
    assert ours.style.bold
    # Text already readable is left as Textual makes it; so are borders, dim on purpose.
    light = Style(color="#dddddd", bgcolor="#1c1c1c")
    assert (
        readable_style(light, DARK_BACKGROUND).color
        == Monochrome().apply([Segment("x", light)], DARK_BACKGROUND)[0].style.color
    )  # type: ignore[union-attr]
    border = Style(color="#303030", bgcolor="#1c1c1c")
    kept = ReadableMonochrome().apply([Segment("╭──", border)], DARK_BACKGROUND)[0]
    assert kept.style is not None and contrast(kept.style) < MIN_CONTRAST


async def test_no_colour_apps_use_the_readable_filter(
    make_demo_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_demo_app()
    assert app.no_color
    assert any(isinstance(f, ReadableMonochrome) for f in app._filters)
    assert not any(type(f) is Monochrome for f in app._filters)
    monkeypatch.delenv("NO_COLOR")
    assert not any(isinstance(f, ReadableMonochrome) for f in make_demo_app()._filters)


async def test_a_ticked_status_box_differs_by_more_than_colour(make_demo_app, demo) -> None:
    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(EndpointPicker).endpoints != [])
        await pilot.press("slash")
        await pilot.pause()
        boxes = list(app.screen.query(StatusCheckbox))
        assert boxes
        assert all(str(box.render().plain).startswith("[ ]") for box in boxes)
        boxes[2].value = True
        await pilot.pause()
        ticked = boxes[2].render()
        assert ticked.plain.startswith("[✔]")
        assert any(span.style and "bold" in str(span.style) for span in ticked.spans)


@pytest.fixture
def restore_borders() -> Iterator[None]:
    chars, locations = dict(_border.BORDER_CHARS), dict(_border.BORDER_LOCATIONS)
    bars = (Bar.HALF_BAR_LEFT, Bar.BAR, Bar.HALF_BAR_RIGHT)
    yield
    _border.BORDER_CHARS.clear()
    _border.BORDER_CHARS.update(chars)
    _border.BORDER_LOCATIONS.clear()
    _border.BORDER_LOCATIONS.update(locations)
    _border.get_box.cache_clear()
    Bar.HALF_BAR_LEFT, Bar.BAR, Bar.HALF_BAR_RIGHT = bars


def test_ascii_borders_replace_every_box_drawing_style(restore_borders) -> None:
    use_ascii_borders()
    for name in ("round", "thick", "heavy", "solid", "tall", "wide", "double"):
        drawn = "".join("".join(row) for row in _border.BORDER_CHARS[name])  # type: ignore[index]
        assert drawn.isascii(), name
    assert (Bar.HALF_BAR_LEFT, Bar.BAR, Bar.HALF_BAR_RIGHT) == ("-", "-", "-")


async def test_the_linux_console_gets_ascii_on_screen(
    make_demo_app, demo, ascii_glyphs, restore_borders
) -> None:
    app = make_demo_app(**open_endpoint_settings(demo, "flaky"))
    async with app.run_test(size=(120, 40)) as pilot:
        picker = app.screen.query_one(EndpointPicker)
        await wait_for(pilot, lambda: len(picker.stats) == 5)
        screen_text = app.export_screenshot()
        for glyph in ("✔", "✖", "⟳", "╭", "╮", "╰", "╯", "━"):
            assert glyph not in screen_text, glyph
        assert "x fail" in screen_text or "x42" in screen_text


async def test_without_colour_the_selection_is_reversed_or_underlined(
    make_demo_app, demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    from attempt_tui.ui.widgets.endpoint_picker import EndpointList
    from attempt_tui.ui.widgets.message_table import MessageTable

    monkeypatch.setenv("NO_COLOR", "1")
    app = make_demo_app(**open_endpoint_settings(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.screen.query_one(MessageTable)
        await wait_for(pilot, lambda: table.row_count > 0)
        assert table.get_component_rich_style("datatable--cursor").reverse
        option_list = app.screen.query_one(EndpointList)
        highlighted = option_list.get_component_styles("option-list--option-highlighted")
        assert highlighted.text_style.underline


def test_the_timeline_uses_the_glyph_set_too() -> None:
    """On the Linux console the Timeline's outlook, bars and legend are ASCII marks too."""
    from datetime import datetime, timedelta

    from attempt_tui.api.models import MessageAttemptOut, MessageStatus, TriggerType
    from attempt_tui.compat import UTC
    from attempt_tui.retry_schedule import planned_retries
    from attempt_tui.ui import glyphs
    from attempt_tui.ui.widgets.timeline import timeline_text

    t0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    tries = [
        MessageAttemptOut(
            id=f"atmpt_{n}",
            msg_id="msg_1",
            endpoint_id="ep_1",
            url="https://example.test/hook",
            response_status_code=503 if n < 2 else 200,
            status=MessageStatus.FAIL if n < 2 else MessageStatus.SUCCESS,
            trigger_type=TriggerType.SCHEDULED,
            timestamp=t0 + timedelta(minutes=n),
        )
        for n in range(3)
    ]
    glyphs.use(glyphs.ASCII)
    try:
        now = t0 + timedelta(hours=1)
        shown = timeline_text(planned_retries(tries, None, now), now).plain
    finally:
        glyphs.use(glyphs.UNICODE)
    assert not set(shown) & set("✔✖⟳"), shown
    assert "+ success  x fail" in shown and "+ Delivered" in shown
