"""Faults over real HTTP: uvicorn serves the faulty demo on a free 127.0.0.1 port."""

from __future__ import annotations

import socket

import httpx
import pytest

from attempt_tui.api.client import SvixClient
from attempt_tui.api.errors import NetworkError, ServerError
from attempt_tui.secret import Secret
from tests.faults.conftest import Served
from tests.faults.support import TOKEN, SleepRecorder, assert_human


class RecordingTransport(httpx.AsyncHTTPTransport):
    """The real network transport, noting each request's method, path and Idempotency-Key."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[str, str, str | None]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append((request.method, request.url.path, request.headers.get("idempotency-key")))
        return await super().handle_async_request(request)


def client_for(url: str, sleep: SleepRecorder, **kwargs: object) -> SvixClient:
    return SvixClient(Secret(TOKEN), url, sleep=sleep, random=lambda: 0.5, **kwargs)  # type: ignore[arg-type]


async def test_resend_whose_answer_is_lost_happens_exactly_once(served: Served) -> None:
    """The server makes the attempt, then the connection drops before the answer arrives: the
    client retries under the same Idempotency-Key and the server replays its first answer."""
    world = served.demo.world
    flaky = world.roles["flaky"]
    dest = flaky.dests[-3]
    msg_id = world.msg_id(dest.msg)
    before = len(dest.attempts)
    served.plan.add("drop", path="/resend$", method="POST", count=1)
    transport = RecordingTransport()
    sleep = SleepRecorder()
    async with client_for(served.base_url, sleep, transport=transport) as client:
        await client.resend(flaky.app.id, msg_id, flaky.id, idempotency_key="support-action-1")
    assert len(dest.attempts) == before + 1
    assert dest.attempts[-1].trigger == 1  # the new one is manual
    posts = [sent for sent in transport.sent if sent[0] == "POST"]
    assert len(posts) == 2 and {key for _, _, key in posts} == {"support-action-1"}
    assert served.plan.injected == [("drop", "POST", posts[0][1])]
    assert len(sleep.delays) == 1


async def test_expunge_whose_answer_is_lost_is_retried_and_done(served: Served) -> None:
    """DELETE answers 204 with no body; the dropped answer must still break the connection."""
    world = served.demo.world
    endpoint = world.roles["busiest"]
    attempt = endpoint.dests[-1].attempts[-1]
    msg_id = world.msg_id(endpoint.dests[-1].msg)
    attempt_id = world.attempt_id(attempt)
    assert not attempt.expunged
    served.plan.add("drop", path="/content$", method="DELETE", count=1)
    transport = RecordingTransport()
    async with client_for(served.base_url, SleepRecorder(), transport=transport) as client:
        await client.expunge_attempt_content(endpoint.app.id, msg_id, attempt_id)
        after = await client.get_attempt(endpoint.app.id, msg_id, attempt_id)
    assert after.response == "" and attempt.expunged
    assert [sent[0] for sent in transport.sent].count("DELETE") == 2
    assert served.plan.injected[0][0] == "drop"


async def test_reset_mid_body_is_a_network_error_then_recovers(served: Served) -> None:
    endpoint = served.demo.world.roles["busiest"]
    served.plan.add("reset", path="/msg$")
    async with client_for(served.base_url, SleepRecorder(), max_retries=1) as client:
        with pytest.raises(NetworkError) as raised:
            await client.list_attempted_messages(endpoint.app.id, endpoint.id)
        assert_human(raised.value.message)
        assert "127.0.0.1 closed the connection" in raised.value.message
        served.plan.off()
        page = await client.list_attempted_messages(endpoint.app.id, endpoint.id)
    assert len(page.data) == 50


async def test_read_timeout(served: Served) -> None:
    # The server hangs for 2 s; the client waits 0.6 s.
    served.plan.hang_seconds = 2.0
    served.plan.add("timeout", path="/api/v1/app$", count=1)
    sleep = SleepRecorder()
    async with client_for(served.base_url, sleep, max_retries=0, read_timeout=0.6) as client:
        with pytest.raises(NetworkError) as raised:
            await client.list_applications()
        assert raised.value.message == (
            "Network error: applications: timed out waiting for 127.0.0.1 to answer"
        )
        # The same client asks again, and waits as long as a session does by default: a
        # starved process may not run the server's thread within 0.6 s of real time.
        client._http.timeout = httpx.Timeout(15.0, connect=5.0)
        page = await client.list_applications()
    assert len(page.data) == 3


async def test_html_error_page_from_a_proxy(served: Served) -> None:
    served.plan.add("502", path="/api/v1/app$")
    async with client_for(served.base_url, SleepRecorder(), max_retries=2) as client:
        with pytest.raises(ServerError) as raised:
            await client.list_applications()
    assert raised.value.message == "Server error: applications (502)"
    assert len(served.plan.injected) == 3


async def test_connection_refused_on_a_closed_port() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again when the block ends: nothing listens
    sleep = SleepRecorder()
    async with client_for(f"http://127.0.0.1:{port}", sleep, max_retries=2) as client:
        with pytest.raises(NetworkError) as raised:
            await client.list_applications()
    assert raised.value.message == "Network error: applications: could not connect to 127.0.0.1"
    assert len(sleep.delays) == 2
