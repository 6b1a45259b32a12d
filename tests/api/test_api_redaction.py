"""No error raised by the client carries the token: not in its text, args, repr, or chain.

Every case below is hostile: the server (or the transport's own exception text) echoes the
token back, so a missing scrub or a chained httpx exception would show up.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import httpx
import pytest

from attempt_tui.api.client import SvixClient
from attempt_tui.api.errors import (
    ApiError,
    AuthError,
    BadRequestError,
    ConflictError,
    DecodeError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ReadOnlyError,
    ServerError,
    ValidationFailed,
)
from attempt_tui.compat import UTC

APP = "app_2hVXOqRbq6eKwAvXhAlTaqzX0Qe"
EP = "ep_2hVXOqRbq6eKwAvXhAlTaqzX0Qf"
MSG = "msg_2hVXOqRbq6eKwAvXhAlTaqzX0Qg"


def _echo(token: str) -> str:
    return f"bad header Authorization: Bearer {token}"


def _body(status: int) -> Callable[[str], list[httpx.Response | Exception]]:
    return lambda t: [httpx.Response(status, json={"code": f"echo {t}", "detail": _echo(t)})]


async def _get(c: SvixClient) -> Any:
    return await c.get_endpoint(APP, EP)


async def _resend(c: SvixClient) -> Any:
    return await c.resend(APP, MSG, EP)


Call = Callable[[SvixClient], Awaitable[Any]]

Replies = Callable[[str], list[httpx.Response | Exception]]
CASES: list[tuple[str, type[ApiError], Replies, Call, dict[str, Any]]] = [
    ("401", AuthError, _body(401), _get, {}),
    ("403", AuthError, _body(403), _get, {}),
    ("404", NotFoundError, _body(404), _get, {}),
    ("409", ConflictError, _body(409), _resend, {}),
    ("400", BadRequestError, _body(400), _resend, {}),
    (
        "422",
        ValidationFailed,
        lambda t: [
            httpx.Response(
                422,
                json={"detail": [{"loc": ["header", t], "msg": _echo(t), "type": "value_error"}]},
            )
        ],
        _get,
        {},
    ),
    ("429", RateLimitedError, _body(429), _get, {"max_retries": 1}),
    ("500", ServerError, _body(500), _get, {}),
    ("502-text", ServerError, lambda t: [httpx.Response(502, text=_echo(t))], _get, {}),
    ("302", ApiError, _body(302), _get, {}),
    ("connect", NetworkError, lambda t: [httpx.ConnectError(_echo(t))], _get, {}),
    ("read-timeout", NetworkError, lambda t: [httpx.ReadTimeout(_echo(t))], _resend, {}),
    ("protocol", NetworkError, lambda t: [httpx.RemoteProtocolError(_echo(t))], _resend, {}),
    ("decode-json", DecodeError, lambda t: [httpx.Response(200, text=_echo(t))], _get, {}),
    (
        "decode-shape",
        DecodeError,
        # A metadata key equal to the token with a bad value puts the token in the error loc.
        lambda t: [httpx.Response(200, json={"id": "ep_1", "url": "u", "metadata": {t: 1}})],
        _get,
        {},
    ),
    (
        "bad-id",
        BadRequestError,
        lambda t: [],
        lambda c: c.get_endpoint(APP, f"pasted {c._token.reveal()}"),
        {},
    ),
    (
        "read-only",
        ReadOnlyError,
        lambda t: [],
        lambda c: c.recover(APP, EP, since=datetime(2024, 1, 1, tzinfo=UTC)),
        {"read_only": True},
    ),
]


def _chain(err: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = err
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


@pytest.mark.parametrize(
    ("cls", "replies", "call", "options"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
async def test_errors_never_contain_the_token(
    svix, token: str, cls: type[ApiError], replies: Replies, call: Call, options: dict[str, Any]
) -> None:
    if answers := replies(token):
        svix.reply(*answers)
    client = svix.client(**options)

    with pytest.raises(cls) as info:
        await call(client)
    err = info.value
    assert type(err) is cls

    # The canary works: requests really did carry the token.
    for request in svix.requests:
        assert request.headers["Authorization"] == f"Bearer {token}"

    assert err.__cause__ is None
    assert err.__context__ is None
    assert len(_chain(err)) == 1
    rendered = "".join(traceback.format_exception(err))
    texts = [str(err), repr(err), repr(err.args), err.message, rendered, repr(vars(err))]
    if isinstance(err, ValidationFailed):
        texts.append(json.dumps(err.fields))
    for text in texts:
        assert token not in text
    assert "\n" not in err.message


async def test_echoed_token_is_masked_not_dropped(svix, token: str) -> None:
    svix.reply(*_body(401)(token))
    with pytest.raises(AuthError) as err:
        await svix.client().get_endpoint(APP, EP)
    assert err.value.message == (
        f"Unauthorized: endpoint {EP}: bad header Authorization: Bearer *** (401)"
    )
    assert err.value.code == "echo ***"


async def test_network_error_message_does_not_copy_exception_text(svix) -> None:
    svix.reply(httpx.ConnectError("secret-ish details from the socket layer"))
    with pytest.raises(NetworkError) as err:
        await svix.client(max_retries=0).get_endpoint(APP, EP)
    assert err.value.message == (
        f"Network error: endpoint {EP}: could not connect to api.example.test"
    )


async def test_short_demo_token_does_not_garble_messages() -> None:
    from attempt_tui.secret import Secret

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"code": "not_found", "detail": "Entity not found"})

    client = SvixClient(Secret("t"), "https://x.test", transport=httpx.MockTransport(handler))
    with pytest.raises(NotFoundError) as err:
        await client.get_attempt(APP, MSG, "atmpt_1")
    await client.aclose()
    assert err.value.message == "Not found: attempt atmpt_1 (404)"
