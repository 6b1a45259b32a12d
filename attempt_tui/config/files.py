"""Reading config files: text, TOML with positions in its errors, and loose-permission warnings."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

from attempt_tui.compat import tomllib
from attempt_tui.config.errors import ConfigError

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


def read_text(path: Path, what: str) -> str:
    """The file's text; ConfigError names `what` and the path when it cannot be read."""
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


def parse_toml(text: str, path: Path) -> dict[str, Any]:
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


def permission_warning(path: Path, what: str) -> str | None:
    """A warning with the fix when a file holding a token is open to group or others."""
    mode = _loose_permissions(path)
    if mode is None:
        return None
    return (
        f"{what} {path} holds a token but is accessible by group/others "
        f"(mode {mode:04o}); fix with: chmod 600 {path}"
    )
