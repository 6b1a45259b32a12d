"""`serve()` runs uvicorn on localhost, quietly, with a live world."""

from __future__ import annotations

from typing import Any

import pytest
import uvicorn

from attempt_tui.demo import server, serving
from attempt_tui.demo.limits import LatencyMiddleware


def test_serve_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append((app, kwargs)))
    serving.serve()
    serving.serve(port=9000, seed=3)
    (app, kwargs), (_, custom) = calls
    assert kwargs == {"host": "127.0.0.1", "port": 8071, "log_level": "warning"}
    assert custom["port"] == 9000
    assert callable(app)


def test_serve_passes_the_real_account_options(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[dict[str, Any]] = []
    real_build = serving.build_demo

    def build(*args: Any, **kwargs: Any) -> server.DemoServer:
        built.append(kwargs)
        return real_build(*args, **{**kwargs, "large_apps": 10, "many_endpoints": 3})

    monkeypatch.setattr(serving, "build_demo", build)
    calls: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append(app))
    serving.serve(large_apps=30_000, many_endpoints=321, latency_ms=120, rate_limit=25)
    [options] = built
    assert options["large_apps"] == 30_000 and options["many_endpoints"] == 321
    assert (options["latency_ms"], options["rate_limit"]) == (120, 25)
    assert isinstance(calls[0], LatencyMiddleware)
