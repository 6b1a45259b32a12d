"""The message table: one row per message at the open endpoint, updated in place."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from rich.text import Text
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from attempt_tui import safe
from attempt_tui.api.models import EndpointMessageOut, MessageStatus
from attempt_tui.ui import format as fmt
from attempt_tui.ui import glyphs
from attempt_tui.ui.widgets.column_fit import ColumnSpec, fit_columns
from attempt_tui.ui.widgets.repaint import RepaintsItself, same_text

# Widths follow the window and the page (column_fit.py). Status and the two times have a
# fixed width; the others want their widest value. Narrower than every minimum, Tags go
# first, then Channels, Next attempt and Event type; status, time and id always stay.
MESSAGE_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("status", "Status", 11, 11),  # "⊘ canceled" and "? status 42" (an unknown one)
    ColumnSpec("created", "Created", 8, 8),
    ColumnSpec("event_type", "Event type", 13, 40, hide_order=4),
    ColumnSpec("id", "Message / eventId", 16, 60, short_label="Message"),
    ColumnSpec("next", "Next attempt", 7, 12, hide_order=3, short_label="Next"),
    ColumnSpec("channels", "Channels", 7, 40, hide_order=2),
    ColumnSpec("tags", "Tags", 6, 40, hide_order=1),
)

Row = tuple[Text, ...]


class VimDataTable(RepaintsItself, DataTable[Text]):
    """A row-cursor table with the keys of every list: j/k, g/G and home/end go to rows."""

    BINDINGS = [
        Binding("j", "cursor_down", "Cursor down", show=False, id="table.down"),
        Binding("k", "cursor_up", "Cursor up", show=False, id="table.up"),
        Binding("g,home", "scroll_top", "Top", show=False, id="table.top"),
        Binding("G,end", "scroll_bottom", "Bottom", show=False, id="table.bottom"),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=False)
        self._shown: dict[str, Row] = {}  # the rows as shown (cells cut to their columns)
        self._given: dict[str, Row] = {}  # the rows as given, to cut again when columns change
        self._column_keys: list[ColumnKey] = []
        # The row cells shown, by position, when some columns are hidden (None: all).
        self._projection: tuple[int, ...] | None = None

    @property
    def selected_key(self) -> str | None:
        if not self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return row_key.value

    def set_rows(self, rows: Mapping[str, Row], *, keep_position: bool) -> bool:
        """Show `rows` (ordered by key), changing only what differs.

        With `keep_position`, the cursor stays on the same key and that row stays on
        the same screen line; otherwise the cursor goes to the top. Returns True when
        anything changed.
        """
        self._given = dict(rows)
        rows = self._fitted(rows)
        old = self._shown
        if list(old) == list(rows):
            changed = False
            for key, row in rows.items():
                previous = old[key]
                for column, (cell, before) in enumerate(zip(row, previous, strict=True)):
                    if not same_text(cell, before):
                        self._update_one_cell(key, column, cell)
                        changed = True
            self._shown = dict(rows)
            return changed
        selected = self.selected_key if keep_position else None
        screen_line = self.cursor_row - round(self.scroll_y)
        # At the top of the list, new rows arriving above stay in view.
        at_top = round(self.scroll_y) == 0
        old_index = self.cursor_row
        with self.app.batch_update():
            self.clear()
            for key, row in rows.items():
                self.add_row(*self._visible_cells(row), key=key)
            self._shown = dict(rows)
            if not rows:
                return True
            if selected is not None and selected in rows:
                index = self.get_row_index(selected)
            elif keep_position:
                index = min(old_index, len(rows) - 1)
            else:
                index = 0
            self.move_cursor(row=index, animate=False, scroll=False)
            if keep_position and not at_top:
                self.scroll_to(y=max(0, index - screen_line), animate=False, immediate=True)
            elif keep_position:
                self.scroll_to(y=0, animate=False, immediate=True)
            else:
                self.scroll_home(animate=False, immediate=True)
        return True

    def _fitted(self, rows: Mapping[str, Row]) -> Mapping[str, Row]:
        """Every cell cut to its column ends in "…": DataTable would cut it silently."""
        widths = [None if c.auto_width else c.width for c in self.ordered_columns]
        if not widths:
            return rows
        # Rows hold every column; with some hidden, the shown ones are the projection's.
        shown = self._projection if self._projection is not None else range(len(widths))
        width_of = dict(zip(shown, widths, strict=False))
        return {
            key: tuple(fmt.fit(cell, width_of.get(index)) for index, cell in enumerate(row))
            for key, row in rows.items()
        }

    def _visible_cells(self, row: Row) -> Row:
        projection = self._projection
        return row if projection is None else tuple(row[index] for index in projection)

    def _update_one_cell(self, key: str, column: int, cell: Text) -> None:
        """Change one cell and repaint only that cell (`update_cell` repaints the whole table)."""
        if self._projection is not None:
            if column not in self._projection:
                return  # a hidden column
            column = self._projection.index(column)
        with self.repainting_itself():
            self.update_cell(key, self._column_keys[column], cell)
        self.refresh_coordinate(Coordinate(self.get_row_index(key), column))

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        # With every column a fixed width and every row one unlabelled line, there is
        # nothing to measure: DataTable would measure each new cell (1,750 on a page of 250),
        # the biggest cost of turning a page. Passing no rows keeps only the size update.
        fixed = all(not column.auto_width for column in self.ordered_columns)
        rows = self.rows
        if fixed and all(
            (row := rows.get(key)) is None or (row.label is None and not row.auto_height)
            for key in new_rows
        ):
            new_rows = ()
        super()._update_dimensions(new_rows)

    def setup_columns(self, columns: tuple[tuple[str, str, int | None], ...]) -> None:
        self._column_keys = [
            self.add_column(label, key=key, width=width) for key, label, width in columns
        ]


class MessageTable(VimDataTable):
    """Messages sent to the open endpoint, newest first."""

    def __init__(self, *, id: str | None = None, start_on_failure: bool = False) -> None:
        super().__init__(id=id)
        self.messages: dict[str, EndpointMessageOut] = {}
        # Until the first page shows: move the cursor to its first failed message.
        self.start_on_failure = start_on_failure
        self.widths: dict[str, int] = {}  # the columns shown and their widths
        self._wanted: dict[str, int] = {}  # the widest value of each column on the page

    def on_mount(self) -> None:
        self._lay_out()

    def on_resize(self) -> None:
        self._lay_out()

    def show_messages(
        self,
        items: list[EndpointMessageOut],
        now: datetime,
        *,
        keep_position: bool,
        fresh: frozenset[str] = frozenset(),
    ) -> bool:
        """Show `items`; ids in `fresh` are marked as just arrived."""
        self.messages = {m.id: m for m in items}
        rows = {m.id: _cut(message_row(m, now, fresh=m.id in fresh)) for m in items}
        self._wanted = widest_cells(rows.values())
        self._lay_out(recut=False)  # the new rows are cut to the new widths just below
        changed = self.set_rows(rows, keep_position=keep_position)
        if self.start_on_failure and items:
            self.start_on_failure = False
            failed = first_failure(items)
            if failed is not None:
                self.move_cursor(row=self.get_row_index(failed), animate=False)
        return changed

    def _lay_out(self, *, recut: bool = True) -> None:
        """Fit the columns to the table's width and the page's values; `recut`: cut the rows
        shown again to new widths (not needed when new rows are about to be set)."""
        available = self.size.width - self.styles.scrollbar_size_vertical
        if available <= 0 and self.widths:
            return  # not laid out yet: keep what there is
        widths = fit_columns(
            MESSAGE_COLUMNS,
            self._wanted,
            available if available > 0 else 200,
            padding=2 * self.cell_padding,
        )
        if widths == self.widths:
            return
        specs = {spec.key: spec for spec in MESSAGE_COLUMNS}
        if list(widths) != list(self.widths):
            self._set_columns([specs[key] for key in widths], widths)
        else:
            for key, width in widths.items():
                column = self.columns[ColumnKey(key)]
                column.width = width
                column.label = _header(specs[key].header(width))
            self._require_update_dimensions = True
            self._clear_caches()
            self.refresh()
            if recut:
                self.set_rows(self._given, keep_position=True)  # cut again to the new widths
        self.widths = widths

    def _set_columns(self, specs: Sequence[ColumnSpec], widths: Mapping[str, int]) -> None:
        """Show these columns (others hidden), keeping the rows and the highlighted one."""
        rows, selected = self._given, self.selected_key
        keys = [spec.key for spec in MESSAGE_COLUMNS]
        self.clear(columns=True)
        self._projection = (
            None if len(specs) == len(keys) else tuple(keys.index(spec.key) for spec in specs)
        )
        self._column_keys = [
            self.add_column(
                _header(spec.header(widths[spec.key])), key=spec.key, width=widths[spec.key]
            )
            for spec in specs
        ]
        self._shown = {}
        if rows:
            self.set_rows(rows, keep_position=False)
            if selected is not None and selected in rows:
                self.move_cursor(row=self.get_row_index(selected), animate=False)

    @property
    def selected_message(self) -> EndpointMessageOut | None:
        key = self.selected_key
        return self.messages.get(key) if key else None


def first_failure(items: list[EndpointMessageOut]) -> str | None:
    """The first message that failed for good, else the first being retried after a failure."""
    failed = next((m.id for m in items if m.status == MessageStatus.FAIL), None)
    if failed is not None:
        return failed
    retried = (MessageStatus.PENDING, MessageStatus.SENDING)
    return next((m.id for m in items if m.status in retried and m.next_attempt), None)


def _header(label: str) -> Text:
    return Text(label, no_wrap=True, overflow="ellipsis")


def _cut(row: Row) -> Row:
    """Cells too wide for their column end in "…" instead of being cut silently."""
    for cell in row:
        cell.no_wrap = True
        cell.overflow = "ellipsis"
    return row


def widest_cells(rows: Iterable[Row]) -> dict[str, int]:
    """The width of each column's widest cell."""
    widest = [0] * len(MESSAGE_COLUMNS)
    for row in rows:
        for index, cell in enumerate(row):
            widest[index] = max(widest[index], cell.cell_len)
    return {spec.key: width for spec, width in zip(MESSAGE_COLUMNS, widest, strict=True)}


def short_ago(when: datetime | None, now: datetime) -> Text:
    """How long ago, in the fewest columns: "14s ago", "3m ago", "5h ago", "12d ago"."""
    if when is None:
        return Text("—", style="dim")
    return Text(f"{_span((now - when).total_seconds())} ago")


def short_until(when: datetime | None, now: datetime) -> Text:
    """How long until, in the fewest columns: "in 5s", "in 29m", "in 4h", "due now"."""
    if when is None:
        return Text("—", style="dim")
    seconds = (when - now).total_seconds()
    if seconds <= 0:
        return Text("due now", style="yellow")
    return Text(f"in {_span(seconds)}", style="yellow")


def _span(seconds: float) -> str:
    whole = max(0, int(seconds))
    if whole < 60:
        return f"{whole}s"
    if whole < 3600:
        return f"{whole // 60}m"
    if whole < 48 * 3600:
        return f"{whole // 3600}h"
    return f"{whole // 86400}d"


def message_row(m: EndpointMessageOut, now: datetime, *, fresh: bool = False) -> Row:
    identity = safe.text(m.event_id, max_len=60) if m.event_id else safe.text(m.id, max_len=60)
    status = fmt.status_text(m.status)
    if fresh:
        # Marked in text as well as style, so it shows without colour too.
        status = Text.assemble((f"{glyphs.current().arrived} ", "bold"), status)
        identity.stylize("bold")
    return (
        status,
        short_ago(m.timestamp, now),
        safe.text(m.event_type, max_len=60),
        identity,
        short_until(m.next_attempt, now),
        fmt.joined(m.channels),
        fmt.joined(m.tags),
    )
