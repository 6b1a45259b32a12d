"""Svix cursor paging over key-sorted lists.

A page is `limit` items plus one look-ahead to know whether more exist.
`iterator` is the id of the last item shown, `prevIterator` is "-" plus the
id of the first; passing "-X" returns the `limit` items just beyond X in the
other direction, still presented in the list's order.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from attempt_tui.demo import ids

T = TypeVar("T")
NO_LIMIT = 1 << 200  # above every key


class BadIterator(ValueError):
    """The iterator is not a well-formed id of the expected kind."""


@dataclass(slots=True)
class Page(Generic[T]):
    items: list[T]
    iterator: str | None
    prev_iterator: str | None
    done: bool


def parse_iterator(prefix: str, iterator: str) -> tuple[int, bool]:
    """(key, is_prev) of an iterator such as "msg_..." or "-msg_...".

    Any well-formed id of the prefix is a position, whether or not this world made it.
    """
    is_prev = iterator.startswith("-")
    key = ids.position(prefix, iterator[1:] if is_prev else iterator)
    if key is None:
        raise BadIterator(iterator)
    return key, is_prev


def scan(
    keys: Sequence[int],
    items: Sequence[T],
    lo: int,
    hi: int,
    limit: int,
    *,
    downward: bool,
    pred: Callable[[T], bool] | None = None,
) -> tuple[list[T], bool]:
    """Up to `limit` items with lo <= key < hi, from the top (downward) or bottom; and done."""
    start = bisect_left(keys, lo)
    stop = bisect_left(keys, hi)
    if start >= stop:
        return [], True
    if pred is None:
        if downward:
            found = list(items[max(start, stop - limit - 1) : stop])
            found.reverse()
        else:
            found = list(items[start : min(stop, start + limit + 1)])
    else:
        found = []
        indices = range(stop - 1, start - 1, -1) if downward else range(start, stop)
        for index in indices:
            item = items[index]
            if pred(item):
                found.append(item)
                if len(found) > limit:
                    break
    done = len(found) <= limit
    return found[:limit], done


def make_page(found: list[T], done: bool, reverse: bool, id_of: Callable[[T], str]) -> Page[T]:
    if reverse:
        found.reverse()
    if not found:
        return Page(found, None, None, done)
    return Page(found, id_of(found[-1]), "-" + id_of(found[0]), done)


def page_sorted(
    keys: Sequence[int],
    items: Sequence[T],
    *,
    prefix: str,
    limit: int,
    iterator: str | None,
    id_of: Callable[[T], str],
    descending: bool = True,
    lo: int = 0,
    hi: int = NO_LIMIT,
    pred: Callable[[T], bool] | None = None,
) -> Page[T]:
    """One page of an ascending key list, shown newest-first when `descending`."""
    is_prev = False
    if iterator is not None:
        key, is_prev = parse_iterator(prefix, iterator)
        # Normal iterators move away from the list's start; "-" ones toward it.
        if descending != is_prev:
            hi = min(hi, key)
        else:
            lo = max(lo, key + 1)
    downward = descending != is_prev
    found, done = scan(keys, items, lo, hi, limit, downward=downward, pred=pred)
    return make_page(found, done, reverse=is_prev, id_of=id_of)
