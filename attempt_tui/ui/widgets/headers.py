"""The HTTP headers of one attempt: what was sent, and what the endpoint answered with.

Headers the API marks sensitive are masked and never reach the screen, whatever their case.
Every name and value is untrusted (an endpoint owner controls the response headers), so each
goes through `safe.text`.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from attempt_tui import safe
from attempt_tui.api.models import MessageAttemptHeadersOut

MASK = "••••••"
NAME_MAX = 200
VALUE_MAX = 2_000
ERROR_MAX = 500
EMPTY_TEXT = Text("Select an attempt to see its headers.", style="dim")


def _key(name: str) -> str:
    return name.strip().casefold()


def _header_line(name: str, value: str, sensitive: set[str]) -> Text:
    line = Text()
    line.append_text(safe.text(name, max_len=NAME_MAX, style="bold"))
    line.append(": ")
    if _key(name) in sensitive:
        line.append(MASK)
        line.append("  (sensitive, hidden)", style="dim italic")
    else:
        line.append_text(safe.text(value, max_len=VALUE_MAX))
    return line


def _section(title: str, lines: list[Text], empty: str) -> Text:
    text = Text()
    text.append(title, style="bold underline")
    text.append(f" ({len(lines)})", style="dim")
    if not lines:
        text.append("\n")
        text.append(empty, style="dim italic")
    for line in lines:
        text.append("\n")
        text.append_text(line)
    return text


def headers_text(
    headers: MessageAttemptHeadersOut | None, *, loading: bool = False, error: str | None = None
) -> Text:
    if error is not None:
        text = Text()
        text.append("Could not load the headers: ", style="bold red")
        text.append_text(safe.text(error, max_len=ERROR_MAX))
        return text
    if loading:
        return Text("Loading headers…", style="dim")
    if headers is None:
        return EMPTY_TEXT
    sensitive = {_key(name) for name in headers.sensitive}
    sent = sorted(headers.sent_headers.items(), key=lambda item: (_key(item[0]), item[0]))
    sent_lines = [_header_line(name, value, sensitive) for name, value in sent]
    text = _section("Sent headers", sent_lines, "None recorded.")
    text.append("\n\n")
    received = headers.response_headers or []
    # Each entry should be [name, value]; anything else is shown as well as it can be.
    response_lines = [
        _header_line(entry[0] if entry else "", ", ".join(entry[1:]), sensitive)
        for entry in received
    ]
    empty = (
        "None: no HTTP response was recorded."
        if headers.response_headers is None
        else "The response had no headers."
    )
    text.append_text(_section("Response headers", response_lines, empty))
    return text


class AttemptHeaders(Static):
    """Call `show()` with the result of `get_attempt_headers` (or loading/error state)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(EMPTY_TEXT, id=id, classes=classes, markup=False)
        self._inputs: tuple[object, ...] | None = None

    def show(
        self,
        headers: MessageAttemptHeadersOut | None,
        *,
        loading: bool = False,
        error: str | None = None,
    ) -> None:
        inputs = (headers, loading, error)
        if inputs == self._inputs:
            return
        self._inputs = inputs
        self.update(headers_text(headers, loading=loading, error=error))
