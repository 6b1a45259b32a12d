"""Every demo response validates against the Svix OpenAPI spec and the SDK's strict models."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pydantic
import pytest
from demo_support import AUTH, NOW, Spec
from svix import models as sdk

from attempt_tui.demo.server import DemoServer, build_demo

APP = "/api/v1/app/{app_id}"
EP = f"{APP}/endpoint/{{endpoint_id}}"
MSG = f"{APP}/msg/{{msg_id}}"
ATTEMPT = f"{MSG}/attempt/{{attempt_id}}"


def strict(model: type[pydantic.BaseModel], raw: bytes) -> pydantic.BaseModel:
    return model.model_validate_json(raw, strict=True, extra="forbid", by_alias=True, by_name=False)


async def check(
    http: httpx.AsyncClient,
    spec: Spec,
    method: str,
    template: str,
    values: dict[str, str],
    *,
    model: type[pydantic.BaseModel] | None,
    status: int = 200,
    params: dict[str, Any] | None = None,
    json_body: object = None,
) -> Any:
    """Call one operation; validate against the spec's schema for that status and the SDK model."""
    response = await http.request(method, template.format(**values), params=params, json=json_body)
    assert response.status_code == status, response.text
    schema = spec.response_schema(template, method.lower(), str(status))
    body = response.json()
    spec.validate(schema, body)
    if model is not None:
        strict(model, response.content)
    return body


@pytest.fixture
def ids(demo: DemoServer) -> dict[str, str]:
    """Path values for an app, its busiest endpoint, a message there and one of its attempts."""
    world = demo.world
    endpoint = world.roles["busiest"]
    dest = endpoint.dests[-10]
    return {
        "app_id": endpoint.app.id,
        "endpoint_id": endpoint.id,
        "msg_id": world.msg_id(dest.msg),
        "attempt_id": world.attempt_id(dest.attempts[-1]),
    }


async def test_applications_and_endpoints(
    client: httpx.AsyncClient, spec: Spec, ids: dict[str, str]
) -> None:
    apps = await check(client, spec, "GET", "/api/v1/app", {}, model=sdk.ListResponseApplicationOut)
    assert len(apps["data"]) == 3
    await check(client, spec, "GET", APP, ids, model=sdk.ApplicationOut)
    endpoints = await check(
        client, spec, "GET", f"{APP}/endpoint", ids, model=sdk.ListResponseEndpointOut
    )
    assert len(endpoints["data"]) == 5
    await check(client, spec, "GET", EP, ids, model=sdk.EndpointOut)
    await check(client, spec, "GET", f"{EP}/stats", ids, model=sdk.EndpointStats)
    await check(
        client,
        spec,
        "GET",
        f"{EP}/stats",
        ids,
        model=sdk.EndpointStats,
        params={"since": "2025-06-01T00:00:00Z", "until": "2025-06-02T00:00:00Z"},
    )


@pytest.mark.parametrize("with_content", ["true", "false"])
async def test_attempted_messages(
    client: httpx.AsyncClient, spec: Spec, ids: dict[str, str], with_content: str
) -> None:
    body = await check(
        client,
        spec,
        "GET",
        f"{EP}/msg",
        ids,
        model=sdk.ListResponseEndpointMessageOut,
        params={"limit": 250, "with_content": with_content},
    )
    assert len(body["data"]) == 250


async def test_messages(
    client: httpx.AsyncClient, spec: Spec, ids: dict[str, str], demo: DemoServer
) -> None:
    await check(
        client,
        spec,
        "GET",
        f"{APP}/msg",
        ids,
        model=sdk.ListResponseMessageOut,
        params={"limit": 100},
    )
    await check(client, spec, "GET", MSG, ids, model=sdk.MessageOut)
    await check(
        client, spec, "GET", MSG, ids, model=sdk.MessageOut, params={"with_content": "false"}
    )
    await check(
        client, spec, "GET", f"{MSG}/endpoint", ids, model=sdk.ListResponseMessageEndpointOut
    )
    big = demo.world.apps[0].messages[-4]
    assert big.big
    payload = await check(
        client, spec, "GET", MSG, {**ids, "msg_id": demo.world.msg_id(big)}, model=sdk.MessageOut
    )
    assert payload["payload"]["data"]["lines"]


async def test_attempts(client: httpx.AsyncClient, spec: Spec, ids: dict[str, str]) -> None:
    list_model = sdk.ListResponseMessageAttemptOut
    by_endpoint = f"{APP}/attempt/endpoint/{{endpoint_id}}"
    await check(client, spec, "GET", by_endpoint, ids, model=list_model, params={"limit": 250})
    await check(
        client,
        spec,
        "GET",
        by_endpoint,
        ids,
        model=list_model,
        params={"with_msg": "true", "with_content": "false", "status_code_class": 200},
    )
    count = await check(client, spec, "GET", f"{by_endpoint}/count", ids, model=None)
    assert count["count"] > 5000
    await check(client, spec, "GET", f"{APP}/attempt/msg/{{msg_id}}", ids, model=list_model)
    await check(
        client,
        spec,
        "GET",
        f"{APP}/attempt/msg/{{msg_id}}",
        ids,
        model=list_model,
        params={"endpoint_id": ids["endpoint_id"]},
    )
    await check(client, spec, "GET", ATTEMPT, ids, model=sdk.MessageAttemptOut)
    headers = await check(client, spec, "GET", f"{ATTEMPT}/headers", ids, model=None)
    assert "svix-signature" in headers["sensitive"]


async def test_every_endpoint_role_validates(
    client: httpx.AsyncClient, spec: Spec, demo: DemoServer
) -> None:
    """Timeouts (code 0), pending (nextAttempt), disabled, 4xx: all stay within the schemas."""
    world = demo.world
    for app in world.apps:
        for endpoint in app.endpoints:
            values = {"app_id": app.id, "endpoint_id": endpoint.id}
            await check(
                client,
                spec,
                "GET",
                f"{EP}/msg",
                values,
                model=sdk.ListResponseEndpointMessageOut,
                params={"limit": 100, "with_content": "true"},
            )
            attempts = await check(
                client,
                spec,
                "GET",
                f"{APP}/attempt/endpoint/{{endpoint_id}}",
                values,
                model=sdk.ListResponseMessageAttemptOut,
                params={"limit": 100},
            )
            for item in attempts["data"][:5]:
                path_values = {**values, "msg_id": item["msgId"], "attempt_id": item["id"]}
                await check(client, spec, "GET", f"{ATTEMPT}/headers", path_values, model=None)
                await check(
                    client,
                    spec,
                    "GET",
                    f"{MSG}/endpoint",
                    path_values,
                    model=sdk.ListResponseMessageEndpointOut,
                )


async def test_mutations(
    client: httpx.AsyncClient, spec: Spec, ids: dict[str, str], demo: DemoServer
) -> None:
    await check(
        client,
        spec,
        "POST",
        f"{MSG}/endpoint/{{endpoint_id}}/resend",
        ids,
        model=sdk.EmptyResponse,
        status=202,
    )
    response = await client.delete(f"{ATTEMPT}/content".format(**ids))
    assert response.status_code == 204
    assert response.content == b""
    recover = await check(
        client,
        spec,
        "POST",
        f"{EP}/recover",
        ids,
        model=sdk.RecoverOut,
        status=202,
        json_body={"since": "2025-05-01T00:00:00Z"},
    )
    task_path = "/api/v1/background-task/{task_id}"
    running = await check(
        client, spec, "GET", task_path, {"task_id": recover["id"]}, model=sdk.BackgroundTaskOut
    )
    assert running["status"] == "running"
    demo.world.tick(60)
    finished = await check(
        client, spec, "GET", task_path, {"task_id": recover["id"]}, model=sdk.BackgroundTaskOut
    )
    assert finished["status"] == "finished"


async def test_errors_have_svix_shapes(
    client: httpx.AsyncClient, spec: Spec, ids: dict[str, str]
) -> None:
    missing = {**ids, "app_id": "app_0000000000000000000000000000"[:31]}
    await check(client, spec, "GET", APP, missing, model=None, status=404)
    await check(
        client, spec, "GET", f"{EP}/msg", ids, model=None, status=422, params={"limit": 251}
    )
    response = await client.get("/api/v1/app", headers={"Authorization": ""})
    assert response.status_code == 401
    spec.validate("HttpErrorOut", response.json())


async def test_health(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/health", headers={"Authorization": ""})
    assert response.status_code == 204
    assert response.content == b""


def test_the_validator_rejects_what_svix_would_not_send(spec: Spec) -> None:
    good = {
        "id": "atmpt_2xwYZLU36HHvoYvmIflcGg08wz9",
        "msgId": "msg_2xwYZLU36HHvoYvmIflcGg08wz9",
        "endpointId": "ep_2xwYZLU36HHvoYvmIflcGg08wz9",
        "url": "https://example.com/hook",
        "response": "",
        "responseStatusCode": 0,
        "responseDurationMs": 15000,
        "status": 2,
        "statusText": "fail",
        "triggerType": 0,
        "timestamp": "2025-06-02T12:00:00.000001Z",
        "msg": None,
    }
    spec.validate("MessageAttemptOut", good)
    # Mistakes both the schema and the SDK's strict models catch.
    broken = [
        {key: value for key, value in good.items() if key != "response"},
        {**good, "timestamp": "yesterday"},
        {**good, "status": 9},
        {**good, "statusText": "failed"},
        {**good, "msg": {"id": "msg_x"}},
        {**good, "responseStatusCode": "200"},
    ]
    for instance in broken:
        with pytest.raises(AssertionError):
            spec.validate("MessageAttemptOut", instance)
        with pytest.raises(pydantic.ValidationError):
            strict(sdk.MessageAttemptOut, json.dumps(instance).encode())
    with pytest.raises(pydantic.ValidationError):
        strict(sdk.MessageAttemptOut, json.dumps({**good, "extra": 1}).encode())
    # Mistakes only the schema catches (the SDK types these as plain strings).
    for instance in ({**good, "id": "atmpt_short"}, {**good, "url": "not a url"}):
        with pytest.raises(AssertionError):
            spec.validate("MessageAttemptOut", instance)


async def test_a_large_world_answers_within_the_contract(
    large_client: httpx.AsyncClient, spec: Spec
) -> None:
    first = await check(
        large_client,
        spec,
        "GET",
        "/api/v1/app",
        {},
        model=sdk.ListResponseApplicationOut,
        params={"limit": 250},
    )
    assert len(first["data"]) == 250 and first["done"] is False
    later = await check(
        large_client,
        spec,
        "GET",
        "/api/v1/app",
        {},
        model=sdk.ListResponseApplicationOut,
        params={"limit": 250, "iterator": first["iterator"]},
    )
    assert later["data"][0]["id"] < first["data"][-1]["id"]
    customer = await check(
        large_client, spec, "GET", APP, {"app_id": "cust-01234"}, model=sdk.ApplicationOut
    )
    assert (customer["uid"], customer["name"]) == ("cust-01234", "Customer 01234")
    values = {"app_id": "umbrella-platform", "endpoint_id": "ep-0321"}
    endpoints = await check(
        large_client,
        spec,
        "GET",
        f"{APP}/endpoint",
        values,
        model=sdk.ListResponseEndpointOut,
        params={"limit": 250},
    )
    assert len(endpoints["data"]) == 250
    await check(large_client, spec, "GET", EP, values, model=sdk.EndpointOut)
    await check(large_client, spec, "GET", f"{EP}/stats", values, model=sdk.EndpointStats)
    await check(
        large_client, spec, "GET", f"{EP}/msg", values, model=sdk.ListResponseEndpointMessageOut
    )


async def test_the_rate_limit_answer_is_svix_shaped(spec: Spec) -> None:
    demo = build_demo(7, live=False, now=NOW, rate_limit=1, clock=lambda: 0.0)
    transport = httpx.ASGITransport(app=demo.asgi_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://demo", headers=AUTH) as http:
        await check(http, spec, "GET", "/api/v1/app", {}, model=sdk.ListResponseApplicationOut)
        body = await check(http, spec, "GET", "/api/v1/app", {}, model=None, status=429)
        response = await http.get("/api/v1/app")
    assert body["code"] == "rate_limited"
    assert int(response.headers["retry-after"]) >= 1
