"""The demo world: a Svix-compatible server with live traffic, for `attempt-tui --demo`.

Importing this package is cheap; the server lives in `attempt_tui.demo.server`
(`build_demo`, `DemoServer`) and `attempt_tui.demo.serving` (`serve`), which load
Starlette and uvicorn. Those three names are also reachable here, loaded on first
use, for callers that import them from the package.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from attempt_tui.demo.server import DemoServer, build_demo
    from attempt_tui.demo.serving import serve

__all__ = ["DemoServer", "build_demo", "serve"]

_HOMES = {
    "DemoServer": "attempt_tui.demo.server",
    "build_demo": "attempt_tui.demo.server",
    "serve": "attempt_tui.demo.serving",
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(home), name)
