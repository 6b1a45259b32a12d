"""A wrapper that keeps an API token out of every repr, str and log line."""

from __future__ import annotations


class Secret:
    """Holds a token. Only `reveal()` gives the value back; everything else masks it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def masked(self) -> str:
        """A hint safe to show: the region suffix only, e.g. `***.eu`."""
        if not self._value:
            return "(none)"
        tail = self._value.rsplit(".", 1)[-1] if "." in self._value else ""
        return f"***.{tail}" if tail and len(tail) <= 3 else "***"

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("Secret cannot be pickled")
