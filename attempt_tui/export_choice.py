"""What `e` exports: the open message with its attempts, or the page shown. No textual here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from attempt_tui import safe
from attempt_tui.worker.events import MessageDetail, MessagePage


@dataclass(frozen=True)
class ExportChoice:
    what: str  # what the dialog says will be written
    suggested_name: str
    detail: MessageDetail | None  # the one message to export; None: the page


def export_choice(
    page: MessagePage, detail: MessageDetail | None, *, detail_focused: bool, now: datetime
) -> ExportChoice:
    """The message when the detail pane has focus and shows it, else the page."""
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    if detail_focused and detail is not None:
        return ExportChoice(
            f"Message {safe.clean(detail.msg_id)} with its {len(detail.attempts)} attempts",
            f"attempt-tui-{safe.clean(detail.msg_id, max_len=40)}-{stamp}.jsonl",
            detail,
        )
    return ExportChoice(
        f"This page: {len(page.items)} messages with the active filters, with their payloads "
        "(fetched again with content, up to 250 a request)",
        f"attempt-tui-page-{stamp}.jsonl",
        None,
    )


def payload_progress_text(done: int, total: int, requests: int) -> str:
    """The export dialog's line while the page's payloads are fetched."""
    noun = "request" if requests == 1 else "requests"
    return f"Fetching payloads: {done:,} of {total:,} messages ({requests} {noun})…"
