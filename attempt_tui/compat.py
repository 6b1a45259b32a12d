"""What Python 3.11 added that the package uses, for Python 3.10 too.

Each name is the standard library's own on 3.11 and newer, and its backport (or a few lines
with the same behaviour) on 3.10. Import these names from here, not from the standard library.
"""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from enum import Enum

UTC = timezone.utc  # datetime.UTC is 3.11+; it is this very object

if sys.version_info >= (3, 11):
    from asyncio import TaskGroup
    from builtins import BaseExceptionGroup
    from enum import StrEnum

    import tomllib
else:  # pragma: no cover - exercised by the suite on Python 3.10
    import tomli as tomllib
    from exceptiongroup import BaseExceptionGroup
    from taskgroup import TaskGroup

    class StrEnum(str, Enum):
        """enum.StrEnum: members are strings, and str() and format() give the value."""

        def __str__(self) -> str:
            return str(self.value)

        def __format__(self, spec: str) -> str:
            return format(str(self.value), spec)

        @staticmethod
        def _generate_next_value_(name: str, start: int, count: int, last: list[str]) -> str:
            return name.lower()


def fromisoformat(text: str) -> datetime:
    """datetime.fromisoformat that takes a trailing `Z` (UTC) on every supported Python.

    Python 3.10 refuses `2026-01-01T00:00:00Z`, which the API and RFC 3339 use; 3.11 takes it.
    """
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    return datetime.fromisoformat(text)


__all__ = ["UTC", "BaseExceptionGroup", "StrEnum", "TaskGroup", "fromisoformat", "tomllib"]
