"""Export what is on screen as JSON lines: a page of messages, or one message with its attempts.

Values are written raw (as the API returned them), JSON-escaped with `ensure_ascii`, so the file
is plain ASCII: `cat` on it can never send an escape sequence to the terminal, and parsing a
line gives back the exact strings. No token is ever written. Files are created 0600, through a
temporary file and `os.replace`, so a failure never leaves a partial file behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attempt_tui.compat import UTC
from attempt_tui.config.urls import display_url

if TYPE_CHECKING:
    from pydantic import BaseModel

    from attempt_tui.api.models import EndpointMessageOut, MessageAttemptOut, MessageOut
    from attempt_tui.worker import Filters


def resolve_export_path(path: str | Path) -> Path:
    """The full path of what a user typed, with `~` expanded."""
    return Path(path).expanduser().absolute()


def payloads_note(page_items: Sequence[EndpointMessageOut], missing: Sequence[str] | None) -> str:
    """What the export holds of the payloads, in words (the header's `payloads`)."""
    if missing is None:
        return "left out (not fetched)"
    if not missing:
        return "included"
    return f"left out for {len(missing)} of {len(page_items)} messages (not returned)"


def export_page(
    path: str | Path,
    page_items: list[EndpointMessageOut],
    *,
    filters: Filters,
    app_id: str,
    endpoint_id: str,
    server_url: str,
    missing: Sequence[str] | None,
    overwrite: bool = False,
    now: datetime | None = None,
) -> int:
    """Write a header line then one line per message; returns the number of lines written.

    `page_items` hold their payloads (fetched with content) except the ids in `missing`;
    `missing=None` means no payload was fetched. A payload not held is written as null and
    the header says so, never as the empty `{}` a list without content returns.
    """
    left_out = {m.id for m in page_items} if missing is None else set(missing)
    header = {
        "kind": "page",
        "app_id": app_id,
        "endpoint_id": endpoint_id,
        "server": display_url(server_url),
        "filters": filters_json(filters),
        "exported_at": _timestamp(now),
        "count": len(page_items),
        "payloads": payloads_note(page_items, missing),
        "payloads_left_out": sorted(left_out),
    }
    records = [
        m.model_copy(update={"payload": None}) if left_out and m.id in left_out else m
        for m in page_items
    ]
    return _write_lines(path, header, records, overwrite=overwrite)


def export_message(
    path: str | Path,
    message: MessageOut | None,
    attempts: list[MessageAttemptOut],
    *,
    app_id: str,
    endpoint_id: str,
    server_url: str,
    msg_id: str | None = None,
    overwrite: bool = False,
    now: datetime | None = None,
) -> int:
    """Write a header, the message (when known), then one line per attempt; returns lines written.

    The header says whether a message line follows (`has_message`) and how many attempts do.
    """
    if msg_id is None:
        msg_id = message.id if message is not None else (attempts[0].msg_id if attempts else None)
    header = {
        "kind": "message",
        "app_id": app_id,
        "endpoint_id": endpoint_id,
        "msg_id": msg_id,
        "server": display_url(server_url),
        "exported_at": _timestamp(now),
        "has_message": message is not None,
        "attempt_count": len(attempts),
    }
    records: list[BaseModel] = [*([message] if message is not None else []), *attempts]
    return _write_lines(path, header, records, overwrite=overwrite)


def filters_json(filters: Filters) -> dict[str, Any]:
    """The filters as plain JSON values (statuses sorted, times in ISO 8601)."""
    return {
        "statuses": sorted(filters.statuses),
        "channel": filters.channel,
        "event_types": list(filters.event_types),
        "tag": filters.tag,
        "after": filters.after.isoformat() if filters.after else None,
        "before": filters.before.isoformat() if filters.before else None,
    }


def _write_lines(
    path: str | Path, header: dict[str, Any], records: Iterable[BaseModel], *, overwrite: bool
) -> int:
    target = resolve_export_path(path)
    _check_target(target, overwrite=overwrite)
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="ascii", newline="\n") as handle:
            count = 0
            for value in (header, *(r.model_dump(mode="json", by_alias=True) for r in records)):
                handle.write(json.dumps(value, ensure_ascii=True) + "\n")
                count += 1
            handle.flush()
            os.fsync(handle.fileno())
        _check_target(target, overwrite=overwrite)
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    return count


def _check_target(target: Path, *, overwrite: bool) -> None:
    if not target.parent.is_dir():
        raise FileNotFoundError(f"Folder does not exist: {target.parent}")
    if target.is_dir():
        raise IsADirectoryError(f"{target} is a folder; name a file to export to")
    if target.exists() and not overwrite:
        raise FileExistsError(f"{target} already exists; choose another name or overwrite it")


def _timestamp(now: datetime | None) -> str:
    return (now or datetime.now(UTC)).isoformat()
