"""The errors configuration raises: messages fit for a terminal, never holding the token."""

from __future__ import annotations


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
