"""`serve()` runs uvicorn on localhost, quietly, with a live world."""

from __future__ import annotations

from typing import Any

import pytest
import uvicorn

from attempt_tui import demo


def test_serve_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append((app, kwargs)))
    demo.serve()
    demo.serve(port=9000, seed=3)
    (app, kwargs), (_, custom) = calls
    assert kwargs == {"host": "127.0.0.1", "port": 8071, "log_level": "warning"}
    assert custom["port"] == 9000
    assert callable(app)
