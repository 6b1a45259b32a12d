"""Every client operation against httpx.MockTransport: method, path, query, headers, parsing."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

import attempt_tui
from attempt_tui.api.client import SvixClient
from attempt_tui.api.models import (
    ApplicationOut,
    BackgroundTaskOut,
    CountOut,
    EndpointMessageOut,
    EndpointOut,
    EndpointStats,
    MessageAttemptHeadersOut,
    MessageAttemptOut,
    MessageEndpointOut,
    MessageOut,
    MessageStatus,
    Page,
    RecoverOut,
    StatusCodeClass,
)
from attempt_tui.compat import UTC

APP = "app_2hVXOqRbq6eKwAvXhAlTaqzX0Qe"
EP = "ep_2hVXOqRbq6eKwAvXhAlTaqzX0Qf"
MSG = "msg_2hVXOqRbq6eKwAvXhAlTaqzX0Qg"
ATT = "atmpt_2hVXOqRbq6eKwAvXhAlTaqzX0Qh"
TASK = "qtask_2hVXOqRbq6eKwAvXhAlTaqzX0Qi"
BEFORE = datetime(2024, 5, 2, 10, 0, tzinfo=UTC)
BEFORE_Q = "2024-05-02T10:00:00Z"
# Not UTC and with microseconds: must go out converted to UTC with a Z.
AFTER = datetime(2024, 5, 1, 10, 0, 0, 250000, tzinfo=timezone(timedelta(hours=2)))
AFTER_Q = "2024-05-01T08:00:00.250000Z"

TASK_BODY = {
    "id": TASK,
    "status": "running",
    "task": "endpoint.recover",
    "updatedAt": "2024-05-01T00:00:00Z",
}


@dataclass(frozen=True)
class Case:
    call: Callable[[SvixClient], Awaitable[Any]]
    method: str
    path: str
    params: list[tuple[str, str]]
    status: int
    body: Callable[[SimpleNamespace], Any] | None  # None: empty body
    result: type | None  # model type of the result (page item type for lists)
    is_page: bool = False


FILTERS_Q = [("channel", "eu"), ("tag", "vip"), ("before", BEFORE_Q), ("after", AFTER_Q)]
EVENT_TYPES_Q = [("event_types", "invoice.paid"), ("event_types", "user.created")]

CASES: dict[str, Case] = {
    "list_applications": Case(
        lambda c: c.list_applications(limit=20, iterator="app_x"),
        "GET", "/api/v1/app", [("limit", "20"), ("iterator", "app_x")],
        200, lambda s: s.page([s.application(1), s.application(2)]), ApplicationOut, True,
    ),
    "get_application": Case(
        lambda c: c.get_application("cust-42"),
        "GET", "/api/v1/app/cust-42", [], 200, lambda s: s.application(1), ApplicationOut,
    ),
    "list_endpoints": Case(
        lambda c: c.list_endpoints(APP, limit=10),
        "GET", f"/api/v1/app/{APP}/endpoint", [("limit", "10")],
        200, lambda s: s.page([s.endpoint()]), EndpointOut, True,
    ),
    "get_endpoint": Case(
        lambda c: c.get_endpoint(APP, EP),
        "GET", f"/api/v1/app/{APP}/endpoint/{EP}", [], 200, lambda s: s.endpoint(), EndpointOut,
    ),
    "get_endpoint_stats": Case(
        lambda c: c.get_endpoint_stats(APP, EP, since=AFTER, until=BEFORE),
        "GET", f"/api/v1/app/{APP}/endpoint/{EP}/stats",
        [("since", AFTER_Q), ("until", BEFORE_Q)],
        200, lambda s: {"success": 5, "pending": 1, "sending": 0, "fail": 2, "canceled": 0},
        EndpointStats,
    ),
    "list_attempted_messages": Case(
        lambda c: c.list_attempted_messages(
            APP, EP, limit=25, iterator="msg_x", channel="eu", tag="vip", status=2,
            before=BEFORE, after=AFTER, with_content=False, expanded_statuses=True,
            event_types=["invoice.paid", "user.created"],
        ),
        "GET", f"/api/v1/app/{APP}/endpoint/{EP}/msg",
        [("limit", "25"), ("iterator", "msg_x"), ("status", "2"), ("with_content", "false"),
         ("expanded_statuses", "true"), *FILTERS_Q, *EVENT_TYPES_Q],
        200, lambda s: s.page([s.endpoint_message()]), EndpointMessageOut, True,
    ),
    "list_attempts_by_msg": Case(
        lambda c: c.list_attempts_by_msg(
            APP, MSG, endpoint_id=EP, limit=5, iterator="-atmpt_x", status=0,
            status_code_class=200, event_types=["invoice.paid", "user.created"],
            channel="eu", tag="vip", before=BEFORE, after=AFTER, with_content=False,
            expanded_statuses=True,
        ),
        "GET", f"/api/v1/app/{APP}/attempt/msg/{MSG}",
        [("limit", "5"), ("iterator", "-atmpt_x"), ("status", "0"),
         ("status_code_class", "200"), ("endpoint_id", EP), ("with_content", "false"),
         ("expanded_statuses", "true"), *FILTERS_Q, *EVENT_TYPES_Q],
        200, lambda s: s.page([s.attempt(1), s.attempt(2)]), MessageAttemptOut, True,
    ),
    "list_attempts_by_endpoint": Case(
        lambda c: c.list_attempts_by_endpoint(
            APP, EP, limit=5, iterator="atmpt_x", status=2, status_code_class=500,
            event_types=["invoice.paid", "user.created"], channel="eu", tag="vip",
            before=BEFORE, after=AFTER,
        ),
        "GET", f"/api/v1/app/{APP}/attempt/endpoint/{EP}",
        [("limit", "5"), ("iterator", "atmpt_x"), ("status", "2"),
         ("status_code_class", "500"), ("with_content", "false"), *FILTERS_Q, *EVENT_TYPES_Q],
        200, lambda s: s.page([s.attempt(1), s.attempt(2)]), MessageAttemptOut, True,
    ),
    "count_attempts_by_endpoint": Case(
        lambda c: c.count_attempts_by_endpoint(
            APP, EP, status=1, status_code_class=0, event_types=["invoice.paid", "user.created"],
            channel="eu", tag="vip", before=BEFORE, after=AFTER,
        ),
        "GET", f"/api/v1/app/{APP}/attempt/endpoint/{EP}/count",
        [("status", "1"), ("status_code_class", "0"), *FILTERS_Q, *EVENT_TYPES_Q],
        200, lambda s: {"count": 1234, "approximated": True}, CountOut,
    ),
    "list_attempted_destinations": Case(
        lambda c: c.list_attempted_destinations(APP, MSG, limit=5, iterator="ep_x"),
        "GET", f"/api/v1/app/{APP}/msg/{MSG}/endpoint", [("limit", "5"), ("iterator", "ep_x")],
        200, lambda s: s.page([s.destination()]), MessageEndpointOut, True,
    ),
    "get_message_by_event_id": Case(
        lambda c: c.get_message(APP, "evt-1", with_content=False),
        "GET", f"/api/v1/app/{APP}/msg/evt-1", [("with_content", "false")],
        200, lambda s: s.message(), MessageOut,
    ),
    "get_attempt": Case(
        lambda c: c.get_attempt(APP, MSG, ATT),
        "GET", f"/api/v1/app/{APP}/msg/{MSG}/attempt/{ATT}", [],
        200, lambda s: s.attempt(), MessageAttemptOut,
    ),
    "get_attempt_headers": Case(
        lambda c: c.get_attempt_headers(APP, MSG, ATT),
        "GET", f"/api/v1/app/{APP}/msg/{MSG}/attempt/{ATT}/headers", [],
        200, lambda s: {"sentHeaders": {"svix-id": MSG}, "responseHeaders": [["server", "x"]],
                        "sensitive": ["authorization"]},
        MessageAttemptHeadersOut,
    ),
    "resend": Case(
        lambda c: c.resend(APP, MSG, EP, idempotency_key="key-resend-1"),
        "POST", f"/api/v1/app/{APP}/msg/{MSG}/endpoint/{EP}/resend", [],
        202, lambda s: {}, None,
    ),
    "expunge_attempt_content": Case(
        lambda c: c.expunge_attempt_content(APP, MSG, ATT),
        "DELETE", f"/api/v1/app/{APP}/msg/{MSG}/attempt/{ATT}/content", [], 204, None, None,
    ),
    "recover": Case(
        lambda c: c.recover(APP, EP, since=AFTER, until=BEFORE, idempotency_key="key-recover-1"),
        "POST", f"/api/v1/app/{APP}/endpoint/{EP}/recover", [],
        202, lambda s: {k: v for k, v in TASK_BODY.items()}, RecoverOut,
    ),
    "get_background_task": Case(
        lambda c: c.get_background_task(TASK),
        "GET", f"/api/v1/background-task/{TASK}", [],
        200, lambda s: {**TASK_BODY, "data": {"messagesRecovered": 3}}, BackgroundTaskOut,
    ),
}  # fmt: skip


def _reply(case: Case, sample: SimpleNamespace) -> httpx.Response:
    if case.body is None:
        return httpx.Response(case.status)
    return httpx.Response(case.status, content=json.dumps(case.body(sample)).encode())


@pytest.mark.parametrize("name", sorted(CASES))
async def test_operation_request_and_response(name: str, svix, sample, token: str) -> None:
    case = CASES[name]
    svix.reply(_reply(case, sample))
    client = svix.client()

    result = await case.call(client)

    assert len(svix.requests) == 1
    request = svix.last
    assert request.method == case.method
    assert request.url.scheme == "https"
    assert request.url.host == "api.example.test"
    assert request.url.path == case.path
    assert not request.url.path.endswith("/")
    assert sorted(request.url.params.multi_items()) == sorted(case.params)
    assert request.headers["Authorization"] == f"Bearer {token}"
    assert request.headers["User-Agent"] == f"attempt-tui/{attempt_tui.__version__}"
    if case.method == "POST":
        assert request.headers["Idempotency-Key"].startswith("key-")
    else:
        assert "Idempotency-Key" not in request.headers
    assert svix.sent == [(case.method, case.path)]

    if case.result is None:
        assert result is None
    elif case.is_page:
        assert isinstance(result, Page)
        assert result.data and all(isinstance(item, case.result) for item in result.data)
    else:
        assert isinstance(result, case.result)


async def test_list_defaults_send_limit_and_with_content_only(svix, sample) -> None:
    svix.reply(httpx.Response(200, json=sample.page([])))
    client = svix.client()
    await client.list_attempted_messages(APP, EP)
    await client.list_attempts_by_msg(APP, MSG)
    await client.list_applications()
    assert [sorted(r.url.params.multi_items()) for r in svix.requests] == [
        [("limit", "50"), ("with_content", "true")],
        [("limit", "50"), ("with_content", "true")],
        [("limit", "50")],
    ]


async def test_event_types_single_string_and_empty_list(svix, sample) -> None:
    svix.reply(httpx.Response(200, json=sample.page([])))
    client = svix.client()
    await client.list_attempts_by_msg(APP, MSG, event_types="invoice.paid")
    await client.list_attempted_messages(APP, EP, event_types=[])
    assert svix.requests[0].url.params.get_list("event_types") == ["invoice.paid"]
    assert "event_types" not in svix.requests[1].url.params


async def test_enum_filters_are_sent_as_their_numbers(svix, sample) -> None:
    # On Python 3.10, str() of an IntEnum is "MessageStatus.FAIL", which the API refuses.
    svix.reply(httpx.Response(200, json=sample.page([])))
    await svix.client().list_attempted_messages(
        APP, EP, status=MessageStatus.FAIL, status_code_class=StatusCodeClass.C5XX
    )
    assert svix.last.url.params["status"] == "2"
    assert svix.last.url.params["status_code_class"] == "500"


async def test_naive_datetime_filter_is_sent_as_utc(svix, sample) -> None:
    svix.reply(httpx.Response(200, json=sample.page([])))
    await svix.client().list_attempted_messages(APP, EP, before=datetime(2024, 1, 2, 3, 4, 5))
    assert svix.last.url.params["before"] == "2024-01-02T03:04:05Z"


async def test_recover_body_is_camel_case_rfc3339(svix) -> None:
    svix.reply(httpx.Response(202, json=TASK_BODY))
    client = svix.client()
    out = await client.recover(APP, EP, since=AFTER, until=BEFORE)
    assert json.loads(svix.last.content) == {"since": AFTER_Q, "until": BEFORE_Q}
    assert svix.last.headers["Content-Type"] == "application/json"
    assert out.id == TASK
    assert out.status == "running"
    assert out.task == "endpoint.recover"

    await client.recover(APP, EP, since=BEFORE)
    assert json.loads(svix.last.content) == {"since": BEFORE_Q}


async def test_resend_sends_no_body_and_ignores_202_body(svix) -> None:
    svix.reply(httpx.Response(202, content=b"{}"))
    assert await svix.client().resend(APP, MSG, EP) is None
    assert svix.last.content == b""


async def test_post_without_key_gets_a_fresh_key_per_call(svix) -> None:
    svix.reply(httpx.Response(202, json={}))
    client = svix.client()
    await client.resend(APP, MSG, EP)
    await client.resend(APP, MSG, EP)
    keys = [r.headers["Idempotency-Key"] for r in svix.requests]
    assert all(keys) and keys[0] != keys[1]
    assert not any(key.startswith("auto_") for key in keys)  # prefix reserved by Svix SDKs


async def test_responses_are_parsed_into_models(svix, sample) -> None:
    client = svix.client()
    body = sample.page([sample.attempt(1)], iterator="atmpt_next", prev="-atmpt_prev", done=False)
    svix.reply(httpx.Response(200, json=body))
    page = await client.list_attempts_by_msg(APP, MSG)
    assert (page.iterator, page.prev_iterator, page.done) == ("atmpt_next", "-atmpt_prev", False)
    att = page.data[0]
    assert att.id == "atmpt_000000000000000000000000001"
    assert att.msg_id == "msg_000000000000000000000000001"
    assert (att.response_status_code, att.response_duration_ms) == (500, 42)
    assert (att.status, att.status_text, att.trigger_type) == (2, "fail", 0)
    assert att.response == '{"ok":false}'
    assert att.timestamp == datetime(2024, 5, 1, 12, 34, 56, 123456, tzinfo=UTC)

    svix.reply(httpx.Response(200, json=sample.endpoint()))
    ep = await client.get_endpoint(APP, EP)
    assert ep.event_types == ["invoice.paid"]
    assert ep.version == 1
    assert ep.description == "prod"

    svix.reply(httpx.Response(200, json={"count": 10000, "approximated": True}))
    count = await client.count_attempts_by_endpoint(APP, EP)
    assert (count.count, count.approximated) == (10000, True)

    svix.reply(
        httpx.Response(
            200,
            json={"sentHeaders": {"a": "b"}, "responseHeaders": [["x", "y"]], "sensitive": ["a"]},
        )
    )
    headers = await client.get_attempt_headers(APP, MSG, ATT)
    assert headers.sent_headers == {"a": "b"}
    assert headers.response_headers == [["x", "y"]]
    assert headers.sensitive == ["a"]


async def test_get_attempt_can_ask_for_expanded_statuses(svix, sample) -> None:
    svix.reply(httpx.Response(200, json={**sample.attempt(), "status": 4}))
    att = await svix.client().get_attempt(APP, MSG, ATT, expanded_statuses=True)
    assert svix.last.url.params["expanded_statuses"] == "true"
    assert att.status == 4


async def test_timeouts_default_and_configurable(svix, sample) -> None:
    svix.reply(httpx.Response(200, json=sample.page([])))
    await svix.client().list_applications()
    assert svix.last.extensions["timeout"] == {
        "connect": 5.0,
        "read": 15.0,
        "write": 15.0,
        "pool": 15.0,
    }
    await svix.client(connect_timeout=1.5, read_timeout=30.0).list_applications()
    timeout = svix.last.extensions["timeout"]
    assert (timeout["connect"], timeout["read"]) == (1.5, 30.0)


async def test_base_url_with_path_prefix_and_trailing_slash(svix) -> None:
    from attempt_tui.secret import Secret

    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json={"data": [], "done": True})

    client = SvixClient(
        Secret("t"), "http://localhost:8071/svix/", transport=httpx.MockTransport(handler)
    )
    await client.list_applications(limit=1)
    await client.aclose()
    assert seen == ["http://localhost:8071/svix/api/v1/app?limit=1"]


async def test_read_only_client_refuses_mutations_without_sending(svix, sample) -> None:
    from attempt_tui.api.errors import ReadOnlyError

    client = svix.client(read_only=True)
    assert client.read_only is True
    with pytest.raises(ReadOnlyError) as resend_err:
        await client.resend(APP, MSG, EP)
    with pytest.raises(ReadOnlyError):
        await client.expunge_attempt_content(APP, MSG, ATT)
    with pytest.raises(ReadOnlyError):
        await client.recover(APP, EP, since=BEFORE)
    assert svix.requests == []
    assert svix.sent == []
    assert "read-only" in resend_err.value.message.lower()
    assert resend_err.value.status is None

    svix.reply(httpx.Response(200, json=sample.endpoint()))
    await client.get_endpoint(APP, EP)  # reads still work
    assert len(svix.requests) == 1


@pytest.mark.parametrize("bad", ["", "..", ".", "app/../../admin", "a b", "x" * 257, "app_1?x=1"])
async def test_ids_that_would_change_the_path_are_refused(svix, bad: str) -> None:
    from attempt_tui.api.errors import BadRequestError

    client = svix.client()
    with pytest.raises(BadRequestError) as err:
        await client.get_endpoint(APP, bad)
    assert err.value.status is None
    assert "endpoint id" in err.value.message
    assert svix.requests == []


async def test_client_repr_hides_token(token: str, svix) -> None:
    client = svix.client()
    assert token not in repr(client)
    assert "api.example.test" in repr(client)


async def test_async_context_manager_closes(svix) -> None:
    async with svix.client() as client:
        assert isinstance(client, SvixClient)
    assert client._http.is_closed


async def test_get_application_by_id_and_uid_against_the_demo(demo) -> None:
    from attempt_tui.api.errors import NotFoundError
    from attempt_tui.secret import Secret

    app = demo.world.roles["busiest"].app
    transport = httpx.ASGITransport(app=demo.asgi_app)
    async with SvixClient(Secret("t"), "http://demo", transport=transport) as client:
        by_id = await client.get_application(app.id)
        by_uid = await client.get_application(app.uid)
        assert isinstance(by_id, ApplicationOut)
        assert by_id.id == by_uid.id == app.id
        assert by_id.uid == app.uid
        with pytest.raises(NotFoundError) as err:
            await client.get_application("no-such-customer")
        assert err.value.status == 404
