"""The filter bar (`/`) and the chips that show active filters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.keys import REPLACED_KEYS, key_to_character
from textual.message import Message
from textual.style import Style as TextualStyle
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from attempt_tui import safe
from attempt_tui.api.models import MessageStatus
from attempt_tui.timeparse import TimeParseError, format_when, parse_when
from attempt_tui.ui.glyphs import tick_box
from attempt_tui.worker import Filters

# Like the Svix App Portal: (label, after, before) as the time fields would be typed.
TIME_PRESETS: tuple[tuple[str, str, str], ...] = (
    ("Any time", "", ""),
    ("Last 5 hours", "5h", ""),
    ("Yesterday", "yesterday", "today"),
    ("Last week", "1w", ""),
    ("Custom…", "", ""),
)
CUSTOM_PRESET = "Custom…"

STATUS_CHOICES: tuple[tuple[str, int], ...] = (
    ("success", MessageStatus.SUCCESS),
    ("pending", MessageStatus.PENDING),
    ("fail", MessageStatus.FAIL),
    ("sending", MessageStatus.SENDING),
    ("canceled", MessageStatus.CANCELED),
)


def filter_chips(filters: Filters) -> Text:
    """One line naming every active filter, e.g. `[status: fail,pending] [tag: vip]`."""
    if not filters.active:
        return Text("No filters · / to filter", style="dim")
    chips = Text()

    def chip(name: str, value: Text | str) -> None:
        if chips:
            chips.append(" ")
        chips.append(f" {name}: ", style="reverse")
        chips.append_text(value if isinstance(value, Text) else Text(value, style="reverse"))
        chips.append(" ", style="reverse")

    if filters.statuses:
        names = [name for name, value in STATUS_CHOICES if value in filters.statuses]
        chip("status", Text(",".join(names), style="reverse"))
    if filters.channel:
        chip("channel", safe.text(filters.channel, max_len=40, style="reverse"))
    if filters.event_types:
        chip("event", safe.text(",".join(filters.event_types), max_len=60, style="reverse"))
    if filters.tag:
        chip("tag", safe.text(filters.tag, max_len=40, style="reverse"))
    if filters.after:
        chip("after", format_when(filters.after))
    if filters.before:
        chip("before", format_when(filters.before))
    chips.append("  esc/c clears", style="dim")
    return chips


class StatusCheckbox(Checkbox, inherit_bindings=False):
    """A checkbox toggled by space only, so enter applies the whole filter bar.

    Ticked reads `[✔]` in bold and unticked `[ ]`, so they differ without colour too.
    """

    BINDINGS = [Binding("space", "toggle_button", "Toggle", show=False, id="filters.toggle")]

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")
        box = tick_box(self.value)
        if self.value:
            return Content.styled(box, style + TextualStyle(bold=True))
        return Content(box)  # in the label's own colour, so the empty box shows too


class FilterBar(Vertical):
    """Edit filters; enter applies, escape closes without applying."""

    HELP_SECTION = "Filter bar"
    BINDINGS = [
        Binding("escape", "close", "Close filters", id="filters.close"),
        Binding("enter", "apply", "Apply filters", id="filters.apply"),
    ]

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """Printable keys belong to the form wherever its focus is (a status box, the window
        dropdown, a field): typing `eu-west` or `R` never reaches the screen's or the app's keys.
        """
        if character is None:  # Textual gives no character for a few renamed keys (`slash`)
            character = key_to_character(REPLACED_KEYS.get(key, key))
        return character is not None and character.isprintable()

    class Applied(Message):
        def __init__(self, filters: Filters) -> None:
            super().__init__()
            self.filters = filters

    class Closed(Message):
        pass

    def __init__(self, now: Callable[[], datetime], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._now = now
        self.border_title = "Filters · enter applies · space toggles a status · esc closes"

    def compose(self) -> ComposeResult:
        with Horizontal(id="filter-statuses"):
            yield Label("Status")
            for name, _ in STATUS_CHOICES:
                yield StatusCheckbox(name, id=f"status-{name}", compact=True)
        with Horizontal(id="filter-fields"):
            yield Select[str](
                [(label, label) for label, _, _ in TIME_PRESETS],
                value="Any time",
                allow_blank=False,
                compact=True,
                id="filter-window",
            )
            yield Input(placeholder="channel", id="filter-channel", compact=True)
            yield Input(placeholder="event types (a,b)", id="filter-event-types", compact=True)
            yield Input(placeholder="tag", id="filter-tag", compact=True)
            yield Input(placeholder="after: 2h, yesterday, ISO", id="filter-after", compact=True)
            yield Input(placeholder="before", id="filter-before", compact=True)
            yield Button("Apply", id="filter-apply", compact=True)
        yield Static("", id="filter-error", markup=False)

    def load(self, filters: Filters) -> None:
        """Show `filters` in the fields."""
        for name, value in STATUS_CHOICES:
            self.query_one(f"#status-{name}", Checkbox).value = value in filters.statuses
        self.query_one("#filter-channel", Input).value = filters.channel or ""
        self.query_one("#filter-event-types", Input).value = ",".join(filters.event_types)
        self.query_one("#filter-tag", Input).value = filters.tag or ""
        self.query_one("#filter-after", Input).value = (
            format_when(filters.after) if filters.after else ""
        )
        self.query_one("#filter-before", Input).value = (
            format_when(filters.before) if filters.before else ""
        )
        self._show_error(None)
        with self.prevent(Select.Changed):
            self.query_one("#filter-window", Select).value = (
                "Any time" if not (filters.after or filters.before) else CUSTOM_PRESET
            )

    def read(self) -> Filters:
        """The filters in the fields; raises TimeParseError for a bad time."""
        statuses = frozenset(
            value
            for name, value in STATUS_CHOICES
            if self.query_one(f"#status-{name}", Checkbox).value
        )
        event_types = tuple(
            part.strip()
            for part in self.query_one("#filter-event-types", Input).value.split(",")
            if part.strip()
        )
        now = self._now()
        after_text = self.query_one("#filter-after", Input).value.strip()
        before_text = self.query_one("#filter-before", Input).value.strip()
        return Filters(
            statuses=statuses,
            channel=self.query_one("#filter-channel", Input).value.strip() or None,
            event_types=event_types,
            tag=self.query_one("#filter-tag", Input).value.strip() or None,
            after=parse_when(after_text, now=now) if after_text else None,
            before=parse_when(before_text, now=now) if before_text else None,
        )

    def _show_error(self, message: str | None) -> None:
        """The line under the fields says what is wrong, and takes no room when nothing is."""
        line = self.query_one("#filter-error", Static)
        line.update(Text(message, style="bold red") if message else "")
        line.display = message is not None

    def focus_first(self) -> None:
        self.query_one("#status-success", Checkbox).focus()

    def _apply(self) -> None:
        try:
            filters = self.read()
        except TimeParseError as error:
            self._show_error(str(error))
            return
        self._show_error(None)
        self.post_message(self.Applied(filters))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._apply()

    @on(Button.Pressed, "#filter-apply")
    def _apply_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self._apply()

    @on(Select.Changed, "#filter-window")
    def _window_chosen(self, event: Select.Changed) -> None:
        event.stop()
        label = event.value
        if label == CUSTOM_PRESET:
            self.query_one("#filter-after", Input).focus()
            return
        for name, after, before in TIME_PRESETS:
            if name == label:
                self.query_one("#filter-after", Input).value = after
                self.query_one("#filter-before", Input).value = before

    def action_apply(self) -> None:
        self._apply()

    def action_close(self) -> None:
        self.post_message(self.Closed())
