"""The Svix CLI's login: a fallback profile, read leniently since it is not our file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from attempt_tui.config.errors import ConfigError
from attempt_tui.config.files import parse_toml, read_text
from attempt_tui.config.urls import normalize_server_url
from attempt_tui.secret import Secret


@dataclass(frozen=True)
class SvixCliConfig:
    path: Path
    token: Secret | None = None
    server_url: str | None = None
    read_timeout: float | None = None


def load_svix_cli_config(path: Path) -> tuple[SvixCliConfig | None, list[str]]:
    """The Svix CLI config at `path` (None if absent) and warnings about parts that were ignored."""
    if not path.is_file():
        return None, []
    try:
        data = parse_toml(read_text(path, "Svix CLI config"), path)
    except ConfigError as exc:
        return None, [f"ignoring the Svix CLI config: {exc}"]
    warnings: list[str] = []

    def string(key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            warnings.append(f"{path}: ignoring {key}: expected a string")
            return None
        return value.strip() or None

    token_text = string("auth_token")
    token = Secret(token_text) if token_text else None
    server_url = None
    raw_url = string("server_url") or string("debug_url")  # debug_url: legacy name
    if raw_url:
        try:
            server_url = normalize_server_url(raw_url)
        except ValueError as exc:
            warnings.append(f"{path}: ignoring server_url: {exc}")
    read_timeout = None
    timeout_ms = data.get("timeout_milliseconds")
    if timeout_ms is not None:
        if isinstance(timeout_ms, int) and not isinstance(timeout_ms, bool) and timeout_ms > 0:
            read_timeout = timeout_ms / 1000
        else:
            warnings.append(f"{path}: ignoring timeout_milliseconds: expected a positive integer")
    return SvixCliConfig(path, token, server_url, read_timeout), warnings
