"""The Textual theme, remembered as the top-level `theme = "..."` line of the config file."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Protocol

_THEME_LINE = re.compile(r'^theme\s*=\s*"([A-Za-z0-9_\-]{1,40})"\s*(#.*)?$')


class ThemeStore(Protocol):
    """Where the app keeps the theme the user picked."""

    def load(self) -> str | None:
        """The remembered theme name, or None; never raises."""
        ...

    def save(self, name: str) -> None:
        """Remember `name`; raises OSError or ValueError (not a theme name) on failure."""
        ...


class FileThemeStore:
    """The theme kept in an attempt-tui config file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> str | None:
        return read_theme(self.path)

    def save(self, name: str) -> None:
        write_theme(self.path, name)


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
