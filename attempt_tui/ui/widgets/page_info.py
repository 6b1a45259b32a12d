"""The line under the message table: which page, how many messages, and which way to turn."""

from __future__ import annotations

from rich.text import Text

from attempt_tui.ui import format as fmt
from attempt_tui.worker import MessagePage, window_note


def page_info_text(page: MessagePage | None, endpoint_open: bool) -> Text:
    """The page shown, or what to do (pick an endpoint) or wait for (its messages)."""
    if not endpoint_open:
        return Text("Pick an endpoint (enter) to see the messages sent to it.", "dim")
    if page is None:
        return Text("Loading messages…", style="dim")
    line = Text()
    if page.page_number:
        line.append(f"Page {page.page_number}", style="bold")
    elif page.items:
        line.append(f"From {fmt.exact(page.items[0].timestamp)}", style="bold")
    else:
        line.append("Page", style="bold")
    line.append(f" · {len(page.items)} message{'s' if len(page.items) != 1 else ''}")
    line.append(f" · {page.page_size}/page", style="dim")
    line.append(" · [ newer" if page.has_prev else "", style="dim")
    line.append(" · ] older" if page.has_next else "", style="dim")
    note = window_note(page)
    if note:
        line.append("\n")
        line.append(("No messages. " if not page.items else "") + note, style="italic")
    return line
