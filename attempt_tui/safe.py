"""The one door through which untrusted text reaches the screen.

Everything that came from the API (ids, event types, channels, tags, payloads, response bodies,
endpoint urls and descriptions, app names, headers) is untrusted: an endpoint owner controls
response bodies, and a customer controls payloads. Textual passes ESC, C1 and OSC sequences
straight to the terminal, and markup in data becomes live (`[@click=app.quit]`). So data is never
formatted into markup strings; it becomes a `rich.text.Text` through this module:

- C0 controls, ESC, DEL and C1 controls are shown in `\\xNN` notation (ESC -> the four characters
  `\\x1b`), styled with `CONTROL_STYLE` so the oddity is visible.
- Bidi overrides/isolates and invisible format characters that can spoof text (zero-width
  spaces and joiners, LRM/RLM, line/paragraph separators, BOM, ALM, word joiner, ...) are shown
  in `\\uNNNN` notation.
- Lone surrogates become U+FFFD.
- Single-line mode (table cells, titles): a newline (or CRLF) becomes "↵" and a tab a space.
  Multiline mode (bodies): newline and tab are kept, a CRLF pair becomes a newline, and a lone
  CR is shown as `\\x0d` (it could otherwise overwrite what is already on the line).
- Output is capped. Single-line: at most `max_len` characters, ending with "…" when cut.
  Multiline: at most `max_len` characters of content, then a final line
  "… truncated (N more characters)" where N counts the characters of the original value not shown.

Keep the raw value in the model for copy and export; this module is only for display.
"""

from __future__ import annotations

import json
import re
from typing import NamedTuple

from rich.text import Span, Text

CONTROL_STYLE = "reverse"
"""Style of `\\x1b`-style notation: something odd is in the data."""
SOFT_STYLE = "dim"
"""Style of harmless display substitutes: "↵" for a newline, "…" and the truncated note."""

JSON_KEY_STYLE = "bold cyan"
JSON_STRING_STYLE = "green"
JSON_NUMBER_STYLE = "magenta"
JSON_BOOL_STYLE = "yellow"
JSON_NULL_STYLE = "dim italic"

NEWLINE_MARK = "↵"
ELLIPSIS = "…"

# Above this size a body is shown as plain text instead of being parsed and pretty-printed.
JSON_PARSE_LIMIT = 2_000_000

# Invisible format characters that can reorder or hide text: ALM, zero-width space/joiners,
# LRM/RLM, line/paragraph separators, bidi embeddings/overrides (202A-202E), word joiner and
# invisible operators (2060-2064), bidi isolates (2066-2069), deprecated format chars
# (206A-206F) and the BOM / zero-width no-break space.
_FORMAT_CLASS = "\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
_SURROGATES = "\ud800-\udfff"
_SINGLE_RE = re.compile("\r\n|[\x00-\x1f\x7f-\x9f" + _FORMAT_CLASS + _SURROGATES + "]")
_MULTI_RE = re.compile("\r\n|[\x00-\x08\x0b-\x1f\x7f-\x9f" + _FORMAT_CLASS + _SURROGATES + "]")


def _build_replacements() -> dict[str, tuple[str, str | None]]:
    table: dict[str, tuple[str, str | None]] = {}
    for code in [*range(0x00, 0x20), *range(0x7F, 0xA0)]:
        table[chr(code)] = (f"\\x{code:02x}", CONTROL_STYLE)
    format_codes = [0x061C, *range(0x200B, 0x2010), *range(0x2028, 0x202F)]
    format_codes += [*range(0x2060, 0x2065), *range(0x2066, 0x2070), 0xFEFF]
    for code in format_codes:
        table[chr(code)] = (f"\\u{code:04x}", CONTROL_STYLE)
    return table


_REPLACEMENTS = _build_replacements()
# Per mode, the substitutes that differ from the notation above.
_SINGLE_OVERRIDES: dict[str, tuple[str, str | None]] = {
    "\r\n": (NEWLINE_MARK, SOFT_STYLE),
    "\n": (NEWLINE_MARK, SOFT_STYLE),
    "\t": (" ", None),
}
_MULTI_OVERRIDES: dict[str, tuple[str, str | None]] = {"\r\n": ("\n", None)}
_SURROGATE_REPLACEMENT = ("\ufffd", CONTROL_STYLE)


class _Cleaned(NamedTuple):
    text: str
    spans: list[Span]
    content_end: int
    """Where the data ends and the "…"/truncated note (if any) begins."""


class _Piece(NamedTuple):
    out: str
    style: str | None
    raw_start: int
    raw_end: int
    atomic: bool
    """A substitute that must not be cut in half (plain runs may be cut anywhere)."""


def _to_str(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _substitute(match: str, multiline: bool) -> tuple[str, str | None]:
    overrides = _MULTI_OVERRIDES if multiline else _SINGLE_OVERRIDES
    found = overrides.get(match) or _REPLACEMENTS.get(match)
    return found if found is not None else _SURROGATE_REPLACEMENT


def _finish(
    out: str, spans: list[Span], omitted: int, *, truncated: bool, multiline: bool
) -> _Cleaned:
    end = len(out)
    if not truncated:
        return _Cleaned(out, spans, end)
    sep = ""
    note = ELLIPSIS
    if multiline:
        sep = "" if not out or out.endswith("\n") else "\n"
        noun = "character" if omitted == 1 else "characters"
        note = f"{ELLIPSIS} truncated ({omitted:,} more {noun})"
    start = end + len(sep)
    spans.append(Span(start, start + len(note), SOFT_STYLE))
    return _Cleaned(out + sep + note, spans, end)


def _scan(value: object, max_len: int, multiline: bool) -> _Cleaned:
    if max_len < 1:
        raise ValueError(f"max_len must be at least 1, got {max_len}")
    s = _to_str(value)
    regex = _MULTI_RE if multiline else _SINGLE_RE
    # Each output character comes from at most two input characters (CRLF), so this window
    # always holds more than max_len characters of output when the value is longer.
    window = s[: 2 * max_len + 2]
    # Room for data when the value must be cut: single-line output keeps one cell for "…".
    budget = max_len if multiline else max_len - 1

    if regex.search(window) is None:  # fast path: nothing to escape
        if len(s) <= max_len:
            return _Cleaned(s, [], len(s))
        return _finish(s[:budget], [], len(s) - budget, truncated=True, multiline=multiline)

    pieces: list[_Piece] = []
    out_len = 0
    last = 0
    for match in regex.finditer(window):
        start = match.start()
        if start > last:
            pieces.append(_Piece(window[last:start], None, last, start, False))
            out_len += start - last
        rep, style = _substitute(match.group(), multiline)
        last = match.end()
        pieces.append(_Piece(rep, style, start, last, True))
        out_len += len(rep)
        if out_len > max_len:
            break
    else:
        if last < len(window):
            pieces.append(_Piece(window[last:], None, last, len(window), False))
            out_len += len(window) - last
            last = len(window)

    if out_len <= max_len and last == len(s):
        return _assemble(pieces, len(s), truncated=False, multiline=multiline)

    kept: list[_Piece] = []
    used = 0
    for piece in pieces:
        room = budget - used
        if len(piece.out) <= room:
            kept.append(piece)
            used += len(piece.out)
            continue
        if not piece.atomic and room > 0:
            kept.append(
                _Piece(piece.out[:room], None, piece.raw_start, piece.raw_start + room, False)
            )
        break
    return _assemble(kept, len(s), truncated=True, multiline=multiline)


def _assemble(pieces: list[_Piece], total: int, *, truncated: bool, multiline: bool) -> _Cleaned:
    parts: list[str] = []
    spans: list[Span] = []
    pos = 0
    for piece in pieces:
        parts.append(piece.out)
        if piece.style is not None:
            spans.append(Span(pos, pos + len(piece.out), piece.style))
        pos += len(piece.out)
    consumed = pieces[-1].raw_end if pieces else 0
    return _finish(
        "".join(parts), spans, total - consumed, truncated=truncated, multiline=multiline
    )


def clean(value: object, *, max_len: int = 256, multiline: bool = False) -> str:
    """Return `value` as a string that is safe to put on a terminal (see the module docstring)."""
    return _scan(value, max_len, multiline).text


def text(
    value: object, *, max_len: int = 256, style: str | None = None, multiline: bool = False
) -> Text:
    """Return `value` as a `Text` (never parsed as markup), with escapes highlighted."""
    cleaned = _scan(value, max_len, multiline)
    return Text(cleaned.text, style=style or "", spans=cleaned.spans)


def block(value: object, *, max_chars: int = 20_000) -> Text:
    """Multiline body text, capped, with a "… truncated" note when cut."""
    return text(value, max_len=max_chars, multiline=True)


# One token per match: a string (a key when followed by a colon), a number or a literal.
# A string may lack its closing quote when the output was cut mid-line.
_JSON_TOKEN = re.compile(
    r'(?P<str>"[^"\\\n]*(?:\\.[^"\\\n]*)*"?)(?P<key>[ \t]*:)?'
    r"|(?P<num>-?(?:\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|Infinity)|NaN)"
    r"|(?P<bool>true|false)"
    r"|(?P<null>null)"
)
_TOKEN_STYLES = {
    "str": JSON_STRING_STYLE,
    "num": JSON_NUMBER_STYLE,
    "bool": JSON_BOOL_STYLE,
    "null": JSON_NULL_STYLE,
}


def _json_text(data: object, max_chars: int) -> Text | None:
    """Pretty-printed, highlighted JSON, or None when `data` cannot be serialised."""
    try:
        dumped = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False, default=str)
    except (RecursionError, ValueError, TypeError):
        return None
    cleaned = _scan(dumped, max_chars, multiline=True)
    spans: list[Span] = []
    styles = _TOKEN_STYLES
    for match in _JSON_TOKEN.finditer(cleaned.text, 0, cleaned.content_end):
        kind = match.lastgroup
        if kind == "key":
            spans.append(Span(match.start(), match.end("str"), JSON_KEY_STYLE))
        else:
            spans.append(Span(match.start(), match.end(), styles[kind or "str"]))
    spans.extend(cleaned.spans)  # escapes and the truncated note win over syntax colours
    return Text(cleaned.text, spans=spans)


def _safe_repr(data: object) -> str:
    try:
        return repr(data)
    except (RecursionError, ValueError):
        return "(value nested too deeply to show)"


def json_block(data: object, *, max_chars: int = 50_000) -> Text:
    """`data` pretty-printed as JSON with syntax highlighting, cleaned and capped."""
    result = _json_text(data, max_chars)
    return result if result is not None else block(_safe_repr(data), max_chars=max_chars)


def body_block(body: str, *, max_chars: int = 20_000) -> Text:
    """A response body: pretty JSON when it is a JSON object or array, else plain text."""
    body = _to_str(body)
    if body.lstrip()[:1] in ("{", "[") and len(body) <= JSON_PARSE_LIMIT:
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            data = None
        if isinstance(data, (dict, list)):
            result = _json_text(data, max_chars)
            if result is not None:
                return result
    return block(body, max_chars=max_chars)


MAX_COUNT = 2**53 - 1
"""JSON numbers past this are not exact in most clients: no real count is that large."""
OUT_OF_RANGE = "⚠"


def count_in_range(value: object) -> bool:
    """A count the API can mean: a whole number from 0 to MAX_COUNT."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT


def out_of_range(value: object, *, words: bool = True) -> str:
    """A number from the API that cannot be what it claims: `⚠ -9007199254740991 (out of
    range)`, shown as such, never passed off as a real value."""
    shown = f"{OUT_OF_RANGE} {clean(value, max_len=40)}"
    return f"{shown} (out of range)" if words else shown


def count(value: object, *, words: bool = True, grouped: bool = True) -> str:
    """A count from the API (`1,234`; `1234` when not `grouped`), or marked as out of range."""
    if not count_in_range(value):
        return out_of_range(value, words=words)
    assert isinstance(value, int)
    return f"{value:,}" if grouped else str(value)


def size_hint(n_bytes: int) -> str:
    """A short human size in decimal units: "512 B", "1.5 KB", "5.0 MB"."""
    if n_bytes < 0:
        raise ValueError(f"size must not be negative, got {n_bytes}")
    if n_bytes < 1000:
        return f"{n_bytes} B"
    value = float(n_bytes)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1000
        if round(value, 1) < 1000 or unit == "TB":
            return f"{value:.1f} {unit}"
    raise AssertionError("unreachable")
