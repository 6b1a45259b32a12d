"""What the worker is asked to show: the view query and the typed keys of its lanes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the message list to. Empty means everything."""

    statuses: frozenset[int] = frozenset()
    channel: str | None = None
    event_types: tuple[str, ...] = ()
    tag: str | None = None
    after: datetime | None = None
    before: datetime | None = None

    @property
    def active(self) -> bool:
        return self != Filters()

    @property
    def has_time_window(self) -> bool:
        return self.after is not None or self.before is not None


@dataclass(frozen=True)
class PageCursor:
    """Where the current page starts.

    `iterator` is a Svix cursor (forward, or a `-` prefixed one going back). With
    several statuses merged client-side there is no single Svix cursor, so the page
    starts strictly before `before` instead.
    """

    iterator: str | None = None
    before: datetime | None = None

    @property
    def going_back(self) -> bool:
        return bool(self.iterator and self.iterator.startswith("-"))


@dataclass(frozen=True)
class ViewQuery:
    app_id: str | None = None
    endpoint_id: str | None = None
    filters: Filters = Filters()
    cursor: PageCursor = PageCursor()
    page_number: int = 1
    selected_msg_id: str | None = None


@dataclass(frozen=True)
class PageScope:
    """One endpoint's message list under one set of filters."""

    app_id: str
    endpoint_id: str
    filters: Filters


@dataclass(frozen=True)
class PageKey:
    """One page of messages: the list, where the page starts, and its number (0: unknown)."""

    scope: PageScope
    cursor: PageCursor
    page_number: int

    @property
    def app_id(self) -> str:
        return self.scope.app_id

    @property
    def endpoint_id(self) -> str:
        return self.scope.endpoint_id


@dataclass(frozen=True)
class DetailKey:
    app_id: str
    endpoint_id: str
    msg_id: str


def earlier(a: datetime | None, b: datetime | None) -> datetime | None:
    """The tighter of two exclusive upper bounds; None is no bound."""
    if a is None or b is None:
        return a or b
    return min(a, b)
