"""What the worker tells the UI: plain frozen data, posted only when something changed."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from attempt_tui.api.errors import ApiError
from attempt_tui.api.models import (
    ApplicationOut,
    EndpointMessageOut,
    EndpointOut,
    EndpointStats,
    MessageAttemptOut,
    MessageEndpointOut,
    MessageOut,
)
from attempt_tui.worker.query import Filters, PageCursor

if TYPE_CHECKING:
    from attempt_tui.worker.actions import ExpungeCheck


@dataclass(frozen=True)
class MessagePage:
    app_id: str
    endpoint_id: str
    filters: Filters
    page_number: int
    items: list[EndpointMessageOut]
    has_next: bool
    has_prev: bool
    next_cursor: PageCursor | None
    prev_cursor: PageCursor | None
    page_size: int

    @property
    def short(self) -> bool:
        return len(self.items) < self.page_size

    @property
    def next_position(self) -> tuple[PageCursor, int] | None:
        """Where the page after this one starts, and its number (0, found by jumping, stays 0)."""
        if not self.has_next or self.next_cursor is None:
            return None
        return self.next_cursor, self.page_number + 1 if self.page_number else 0


@dataclass(frozen=True)
class MessageDetail:
    app_id: str
    endpoint_id: str
    msg_id: str
    attempts: list[MessageAttemptOut]
    message: MessageOut | None
    # Where it was sent; None: not asked for (only while a tab showing them is open).
    destinations: list[MessageEndpointOut] | None
    # Expunges made from here and what re-reading each attempt showed, by attempt id.
    expunge_checks: Mapping[str, ExpungeCheck] = field(default_factory=dict)


@dataclass(frozen=True)
class AppsLoaded:
    """The apps of the pages loaded so far (more are loaded on demand)."""

    apps: list[ApplicationOut]
    has_more: bool = False


@dataclass(frozen=True)
class EndpointsLoaded:
    """The endpoints of the open app, of the pages loaded so far."""

    app_id: str
    endpoints: list[EndpointOut]
    has_more: bool = False


@dataclass(frozen=True)
class StatsLoaded:
    """Delivery counts of the endpoints on screen, over `span` back from now (None: all)."""

    app_id: str
    span: timedelta | None
    stats: dict[str, EndpointStats]


@dataclass(frozen=True)
class Opened:
    """The open app and endpoint themselves (None: none open, or not loaded)."""

    app: ApplicationOut | None
    endpoint: EndpointOut | None


@dataclass(frozen=True)
class NotOpened:
    """An app or endpoint asked for by id or uid (a flag, go-to) does not exist."""

    what: str  # "app" or "endpoint"
    ref: str
    message: str
    at_start: bool = True  # asked for at start: the first app is opened instead
    missing: bool = True  # the server said 404; else it could not be asked (see message)


@dataclass(frozen=True)
class GoToProgress:
    """A go-to search across apps is looking in its `searched`-th app of `total`."""

    text: str
    searched: int
    total: int
    app_label: str


@dataclass(frozen=True)
class Throttled:
    """The API answered 429: every request waits this many seconds; None: resumed."""

    resumes_in: float | None


@dataclass(frozen=True)
class PageLoaded:
    page: MessagePage


@dataclass(frozen=True)
class DetailLoaded:
    detail: MessageDetail


@dataclass(frozen=True)
class DetailCleared:
    """No message is highlighted (empty page, or endpoint changed)."""


@dataclass(frozen=True)
class WatchedAttempts:
    """The attempts of a resent message that is not the highlighted one (it is followed anyway)."""

    msg_id: str
    endpoint_id: str
    attempts: list[MessageAttemptOut]


@dataclass(frozen=True)
class LaneFailed:
    lane: str
    error: ApiError
    retry_in: float | None


@dataclass(frozen=True)
class LaneRecovered:
    lane: str


@dataclass(frozen=True)
class Synced:
    """The on-screen data was confirmed fresh at `at` (monotonic seconds)."""

    at: float


@dataclass(frozen=True)
class AppGone:
    """The open app answered 404: it was deleted (or the server was reset) while open."""

    app_id: str
    message: str


@dataclass(frozen=True)
class EndpointGone:
    """The open endpoint (or app) answered 404: it was deleted while open."""

    app_id: str
    endpoint_id: str
    message: str


WorkerEvent = (
    AppsLoaded
    | EndpointsLoaded
    | StatsLoaded
    | Opened
    | NotOpened
    | GoToProgress
    | Throttled
    | PageLoaded
    | DetailLoaded
    | DetailCleared
    | WatchedAttempts
    | LaneFailed
    | LaneRecovered
    | Synced
    | AppGone
    | EndpointGone
)
Emit = Callable[[WorkerEvent], None]


def window_note(page: MessagePage) -> str | None:
    """The hint shown when a page is short: lists only cover 90 days by default."""
    if not page.short or page.filters.has_time_window:
        return None
    return "Without a before/after filter a list spans 90 days; 'after' reaches further."
