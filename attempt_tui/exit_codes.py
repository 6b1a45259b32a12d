"""The exit statuses of `attempt-tui`, listed at the end of `--help` and in the README."""

from __future__ import annotations

import textwrap

EXIT_CODES = (
    (0, "success, or the dashboard was quit"),
    (1, "the dashboard stopped on an unexpected error"),
    (
        2,
        "usage or setup error: a bad flag, no token, a config file that does not parse, "
        "Python older than 3.10, demo-web without the web extra",
    ),
    (3, "demo-server or demo-web could not start serving (e.g. the port is in use)"),
    (130, "interrupted with Ctrl+C (outside the dashboard, where Ctrl+C is a key)"),
)
CANNOT_SERVE = 3


def exit_codes_text() -> str:
    lines = ["exit status:"]
    for code, meaning in EXIT_CODES:
        lines += textwrap.wrap(
            meaning, 78, initial_indent=f"  {code:<5}", subsequent_indent=" " * 7
        )
    return "\n".join(lines)
