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
    # The legacy name of server_url; the Svix CLI uses it (or $SVIX_DEBUG_URL) only when no
    # server_url is set anywhere.
    debug_url: str | None = None


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
    urls: dict[str, str | None] = {}
    for key in ("server_url", "debug_url"):
        raw_url = string(key)
        try:
            urls[key] = normalize_server_url(raw_url) if raw_url else None
        except ValueError as exc:
            urls[key] = None
            warnings.append(f"{path}: ignoring {key}: {exc}")
    read_timeout = None
    timeout_ms = data.get("timeout_milliseconds")
    if timeout_ms is not None:
        if isinstance(timeout_ms, int) and not isinstance(timeout_ms, bool) and timeout_ms > 0:
            read_timeout = timeout_ms / 1000
        else:
            warnings.append(f"{path}: ignoring timeout_milliseconds: expected a positive integer")
    config = SvixCliConfig(path, token, urls["server_url"], read_timeout, urls["debug_url"])
    return config, warnings
