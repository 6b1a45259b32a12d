"""The first page's GET sent before the app is built, and the client taking its answer."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest

from attempt_tui.api.early import EarlyGet, first_page_path, first_page_query
from attempt_tui.secret import Secret
from tests.api.conftest import BASE_URL, TOKEN, MockSvix, endpoint_message, json_response

APP, EP = "app_" + "1" * 27, "ep_" + "2" * 27
PATH = f"/api/v1/app/{APP}/endpoint/{EP}/msg"


class EarlyServer:
    """A sync transport for the early GET: records what it was asked, answers or fails."""

    def __init__(self, answer: httpx.Response | Exception, *, hold: bool = False) -> None:
        self.answer = answer
        self.requests: list[httpx.Request] = []
        self.release = threading.Event()
        if not hold:
            self.release.set()

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.release.wait(5)
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def early_get(server: EarlyServer, page_size: int = 50) -> EarlyGet:
    return EarlyGet(
        BASE_URL,
        Secret(TOKEN),
        PATH,
        first_page_query(page_size),
        transport=httpx.MockTransport(server.handle),
    )


def page_body(i: int) -> dict[str, object]:
    return {"data": [endpoint_message(i)], "iterator": None, "prevIterator": None, "done": True}


async def test_the_client_takes_the_early_answer_instead_of_asking(svix: MockSvix) -> None:
    server = EarlyServer(json_response(200, page_body(7)), hold=True)
    early = early_get(server)
    client = svix.client(early=early)
    assert client.budget.granted == 1  # the early request counts against the budget
    server.release.set()  # answered after the client started waiting for it
    page = await client.list_attempted_messages(APP, EP, with_content=False)
    assert [m.id for m in page.data] == [endpoint_message(7)["id"]]
    assert svix.requests == [] and svix.sent == [("GET", PATH)]
    sent = server.requests[0]
    assert sent.headers["Authorization"] == f"Bearer {TOKEN}"
    assert sent.url.path == PATH and dict(sent.url.params) == {
        "limit": "50",
        "with_content": "false",
    }
    svix.reply(json_response(200, page_body(8)))
    again = await client.list_attempted_messages(APP, EP, with_content=False)
    assert [m.id for m in again.data] == [endpoint_message(8)["id"]]  # used once only
    assert len(svix.requests) == 1


async def test_another_request_is_sent_as_usual(svix: MockSvix) -> None:
    server = EarlyServer(json_response(200, page_body(7)))
    client = svix.client(early=early_get(server))
    svix.reply(json_response(200, page_body(9)))
    page = await client.list_attempted_messages(APP, EP, with_content=True)  # another query
    assert [m.id for m in page.data] == [endpoint_message(9)["id"]]
    assert len(svix.requests) == 1


@pytest.mark.parametrize(
    "answer",
    [httpx.ConnectError("refused"), httpx.ReadTimeout("slow")],
    ids=["refused", "timeout"],
)
async def test_a_failed_early_request_is_asked_again(
    svix: MockSvix, answer: httpx.Response | Exception
) -> None:
    server = EarlyServer(answer)
    client = svix.client(early=early_get(server))
    svix.reply(json_response(200, page_body(3)))
    page = await client.list_attempted_messages(APP, EP, with_content=False)
    assert [m.id for m in page.data] == [endpoint_message(3)["id"]]
    assert len(svix.requests) == 1


async def test_an_early_server_error_goes_through_the_retries(svix: MockSvix) -> None:
    server = EarlyServer(json_response(503, {"code": "busy", "detail": "try later"}))
    client = svix.client(early=early_get(server))
    svix.reply(json_response(200, page_body(4)))
    page = await client.list_attempted_messages(APP, EP, with_content=False)
    assert [m.id for m in page.data] == [endpoint_message(4)["id"]]
    assert len(svix.requests) == 1 and len(svix.sleep.delays) == 1  # one backoff, one retry


def test_only_ids_that_fit_in_a_path_are_sent_early() -> None:
    assert first_page_path(APP, EP) == PATH
    assert first_page_path("app_x/../../stats", EP) is None
    assert first_page_path(APP, "ep x") is None
    assert first_page_path("", EP) is None


def test_the_early_request_and_the_client_load_the_certificates_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each httpx client would load the CA bundle again (about 20 ms); over the network the
    early GET and the client share one TLS context. Nothing is sent: the server is unroutable
    and the early GET's failure is dropped."""
    import ssl

    from attempt_tui.api import tls
    from attempt_tui.api.client import SvixClient

    loads: list[object] = []
    real = ssl.SSLContext.load_verify_locations

    def counting(self: ssl.SSLContext, *args: Any, **kwargs: Any) -> None:
        loads.append(args or kwargs)
        real(self, *args, **kwargs)

    monkeypatch.setattr(tls, "_context", None)
    monkeypatch.setattr(ssl.SSLContext, "load_verify_locations", counting)
    early = EarlyGet(
        "https://192.0.2.1", Secret(TOKEN), PATH, first_page_query(50), connect_timeout=0.01
    )
    assert early.answer.result(timeout=10) is None
    SvixClient(Secret(TOKEN), "https://192.0.2.1")
    SvixClient(Secret(TOKEN), "https://192.0.2.1")
    assert len(loads) == 1
