"""Where attempt-tui's settings come from: flags, environment, config profiles, the Svix CLI config.

Precedence, per setting: flags (incl. --token-file) > environment (SVIX_AUTH_TOKEN, SVIX_SERVER_URL)
> the selected profile > the Svix CLI's own config (only when no profile is selected) > defaults.
The token is held in a `Secret` from the moment it is read; no message here ever contains it.
"""

from __future__ import annotations

import math
import os
import re
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationError,
    field_validator,
    model_validator,
)

from attempt_tui.secret import Secret

APP_NAME = "attempt-tui"
CONFIG_PATH_ENV = "ATTEMPT_TUI_CONFIG"
SVIX_CLI_CONFIG_PATH_ENV = "ATTEMPT_TUI_SVIX_CLI_CONFIG"
TOKEN_ENV = "SVIX_AUTH_TOKEN"
SERVER_URL_ENV = "SVIX_SERVER_URL"

SVIX_CLI_PROFILE = "svix-cli"
ENV_PROFILE = "env"
DEMO_PROFILE = "demo"
DEMO_SERVER_URL = "http://demo.attempt-tui.local"
DEMO_TOKEN = "demo-token"

DEFAULT_SERVER_URL = "https://api.svix.com"
REGIONS = frozenset({"us", "eu", "in", "ca", "au"})
DEFAULT_POLL_SECONDS = 5.0
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 250
DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_READ_TIMEOUT = 15.0


class ConfigError(Exception):
    """A problem with the configuration, explained in words fit for a terminal (never the token)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class MissingTokenError(ConfigError):
    """No API token was found. `warnings` holds what was noticed on the way (e.g. a broken file)."""

    def __init__(self, message: str, warnings: list[str] | None = None) -> None:
        super().__init__(message)
        self.warnings = list(warnings or [])


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


# --- the config file model ---------------------------------------------------------------------

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_COLOR = re.compile(r"(#[0-9a-fA-F]{6}|[a-z_]{3,20})\Z")
_THEME_LINE = re.compile(r'^theme\s*=\s*"([A-Za-z0-9_\-]{1,40})"\s*(#.*)?$')


def _to_secret(value: object) -> Secret:
    if not isinstance(value, str):
        raise ValueError("must be a string")
    value = value.strip()
    if not value:
        raise ValueError("must not be empty")
    return Secret(value)


def _blank_to_none(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


def normalize_server_url(url: str) -> str:
    """Strip whitespace and trailing slashes; raise ValueError unless it is an http(s) URL.

    The error never repeats the value: a token pasted into the wrong place must not be echoed.
    """
    url = url.strip().rstrip("/")
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("must be an http:// or https:// URL")
    return url


class ProfileConfig(BaseModel):
    """One `[profiles.NAME]` table."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    server_url: str | None = None
    token: Annotated[Secret | None, PlainValidator(_to_secret)] = None
    token_env: str | None = None
    default_app: str | None = None
    default_endpoint: str | None = None
    read_only: bool | None = None
    poll_seconds: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    color: str | None = None

    @field_validator("color")
    @classmethod
    def _check_color(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not _COLOR.match(value.strip()):
            raise ValueError('must be a colour name like "red" or a hex colour like "#cc0000"')
        return value.strip()

    @field_validator("server_url")
    @classmethod
    def _check_server_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        return normalize_server_url(value)

    @field_validator("token_env")
    @classmethod
    def _check_token_env(cls, value: str | None) -> str | None:
        if value is not None and not _ENV_NAME.match(value):
            raise ValueError(
                "must be the name of an environment variable (letters, digits, _), not a token"
            )
        return value

    @field_validator("default_app", "default_endpoint")
    @classmethod
    def _blank_is_unset(cls, value: str | None) -> str | None:
        return _blank_to_none(value)

    @model_validator(mode="after")
    def _check_combinations(self) -> ProfileConfig:
        if self.token is not None and self.token_env is not None:
            raise ValueError("set either token or token_env, not both")
        if self.default_endpoint is not None and self.default_app is None:
            raise ValueError("default_endpoint needs default_app (endpoints belong to an app)")
        return self


class ConfigFile(BaseModel):
    """The whole attempt-tui config file."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    default_profile: str | None = None
    theme: str | None = None  # the Textual theme chosen in the app
    profiles: dict[str, ProfileConfig] = Field(default_factory=dict)


_TOP_LEVEL_KEYS = tuple(ConfigFile.model_fields)
_PROFILE_KEYS = tuple(ProfileConfig.model_fields)


# --- paths -------------------------------------------------------------------------------------


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


# --- reading files -----------------------------------------------------------------------------


def _read_text(path: Path, what: str) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(
            f"cannot read {what} {path}: {exc.strerror or type(exc).__name__}"
        ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"{what} {path} is not UTF-8 text") from None


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


def _parse_toml(text: str, path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib's messages carry the position and never quote the source text.
        message = str(exc)
        where = str(path)
        position = _TOML_POSITION.search(message)
        if position:
            where = f"{path}, line {position.group(1)}, column {position.group(2)}"
            message = message[: position.start()]
        raise ConfigError(f"{where}: invalid TOML: {message}") from None


def _loose_permissions(path: Path) -> int | None:
    """The file's mode if group or others have any access to it, else None."""
    if os.name != "posix":
        return None
    try:
        st = path.stat()
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    mode = stat.S_IMODE(st.st_mode)
    return mode if mode & 0o077 else None


def _permission_warning(path: Path, what: str) -> str | None:
    mode = _loose_permissions(path)
    if mode is None:
        return None
    return (
        f"{what} {path} holds a token but is accessible by group/others "
        f"(mode {mode:04o}); fix with: chmod 600 {path}"
    )


# --- locating keys in TOML text (tomllib reports no positions for keys) --------------------------

_TABLE_HEADER = re.compile(r"^\s*\[\[?(.*?)\]\]?\s*(#.*)?$")
_KEY_PATTERN = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_KEY_LINE = re.compile(rf"^\s*({_KEY_PATTERN}(?:\s*\.\s*{_KEY_PATTERN})*)\s*=")
_KEY_PART = re.compile(r"""[A-Za-z0-9_-]+|"((?:[^"\\]|\\.)*)"|'([^']*)'""")


def _split_key(raw: str) -> tuple[str, ...]:
    parts: list[str] = []
    for match in _KEY_PART.finditer(raw):
        if match.group(1) is not None:
            parts.append(match.group(1))
        elif match.group(2) is not None:
            parts.append(match.group(2))
        else:
            parts.append(match.group(0))
    return tuple(parts)


def _key_positions(text: str) -> list[tuple[tuple[str, ...], int]]:
    """(full key path, line number) for every table header and key assignment."""
    positions: list[tuple[tuple[str, ...], int]] = []
    table: tuple[str, ...] = ()
    open_multiline: str | None = None
    for lineno, line in enumerate(text.split("\n"), start=1):
        if open_multiline is not None:
            if line.count(open_multiline) % 2 == 1:
                open_multiline = None
            continue
        header = _TABLE_HEADER.match(line)
        if header:
            table = _split_key(header.group(1))
            positions.append((table, lineno))
            continue
        key = _KEY_LINE.match(line)
        if key:
            positions.append((table + _split_key(key.group(1)), lineno))
            rest = line[key.end() :]
            for quote in ('"""', "'''"):
                if rest.count(quote) % 2 == 1:
                    open_multiline = quote
                    break
    return positions


def find_key_line(text: str, loc: tuple[str, ...]) -> int | None:
    """The line where key path `loc` is set, or where its table (or nearest parent) starts."""
    if not loc:
        return None
    positions = _key_positions(text)
    for path, lineno in positions:
        if path == loc:
            return lineno
    for path, lineno in positions:
        if path[: len(loc)] == loc:
            return lineno
    best: tuple[int, int] | None = None
    for path, lineno in positions:
        if path and loc[: len(path)] == path and (best is None or len(path) > best[0]):
            best = (len(path), lineno)
    return best[1] if best else None


def _where(path: Path, text: str, loc: tuple[str, ...]) -> str:
    line = find_key_line(text, loc)
    return f"{path}, line {line}" if line else str(path)


def _describe_error(loc: tuple[str, ...], error_type: str, message: str) -> str:
    key = ".".join(loc) if loc else "(top level)"
    in_profile = len(loc) == 3 and loc[0] == "profiles"
    if error_type == "extra_forbidden":
        allowed = _PROFILE_KEYS if in_profile else _TOP_LEVEL_KEYS
        text = f"unknown key {key!r} (allowed here: {', '.join(allowed)})"
        if in_profile and loc[2] in _TOP_LEVEL_KEYS:
            text += f"; top-level keys like {loc[2]} must come before the first [table]"
        return text
    if len(loc) == 2 and loc[0] == "profiles" and error_type.endswith("_type"):
        return f"{key}: expected a table [profiles.{loc[1]}]"
    return f"{key}: {message.removeprefix('Value error, ')}"


def _validation_message(exc: ValidationError, text: str, path: Path) -> str:
    lines = []
    for error in exc.errors(include_url=False, include_input=False, include_context=False):
        loc = tuple(str(part) for part in error["loc"])
        lines.append(
            f"{_where(path, text, loc)}: {_describe_error(loc, error['type'], error['msg'])}"
        )
    return "\n".join(lines)


def load_config(path: Path) -> ConfigFile:
    """Read and validate an attempt-tui config file; ConfigError names the file, line and key."""
    text = _read_text(path, "config file")
    data = _parse_toml(text, path)
    try:
        config = ConfigFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_validation_message(exc, text, path)) from None
    if config.default_profile is not None and config.default_profile not in config.profiles:
        known = ", ".join(sorted(config.profiles)) or "none"
        raise ConfigError(
            f"{_where(path, text, ('default_profile',))}: default_profile: "
            f"no profile named {config.default_profile!r} (profiles: {known})"
        )
    return config


# --- the Svix CLI's config (a fallback profile; read leniently since it is not our file) ---------


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
        data = _parse_toml(_read_text(path, "Svix CLI config"), path)
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


# --- resolution --------------------------------------------------------------------------------


def base_url_for_token(token: str) -> str:
    """`https://api.<region>.svix.com` for tokens ending in a region suffix, else the global API."""
    if "." in token:
        region = token.rsplit(".", 1)[1]
        if region in REGIONS:
            return f"https://api.{region}.svix.com"
    return DEFAULT_SERVER_URL


def _read_token_file(path: Path) -> Secret:
    token = _read_text(path, "token file").strip()
    if not token:
        raise ConfigError(f"token file {path} is empty")
    if any(char.isspace() for char in token):
        raise ConfigError(f"token file {path} must contain only the token")
    return Secret(token)


def _check_numbers(poll_seconds: float | None, page_size: int | None) -> None:
    if poll_seconds is not None and (not math.isfinite(poll_seconds) or poll_seconds < 0):
        raise ConfigError("poll seconds must be a number >= 0 (0 = refresh only on demand)")
    if page_size is not None and not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ConfigError(f"page size must be between 1 and {MAX_PAGE_SIZE}")


@dataclass(frozen=True)
class Resolution:
    """The chosen values and where each came from; what `attempt-tui config` shows.

    `sources` maps a setting name (config_path, profile, token, server_url, app_id, endpoint_id,
    read_only, poll_seconds, page_size, read_timeout) to a short description of its origin.
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
    sources: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    missing_token: str | None = None  # why no token was found
    color: str | None = None

    def settings(self) -> Settings:
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
        )


def explain_settings(
    *,
    demo: bool = False,
    server_url: str | None = None,
    profile: str | None = None,
    app_id: str | None = None,
    endpoint_id: str | None = None,
    read_only: bool = False,
    poll_seconds: float | None = None,
    page_size: int | None = None,
    token_file: Path | None = None,
    env: Mapping[str, str] | None = None,
    config_path: Path | None = None,
    svix_cli_config_path: Path | None = None,
) -> Resolution:
    """Resolve every setting without failing on a missing token (see `Resolution.settings`)."""
    env = os.environ if env is None else env
    _check_numbers(poll_seconds, page_size)
    app_id = _blank_to_none(app_id)
    endpoint_id = _blank_to_none(endpoint_id)

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

    if demo:
        if server_url is not None or profile is not None or token_file is not None:
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
            read_only=read_only,
            poll_seconds=DEFAULT_POLL_SECONDS if poll_seconds is None else poll_seconds,
            page_size=DEFAULT_PAGE_SIZE if page_size is None else page_size,
            demo=True,
            sources=sources,
        )

    warnings: list[str] = []
    config = load_config(config_path) if config_found else ConfigFile()
    if any(p.token is not None for p in config.profiles.values()):
        _add_permission_warning(warnings, config_path, "config file")

    chosen, sources["profile"] = _select_profile(profile, config, config_path, cli_found)
    prof = config.profiles[chosen] if chosen is not None else None
    where = f"profile {chosen!r}"

    # The Svix CLI login is the fallback profile: it is never mixed into a selected profile.
    cli: SvixCliConfig | None = None
    if prof is None:
        cli, cli_warnings = load_svix_cli_config(cli_path)
        warnings.extend(cli_warnings)
    cli_source = f"Svix CLI config {cli_path}"

    token, token_source, missing = _select_token(token_file, env, chosen, prof, cli)
    if missing is not None and prof is None and config.profiles:
        missing += "; several profiles are defined but none is the default: pick one with --profile"
    if token_source is not None:
        sources["token"] = token_source
    if token is not None and token_file is not None:
        _add_permission_warning(warnings, token_file, "token file")
    if token is not None and token_source == cli_source:
        _add_permission_warning(warnings, cli_path, "Svix CLI config")

    resolved_url, url_source = _select_server_url(server_url, env, where, prof, cli, token)
    if url_source is not None:
        sources["server_url"] = url_source

    if chosen is not None:
        label = chosen
    elif cli_source in (token_source, url_source) or profile == SVIX_CLI_PROFILE:
        label = SVIX_CLI_PROFILE
        if profile is None:
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

    if read_only:
        sources["read_only"] = "--read-only"
    elif prof is not None and prof.read_only is not None:
        read_only, sources["read_only"] = prof.read_only, where

    if poll_seconds is not None:
        sources["poll_seconds"] = "--poll"
    elif prof is not None and prof.poll_seconds is not None:
        poll_seconds, sources["poll_seconds"] = prof.poll_seconds, where
    if page_size is not None:
        sources["page_size"] = "--page-size"

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
        page_size=DEFAULT_PAGE_SIZE if page_size is None else page_size,
        read_timeout=read_timeout,
        sources=sources,
        warnings=tuple(warnings),
        missing_token=missing,
        color=prof.color if prof is not None else None,
    )


def _add_permission_warning(warnings: list[str], path: Path, what: str) -> None:
    warning = _permission_warning(path, what)
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
    if token is not None:
        return base_url_for_token(token.reveal()), "the token's region"
    return None, None


def _checked_url(url: str, source: str) -> str:
    try:
        return normalize_server_url(url)
    except ValueError as exc:
        raise ConfigError(f"server URL from {source} {exc}") from None


def resolve_settings(
    *,
    demo: bool = False,
    server_url: str | None = None,
    profile: str | None = None,
    app_id: str | None = None,
    endpoint_id: str | None = None,
    read_only: bool = False,
    poll_seconds: float | None = None,
    page_size: int | None = None,
    token_file: Path | None = None,
    env: Mapping[str, str] | None = None,
    config_path: Path | None = None,
    svix_cli_config_path: Path | None = None,
) -> tuple[Settings, list[str]]:
    """The settings to run with and warnings to show first; raises ConfigError/MissingTokenError."""
    resolution = explain_settings(
        demo=demo,
        server_url=server_url,
        profile=profile,
        app_id=app_id,
        endpoint_id=endpoint_id,
        read_only=read_only,
        poll_seconds=poll_seconds,
        page_size=page_size,
        token_file=token_file,
        env=env,
        config_path=config_path,
        svix_cli_config_path=svix_cli_config_path,
    )
    return resolution.settings(), list(resolution.warnings)


# --- the theme, remembered in the config file ----------------------------------------------------


def read_theme(path: Path) -> str | None:
    """The top-level `theme = "..."` of the config file, read leniently (never raises)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for line in lines:
        if line.lstrip().startswith("["):
            return None  # top-level keys end where the first table starts
        match = _THEME_LINE.match(line.strip())
        if match:
            return match.group(1)
    return None


def write_theme(path: Path, theme: str) -> None:
    """Set the top-level `theme` in the config file, keeping every other line as it is."""
    if not _THEME_LINE.match(f'theme = "{theme}"'):
        raise ValueError("not a theme name")
    new = f'theme = "{theme}"'
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        lines = []
    for index, line in enumerate(lines):
        if line.lstrip().startswith("["):
            lines.insert(index, new)
            break
        if _THEME_LINE.match(line.strip()):
            lines[index] = new
            break
    else:
        lines.append(new)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if path.exists():
        os.chmod(temporary, path.stat().st_mode & 0o777)
    os.replace(temporary, path)


def display_url(url: str) -> str:
    """`url` without any user:password part, for the header and the audit log."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return parts._replace(netloc=host).geturl()
