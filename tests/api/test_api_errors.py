"""HTTP failures become the documented error classes with one human line each."""

from __future__ import annotations

import json

import httpx
import pytest

from attempt_tui.api.errors import (
    ApiError,
    AuthError,
    BadRequestError,
    ConflictError,
    DecodeError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    ValidationFailed,
    clean_text,
    error_from_response,
)

APP = "app_2hVXOqRbq6eKwAvXhAlTaqzX0Qe"
EP = "ep_2hVXOqRbq6eKwAvXhAlTaqzX0Qf"
MSG = "msg_2hVXOqRbq6eKwAvXhAlTaqzX0Qg"


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthError),
        (403, AuthError),
        (404, NotFoundError),
        (405, BadRequestError),
        (409, ConflictError),
        (413, BadRequestError),
        (422, ValidationFailed),
        (429, RateLimitedError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (504, ServerError),
    ],
)
async def test_status_maps_to_error_class(svix, status: int, cls: type[ApiError]) -> None:
    svix.reply(httpx.Response(status, json={"code": "some_code", "detail": "Something"}))
    client = svix.client(max_retries=0)
    with pytest.raises(cls) as err:
        await client.get_endpoint(APP, EP)
    assert type(err.value) is cls
    assert isinstance(err.value, ApiError)
    assert err.value.status == status
    assert err.value.code == "some_code"
    assert str(err.value) == err.value.message
    assert err.value.message.endswith(f"({status})")
    assert f"endpoint {EP}" in err.value.message
    assert "\n" not in err.value.message


async def test_not_found_message(svix) -> None:
    svix.reply(httpx.Response(404, json={"code": "not_found", "detail": "Entity not found"}))
    with pytest.raises(NotFoundError) as err:
        await svix.client().get_endpoint(APP, EP)
    assert err.value.message == f"Not found: endpoint {EP} (404)"


async def test_conflict_and_bad_request_carry_server_detail(svix) -> None:
    svix.reply(httpx.Response(409, json={"code": "conflict", "detail": "Endpoint is disabled"}))
    client = svix.client()
    with pytest.raises(ConflictError) as err:
        await client.resend(APP, MSG, EP)
    assert err.value.message == (
        f"Conflict: resend of message {MSG} to endpoint {EP}: Endpoint is disabled (409)"
    )
    svix.reply(
        httpx.Response(401, json={"code": "authentication_failed", "detail": "Invalid token"})
    )
    with pytest.raises(AuthError) as auth:
        await client.list_applications()
    assert auth.value.message == "Unauthorized: applications: Invalid token (401)"


async def test_422_field_messages(svix) -> None:
    body = {
        "detail": [
            {
                "loc": ["query", "limit"],
                "msg": "ensure this value is less than or equal to 250",
                "type": "value_error.number.not_le",
            },
            {"loc": ["query", "status"], "msg": "value is not a valid enum", "type": "x"},
            "not-an-object",
        ]
    }
    svix.reply(httpx.Response(422, json=body))
    with pytest.raises(ValidationFailed) as err:
        await svix.client().list_attempts_by_msg(APP, MSG, limit=500)
    assert err.value.fields == [
        "query.limit: ensure this value is less than or equal to 250",
        "query.status: value is not a valid enum",
    ]
    assert err.value.message == (
        f"Invalid request: attempts of message {MSG}: query.limit: ensure this value is less "
        "than or equal to 250; query.status: value is not a valid enum (422)"
    )
    assert len(svix.requests) == 1  # never retried


async def test_429_exposes_retry_after_when_giving_up(svix) -> None:
    svix.reply(
        httpx.Response(
            429, headers={"Retry-After": "3"}, json={"code": "rate", "detail": "Slow down"}
        )
    )
    with pytest.raises(RateLimitedError) as err:
        await svix.client(max_retries=0).list_applications()
    assert err.value.retry_after == 3.0
    assert err.value.message == "Rate limited: applications: Slow down (429)"


async def test_redirect_is_not_followed_and_is_an_api_error(svix) -> None:
    svix.reply(httpx.Response(302, headers={"Location": "https://evil.example/steal"}))
    with pytest.raises(ApiError) as err:
        await svix.client().list_applications()
    assert type(err.value) is ApiError
    assert err.value.status == 302
    assert len(svix.requests) == 1


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<html>oops</html>", "not JSON"),
        (b"", "not JSON"),
        (b'{"data": "nope", "done": true}', "data: "),
        (b'{"data": [{"id": "x"}], "done": false}', "data.0."),
        (b"[1, 2]", "Unexpected response"),
    ],
)
async def test_bad_2xx_bodies_raise_decode_error(svix, body: bytes, reason: str) -> None:
    svix.reply(httpx.Response(200, content=body))
    with pytest.raises(DecodeError) as err:
        await svix.client().list_attempts_by_msg(APP, MSG)
    assert reason in err.value.message
    assert err.value.message.startswith(f"Unexpected response for attempts of message {MSG}")
    assert err.value.__cause__ is None and err.value.__context__ is None
    assert len(svix.requests) == 1


async def test_wrong_shape_names_the_field(svix) -> None:
    svix.reply(
        httpx.Response(200, json={"id": "ep_1", "url": "https://x", "createdAt": "yesterday"})
    )
    with pytest.raises(DecodeError) as err:
        await svix.client().get_endpoint(APP, EP)
    assert "createdAt" in err.value.message
    assert "updatedAt: Field required" in err.value.message


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ConnectError("[Errno 111] Connection refused"),
        httpx.ConnectTimeout("timed out"),
        httpx.ReadTimeout("timed out"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.ReadError("[Errno 104] Connection reset by peer"),
        httpx.ConnectError("[Errno -2] Name or service not known"),
    ],
)
async def test_transport_failures_become_network_errors(svix, exc: Exception) -> None:
    svix.reply(exc)
    with pytest.raises(NetworkError) as err:
        await svix.client().get_endpoint(APP, EP)
    assert err.value.status is None
    assert err.value.message.startswith(f"Network error: endpoint {EP}: ")
    assert "api.example.test" in err.value.message
    assert err.value.__cause__ is None and err.value.__context__ is None
    assert len(svix.requests) == 4  # retried up to max_retries=3


async def test_unsupported_scheme_is_a_network_error_without_retry(token: str) -> None:
    from attempt_tui.api.client import SvixClient
    from attempt_tui.secret import Secret

    sent: list[tuple[str, str]] = []
    client = SvixClient(
        Secret(token), "ftp://svix.example", on_request=lambda m, p: sent.append((m, p))
    )
    with pytest.raises(NetworkError) as err:
        await client.list_applications()
    await client.aclose()
    assert "invalid server URL" in err.value.message
    assert len(sent) == 1


def test_detail_is_capped_and_one_line() -> None:
    detail = "line one\nline two\r\n\x1b[31mred\x1b[0m\t" + "x" * 1000
    err = error_from_response(400, json.dumps({"code": "c", "detail": detail}).encode(), "thing")
    assert "\n" not in err.message and "\r" not in err.message and "\x1b" not in err.message
    assert len(err.message) <= len("Bad request: thing: ") + 200 + len(" (400)")
    assert err.message.startswith("Bad request: thing: line one line two [31mred [0m x")
    assert "…" in err.message


def test_field_lines_are_capped() -> None:
    items = ",".join(f'{{"loc":["body","f{i}"],"msg":"{"m" * 500}","type":"t"}}' for i in range(50))
    err = error_from_response(422, f'{{"detail":[{items}]}}'.encode(), "thing")
    assert isinstance(err, ValidationFailed)
    assert len(err.fields) == 10
    assert all(len(line) <= 200 for line in err.fields)
    assert len(err.message) < 300


def test_plain_text_body_is_used_html_is_not() -> None:
    text = error_from_response(502, b"upstream connect error", "thing")
    assert text.message == "Server error: thing: upstream connect error (502)"
    html = error_from_response(502, b"<html><body>" + b"x" * 5000 + b"</body></html>", "thing")
    assert html.message == "Server error: thing (502)"
    odd = error_from_response(500, b'{"detail": {"nested": true}}', "thing")
    assert odd.message == "Server error: thing (500)"


def test_error_repr_and_args() -> None:
    err = NotFoundError("Not found: x (404)", status=404)
    assert err.args == ("Not found: x (404)",)
    assert repr(err) == "NotFoundError('Not found: x (404)', status=404)"
    assert ValidationFailed("m").fields == []
    assert RateLimitedError("m").retry_after is None


def test_clean_text() -> None:
    assert clean_text("  a\n\n b\u2028c\x9b ") == "a b c"
    assert clean_text("abcdef", 4) == "abc…"
