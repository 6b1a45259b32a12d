"""The message table: one row per message at the open endpoint, updated in place."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from rich.text import Text
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from attempt_tui import safe
from attempt_tui.api.models import EndpointMessageOut
from attempt_tui.ui import format as fmt
from attempt_tui.ui.widgets.repaint import RepaintsItself, same_text

COLUMNS: tuple[tuple[str, str, int | None], ...] = (
    ("status", "Status", 12),  # room for the arrival mark before "✔ success"
    ("created", "Created", 14),
    ("event_type", "Event type", 22),
    ("id", "Message / eventId", 31),
    ("next", "Next attempt", 13),
    ("channels", "Channels", 18),
    ("tags", "Tags", 18),
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
        self._shown: dict[str, Row] = {}
        self._column_keys: list[ColumnKey] = []

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
                self.add_row(*row, key=key)
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
        return {key: tuple(map(fmt.fit, row, widths)) for key, row in rows.items()}

    def _update_one_cell(self, key: str, column: int, cell: Text) -> None:
        """Change one cell and repaint only that cell (`update_cell` repaints the whole table)."""
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

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.messages: dict[str, EndpointMessageOut] = {}

    def on_mount(self) -> None:
        self.setup_columns(COLUMNS)

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
        rows = {m.id: message_row(m, now, fresh=m.id in fresh) for m in items}
        return self.set_rows(rows, keep_position=keep_position)

    @property
    def selected_message(self) -> EndpointMessageOut | None:
        key = self.selected_key
        return self.messages.get(key) if key else None


def message_row(m: EndpointMessageOut, now: datetime, *, fresh: bool = False) -> Row:
    identity = safe.text(m.event_id, max_len=60) if m.event_id else safe.text(m.id, max_len=60)
    status = fmt.status_text(m.status)
    if fresh:
        # Marked in text as well as style, so it shows without colour too.
        status = Text.assemble(("● ", "bold"), status)
        identity.stylize("bold")
    return (
        status,
        fmt.ago(m.timestamp, now),
        safe.text(m.event_type, max_len=60),
        identity,
        fmt.until(m.next_attempt, now) if m.next_attempt else Text("—", style="dim"),
        fmt.joined(m.channels),
        fmt.joined(m.tags),
    )
