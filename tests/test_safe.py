"""safe.py: untrusted text never reaches the terminal as control codes or live markup."""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Callable
from io import StringIO

import pytest
from rich.console import Console
from rich.style import Style
from rich.text import Text

from attempt_tui import safe
from attempt_tui.safe import block, body_block, clean, json_block, size_hint, text

FORMAT_CODES = {0x061C, *range(0x200B, 0x2010), *range(0x2028, 0x202F)}
FORMAT_CODES |= {*range(0x2060, 0x2065), *range(0x2066, 0x2070), 0xFEFF}

NASTY = [
    "\x1b]52;c;ZXZpbA==\x07",  # OSC 52: write the user's clipboard
    "\x1b[2J",  # CSI: clear screen
    "\x1b]8;;http://evil/\x1b\\click\x1b]8;;\x1b\\",  # OSC 8 hyperlink
    "\x9b31m",  # C1 CSI
    "\x9d0;title\x9c",  # C1 OSC / ST
    "\x7f",
    "\x00",
    "\x08\x08\x08ok",
    "a\rb",
    "\u202eevil",
    "zero\u200bwidth\u200d\ufeff",
    "\u2066iso\u2069",
    "\ud800lone",
    "[bold]x[/]",
    "[@click=app.quit]q[/]",
    "[link=http://x]y[/]",
]
MARKUP = ["[bold]x[/]", "[@click=app.quit]q[/]", "[link=http://x]y[/]", "[red]\\[x]"]


def forbidden(ch: str, *, multiline: bool) -> bool:
    code = ord(ch)
    if multiline and ch in "\n\t":
        return False
    return code < 0x20 or 0x7F <= code <= 0x9F or code in FORMAT_CODES or 0xD800 <= code <= 0xDFFF


def assert_safe(plain: str, *, multiline: bool) -> None:
    bad = [hex(ord(ch)) for ch in plain if forbidden(ch, multiline=multiline)]
    assert not bad, f"unsafe characters {bad} in {plain!r}"


def reference_pieces(s: str, *, multiline: bool) -> list[tuple[str, int]]:
    """A slow, obvious model of clean(): (output, raw characters consumed) per piece."""
    pieces: list[tuple[str, int]] = []
    i = 0
    while i < len(s):
        ch = s[i]
        code = ord(ch)
        if ch == "\r" and s[i + 1 : i + 2] == "\n":
            pieces.append(("\n" if multiline else "↵", 2))
            i += 2
            continue
        if ch == "\n":
            rep = "\n" if multiline else "↵"
        elif ch == "\t":
            rep = "\t" if multiline else " "
        elif code < 0x20 or 0x7F <= code <= 0x9F:
            rep = f"\\x{code:02x}"
        elif code in FORMAT_CODES:
            rep = f"\\u{code:04x}"
        elif 0xD800 <= code <= 0xDFFF:
            rep = "\ufffd"
        else:
            rep = ch
        pieces.append((rep, 1))
        i += 1
    return pieces


def reference_clean(s: str, *, max_len: int, multiline: bool) -> str:
    pieces = reference_pieces(s, multiline=multiline)
    full = "".join(out for out, _ in pieces)
    if len(full) <= max_len:
        return full
    budget = max_len if multiline else max_len - 1
    kept, used, consumed = [], 0, 0
    for out, raw in pieces:
        if used + len(out) > budget:
            break
        kept.append(out)
        used += len(out)
        consumed += raw
    body = "".join(kept)
    if not multiline:
        return body + "…"
    omitted = len(s) - consumed
    noun = "character" if omitted == 1 else "characters"
    sep = "" if not body or body.endswith("\n") else "\n"
    return f"{body}{sep}… truncated ({omitted:,} more {noun})"


def render(renderable: Text) -> str:
    out = StringIO()
    console = Console(file=out, force_terminal=True, color_system="truecolor", width=100)
    console.print(renderable)
    return out.getvalue()


# --- clean -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\x1b]52;c;ZXZpbA==\x07", "\\x1b]52;c;ZXZpbA==\\x07"),
        ("\x1b[2J", "\\x1b[2J"),
        ("\x9b31m", "\\x9b31m"),
        ("\x7f", "\\x7f"),
        ("\x00", "\\x00"),
        ("\x85", "\\x85"),
        ("a\rb", "a\\x0db"),
        ("\u202eevil", "\\u202eevil"),
        ("\u2066iso\u2069", "\\u2066iso\\u2069"),
        ("zero\u200bwidth", "zero\\u200bwidth"),
        ("\u061c\u2028\u2029\ufeff", "\\u061c\\u2028\\u2029\\ufeff"),
        ("\ud800lone", "\ufffdlone"),
        ("one\ntwo\r\nthree\tfour", "one↵two↵three four"),
        ("[@click=app.quit]q[/]", "[@click=app.quit]q[/]"),
        ("Zoë 日本 🎉", "Zoë 日本 🎉"),
        (None, ""),
        (42, "42"),
        ("", ""),
    ],
)
def test_clean_single_line(raw: object, expected: str) -> None:
    assert clean(raw) == expected


def test_clean_multiline_keeps_newlines_and_tabs() -> None:
    raw = "line1\r\nline2\n\tindented\rcr\x1bx"
    assert clean(raw, multiline=True) == "line1\nline2\n\tindented\\x0dcr\\x1bx"


def test_every_code_point_in_the_danger_zone_is_neutralised() -> None:
    codes = [*range(0x00, 0xA0), *FORMAT_CODES, 0xD800, 0xDBFF, 0xDC00, 0xDFFF]
    for multiline in (False, True):
        for code in codes:
            raw = f"a{chr(code)}b"
            assert_safe(clean(raw, multiline=multiline), multiline=multiline)
            assert_safe(text(raw, multiline=multiline).plain, multiline=multiline)


def test_clean_matches_reference_model_on_random_input() -> None:
    rng = random.Random(1234)
    alphabet = [*'abc xyz[]/\\"{}:', "\r", "\n", "\t", "\x1b", "\x07", "\x00", "\x7f", "\x9b"]
    alphabet += ["\u202e", "\u200b", "\ufeff", "\ud83d", "é", "日", "🎉"]
    for _ in range(3000):
        raw = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        max_len = rng.randint(1, 45)
        for multiline in (False, True):
            got = clean(raw, max_len=max_len, multiline=multiline)
            assert got == reference_clean(raw, max_len=max_len, multiline=multiline), (
                raw,
                max_len,
                multiline,
            )
            assert_safe(got, multiline=multiline)
            if not multiline:
                assert len(got) <= max_len


def test_single_line_cap_ends_with_ellipsis() -> None:
    assert clean("x" * 10, max_len=10) == "x" * 10
    assert clean("x" * 11, max_len=10) == "x" * 9 + "…"
    assert clean("x" * 100_000, max_len=1) == "…"


def test_cap_never_splits_an_escape() -> None:
    # "ab" + "\x1b" would need 6 characters; with room for 4 plus the ellipsis it is dropped whole.
    assert clean("ab\x1bcdef", max_len=5) == "ab…"
    assert clean("ab\x1bcdef", max_len=7) == "ab\\x1b…"


def test_multiline_cap_adds_truncated_note() -> None:
    assert clean("a" * 30, max_len=10, multiline=True) == (
        "a" * 10 + "\n… truncated (20 more characters)"
    )
    assert clean("abcdefghij\nk", max_len=11, multiline=True) == (
        "abcdefghij\n… truncated (1 more character)"
    )
    big = clean("y" * 1_000_000, max_len=20_000, multiline=True)
    assert big.endswith("\n… truncated (980,000 more characters)")


def test_max_len_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_len"):
        clean("x", max_len=0)


def test_huge_input_is_not_scanned_in_full() -> None:
    raw = "\x1b" * 5_000_000
    start = time.thread_time()  # CPU time: a busy machine's waits do not count
    got = clean(raw, max_len=100)
    assert time.thread_time() - start < 0.5
    assert got == "\\x1b" * 24 + "…"


# --- text ------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", MARKUP)
def test_markup_comes_out_literally(raw: str) -> None:
    for result in (text(raw), text(raw, style="bold"), block(raw)):
        assert result.plain == raw
        for span in result.spans:
            style = span.style if isinstance(span.style, Style) else Style.parse(span.style)
            assert not style.link
            assert not style.meta


def test_text_never_parses_markup_even_with_a_style() -> None:
    result = text("[@click=app.quit]q[/]", style="bold")
    assert result.plain == "[@click=app.quit]q[/]"
    assert result.style == "bold"


def test_escapes_are_styled_distinctly() -> None:
    result = text("ok\x1b[2Jok")
    assert result.plain == "ok\\x1b[2Jok"
    assert [(s.start, s.end, s.style) for s in result.spans] == [(2, 6, safe.CONTROL_STYLE)]


def test_bidi_override_is_visible_and_styled() -> None:
    result = text("\u202eevil")
    assert result.plain == "\\u202eevil"
    assert (0, 6, safe.CONTROL_STYLE) in [(s.start, s.end, s.style) for s in result.spans]


def test_newline_marker_and_ellipsis_are_dim() -> None:
    result = text("a\nbcdef", max_len=4)
    assert result.plain == "a↵b…"
    assert [(s.start, s.end, s.style) for s in result.spans] == [
        (1, 2, safe.SOFT_STYLE),
        (3, 4, safe.SOFT_STYLE),
    ]


def test_block_caps_with_note_styled() -> None:
    result = block("z" * 50, max_chars=20)
    assert result.plain == "z" * 20 + "\n… truncated (30 more characters)"
    note = result.plain.index("…")
    assert (note, len(result.plain), safe.SOFT_STYLE) in [
        (s.start, s.end, s.style) for s in result.spans
    ]


@pytest.mark.parametrize("raw", NASTY)
def test_rendered_output_has_only_rich_sgr_sequences(raw: str) -> None:
    renderables = [
        text(raw),
        text(raw, style="bold red"),
        text(raw, multiline=True),
        block(raw),
        json_block({"k": raw, raw: [raw]}),
        body_block(raw),
        body_block(json.dumps({"body": raw}, ensure_ascii=False)),
    ]
    for renderable in renderables:
        output = render(renderable)
        without_sgr = re.sub(r"\x1b\[[0-9;]*m", "", output)
        assert "\x1b" not in without_sgr, repr(output)
        assert "\x1b]" not in output
        assert "\x1b[2J" not in output
        assert_safe(without_sgr, multiline=True)


def test_textual_content_conversion_keeps_data_inert() -> None:
    from textual.content import Content

    content = Content.from_rich_text(text("[@click=app.quit]q[/] \x1b]52;c;x\x07"))
    assert content.plain == "[@click=app.quit]q[/] \\x1b]52;c;x\\x07"
    assert "\x1b" not in content.plain


# --- json_block / body_block -----------------------------------------------------------------


def spans_by_style(result: Text) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for span in result.spans:
        found.setdefault(str(span.style), []).append(result.plain[span.start : span.end])
    return found


def test_json_block_highlights_each_token_kind() -> None:
    data = {"name": "Zoë", "count": -12.5e3, "ok": True, "bad": False, "none": None, "list": [7]}
    result = json_block(data)
    assert result.plain == json.dumps(data, indent=2, ensure_ascii=False)
    found = spans_by_style(result)
    assert found[safe.JSON_KEY_STYLE] == ['"name"', '"count"', '"ok"', '"bad"', '"none"', '"list"']
    assert found[safe.JSON_STRING_STYLE] == ['"Zoë"']
    assert found[safe.JSON_NUMBER_STYLE] == ["-12500.0", "7"]
    assert found[safe.JSON_BOOL_STYLE] == ["true", "false"]
    assert found[safe.JSON_NULL_STYLE] == ["null"]


def test_json_block_strings_with_quotes_and_escapes_stay_one_token() -> None:
    result = json_block({"k": 'say "true" \\ 1'})
    found = spans_by_style(result)
    assert found[safe.JSON_STRING_STYLE] == ['"say \\"true\\" \\\\ 1"']
    assert safe.JSON_NUMBER_STYLE not in found
    assert safe.JSON_BOOL_STYLE not in found


def test_json_block_cleans_what_json_dumps_leaves_raw() -> None:
    # ensure_ascii=False leaves C1, bidi and zero-width characters raw; they must be escaped.
    result = json_block({"\u202ekey": "a\x9bb\u200b", "esc": "\x1b[2J"})
    assert_safe(result.plain, multiline=True)
    assert "\\u202ekey" in result.plain
    assert "a\\x9bb\\u200b" in result.plain
    assert "\\u001b[2J" in result.plain  # json.dumps escapes C0 itself
    control = [result.plain[s.start : s.end] for s in result.spans if s.style == safe.CONTROL_STYLE]
    assert control == ["\\u202e", "\\x9b", "\\u200b"]
    # Escapes are listed after syntax spans, so their style wins.
    assert str(result.spans[-1].style) == safe.CONTROL_STYLE


def test_json_block_caps_and_does_not_colour_the_note() -> None:
    data = {"items": list(range(10_000))}
    result = json_block(data, max_chars=1000)
    body, note = result.plain.rsplit("\n", 1)
    assert len(body) == 1000
    assert re.fullmatch(r"… truncated \([\d,]+ more characters\)", note)
    note_start = len(body) + 1
    styles_in_note = {str(s.style) for s in result.spans if s.end > note_start}
    assert styles_in_note == {safe.SOFT_STYLE}


def test_json_block_handles_non_json_values_and_cycles() -> None:
    from datetime import datetime

    from attempt_tui.compat import UTC

    assert json_block({"at": datetime(2026, 1, 2, tzinfo=UTC)}).plain == (
        '{\n  "at": "2026-01-02 00:00:00+00:00"\n}'
    )
    cyclic: list[object] = []
    cyclic.append(cyclic)
    assert json_block(cyclic).plain == "[[...]]"


def test_json_block_50kb_is_fast() -> None:
    rng = random.Random(7)
    payload = {
        "type": "invoice.paid",
        "data": [
            {
                "id": f"in_{i:08d}",
                "amount": rng.randint(1, 10**6),
                "paid": bool(i % 2),
                "note": None,
                "customer": {"name": "Zoë \u202e", "email": f"u{i}@example.com"},
                "ratio": rng.random(),
                "tags": ["a", "b"],
            }
            for i in range(180)
        ],
    }
    assert len(json.dumps(payload, indent=2, ensure_ascii=False)) >= 50_000
    best = min(_timed(lambda: json_block(payload)) for _ in range(5))
    # Measured at ~8 ms; the bound leaves room for slow CI machines.
    assert best < 0.1


def _timed(fn: Callable[[], object]) -> float:
    """CPU seconds of `fn` (a busy machine's waits for a core do not count)."""
    start = time.thread_time()
    fn()
    return time.thread_time() - start


def test_body_block_pretty_prints_json_objects_and_arrays() -> None:
    assert body_block('{"a":1,"b":[true]}').plain == '{\n  "a": 1,\n  "b": [\n    true\n  ]\n}'
    assert body_block(" [1, 2] ").plain == "[\n  1,\n  2\n]"
    assert spans_by_style(body_block('{"a":1}'))[safe.JSON_KEY_STYLE] == ['"a"']


@pytest.mark.parametrize("body", ['"just a string"', "42", "null", "{not json", "<html>x</html>"])
def test_body_block_falls_back_to_plain_text(body: str) -> None:
    result = body_block(body)
    assert result.plain == body
    assert safe.JSON_KEY_STYLE not in spans_by_style(result)


def test_body_block_respects_max_chars_for_json_and_text() -> None:
    as_json = body_block(json.dumps(list(range(5000))), max_chars=100)
    assert as_json.plain.split("\n… truncated")[0].count("\n") < 40
    assert "\n… truncated (" in as_json.plain
    as_text = body_block("q" * 500, max_chars=100)
    assert as_text.plain == "q" * 100 + "\n… truncated (400 more characters)"


def test_body_block_survives_deep_json() -> None:
    for depth in (500, 5000, 200_000):
        body = "[" * depth + "]" * depth
        result = body_block(body, max_chars=2000)
        assert "\n… truncated (" in result.plain
        assert_safe(result.plain, multiline=True)


def test_json_block_survives_deep_data() -> None:
    deep: list[object] = []
    for _ in range(100_000):
        deep = [deep]
    result = json_block(deep, max_chars=500)
    assert_safe(result.plain, multiline=True)
    assert result.plain  # shows something rather than raising


# --- size_hint -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "0 B"),
        (999, "999 B"),
        (1000, "1.0 KB"),
        (1536, "1.5 KB"),
        (999_999, "1.0 MB"),
        (5_000_000, "5.0 MB"),
        (3_200_000_000, "3.2 GB"),
        (7 * 10**15, "7000.0 TB"),
    ],
)
def test_size_hint(n: int, expected: str) -> None:
    assert size_hint(n) == expected


def test_size_hint_rejects_negative() -> None:
    with pytest.raises(ValueError):
        size_hint(-1)
