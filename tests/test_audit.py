"""The audit log: one JSON line per mutating action, no payloads, no tokens."""

from __future__ import annotations

import json
import stat
from datetime import datetime

from attempt_tui.audit import AuditLog, default_audit_path
from attempt_tui.compat import UTC


def test_record_appends_one_json_line_with_private_permissions(tmp_path) -> None:
    log = AuditLog(tmp_path / "state" / "audit.jsonl")
    log.record(
        profile="prod",
        server="https://api.eu.svix.com",
        action="resend",
        outcome="ok",
        app="app_1",
        endpoint="ep_1",
        message="msg_1",
        idempotency_key="key-1",
        now=datetime(2026, 11, 1, 12, 0, tzinfo=UTC),
    )
    log.record(profile="prod", server="s", action="expunge", outcome="failed: Not found (404)")
    lines = log.path.read_text().splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first == {
        "time": "2026-11-01T12:00:00+00:00",
        "profile": "prod",
        "server": "https://api.eu.svix.com",
        "app": "app_1",
        "endpoint": "ep_1",
        "message": "msg_1",
        "attempt": None,
        "action": "resend",
        "idempotency_key": "key-1",
        "outcome": "ok",
    }
    assert stat.S_IMODE(log.path.stat().st_mode) == 0o600


def test_read_returns_newest_first_and_skips_broken_lines(tmp_path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    for n in range(3):
        log.record(profile="p", server="s", action="resend", outcome="ok", message=f"msg_{n}")
    with log.path.open("a") as handle:
        handle.write("{not json\n")
    entries = log.read()
    assert [e.message for e in entries] == ["msg_2", "msg_1", "msg_0"]
    assert [e.message for e in log.read(limit=1)] == ["msg_2"]


def test_missing_file_reads_empty(tmp_path) -> None:
    assert AuditLog(tmp_path / "nope.jsonl").read() == []


def test_default_path_is_in_the_state_dir(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert default_audit_path() == tmp_path / "attempt-tui" / "audit.jsonl"
