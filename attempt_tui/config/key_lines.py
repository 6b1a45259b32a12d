"""Finding the line of a key in TOML text, since tomllib reports no positions for keys."""

from __future__ import annotations

import re

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
