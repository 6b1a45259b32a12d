"""Where the config files are: attempt-tui's own, and the Svix CLI's login."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

APP_NAME = "attempt-tui"
CONFIG_PATH_ENV = "ATTEMPT_TUI_CONFIG"
SVIX_CLI_CONFIG_PATH_ENV = "ATTEMPT_TUI_SVIX_CLI_CONFIG"


def default_config_path(env: Mapping[str, str] | None = None) -> Path:
    """`$ATTEMPT_TUI_CONFIG` if set, else `<user config dir>/attempt-tui/config.toml`."""
    env = os.environ if env is None else env
    override = env.get(CONFIG_PATH_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME) / "config.toml"


def default_svix_cli_config_path(env: Mapping[str, str] | None = None) -> Path:
    """Where the Svix CLI keeps its login: the first of its candidate paths that exists.

    The Svix CLI (svix-webhooks/svix-cli) uses `$XDG_CONFIG_HOME/.config/svix` when XDG_CONFIG_HOME
    is set (`%APPDATA%` on Windows) and `~/.config/svix` otherwise, also on macOS; the platformdirs
    location is checked too. With none present, the usual `~/.config/svix/config.toml` is reported.
    """
    env = os.environ if env is None else env
    override = env.get(SVIX_CLI_CONFIG_PATH_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    candidates = [user_config_path("svix") / "config.toml"]
    base = env.get("APPDATA" if os.name == "nt" else "XDG_CONFIG_HOME", "").strip()
    if base:
        candidates.append(Path(base) / ".config" / "svix" / "config.toml")
    home_default = Path.home() / ".config" / "svix" / "config.toml"
    candidates.append(home_default)
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    return home_default
