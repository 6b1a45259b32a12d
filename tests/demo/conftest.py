"""Fixtures for the demo server tests: a fixed-time world, an in-process client, the spec."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from demo_support import AUTH, LARGE_APPS, MANY_ENDPOINTS, NOW, SPEC_PATH, Spec

from attempt_tui.demo.server import DemoServer, build_demo


@pytest.fixture(scope="session")
def spec() -> Spec:
    return Spec(SPEC_PATH)


@pytest.fixture
def demo() -> DemoServer:
    return build_demo(7, live=False, now=NOW)


@pytest.fixture
async def client(demo: DemoServer) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=demo.asgi_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://demo", headers=AUTH) as http:
        yield http


@pytest.fixture(scope="session")
def large_demo() -> DemoServer:
    """A still large world, shared by the tests that only read it."""
    return build_demo(7, live=False, now=NOW, large_apps=LARGE_APPS, many_endpoints=MANY_ENDPOINTS)


@pytest.fixture
async def large_client(large_demo: DemoServer) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=large_demo.asgi_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://demo", headers=AUTH) as http:
        yield http
