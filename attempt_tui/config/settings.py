"""The settings to run with and where each value came from: precedence, resolved once.

Precedence, per setting: flags (incl. --token-file) > environment (SVIX_AUTH_TOKEN, SVIX_SERVER_URL)
> the selected profile > the Svix CLI's own config (only when no profile is selected) > defaults.
The server URL falls back, before the token's region, to the Svix CLI's legacy $SVIX_DEBUG_URL
and then its config's debug_url: the Svix CLI reads them only when no server_url is set at all.
The token is held in a `Secret` from the moment it is read; no message here ever contains it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from attempt_tui.config.errors import ConfigError, MissingTokenError
from attempt_tui.config.files import permission_warning, read_text
from attempt_tui.config.flags import Flags
from attempt_tui.config.limits import (
    DEFAULT_MAX_REQUESTS_PER_SECOND,
    DEFAULT_PAGE_SIZE,
    DEFAULT_POLL_SECONDS,
    check_page_size,
    check_poll_seconds,
)
from attempt_tui.config.model import ConfigFile, ProfileConfig, blank_to_none, load_config
from attempt_tui.config.paths import (
    CONFIG_PATH_ENV,
    default_config_path,
    default_svix_cli_config_path,
)
from attempt_tui.config.svix_cli import SvixCliConfig, load_svix_cli_config
from attempt_tui.config.urls import base_url_for_token, normalize_server_url
from attempt_tui.secret import Secret

TOKEN_ENV = "SVIX_AUTH_TOKEN"
SERVER_URL_ENV = "SVIX_SERVER_URL"
# The Svix CLI's legacy name for the server URL, read by it only when no server_url is set
# (svix-cli/src/config.rs, Config::server_url); read here at the same place.
DEBUG_URL_ENV = "SVIX_DEBUG_URL"

SVIX_CLI_PROFILE = "svix-cli"
ENV_PROFILE = "env"
DEMO_PROFILE = "demo"
DEMO_SERVER_URL = "http://demo.attempt-tui.local"
DEMO_TOKEN = "demo-token"

DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_READ_TIMEOUT = 15.0


@dataclass(frozen=True)
class Settings:
    server_url: str
    token: Secret
    profile: str  # "demo", a profile name, "svix-cli", or "env"
    app_id: str | None = None
    endpoint_id: str | None = None
    read_only: bool = False
    poll_seconds: float = DEFAULT_POLL_SECONDS
    page_size: int = DEFAULT_PAGE_SIZE
    demo: bool = False
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    read_timeout: float = DEFAULT_READ_TIMEOUT
    config_path: Path | None = None  # the attempt-tui config file that was read, if any
    color: str | None = None  # the profile's colour in the header, so environments differ
    profiles: tuple[str, ...] = ()  # profiles that can be switched to in the app
    # The client's request budget, shared by everything the app fetches.
    max_requests_per_second: float = DEFAULT_MAX_REQUESTS_PER_SECOND
    # Highlight the first failed message of the first page at start (the demo's first screen).
    start_on_failure: bool = False


@dataclass(frozen=True)
class Resolution:
    """The chosen values and where each came from; what `attempt-tui config` shows.

    `sources` maps a setting name (config_path, profile, token, server_url, app_id, endpoint_id,
    read_only, poll_seconds, page_size, read_timeout, max_requests_per_second) to a short
    description of its origin; a setting missing from it has its default.
    """

    config_path: Path
    config_found: bool
    svix_cli_path: Path
    svix_cli_found: bool
    profiles: tuple[str, ...]
    profile: str
    server_url: str | None
    token: Secret | None
    app_id: str | None = None
    endpoint_id: str | None = None
    read_only: bool = False
    poll_seconds: float = DEFAULT_POLL_SECONDS
    page_size: int = DEFAULT_PAGE_SIZE
    demo: bool = False
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    read_timeout: float = DEFAULT_READ_TIMEOUT
    max_requests_per_second: float = DEFAULT_MAX_REQUESTS_PER_SECOND
    sources: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    missing_token: str | None = None  # why no token was found
    color: str | None = None

    def settings(self) -> Settings:
        """The settings to run with; MissingTokenError (holding the warnings) without a token."""
        if self.token is None or self.server_url is None:
            raise MissingTokenError(
                self.missing_token or "no Svix API token found", list(self.warnings)
            )
        return Settings(
            server_url=self.server_url,
            token=self.token,
            profile=self.profile,
            app_id=self.app_id,
            endpoint_id=self.endpoint_id,
            read_only=self.read_only,
            poll_seconds=self.poll_seconds,
            page_size=self.page_size,
            demo=self.demo,
            connect_timeout=self.connect_timeout,
            read_timeout=self.read_timeout,
            config_path=self.config_path if self.config_found and not self.demo else None,
            color=self.color,
            profiles=self.profiles + ((SVIX_CLI_PROFILE,) if self.svix_cli_found else ()),
            max_requests_per_second=self.max_requests_per_second,
        )


# Opens another profile inside the app: (settings, warnings), or ConfigError saying why not.
ProfileLoader = Callable[[str], tuple[Settings, list[str]]]


def profile_loader(
    flags: Flags,
    *,
    env: Mapping[str, str] | None = None,
    config_path: Path | None = None,
    svix_cli_config_path: Path | None = None,
) -> ProfileLoader:
    """Resolves a profile by name as `resolve` would, with the flags that hold across switches."""

    def load(name: str) -> tuple[Settings, list[str]]:
        resolution = resolve(
            flags.for_profile(name),
            env=env,
            config_path=config_path,
            svix_cli_config_path=svix_cli_config_path,
        )
        return resolution.settings(), list(resolution.warnings)

    return load


def resolve(
    flags: Flags,
    *,
    env: Mapping[str, str] | None = None,
    config_path: Path | None = None,
    svix_cli_config_path: Path | None = None,
) -> Resolution:
    """Every setting and its origin, without failing on a missing token (see `settings()`).

    `env` defaults to the process environment, the paths to their default locations.
    Raises ConfigError for a broken config file, an unknown profile or conflicting flags.
    """
    env = os.environ if env is None else env
    _check_flag_numbers(flags)
    app_id = blank_to_none(flags.app_id)
    endpoint_id = blank_to_none(flags.endpoint_id)

    sources: dict[str, str] = {}
    if config_path is not None:
        sources["config_path"] = "argument"
    elif env.get(CONFIG_PATH_ENV, "").strip():
        sources["config_path"] = CONFIG_PATH_ENV
    else:
        sources["config_path"] = "default location"
    config_path = config_path if config_path is not None else default_config_path(env)
    if config_path.is_dir():
        config_path = config_path / "config.toml"
    config_found = config_path.is_file()
    cli_path = (
        svix_cli_config_path
        if svix_cli_config_path is not None
        else default_svix_cli_config_path(env)
    )
    cli_found = cli_path.is_file()

    if flags.demo:
        connection_flags = (flags.server_url, flags.profile, flags.token_file)
        if any(value is not None for value in connection_flags):
            raise ConfigError(
                "--demo uses the built-in demo server; "
                "it cannot be combined with --server-url, --profile or --token-file"
            )
        # The demo never reads config files: a broken config must not block onboarding.
        sources.update(profile="--demo", token="--demo", server_url="--demo")
        return Resolution(
            config_path=config_path,
            config_found=config_found,
            svix_cli_path=cli_path,
            svix_cli_found=cli_found,
            profiles=(),
            profile=DEMO_PROFILE,
            server_url=DEMO_SERVER_URL,
            token=Secret(DEMO_TOKEN),
            app_id=app_id,
            endpoint_id=endpoint_id,
            read_only=flags.read_only,
            poll_seconds=DEFAULT_POLL_SECONDS if flags.poll_seconds is None else flags.poll_seconds,
            page_size=DEFAULT_PAGE_SIZE if flags.page_size is None else flags.page_size,
            demo=True,
            sources=sources,
        )

    warnings: list[str] = []
    config = load_config(config_path) if config_found else ConfigFile()
    if any(p.token is not None for p in config.profiles.values()):
        _add_permission_warning(warnings, config_path, "config file")

    chosen, sources["profile"] = _select_profile(flags.profile, config, config_path, cli_found)
    prof = config.profiles[chosen] if chosen is not None else None
    where = f"profile {chosen!r}"

    # The Svix CLI login is the fallback profile: it is never mixed into a selected profile.
    cli: SvixCliConfig | None = None
    if prof is None:
        cli, cli_warnings = load_svix_cli_config(cli_path)
        warnings.extend(cli_warnings)
    cli_source = f"Svix CLI config {cli_path}"

    token, token_source, missing = _select_token(flags.token_file, env, chosen, prof, cli)
    if missing is not None and prof is None and config.profiles:
        missing += "; several profiles are defined but none is the default: pick one with --profile"
    if token_source is not None:
        sources["token"] = token_source
    if token is not None and flags.token_file is not None:
        _add_permission_warning(warnings, flags.token_file, "token file")
    if token is not None and token_source == cli_source:
        _add_permission_warning(warnings, cli_path, "Svix CLI config")

    resolved_url, url_source = _select_server_url(flags.server_url, env, where, prof, cli, token)
    if url_source is not None:
        sources["server_url"] = url_source

    if chosen is not None:
        label = chosen
    elif cli_source in (token_source, url_source) or flags.profile == SVIX_CLI_PROFILE:
        label = SVIX_CLI_PROFILE
        if flags.profile is None:
            sources["profile"] = "Svix CLI config (no attempt-tui profile selected)"
    else:
        label = ENV_PROFILE

    # App and endpoint: a profile's default endpoint only goes with its default app.
    if app_id is not None:
        sources["app_id"] = "--app"
    elif prof is not None and prof.default_app is not None:
        app_id, sources["app_id"] = prof.default_app, where
    if endpoint_id is not None:
        sources["endpoint_id"] = "--endpoint"
    elif prof is not None and prof.default_endpoint is not None and app_id == prof.default_app:
        endpoint_id, sources["endpoint_id"] = prof.default_endpoint, where
    if endpoint_id is not None and app_id is None:
        raise ConfigError("--endpoint needs --app (endpoint ids belong to an application)")

    read_only = flags.read_only
    if read_only:
        sources["read_only"] = "--read-only"
    elif prof is not None and prof.read_only is not None:
        read_only, sources["read_only"] = prof.read_only, where

    poll_seconds = flags.poll_seconds
    if poll_seconds is not None:
        sources["poll_seconds"] = "--poll"
    elif prof is not None and prof.poll_seconds is not None:
        poll_seconds, sources["poll_seconds"] = prof.poll_seconds, where
    if flags.page_size is not None:
        sources["page_size"] = "--page-size"

    max_requests_per_second = DEFAULT_MAX_REQUESTS_PER_SECOND
    if prof is not None and prof.max_requests_per_second is not None:
        max_requests_per_second = prof.max_requests_per_second
        sources["max_requests_per_second"] = where

    read_timeout = DEFAULT_READ_TIMEOUT
    if cli is not None and cli.read_timeout is not None:
        read_timeout = cli.read_timeout
        sources["read_timeout"] = f"timeout_milliseconds in Svix CLI config {cli.path}"

    return Resolution(
        config_path=config_path,
        config_found=config_found,
        svix_cli_path=cli_path,
        svix_cli_found=cli_found,
        profiles=tuple(config.profiles),
        profile=label,
        server_url=resolved_url,
        token=token,
        app_id=app_id,
        endpoint_id=endpoint_id,
        read_only=read_only,
        poll_seconds=DEFAULT_POLL_SECONDS if poll_seconds is None else poll_seconds,
        page_size=DEFAULT_PAGE_SIZE if flags.page_size is None else flags.page_size,
        read_timeout=read_timeout,
        max_requests_per_second=max_requests_per_second,
        sources=sources,
        warnings=tuple(warnings),
        missing_token=missing,
        color=prof.color if prof is not None else None,
    )


def _check_flag_numbers(flags: Flags) -> None:
    """Flags built in code get the checks the argument parser applies to typed ones."""
    try:
        if flags.poll_seconds is not None:
            check_poll_seconds(flags.poll_seconds)
    except ValueError as exc:
        raise ConfigError(f"poll seconds {exc}") from None
    try:
        if flags.page_size is not None:
            check_page_size(flags.page_size)
    except ValueError as exc:
        raise ConfigError(f"page size {exc}") from None


def _add_permission_warning(warnings: list[str], path: Path, what: str) -> None:
    warning = permission_warning(path, what)
    if warning:
        warnings.append(warning)


def _select_profile(
    requested: str | None, config: ConfigFile, config_path: Path, cli_found: bool
) -> tuple[str | None, str]:
    """(profile name or None, why): --profile, else default_profile, else the only one, else none.

    `--profile svix-cli` (without such a profile in the file) selects the Svix CLI fallback,
    which is reported as no attempt-tui profile.
    """
    if requested is not None:
        if requested in config.profiles:
            return requested, "--profile"
        if requested == SVIX_CLI_PROFILE and cli_found:
            return None, "--profile"
        known = sorted(config.profiles) + ([SVIX_CLI_PROFILE] if cli_found else [])
        listing = ", ".join(known) if known else "none defined"
        raise ConfigError(
            f"unknown profile {requested!r} (known profiles: {listing}; config file: {config_path})"
        )
    if config.default_profile is not None:
        return config.default_profile, "default_profile"
    if len(config.profiles) == 1:
        return next(iter(config.profiles)), "the only profile"
    if config.profiles:
        return None, "none selected: several profiles, no default_profile"
    return None, "none selected"


def _read_token_file(path: Path) -> Secret:
    token = read_text(path, "token file").strip()
    if not token:
        raise ConfigError(f"token file {path} is empty")
    if any(char.isspace() for char in token):
        raise ConfigError(f"token file {path} must contain only the token")
    return Secret(token)


def _select_token(
    token_file: Path | None,
    env: Mapping[str, str],
    chosen: str | None,
    prof: ProfileConfig | None,
    cli: SvixCliConfig | None,
) -> tuple[Secret | None, str | None, str | None]:
    """(token, where it came from, why it is missing)."""
    if token_file is not None:
        return _read_token_file(token_file), f"--token-file {token_file}", None
    env_token = env.get(TOKEN_ENV, "").strip()
    if env_token:
        return Secret(env_token), TOKEN_ENV, None
    where = f"profile {chosen!r}"
    if prof is not None:
        if prof.token is not None:
            return prof.token, f"{where} (token)", None
        if prof.token_env is None:
            return None, None, f"{where} has no token or token_env, and {TOKEN_ENV} is not set"
        value = env.get(prof.token_env, "").strip()
        if value:
            return Secret(value), f"${prof.token_env} ({where})", None
        return None, None, f"{where} takes its token from ${prof.token_env}, which is not set"
    if cli is not None:
        if cli.token is not None:
            return cli.token, f"Svix CLI config {cli.path}", None
        return None, None, f"no Svix API token found (the Svix CLI config {cli.path} has none)"
    return None, None, "no Svix API token found"


def _select_server_url(
    flag: str | None,
    env: Mapping[str, str],
    where: str,
    prof: ProfileConfig | None,
    cli: SvixCliConfig | None,
    token: Secret | None,
) -> tuple[str | None, str | None]:
    """(base URL, where it came from); None while the token, and so the region, is unknown."""
    if flag is not None and flag.strip():
        return _checked_url(flag, "--server-url"), "--server-url"
    env_url = env.get(SERVER_URL_ENV, "").strip()
    if env_url:
        return _checked_url(env_url, SERVER_URL_ENV), SERVER_URL_ENV
    if prof is not None and prof.server_url is not None:
        return prof.server_url, where
    if cli is not None and cli.server_url is not None:
        return cli.server_url, f"Svix CLI config {cli.path}"
    debug_url = env.get(DEBUG_URL_ENV, "").strip()
    if debug_url:
        return _checked_url(debug_url, DEBUG_URL_ENV), DEBUG_URL_ENV
    if cli is not None and cli.debug_url is not None:
        return cli.debug_url, f"Svix CLI config {cli.path}"
    if token is not None:
        return base_url_for_token(token.reveal()), "the token's region"
    return None, None


def _checked_url(url: str, source: str) -> str:
    try:
        return normalize_server_url(url)
    except ValueError as exc:
        raise ConfigError(f"server URL from {source} {exc}") from None
