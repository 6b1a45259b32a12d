"""Fixtures for the hostile-data tests: the app built on the hostile API, and a canary token."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx
import pytest

from attempt_tui.compat import UTC
from attempt_tui.config import Settings
from attempt_tui.secret import Secret
from tests.hostile.hostile_api import APP_ID, ATTACK_NAMES, HostileApi, ep_id

# Distinctive, long enough for the client's redaction, with a region suffix like real ones.
TOKEN = "testsk_HOSTILECANARY_5e1f0b9ad27c4c83.eu"
NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


class FrozenMonotonic:
    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value


def settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "server_url": "https://api.hostile.test",
        "token": Secret(TOKEN),
        "profile": "hostile",
        "app_id": APP_ID,
        "endpoint_id": ep_id(ATTACK_NAMES[0]),
        "poll_seconds": 0,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def hostile_api() -> HostileApi:
    return HostileApi()


@pytest.fixture
def make_hostile_app(hostile_api: HostileApi) -> Callable[..., Any]:
    """The real app on `hostile_api` (or on `transport=`); keyword args override Settings."""
    from attempt_tui.launch import make_app

    def build(*, transport: httpx.AsyncBaseTransport | None = None, **overrides: Any):
        return make_app(
            settings(**overrides),
            transport=transport or hostile_api.transport(),
            clock=lambda: NOW,
            monotonic=FrozenMonotonic(),
        )

    return build
