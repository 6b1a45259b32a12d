"""Reading attempt-tui's screen (a pyte screen): message rows, the cursor, page info."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import pyte

STATUS = re.compile(r"[✔✖…⟳⊘] (success|fail|pending|sending|canceled)\b")
# Message ids may be cut short by the column width, so a row's ident can be a prefix.
IDENT = re.compile(r"\b(evt_[0-9a-f]{12}|msg_[A-Za-z0-9]{8,27})")
PAGE_INFO = re.compile(r"Page (\d+) · (\d+) messages?")
FRESHNESS = re.compile(
    r"connecting…|waiting for the server · \d+ s|not loaded|updated (just now|\d+ s ago)"
)


@dataclass(frozen=True)
class Row:
    line: int
    text: str
    ident: str | None
    status: str | None


def _header_line(screen: pyte.Screen) -> tuple[int, int] | None:
    """(line, column) of the message table's header ("Status  Created  Event type")."""
    for number, text in enumerate(screen.display):
        if "Created" in text and "Event type" in text:
            return number, text.index("Status")
    return None


def message_rows(screen: pyte.Screen) -> list[Row]:
    """The visible rows of the message table, top to bottom."""
    header = _header_line(screen)
    if header is None:
        return []
    line, column = header
    rows: list[Row] = []
    for number in range(line + 1, len(screen.display)):
        text = screen.display[number][column:]
        status = STATUS.match(text)
        if status is None:
            break
        ident = IDENT.search(text)
        rows.append(Row(number, text, ident.group(1) if ident else None, status.group(1)))
    return rows


def has_message_row(screen: pyte.Screen) -> bool:
    rows = message_rows(screen)
    return bool(rows) and rows[0].ident is not None


def cursor_row(screen: pyte.Screen) -> Row | None:
    """The row whose background no other row shares: the table's cursor."""
    rows = message_rows(screen)
    header = _header_line(screen)
    if len(rows) < 2 or header is None:
        return None
    column = header[1] + 1
    backgrounds = [screen.buffer[row.line][column].bg for row in rows]
    counts = Counter(backgrounds)
    unique = [row for row, bg in zip(rows, backgrounds, strict=True) if counts[bg] == 1]
    return unique[0] if len(unique) == 1 else None


def page_info(screen: pyte.Screen) -> tuple[int, int] | None:
    """(page number, messages on it) from the line under the table."""
    for text in screen.display:
        found = PAGE_INFO.search(text)
        if found:
            return int(found.group(1)), int(found.group(2))
    return None


def same_message(shown: str | None, ident: str) -> bool:
    """Whether a row's (possibly cut) ident is the message with event id or id `ident`."""
    return shown is not None and ident.startswith(shown)


def find_row(screen: pyte.Screen, ident: str) -> Row | None:
    for row in message_rows(screen):
        if same_message(row.ident, ident):
            return row
    return None


def detail_shows(screen: pyte.Screen, msg_id: str) -> bool:
    """Whether `msg_id` is on screen outside the message table (the detail pane names it)."""
    table_lines = {row.line for row in message_rows(screen)}
    return any(
        msg_id in text for number, text in enumerate(screen.display) if number not in table_lines
    )


def top_bar(screen: pyte.Screen) -> str:
    """The context bar above the panes, one or two lines (it wraps when the endpoint URL is
    long): every line above the first box ("╭─ Endpoints …")."""
    lines: list[str] = []
    for text in screen.display:
        if text.lstrip().startswith("╭"):
            break
        lines.append(text)
    return "\n".join(lines)


def picker_app_line(screen: pyte.Screen) -> str | None:
    """The endpoint picker's open-app line ("▾ <name>  <uid>"), or None when not on screen."""
    for text in screen.display:
        start = text.find("▾ ")
        if start >= 0:
            return text[start:].split("│", 1)[0].rstrip()
    return None


def freshness(screen: pyte.Screen) -> str | None:
    """What the top bar says of the data: "connecting…", "updated just now", "updated N s ago"."""
    found = FRESHNESS.search(top_bar(screen))
    return found.group(0) if found else None
