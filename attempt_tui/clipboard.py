"""Copy text to the user's clipboard through the terminal (OSC 52), which also works over SSH.

The text may be hostile (payloads and response bodies come from the API), but it travels
base64-encoded, so no byte of it can end the escape sequence or start another one.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable, Mapping

DEFAULT_MAX_BYTES = 100_000
# GNU screen drops a DCS string longer than its buffer; 76 bytes per chunk is the usual safe size.
SCREEN_CHUNK = 76

_ESC = "\x1b"
_ST = "\x1b\\"


class ClipboardTooLarge(ValueError):
    """The text is too large to send through the terminal clipboard."""


def osc52_sequence(
    text: str, *, env: Mapping[str, str] | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> str:
    """The escape sequence that puts `text` on the clipboard, wrapped for tmux or screen.

    Raises ClipboardTooLarge when the base64 payload would exceed `max_bytes`.
    """
    environ = os.environ if env is None else env
    encoded = base64.b64encode(text.encode("utf-8", errors="replace")).decode("ascii")
    if len(encoded) > max_bytes:
        raise ClipboardTooLarge(
            f"Too large to copy: {_size(len(encoded))} encoded, "
            f"the terminal clipboard limit is {_size(max_bytes)}"
        )
    sequence = f"{_ESC}]52;c;{encoded}\x07"
    if environ.get("TMUX"):
        # tmux passes a DCS "tmux;" string through to the outer terminal; ESC inside is doubled.
        return f"{_ESC}Ptmux;{sequence.replace(_ESC, _ESC + _ESC)}{_ST}"
    if environ.get("STY") or environ.get("TERM", "").startswith("screen"):
        chunks = (
            sequence[start : start + SCREEN_CHUNK]
            for start in range(0, len(sequence), SCREEN_CHUNK)
        )
        return "".join(f"{_ESC}P{chunk}{_ST}" for chunk in chunks)
    return sequence


def copy_to_terminal(
    text: str,
    write: Callable[[str], None],
    *,
    env: Mapping[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> int:
    """Write the OSC 52 sequence for `text`; returns the number of characters copied."""
    write(osc52_sequence(text, env=env, max_bytes=max_bytes))
    return len(text)


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} bytes"
    return f"{count / 1024:.0f} KiB"
