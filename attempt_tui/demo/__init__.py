"""The demo world: a Svix-compatible server with live traffic, for `attempt-tui --demo`.

Importing this package is cheap: Starlette and uvicorn load only when used.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from attempt_tui.demo.faults import FaultPlan
    from attempt_tui.demo.server import DemoServer

__all__ = ["DemoServer", "build_demo", "serve"]


def build_demo(
    seed: int = 7,
    *,
    live: bool = True,
    now: datetime | None = None,
    clock: Callable[[], float] = time.monotonic,
    faults: FaultPlan | None = None,
) -> DemoServer:
    """Build the seeded demo world and the ASGI app that serves it, injecting `faults`."""
    from attempt_tui.demo.server import build_demo as build

    return build(seed, live=live, now=now, clock=clock, faults=faults)


def serve(
    host: str = "127.0.0.1", port: int = 8071, seed: int = 7, faults: FaultPlan | None = None
) -> None:
    """Serve a live demo world over HTTP until interrupted, injecting `faults`."""
    from attempt_tui.demo.serving import serve as run

    run(host=host, port=port, seed=seed, faults=faults)


def __getattr__(name: str) -> object:
    if name == "DemoServer":
        from attempt_tui.demo.server import DemoServer

        return DemoServer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
