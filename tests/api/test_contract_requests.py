"""The client against the contract, /work/shared/svix-openapi.json.

1. Every request the client builds (every method, every filter set) matches an operation of the
   spec: method, path template, declared query parameters (and value types), declared
   Idempotency-Key header on POST, and a request body that has the declared shape.
2. Responses built from the spec's own examples parse with our models, and every property the
   spec declares lands in a model field (so a wrong alias cannot silently fall back to a default).
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from attempt_tui.api.client import SvixClient
from attempt_tui.api.errors import ApiError
from attempt_tui.api.models import (
    ApplicationOut,
    BackgroundTaskOut,
    CountOut,
    EndpointMessageOut,
    EndpointOut,
    EndpointStats,
    MessageAttemptHeadersOut,
    MessageAttemptWithMsgOut,
    MessageEndpointOut,
    MessageOut,
    Page,
    RecoverOut,
)
from attempt_tui.compat import UTC, fromisoformat
from attempt_tui.secret import Secret

APP = "app_2hVXOqRbq6eKwAvXhAlTaqzX0Qe"
EP = "ep_2hVXOqRbq6eKwAvXhAlTaqzX0Qf"
MSG = "msg_2hVXOqRbq6eKwAvXhAlTaqzX0Qg"
ATT = "atmpt_2hVXOqRbq6eKwAvXhAlTaqzX0Qh"
TASK = "qtask_2hVXOqRbq6eKwAvXhAlTaqzX0Qi"
T0 = datetime(2024, 5, 1, tzinfo=UTC)
T1 = datetime(2024, 5, 2, 3, 4, 5, 600000, tzinfo=UTC)
TYPES = ["invoice.paid", "user.created"]
Resolve = Callable[[dict[str, Any]], dict[str, Any]]
RFC3339_Z = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")


def _every_call() -> list[Callable[[SvixClient], Awaitable[Any]]]:
    return [
        lambda c: c.list_applications(limit=250, iterator="app_x"),
        lambda c: c.list_endpoints(APP, limit=1, iterator="ep_x"),
        lambda c: c.get_endpoint(APP, EP),
        lambda c: c.get_endpoint_stats(APP, EP, since=T0, until=T1),
        lambda c: c.list_attempted_messages(
            APP, EP, limit=3, iterator="msg_x", channel="eu", tag="vip", status=2, before=T1,
            after=T0, with_content=False, expanded_statuses=True, event_types=TYPES,
        ),
        lambda c: c.list_attempts_by_msg(
            APP, MSG, endpoint_id=EP, limit=3, iterator="-atmpt_x", status=1,
            status_code_class=0, event_types=TYPES, channel="eu", tag="vip", before=T1,
            after=T0, with_content=False, expanded_statuses=True,
        ),
        lambda c: c.list_attempts_by_endpoint(
            APP, EP, limit=3, iterator="atmpt_x", status=2, status_code_class=500,
            event_types=TYPES, channel="eu", tag="vip", before=T1, after=T0, with_content=False,
        ),
        lambda c: c.count_attempts_by_endpoint(
            APP, EP, status=3, status_code_class=400, event_types=TYPES, channel="eu",
            tag="vip", before=T1, after=T0,
        ),
        lambda c: c.list_attempted_destinations(APP, MSG, limit=3, iterator="ep_x"),
        lambda c: c.get_message(APP, MSG, with_content=False),
        lambda c: c.get_attempt(APP, MSG, ATT, expanded_statuses=True),
        lambda c: c.get_attempt_headers(APP, MSG, ATT),
        lambda c: c.resend(APP, MSG, EP),
        lambda c: c.expunge_attempt_content(APP, MSG, ATT),
        lambda c: c.recover(APP, EP, since=T0, until=T1, idempotency_key="k1"),
        lambda c: c.get_background_task(TASK),
    ]  # fmt: skip


EXPECTED_OPERATIONS = {
    "v1.application.list",
    "v1.endpoint.list",
    "v1.endpoint.get",
    "v1.endpoint.get-stats",
    "v1.message-attempt.list-attempted-messages",
    "v1.message-attempt.list-by-msg",
    "v1.message-attempt.list-by-endpoint",
    "v1.message-attempt.count-by-endpoint",
    "v1.message-attempt.list-attempted-destinations",
    "v1.message.get",
    "v1.message-attempt.get",
    "v1.message-attempt.get-headers",
    "v1.message-attempt.resend",
    "v1.message-attempt.expunge-content",
    "v1.endpoint.recover",
    "v1.background-task.get",
}


class Operation:
    def __init__(self, resolve: Resolve, path: str, method: str, op: dict[str, Any]) -> None:
        self.resolve = resolve
        self.template = path
        self.method = method.upper()
        self.op = op
        self.id = op.get("operationId", "")
        pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path))
        self.regex = re.compile(pattern)
        self.params = [resolve(p) for p in op.get("parameters", [])]
        self.literal_segments = path.count("/") - path.count("{")

    def query(self) -> dict[str, dict[str, Any]]:
        return {p["name"]: p for p in self.params if p["in"] == "query"}

    def headers(self) -> set[str]:
        return {p["name"].lower() for p in self.params if p["in"] == "header"}


def _operations(spec: dict[str, Any], resolve: Resolve) -> list[Operation]:
    ops = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                ops.append(Operation(resolve, path, method, op))
    return ops


def _match(ops: list[Operation], request: httpx.Request) -> Operation | None:
    candidates = [
        op for op in ops if op.method == request.method and op.regex.fullmatch(request.url.path)
    ]
    # A literal segment beats a {param} one (/msg/search vs /msg/{msg_id}).
    candidates.sort(key=lambda op: -op.literal_segments)
    return candidates[0] if candidates else None


def _success_response(op: Operation, build: Callable[[dict[str, Any]], Any]) -> httpx.Response:
    for code, response in op.op["responses"].items():
        if code.startswith("2"):
            content = op.resolve(response).get("content", {})
            schema = content.get("application/json", {}).get("schema")
            if schema is None:
                return httpx.Response(int(code))
            body = build(schema)
            return httpx.Response(int(code), content=json.dumps(body).encode())
    raise AssertionError(f"{op.id} declares no 2xx response")


def _check_query_value(op: Operation, name: str, values: list[str]) -> None:
    schema = op.resolve(op.query()[name].get("schema", {}))
    kind = schema.get("type")
    if kind == "array":
        item = op.resolve(schema.get("items", {}))
        kind, fmt = item.get("type"), item.get("format")
    else:
        assert len(values) == 1, f"{op.id}: {name} repeated but not an array"
        fmt = schema.get("format")
    enum = schema.get("enum")
    for value in values:
        if enum is not None:
            assert int(value) in enum if kind == "integer" else value in enum, (op.id, name)
        elif kind == "integer":
            int(value)
        elif kind == "boolean":
            assert value in ("true", "false"), (op.id, name, value)
        elif fmt == "date-time":
            assert RFC3339_Z.fullmatch(value), (op.id, name, value)


async def test_every_request_matches_a_spec_operation(
    openapi: dict[str, Any], spec_resolve: Resolve, spec_build: Callable[[dict[str, Any]], Any]
) -> None:
    ops = _operations(openapi, spec_resolve)
    seen: dict[str, int] = {}
    problems: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        op = _match(ops, request)
        if op is None:
            problems.append(f"no operation for {request.method} {request.url.path}")
            return httpx.Response(404)
        seen[op.id] = seen.get(op.id, 0) + 1
        declared = op.query()
        for name in request.url.params:
            if name not in declared:
                problems.append(f"{op.id}: query param {name!r} not declared")
            else:
                _check_query_value(op, name, request.url.params.get_list(name))
        if request.method == "POST":
            if "idempotency-key" not in op.headers():
                problems.append(f"{op.id}: Idempotency-Key not declared")
            if not request.headers.get("Idempotency-Key"):
                problems.append(f"{op.id}: POST without Idempotency-Key")
        if request.content:
            body = op.op.get("requestBody")
            if body is None:
                problems.append(f"{op.id}: sends a body the operation does not take")
            else:
                _check_body(op, body, json.loads(request.content), problems)
        elif op.op.get("requestBody", {}).get("required"):
            problems.append(f"{op.id}: required request body missing")
        return _success_response(op, spec_build)

    client = SvixClient(
        Secret("testsk_contract"),
        "https://api.example.test",
        transport=httpx.MockTransport(handler),
        max_retries=0,
    )
    try:
        for call in _every_call():
            try:
                await call(client)
            except ApiError as err:
                problems.append(f"call failed: {err}")
    finally:
        await client.aclose()

    assert problems == []
    assert set(seen) == EXPECTED_OPERATIONS


def _check_body(op: Operation, body: dict[str, Any], sent: Any, problems: list[str]) -> None:
    schema = op.resolve(body["content"]["application/json"]["schema"])
    props = schema.get("properties", {})
    for name in schema.get("required", []):
        if name not in sent:
            problems.append(f"{op.id}: body lacks required {name!r}")
    for name, value in sent.items():
        if name not in props:
            problems.append(f"{op.id}: body field {name!r} not declared")
        elif op.resolve(props[name]).get("format") == "date-time" and not RFC3339_Z.fullmatch(
            value
        ):
            problems.append(f"{op.id}: body field {name!r} not RFC 3339: {value!r}")


async def test_used_operations_are_not_deprecated(
    openapi: dict[str, Any], spec_resolve: Resolve
) -> None:
    by_id = {op.id: op for op in _operations(openapi, spec_resolve)}
    for op_id in EXPECTED_OPERATIONS:
        assert op_id in by_id, op_id
        assert not by_id[op_id].op.get("deprecated", False), op_id


SCHEMA_MODELS: dict[str, type[BaseModel]] = {
    "ApplicationOut": ApplicationOut,
    "EndpointOut": EndpointOut,
    "EndpointStats": EndpointStats,
    "EndpointMessageOut": EndpointMessageOut,
    "MessageOut": MessageOut,
    # The spec's one schema is our two models; the one with `msg` has every property.
    "MessageAttemptOut": MessageAttemptWithMsgOut,
    "MessageEndpointOut": MessageEndpointOut,
    "MessageAttemptHeadersOut": MessageAttemptHeadersOut,
    "CountOut": CountOut,
    "RecoverOut": RecoverOut,
    "BackgroundTaskOut": BackgroundTaskOut,
    "ListResponse_ApplicationOut_": Page[ApplicationOut],
    "ListResponse_EndpointOut_": Page[EndpointOut],
    "ListResponse_EndpointMessageOut_": Page[EndpointMessageOut],
    "ListResponse_MessageAttemptOut_": Page[MessageAttemptWithMsgOut],
    "ListResponse_MessageEndpointOut_": Page[MessageEndpointOut],
}


def _assert_same(
    resolve: Resolve, schema: dict[str, Any], example: Any, parsed: Any, where: str
) -> None:
    """Every property of the example reached the model with the same value."""
    schema = resolve(schema)
    if isinstance(parsed, BaseModel):
        fields = {(info.alias or name): name for name, info in type(parsed).model_fields.items()}
        for prop, sub in schema.get("properties", {}).items():
            assert prop in fields, f"{where}: spec property {prop!r} has no model field"
            value = getattr(parsed, fields[prop])
            _assert_same(resolve, sub, example[prop], value, f"{where}.{prop}")
    elif isinstance(parsed, datetime):
        assert parsed.tzinfo is not None, where
        assert parsed == fromisoformat(example), where
    elif isinstance(parsed, list) and schema.get("type") == "array":
        assert len(parsed) == len(example), where
        for i, (item, ex) in enumerate(zip(parsed, example, strict=True)):
            _assert_same(resolve, schema.get("items", {}), ex, item, f"{where}[{i}]")
    else:
        assert parsed == example, where


@pytest.mark.parametrize("schema_name", sorted(SCHEMA_MODELS))
def test_spec_examples_parse(spec_resolve: Resolve, spec_example: Any, schema_name: str) -> None:
    model = SCHEMA_MODELS[schema_name]
    example = spec_example(schema_name)
    parsed = model.model_validate_json(json.dumps(example))
    schema = {"$ref": f"#/components/schemas/{schema_name}"}
    _assert_same(spec_resolve, schema, example, parsed, schema_name)


@pytest.mark.parametrize("schema_name", sorted(SCHEMA_MODELS))
def test_spec_required_fields_only_parse(
    spec_resolve: Resolve, spec_example: Any, schema_name: str
) -> None:
    """Only what the spec marks required is present: the rest must default."""
    schema = spec_resolve({"$ref": f"#/components/schemas/{schema_name}"})
    example = spec_example(schema_name)
    minimal = {k: v for k, v in example.items() if k in schema.get("required", [])}
    SCHEMA_MODELS[schema_name].model_validate_json(json.dumps(minimal))
