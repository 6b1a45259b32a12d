"""The cyclic garbage collector, paused while the app starts.

Start-up allocates hundreds of thousands of objects that all live on: modules, classes,
pydantic's validators, the demo world, the first screen's widgets. Each allocation burst
wakes the collector, which traces everything not yet frozen; before the first frame that
is about a sixth of the start's CPU, and one full collection alone about 75 ms, while it
frees almost nothing. So the collector is off from the command line's first import until
the first screen with data is drawn (or the app gives up waiting: see AttemptApp), then
back on. Nothing else changes: reference counting frees what it always did.
"""

from __future__ import annotations

import gc


class CollectorPause:
    """`gc.disable()` now; `resume()` puts back what was there, once (later calls do
    nothing), so it can be both the app's start-up hook and a `finally`."""

    def __init__(self) -> None:
        self._was_enabled = gc.isenabled()
        self._resumed = False
        gc.disable()

    def resume(self) -> None:
        if self._resumed:
            return
        self._resumed = True
        if self._was_enabled:
            gc.enable()
