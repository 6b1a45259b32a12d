"""The attempt-tui config file: its model, and errors that name the file, the line and the key."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationError,
    field_validator,
    model_validator,
)

from attempt_tui.config.errors import ConfigError
from attempt_tui.config.files import parse_toml, read_text
from attempt_tui.config.key_lines import find_key_line
from attempt_tui.config.limits import check_max_requests_per_second, check_poll_seconds
from attempt_tui.config.urls import normalize_server_url
from attempt_tui.secret import Secret

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_COLOR = re.compile(r"(#[0-9a-fA-F]{6}|[a-z_]{3,20})\Z")


def _to_secret(value: object) -> Secret:
    if not isinstance(value, str):
        raise ValueError("must be a string")
    value = value.strip()
    if not value:
        raise ValueError("must not be empty")
    return Secret(value)


def blank_to_none(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


class ProfileConfig(BaseModel):
    """One `[profiles.NAME]` table."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    server_url: str | None = None
    token: Annotated[Secret | None, PlainValidator(_to_secret)] = None
    token_env: str | None = None
    default_app: str | None = None
    default_endpoint: str | None = None
    read_only: bool | None = None
    poll_seconds: Annotated[float, AfterValidator(check_poll_seconds)] | None = None
    max_requests_per_second: (
        Annotated[float, AfterValidator(check_max_requests_per_second)] | None
    ) = None
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
        return blank_to_none(value)

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
    text = read_text(path, "config file")
    data = parse_toml(text, path)
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
