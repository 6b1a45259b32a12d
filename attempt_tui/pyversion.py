"""The Python version check, run first on every way in (`attempt-tui`, `python -m attempt_tui`,
the single-file build): one line saying what is needed and what was found, and exit status 2.

Keep this file to syntax that any Python parses, 2.7 included: it is read by interpreters that
are too old for the rest of the package, which would otherwise fail with a traceback.
"""

import sys

OLDEST = (3, 10)
EXIT_TOO_OLD = 2


def too_old_message(version_info=None, executable=None):
    # type: (tuple[int, ...] | None, str | None) -> str | None
    """The one-line message when `version_info` (this Python's by default) is too old, else None."""
    found = tuple(sys.version_info if version_info is None else version_info)
    if found[:2] >= OLDEST:
        return None
    where = sys.executable if executable is None else executable
    return (
        "attempt-tui needs Python "
        + ".".join(str(part) for part in OLDEST)
        + " or newer; this is Python "
        + ".".join(str(part) for part in found[:3])
        + " ("
        + (str(where) or "unknown path")
        + ")."
    )


def refuse_too_old():  # type: () -> None
    message = too_old_message()
    if message is not None:
        sys.stderr.write(message + "\n")
        raise SystemExit(EXIT_TOO_OLD)
