"""Retries: which requests, how long between them (fake sleep), and idempotency keys on POST."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from attempt_tui.api.errors import (
    ApiError,
    AuthError,
    BadRequestError,
    ConflictError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    ValidationFailed,
)
from attempt_tui.api.retry import backoff_delay, parse_retry_after
from attempt_tui.compat import UTC

APP = "app_2hVXOqRbq6eKwAvXhAlTaqzX0Qe"
EP = "ep_2hVXOqRbq6eKwAvXhAlTaqzX0Qf"
MSG = "msg_2hVXOqRbq6eKwAvXhAlTaqzX0Qg"
ATT = "atmpt_2hVXOqRbq6eKwAvXhAlTaqzX0Qh"
TASK_BODY = {
    "id": "qtask_1",
    "status": "running",
    "task": "endpoint.recover",
    "updatedAt": "2024-05-01T00:00:00Z",
}


def test_backoff_is_full_jitter_exponential_and_capped() -> None:
    assert [backoff_delay(n, lambda: 1.0) for n in range(7)] == [0.5, 1, 2, 4, 8, 8, 8]
    assert backoff_delay(3, lambda: 0.0) == 0.0
    assert backoff_delay(2, lambda: 0.25) == 0.5


def test_parse_retry_after() -> None:
    assert parse_retry_after(None) is None
    assert parse_retry_after("") is None
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(" 1.5 ") == 1.5
    assert parse_retry_after("-3") == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after("nan") is None
    date = "Wed, 21 Oct 2015 07:28:00 GMT"
    assert parse_retry_after(date, "Wed, 21 Oct 2015 07:27:48 GMT") == 12.0
    assert parse_retry_after(date, "Wed, 21 Oct 2015 07:30:00 GMT") == 0.0  # already past


def test_parse_retry_after_date_without_date_header_uses_now() -> None:
    # A date far in the past is "now" for any wall clock: no dependence on the exact time.
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    future = datetime(2999, 1, 1, tzinfo=UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
    delay = parse_retry_after(future)
    assert delay is not None and delay > 10**9


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_get_retried_on_5xx_with_backoff(svix, sample, status: int) -> None:
    svix.reply(
        httpx.Response(status, json={"code": "x", "detail": "busy"}),
        httpx.Response(status, json={"code": "x", "detail": "busy"}),
        httpx.Response(200, json=sample.endpoint()),
    )
    endpoint = await svix.client(random=lambda: 0.5).get_endpoint(APP, EP)
    assert endpoint.id == "ep_000000000000000000000000001"
    assert len(svix.requests) == 3
    assert svix.sleep.delays == [0.25, 0.5]  # 0.5 * min(8, 0.5 * 2**n)
    assert len(svix.sent) == 3  # on_request counts every request actually sent


async def test_429_without_retry_after_pauses_the_budget_doubling(svix, sample) -> None:
    svix.reply(
        httpx.Response(429, json={"code": "x", "detail": "slow down"}),
        httpx.Response(429, json={"code": "x", "detail": "slow down"}),
        httpx.Response(200, json=sample.endpoint()),
    )
    client = svix.client(random=lambda: 0.0)  # no jitter: the pause is everyone's
    await client.get_endpoint(APP, EP)
    assert len(svix.requests) == 3
    assert svix.sleep.delays == [0.5, 1.0]  # the budget's pauses, the retry waited them out
    assert client.budget.rate_limited == 2
    assert client.budget.granted == 3
    assert client.budget.paused_until is None


async def test_gives_up_after_max_retries(svix) -> None:
    svix.reply(httpx.Response(503, json={"code": "x", "detail": "down"}))
    with pytest.raises(ServerError) as err:
        await svix.client(max_retries=3, random=lambda: 0.999).list_applications()
    assert len(svix.requests) == 4
    assert svix.sleep.delays == pytest.approx([0.4995, 0.999, 1.998])
    assert err.value.status == 503


async def test_backoff_reaches_cap(svix) -> None:
    svix.reply(httpx.Response(500))
    with pytest.raises(ServerError):
        await svix.client(max_retries=6, random=lambda: 1.0).list_applications()
    assert svix.sleep.delays == [0.5, 1, 2, 4, 8, 8]


async def test_max_retries_zero_means_one_request(svix) -> None:
    svix.reply(httpx.Response(500))
    with pytest.raises(ServerError):
        await svix.client(max_retries=0).list_applications()
    assert len(svix.requests) == 1
    assert svix.sleep.delays == []


async def test_retry_after_seconds_is_honoured(svix, sample) -> None:
    svix.reply(
        httpx.Response(429, headers={"Retry-After": "7"}),
        httpx.Response(503, headers={"Retry-After": "2"}),
        httpx.Response(200, json=sample.page([])),
    )
    await svix.client().list_applications()
    assert svix.sleep.delays == [7.0, 2.0]


async def test_retry_after_http_date_is_measured_from_server_date(svix, sample) -> None:
    svix.reply(
        httpx.Response(
            429,
            headers={
                "Retry-After": "Wed, 21 Oct 2015 07:28:05 GMT",
                "Date": "Wed, 21 Oct 2015 07:28:00 GMT",
            },
        ),
        httpx.Response(200, json=sample.page([])),
    )
    await svix.client().list_applications()
    assert svix.sleep.delays == [5.0]


async def test_too_long_retry_after_is_not_waited_out(svix) -> None:
    svix.reply(httpx.Response(429, headers={"Retry-After": "3600"}))
    client = svix.client()
    with pytest.raises(RateLimitedError) as err:
        await client.list_applications()
    assert len(svix.requests) == 1
    assert err.value.retry_after == 3600.0
    # Everyone else still holds off, for at most MAX_RETRY_AFTER.
    assert client.budget.throttled_seconds_left() == pytest.approx(60.0, abs=0.1)


async def test_network_errors_retried_for_get(svix, sample) -> None:
    svix.reply(
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
        httpx.Response(200, json=sample.endpoint()),
    )
    await svix.client().get_endpoint(APP, EP)
    assert len(svix.requests) == 3
    assert svix.sleep.delays == [0.25, 0.5]


async def test_delete_is_retried(svix) -> None:
    svix.reply(httpx.Response(502), httpx.ReadTimeout("slow"), httpx.Response(204))
    await svix.client().expunge_attempt_content(APP, MSG, ATT)
    assert [r.method for r in svix.requests] == ["DELETE"] * 3


@pytest.mark.parametrize(
    "first_failure",
    [
        httpx.ReadTimeout("timed out"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.Response(500),
        httpx.Response(429),
    ],
)
async def test_resend_retry_reuses_the_same_idempotency_key(svix, first_failure) -> None:
    svix.reply(first_failure, httpx.Response(202, json={}))
    await svix.client().resend(APP, MSG, EP)
    assert len(svix.requests) == 2
    keys = [r.headers["Idempotency-Key"] for r in svix.requests]
    assert keys[0] and keys[0] == keys[1]
    assert [r.url.path for r in svix.requests] == [
        f"/api/v1/app/{APP}/msg/{MSG}/endpoint/{EP}/resend"
    ] * 2


async def test_resend_uses_the_callers_key_for_every_try(svix) -> None:
    svix.reply(httpx.ReadTimeout("t"), httpx.ConnectError("c"), httpx.Response(202, json={}))
    await svix.client().resend(APP, MSG, EP, idempotency_key="user-action-42")
    assert [r.headers["Idempotency-Key"] for r in svix.requests] == ["user-action-42"] * 3


async def test_recover_retry_reuses_key_and_body(svix) -> None:
    svix.reply(httpx.Response(503), httpx.Response(202, json=TASK_BODY))
    out = await svix.client().recover(APP, EP, since=datetime(2024, 5, 1, tzinfo=UTC))
    assert out.id == "qtask_1"
    first, second = svix.requests
    assert first.headers["Idempotency-Key"] == second.headers["Idempotency-Key"]
    assert first.content == second.content == b'{"since":"2024-05-01T00:00:00Z"}'


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthError),
        (403, AuthError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, ValidationFailed),
    ],
)
async def test_post_not_retried_on_4xx(svix, status: int, cls: type) -> None:
    svix.reply(httpx.Response(status, json={"code": "x", "detail": "no"}))
    with pytest.raises(cls):
        await svix.client().resend(APP, MSG, EP)
    assert len(svix.requests) == 1
    assert svix.sleep.delays == []


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthError),
        (403, AuthError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, ValidationFailed),
    ],
)
async def test_get_not_retried_on_4xx(svix, status: int, cls: type) -> None:
    svix.reply(httpx.Response(status, json={"code": "x", "detail": "no"}))
    client = svix.client()
    with pytest.raises(ApiError) as err:
        await client.get_endpoint(APP, EP)
    assert type(err.value) is cls
    assert err.value.status == status
    assert len(svix.requests) == 1
    assert svix.sleep.delays == []
    assert client.budget.paused_until is None  # only a 429 pauses the budget


async def test_resend_gives_up_with_network_error_after_retries(svix) -> None:
    svix.reply(httpx.ReadTimeout("timed out"))
    with pytest.raises(NetworkError):
        await svix.client(max_retries=2).resend(APP, MSG, EP)
    assert len(svix.requests) == 3
    assert len({r.headers["Idempotency-Key"] for r in svix.requests}) == 1


async def test_network_error_says_whether_a_resend_may_have_reached_the_server() -> None:
    import httpx

    from attempt_tui.api.client import SvixClient
    from attempt_tui.api.errors import NetworkError
    from attempt_tui.secret import Secret

    async def no_sleep(_: float) -> None:
        return None

    def refusing(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    calls = {"n": 0}

    def lost_then_refused(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        if calls["n"] == 1:
            raise httpx.ReadTimeout("lost", request=request)
        raise httpx.ConnectError("refused", request=request)

    app, msg, ep = "app_" + "a" * 27, "msg_" + "b" * 27, "ep_" + "c" * 27
    for handler, expected in ((refusing, False), (lost_then_refused, True)):
        client = SvixClient(
            Secret("t"), "http://x", transport=httpx.MockTransport(handler), sleep=no_sleep
        )
        try:
            await client.resend(app, msg, ep, idempotency_key="k")
        except NetworkError as error:
            assert error.maybe_sent is expected
        else:
            raise AssertionError("expected a NetworkError")
        finally:
            await client.aclose()
