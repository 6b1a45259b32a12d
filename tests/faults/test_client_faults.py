"""The API client against every fault: the right error, a human message, sane retries."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx
import pytest

from attempt_tui.api.client import SvixClient
from attempt_tui.api.errors import (
    ApiError,
    AuthError,
    ConflictError,
    DecodeError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    ValidationFailed,
)
from attempt_tui.api.models import MessageOut, status_label, trigger_label
from attempt_tui.demo.faults import BODY_KINDS, DEEP_LEVELS, HUGE_BYTES, FaultPlan
from attempt_tui.demo.server import DemoServer
from attempt_tui.secret import Secret
from tests.faults.support import TOKEN, SleepRecorder, assert_human, make_client

MAX_RETRIES = 3

# kind -> (error class, retried by the client, words the message must contain)
ERRORS: dict[str, tuple[type[ApiError], bool, str]] = {
    "401": (AuthError, False, "Unauthorized"),
    "403": (AuthError, False, "Forbidden"),
    "404": (NotFoundError, False, "Not found"),
    "409": (ConflictError, False, "Conflict"),
    "422": (ValidationFailed, False, "query.limit"),
    "429": (RateLimitedError, True, "Rate limited"),
    "429-retry-after": (RateLimitedError, True, "Rate limited"),
    "500": (ServerError, True, "Server error"),
    "502": (ServerError, True, "Server error"),
    "503": (ServerError, True, "Server error"),
    "timeout": (NetworkError, True, "timed out"),
    "reset": (NetworkError, True, "closed the connection"),
    "drop": (NetworkError, True, "closed the connection"),
    "refused": (NetworkError, True, "could not connect"),
    "truncated": (DecodeError, False, "not JSON"),
    "wrong-shape": (DecodeError, False, "Unexpected response"),
}


async def list_messages(client: SvixClient, demo: DemoServer):
    endpoint = demo.world.roles["busiest"]
    return await client.list_attempted_messages(endpoint.app.id, endpoint.id, limit=10)


@pytest.mark.parametrize("kind", ERRORS)
async def test_each_fault_is_one_typed_human_error_and_recovers(
    kind: str, faulty_demo: DemoServer, plan: FaultPlan, retry_sleep: SleepRecorder
) -> None:
    error_class, retried, words = ERRORS[kind]
    async with make_client(faulty_demo, retry_sleep, max_retries=MAX_RETRIES) as client:
        plan.add(kind)
        with pytest.raises(error_class) as raised:
            await list_messages(client, faulty_demo)
        assert_human(raised.value.message)
        assert words in raised.value.message
        assert "ep_" in raised.value.message  # says what was being fetched
        tries = len(plan.injected)
        assert tries == (1 + MAX_RETRIES if retried else 1)
        if kind == "429-retry-after":
            assert retry_sleep.delays == [1.0] * MAX_RETRIES  # the server's Retry-After
        elif retried:
            assert len(retry_sleep.delays) == MAX_RETRIES
            assert retry_sleep.delays == sorted(retry_sleep.delays)  # backing off
        else:
            assert retry_sleep.delays == []
        plan.off()
        page = await list_messages(client, faulty_demo)
        assert len(page.data) == 10


async def test_a_transient_fault_is_retried_away(
    faulty_demo: DemoServer, plan: FaultPlan, retry_sleep: SleepRecorder
) -> None:
    async with make_client(faulty_demo, retry_sleep) as client:
        plan.add("503", count=1)
        plan.add("reset", count=1)
        page = await list_messages(client, faulty_demo)
        assert len(page.data) == 10
        assert [kind for kind, _, _ in plan.injected] == ["503", "reset"]


@pytest.mark.parametrize("kind", [k for k in BODY_KINDS if k not in ("truncated", "wrong-shape")])
async def test_tolerated_body_faults_parse(
    kind: str, faulty_demo: DemoServer, plan: FaultPlan, retry_sleep: SleepRecorder
) -> None:
    endpoint = faulty_demo.world.roles["busiest"]
    app_id = endpoint.app.id
    async with make_client(faulty_demo, retry_sleep) as client:
        clean = await list_messages(client, faulty_demo)
        msg_id = clean.data[0].id
        plan.add(kind)
        page = await list_messages(client, faulty_demo)
        attempts = await client.list_attempts_by_msg(app_id, msg_id, endpoint_id=endpoint.id)
        message = await client.get_message(app_id, msg_id)
    assert [m.id for m in page.data] == [m.id for m in clean.data]
    if kind == "unknown-enum":
        assert {status_label(m.status) for m in page.data} == {"unknown(42)"}
        assert {trigger_label(a.trigger_type) for a in attempts.data} == {"unknown(42)"}
    if kind == "missing-optional":
        assert all(m.event_id is None and m.tags is None for m in page.data)
    if kind == "huge":
        assert len(attempts.data[0].response) == HUGE_BYTES
    if kind == "deep":
        node, depth = message.payload, 0
        while isinstance(node, dict):
            node, depth = node["a"], depth + 1
        assert depth == DEEP_LEVELS


def nested(levels: int) -> str:
    return '{"a":' * levels + "1" + "}" * levels


MESSAGE = {"id": "msg_1", "eventType": "x", "timestamp": "2026-11-01T12:00:00Z"}


@pytest.mark.parametrize("levels", [199, 500, 900])
async def test_deep_json_beyond_pydantics_parser_still_parses(levels: int) -> None:
    body = json.dumps(MESSAGE)[:-1] + ',"payload":' + nested(levels) + "}"
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body.encode()))
    async with SvixClient(Secret(TOKEN), "http://x", transport=transport) as client:
        message = await client.get_message("app_1", "msg_1")
    assert isinstance(message, MessageOut) and message.payload is not None


async def test_json_too_deep_for_python_is_a_clear_decode_error() -> None:
    body = json.dumps(MESSAGE)[:-1] + ',"payload":' + nested(100_000) + "}"
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body.encode()))
    async with SvixClient(Secret(TOKEN), "http://x", transport=transport) as client:
        with pytest.raises(DecodeError) as raised:
            await client.get_message("app_1", "msg_1")
    assert (
        raised.value.message
        == "Unexpected response for message msg_1: JSON nested too deeply to read"
    )


async def test_deep_and_wrong_is_still_a_decode_error() -> None:
    body = '{"id": 5, "payload": ' + nested(300) + "}"
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body.encode()))
    async with SvixClient(Secret(TOKEN), "http://x", transport=transport) as client:
        with pytest.raises(DecodeError) as raised:
            await client.get_message("app_1", "msg_1")
    assert "id: Input should be a valid string" in raised.value.message
    assert_human(raised.value.message)


async def test_401_is_never_retried_even_on_post(
    faulty_demo: DemoServer, plan: FaultPlan, retry_sleep: SleepRecorder
) -> None:
    endpoint = faulty_demo.world.roles["flaky"]
    msg_id = faulty_demo.world.msg_id(endpoint.dests[-1].msg)
    async with make_client(faulty_demo, retry_sleep) as client:
        plan.add("401")
        with pytest.raises(AuthError):
            await client.resend(endpoint.app.id, msg_id, endpoint.id, idempotency_key="k1")
    assert len(plan.injected) == 1 and retry_sleep.delays == []


async def test_recover_whose_answer_is_lost_starts_one_task(
    faulty_demo: DemoServer, plan: FaultPlan, retry_sleep: SleepRecorder
) -> None:
    world = faulty_demo.world
    endpoint = world.roles["client_error"]
    tasks = set(world.tasks)
    plan.add("drop", path="/recover$", method="POST", count=1)
    async with make_client(faulty_demo, retry_sleep) as client:
        task = await client.recover(
            endpoint.app.id, endpoint.id, since=world.now - timedelta(days=7), idempotency_key="r1"
        )
    assert set(world.tasks) - tasks == {task.id}  # one task, though the POST went twice
    assert [kind for kind, _, _ in plan.injected] == ["drop"] and len(retry_sleep.delays) == 1
