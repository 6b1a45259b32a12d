"""Fixtures for the Svix client tests: a recording mock server, a fake sleep, sample bodies,
and the OpenAPI spec with an example builder."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from attempt_tui.api.client import SvixClient
from attempt_tui.secret import Secret

# Distinctive so that a leak anywhere is easy to spot.
TOKEN = "testsk_LEAKCANARY_9f3b1c77e2d04a5b.eu"
BASE_URL = "https://api.example.test"

Handler = Callable[[httpx.Request], httpx.Response]


class FakeSleep:
    """Records the delays the client asks for instead of sleeping."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


class MockSvix:
    """An httpx.MockTransport backed fake: answers with `handler` or a queue of replies."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.sent: list[tuple[str, str]] = []  # on_request calls
        self.sleep = FakeSleep()
        self.handler: Handler = lambda request: httpx.Response(200, json={})
        self._replies: list[httpx.Response | Exception] = []
        self._clients: list[SvixClient] = []

    def reply(self, *replies: httpx.Response | Exception) -> None:
        """Answer the next requests in order; the last reply repeats."""
        self._replies = list(replies)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self._replies:
            reply = self._replies.pop(0) if len(self._replies) > 1 else self._replies[0]
            if isinstance(reply, Exception):
                if isinstance(reply, httpx.RequestError):
                    reply.request = request  # like a real transport: the request rides along
                raise reply
            return reply
        return self.handler(request)

    def client(self, **kwargs: Any) -> SvixClient:
        kwargs.setdefault("sleep", self.sleep)
        kwargs.setdefault("random", lambda: 0.5)
        kwargs.setdefault("on_request", lambda method, path: self.sent.append((method, path)))
        client = SvixClient(
            Secret(TOKEN), BASE_URL, transport=httpx.MockTransport(self._handle), **kwargs
        )
        self._clients.append(client)
        return client

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]

    async def aclose(self) -> None:
        for client in self._clients:
            await client.aclose()


@pytest.fixture
def token() -> str:
    return TOKEN


@pytest.fixture
async def svix() -> AsyncIterator[MockSvix]:
    mock = MockSvix()
    yield mock
    await mock.aclose()


def json_response(status: int, body: Any, **headers: str) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(body).encode(), headers=headers)


TS = "2024-05-01T12:34:56.123456Z"


def application(i: int = 1) -> dict[str, Any]:
    return {
        "id": f"app_{i:027d}",
        "name": f"Customer {i}",
        "uid": None,
        "createdAt": TS,
        "updatedAt": TS,
        "metadata": {"tier": "gold"},
    }


def endpoint(i: int = 1) -> dict[str, Any]:
    return {
        "id": f"ep_{i:027d}",
        "url": f"https://hooks.example.com/{i}",
        "description": "prod",
        "disabled": False,
        "eventTypes": ["invoice.paid"],
        "channels": None,
        "version": 1,
        "createdAt": TS,
        "updatedAt": TS,
        "metadata": {},
    }


def message(i: int = 1) -> dict[str, Any]:
    return {
        "id": f"msg_{i:027d}",
        "eventType": "invoice.paid",
        "eventId": f"evt-{i}",
        "payload": {"amount": i},
        "channels": ["eu"],
        "tags": ["t1"],
        "timestamp": TS,
    }


def endpoint_message(i: int = 1) -> dict[str, Any]:
    return {**message(i), "status": 2, "statusText": "fail", "nextAttempt": TS}


def attempt(i: int = 1) -> dict[str, Any]:
    return {
        "id": f"atmpt_{i:027d}",
        "msgId": f"msg_{i:027d}",
        "endpointId": "ep_000000000000000000000000001",
        "url": "https://hooks.example.com/1",
        "response": '{"ok":false}',
        "responseStatusCode": 500,
        "responseDurationMs": 42,
        "status": 2,
        "statusText": "fail",
        "triggerType": 0,
        "timestamp": TS,
    }


def destination(i: int = 1) -> dict[str, Any]:
    return {**endpoint(i), "status": 0, "statusText": "success", "nextAttempt": None}


def page(
    items: list[dict[str, Any]],
    *,
    iterator: str | None = None,
    prev: str | None = None,
    done: bool = True,
) -> dict[str, Any]:
    return {"data": items, "iterator": iterator, "prevIterator": prev, "done": done}


@pytest.fixture
def sample() -> SimpleNamespace:
    """Builders of camelCase JSON bodies as Svix sends them."""
    return SimpleNamespace(
        ts=TS,
        json_response=json_response,
        application=application,
        endpoint=endpoint,
        message=message,
        endpoint_message=endpoint_message,
        attempt=attempt,
        destination=destination,
        page=page,
    )


# -- the OpenAPI spec ------------------------------------------------------------------------


def find_spec() -> Path | None:
    """`../shared/svix-openapi.json` relative to the repo root (the parent of tests/)."""
    repo_root = Path(__file__).resolve().parents[2]
    candidate = repo_root.parent / "shared" / "svix-openapi.json"
    return candidate if candidate.is_file() else None


@pytest.fixture(scope="session")
def openapi() -> dict[str, Any]:
    path = find_spec()
    if path is None:
        pytest.skip("Svix OpenAPI spec not found at ../shared/svix-openapi.json (repo root)")
    return json.loads(path.read_text())


def resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow `$ref` chains (sibling keys like `nullable` are dropped)."""
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


_SCALARS = {
    "date-time": "2022-08-15T09:30:00.123Z",
    "uri": "https://example.com/webhook/",
}


def build_example(spec: dict[str, Any], schema: dict[str, Any], depth: int = 0) -> Any:
    """JSON for a schema from its `example` values, filling the gaps by type."""
    schema = resolve(spec, schema)
    if "example" in schema:
        return schema["example"]
    if "enum" in schema:
        return schema["enum"][0]
    for combinator in ("allOf", "oneOf", "anyOf"):
        if combinator in schema:
            return build_example(spec, schema[combinator][0], depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next(k for k in kind if k != "null")
    if kind == "object" or "properties" in schema:
        if depth > 6:
            return {}
        props = schema.get("properties", {})
        return {name: build_example(spec, sub, depth + 1) for name, sub in props.items()}
    if kind == "array":
        return [build_example(spec, schema.get("items", {}), depth + 1)]
    if kind == "string":
        return _SCALARS.get(schema.get("format", ""), "string")
    if kind == "integer":
        return schema.get("default", int(schema.get("minimum", 0)))
    if kind == "number":
        return float(schema.get("default", schema.get("minimum", 0)))
    if kind == "boolean":
        return schema.get("default", False)
    return {}


@pytest.fixture(scope="session")
def spec_resolve(openapi: dict[str, Any]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Resolve a `$ref` node of the spec."""
    return lambda node: resolve(openapi, node)


@pytest.fixture(scope="session")
def spec_build(openapi: dict[str, Any]) -> Callable[[dict[str, Any]], Any]:
    """Example JSON for any schema node of the spec."""
    return lambda schema: build_example(openapi, schema)


@pytest.fixture(scope="session")
def spec_example(openapi: dict[str, Any]) -> Callable[[str], Any]:
    """`spec_example("EndpointOut")` -> example JSON for that component schema."""

    def example(name: str) -> Any:
        return build_example(openapi, {"$ref": f"#/components/schemas/{name}"})

    return example
