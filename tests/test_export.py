"""Export to JSON lines: raw values, 0600, overwrite refusal, atomic writes, ~ expansion."""

from __future__ import annotations

import json
import stat
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from attempt_tui.api.models import EndpointMessageOut, MessageAttemptOut, MessageOut
from attempt_tui.compat import UTC
from attempt_tui.export import export_message, export_page, filters_json, resolve_export_path
from attempt_tui.worker import Filters

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
T0 = datetime(2026, 10, 31, 9, 30, 15, 123000, tzinfo=UTC)
HOSTILE = "\x1b]52;c;ZXZpbA==\x07\x1b[2J\x9b31m\u202e\ud800 é"
SERVER = "https://api.eu.svix.com"


def message_item(n: int, **extra: Any) -> EndpointMessageOut:
    return EndpointMessageOut(
        id=f"msg_{n}",
        event_type="invoice.paid",
        payload={"n": n, "note": HOSTILE, "nested": {"list": [1, None]}},
        timestamp=T0,
        status=2,
        status_text="fail",
        tags=["t"],
        **extra,
    )


def attempt(n: int) -> MessageAttemptOut:
    return MessageAttemptOut(
        id=f"atmpt_{n}",
        msg_id="msg_1",
        endpoint_id="ep_1",
        url="https://example.com/hook",
        response=HOSTILE,
        response_status_code=500,
        response_duration_ms=12,
        status=2,
        trigger_type=0,
        timestamp=T0,
    )


def read_lines(path: Path) -> list[dict[str, Any]]:
    raw = path.read_bytes()
    raw.decode("ascii")  # escapes only: `cat` cannot drive the terminal
    assert raw.endswith(b"\n")
    return [json.loads(line) for line in raw.decode("ascii").splitlines()]


FILTERS = Filters(
    statuses=frozenset({2, 1}),
    channel="eu",
    event_types=("invoice.paid", "user.created"),
    tag="vip",
    after=T0,
    before=None,
)


def test_page_export_header_and_raw_items(tmp_path: Path) -> None:
    target = tmp_path / "page.jsonl"
    items = [message_item(1), message_item(2, next_attempt=NOW)]
    count = export_page(
        target,
        items,
        filters=FILTERS,
        app_id="app_1",
        endpoint_id="ep_1",
        server_url=SERVER,
        missing=[],
        now=NOW,
    )
    assert count == 3
    header, *rows = read_lines(target)
    assert header == {
        "kind": "page",
        "app_id": "app_1",
        "endpoint_id": "ep_1",
        "server": SERVER,
        "filters": {
            "statuses": [1, 2],
            "channel": "eu",
            "event_types": ["invoice.paid", "user.created"],
            "tag": "vip",
            "after": "2026-10-31T09:30:15.123000+00:00",
            "before": None,
        },
        "exported_at": "2026-11-01T12:00:00+00:00",
        "count": 2,
        "payloads": "included",
        "payloads_left_out": [],
    }
    assert rows == [item.model_dump(mode="json", by_alias=True) for item in items]
    assert rows[0]["payload"]["note"] == HOSTILE  # exactly as it was, escapes included
    assert rows[1]["nextAttempt"] == "2026-11-01T12:00:00Z"
    assert rows[0]["eventType"] == "invoice.paid"
    assert EndpointMessageOut.model_validate(rows[1]) == items[1]


def test_page_export_of_empty_page_with_no_filters(tmp_path: Path) -> None:
    target = tmp_path / "empty.jsonl"
    count = export_page(
        target,
        [],
        filters=Filters(),
        app_id="a",
        endpoint_id="e",
        server_url=SERVER,
        missing=[],
        now=NOW,
    )
    assert count == 1
    [header] = read_lines(target)
    assert header["filters"] == filters_json(Filters())
    assert header["filters"]["statuses"] == [] and header["count"] == 0


def test_message_export(tmp_path: Path) -> None:
    target = tmp_path / "msg.jsonl"
    message = MessageOut(id="msg_1", event_type="x", payload={"k": HOSTILE}, timestamp=T0)
    attempts = [attempt(1), attempt(2)]
    count = export_message(
        target, message, attempts, app_id="app_1", endpoint_id="ep_1", server_url=SERVER, now=NOW
    )
    assert count == 4
    header, msg_line, *attempt_lines = read_lines(target)
    assert header == {
        "kind": "message",
        "app_id": "app_1",
        "endpoint_id": "ep_1",
        "msg_id": "msg_1",
        "server": SERVER,
        "exported_at": "2026-11-01T12:00:00+00:00",
        "has_message": True,
        "attempt_count": 2,
    }
    assert msg_line["payload"]["k"] == HOSTILE
    assert [line["response"] for line in attempt_lines] == [HOSTILE, HOSTILE]
    assert attempt_lines[0]["responseStatusCode"] == 500
    assert MessageAttemptOut.model_validate(attempt_lines[1]) == attempts[1]


def test_message_export_without_message_takes_id_from_attempts(tmp_path: Path) -> None:
    target = tmp_path / "m.jsonl"
    count = export_message(
        target, None, [attempt(1)], app_id="a", endpoint_id="e", server_url=SERVER, now=NOW
    )
    assert count == 2
    header, line = read_lines(target)
    assert header["msg_id"] == "msg_1" and header["has_message"] is False
    assert line["id"] == "atmpt_1"


def test_file_is_private(tmp_path: Path) -> None:
    target = tmp_path / "p.jsonl"
    export_message(target, None, [], app_id="a", endpoint_id="e", server_url=SERVER, now=NOW)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_refuses_to_overwrite_unless_asked(tmp_path: Path) -> None:
    target = tmp_path / "exists.jsonl"
    target.write_text("keep me\n")
    with pytest.raises(FileExistsError, match="already exists"):
        export_message(target, None, [], app_id="a", endpoint_id="e", server_url=SERVER)
    assert target.read_text() == "keep me\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exists.jsonl"]
    export_message(target, None, [], app_id="a", endpoint_id="e", server_url=SERVER, overwrite=True)
    assert read_lines(target)[0]["kind"] == "message"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_missing_folder_is_an_error_not_created(tmp_path: Path) -> None:
    target = tmp_path / "nope" / "x.jsonl"
    with pytest.raises(FileNotFoundError, match="Folder does not exist"):
        export_message(target, None, [], app_id="a", endpoint_id="e", server_url=SERVER)
    assert not (tmp_path / "nope").exists()


def test_folder_as_target_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError):
        export_message(tmp_path, None, [], app_id="a", endpoint_id="e", server_url=SERVER)


def test_tilde_is_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    count = export_message("~/t.jsonl", None, [], app_id="a", endpoint_id="e", server_url=SERVER)
    assert count == 1
    assert (tmp_path / "t.jsonl").is_file()


class Exploding:
    def model_dump(self, **_: Any) -> dict[str, Any]:
        raise RuntimeError("boom")


@pytest.mark.parametrize("existing", [False, True])
def test_failure_leaves_no_partial_file(tmp_path: Path, existing: bool) -> None:
    target = tmp_path / "atomic.jsonl"
    if existing:
        target.write_text("old\n")
    items: list[Any] = [message_item(1), Exploding()]
    with pytest.raises(RuntimeError, match="boom"):
        export_page(
            target,
            items,
            filters=Filters(),
            app_id="a",
            endpoint_id="e",
            server_url=SERVER,
            missing=[],
            overwrite=True,
        )
    if existing:
        assert target.read_text() == "old\n"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["atomic.jsonl"]
    else:
        assert list(tmp_path.iterdir()) == []


def test_server_credentials_are_not_written(tmp_path: Path) -> None:
    target = tmp_path / "c.jsonl"
    export_message(
        target,
        None,
        [],
        app_id="a",
        endpoint_id="e",
        server_url="https://user:hunter2@svix.internal:8443/base",
    )
    assert "hunter2" not in target.read_text()
    assert read_lines(target)[0]["server"] == "https://svix.internal:8443/base"


def test_payloads_not_held_are_written_as_null_and_named(tmp_path: Path) -> None:
    target = tmp_path / "partial.jsonl"
    items = [message_item(1), message_item(2)]
    export_page(
        target,
        items,
        filters=Filters(),
        app_id="a",
        endpoint_id="e",
        server_url=SERVER,
        missing=[items[1].id],
        now=NOW,
    )
    header, first, second = read_lines(target)
    assert header["payloads"] == "left out for 1 of 2 messages (not returned)"
    assert header["payloads_left_out"] == [items[1].id]
    assert first["payload"]["note"] == HOSTILE and second["payload"] is None


def test_an_export_without_fetching_says_payloads_are_left_out(tmp_path: Path) -> None:
    target = tmp_path / "bare.jsonl"
    items = [message_item(1)]
    export_page(
        target,
        items,
        filters=Filters(),
        app_id="a",
        endpoint_id="e",
        server_url=SERVER,
        missing=None,
        now=NOW,
    )
    header, row = read_lines(target)
    assert header["payloads"] == "left out (not fetched)" and row["payload"] is None


def test_the_export_path_is_made_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert resolve_export_path("x.jsonl") == tmp_path / "x.jsonl"
