"""The audit log: one JSON line per mutating action, in the user's state directory.

Only identifiers and outcomes are written: no payloads, no response bodies, no tokens.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from attempt_tui.compat import UTC

AUDIT_FILE_NAME = "audit.jsonl"


def default_audit_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_state_dir("attempt-tui")) / AUDIT_FILE_NAME


@dataclass(frozen=True)
class AuditEntry:
    time: str
    profile: str
    server: str
    app: str | None
    endpoint: str | None
    message: str | None
    attempt: str | None
    action: str  # "resend", "expunge", "recover"
    idempotency_key: str | None
    outcome: str  # "ok" or "failed: <one-line reason>"


class AuditLog:
    """Appends entries to a JSON-lines file (created 0600); reads the newest back."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_audit_path()

    def record(
        self,
        *,
        profile: str,
        server: str,
        action: str,
        outcome: str,
        app: str | None = None,
        endpoint: str | None = None,
        message: str | None = None,
        attempt: str | None = None,
        idempotency_key: str | None = None,
        now: datetime | None = None,
    ) -> AuditEntry:
        entry = AuditEntry(
            time=(now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds"),
            profile=profile,
            server=server,
            app=app,
            endpoint=endpoint,
            message=message,
            attempt=attempt,
            action=action,
            idempotency_key=idempotency_key,
            outcome=outcome,
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(asdict(entry), ensure_ascii=True) + "\n"
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode("ascii"))
        finally:
            os.close(fd)
        return entry

    def read(self, limit: int = 500) -> list[AuditEntry]:
        """The newest `limit` entries, newest first; unreadable lines are skipped."""
        try:
            lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
        except FileNotFoundError:
            return []
        entries: list[AuditEntry] = []
        for line in reversed(lines):
            if len(entries) >= limit:
                break
            try:
                data = json.loads(line)
                entries.append(
                    AuditEntry(**{k: data.get(k) for k in AuditEntry.__dataclass_fields__})
                )
            except (ValueError, TypeError):
                continue
        return entries
