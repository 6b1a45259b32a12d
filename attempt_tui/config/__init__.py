"""Where attempt-tui's settings come from: flags, environment, config profiles, the Svix CLI config.

The modules, one job each: `flags` (the command line), `settings` (precedence, resolved once),
`model` (the config file), `svix_cli` (the Svix CLI login), `paths`, `themes`, `urls`, `limits`
(the numeric rules every source obeys), `files` and `key_lines` (reading files, locating keys).
"""

from attempt_tui.config.errors import ConfigError, MissingTokenError
from attempt_tui.config.flags import Flags
from attempt_tui.config.key_lines import find_key_line
from attempt_tui.config.limits import (
    DEFAULT_MAX_REQUESTS_PER_SECOND,
    DEFAULT_PAGE_SIZE,
    DEFAULT_POLL_SECONDS,
    MAX_PAGE_SIZE,
    MIN_POLL_SECONDS,
    check_max_requests_per_second,
    check_poll_seconds,
)
from attempt_tui.config.model import ConfigFile, ProfileConfig, load_config
from attempt_tui.config.paths import (
    CONFIG_PATH_ENV,
    SVIX_CLI_CONFIG_PATH_ENV,
    default_config_path,
    default_svix_cli_config_path,
)
from attempt_tui.config.settings import (
    DEMO_SERVER_URL,
    SERVER_URL_ENV,
    SVIX_CLI_PROFILE,
    TOKEN_ENV,
    ProfileLoader,
    Resolution,
    Settings,
    profile_loader,
    resolve,
)
from attempt_tui.config.svix_cli import SvixCliConfig, load_svix_cli_config
from attempt_tui.config.themes import FileThemeStore, ThemeStore, read_theme, write_theme
from attempt_tui.config.urls import base_url_for_token, display_url, normalize_server_url

__all__ = [
    "CONFIG_PATH_ENV",
    "DEFAULT_MAX_REQUESTS_PER_SECOND",
    "DEFAULT_PAGE_SIZE",
    "DEFAULT_POLL_SECONDS",
    "DEMO_SERVER_URL",
    "MAX_PAGE_SIZE",
    "MIN_POLL_SECONDS",
    "SERVER_URL_ENV",
    "SVIX_CLI_CONFIG_PATH_ENV",
    "SVIX_CLI_PROFILE",
    "TOKEN_ENV",
    "ConfigError",
    "ConfigFile",
    "FileThemeStore",
    "Flags",
    "MissingTokenError",
    "ProfileConfig",
    "ProfileLoader",
    "Resolution",
    "Settings",
    "SvixCliConfig",
    "ThemeStore",
    "base_url_for_token",
    "check_max_requests_per_second",
    "check_poll_seconds",
    "default_config_path",
    "default_svix_cli_config_path",
    "display_url",
    "find_key_line",
    "load_config",
    "load_svix_cli_config",
    "normalize_server_url",
    "profile_loader",
    "read_theme",
    "resolve",
    "write_theme",
]
