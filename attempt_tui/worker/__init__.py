"""The data worker: the only way from the UI to the API (see core.py)."""

from attempt_tui.worker.actions import RecoverSession
from attempt_tui.worker.core import DataWorker
from attempt_tui.worker.events import (
    AppGone,
    AppsLoaded,
    DetailCleared,
    DetailLoaded,
    Emit,
    EndpointGone,
    EndpointsLoaded,
    LaneFailed,
    LaneRecovered,
    MessageDetail,
    MessagePage,
    PageLoaded,
    Synced,
    WatchedAttempts,
    WorkerEvent,
    window_note,
)
from attempt_tui.worker.query import Filters, PageCursor, ViewQuery

__all__ = [
    "AppGone",
    "AppsLoaded",
    "DataWorker",
    "DetailCleared",
    "DetailLoaded",
    "Emit",
    "EndpointGone",
    "EndpointsLoaded",
    "Filters",
    "LaneFailed",
    "LaneRecovered",
    "MessageDetail",
    "MessagePage",
    "PageCursor",
    "PageLoaded",
    "RecoverSession",
    "Synced",
    "ViewQuery",
    "WatchedAttempts",
    "WorkerEvent",
    "window_note",
]
