"""The slow, rate-limited API of a real account: latency and the organisation's rate limit."""

from __future__ import annotations

import httpx
import pytest
from demo_support import AUTH, NOW

from attempt_tui.demo.limits import LatencyMiddleware, RateLimitMiddleware, TokenBucket
from attempt_tui.demo.server import build_demo


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def client_for(app: object) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=transport, base_url="http://demo", headers=AUTH)


async def test_latency_delays_every_answer_by_the_configured_milliseconds() -> None:
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    demo = build_demo(7, live=False, now=NOW)
    slow = LatencyMiddleware(demo.asgi_app, 150, sleep=fake_sleep)
    async with client_for(slow) as http:
        assert (await http.get("/api/v1/app")).status_code == 200
        assert (await http.get("/api/v1/app/nothing")).status_code == 404
        assert (await http.get("/api/v1/health")).status_code == 204
    assert slept == [0.15, 0.15, 0.15]


async def test_build_demo_puts_the_latency_in_front(monkeypatch: pytest.MonkeyPatch) -> None:
    demo = build_demo(7, live=False, now=NOW, latency_ms=80)
    assert isinstance(demo.asgi_app, LatencyMiddleware)
    assert demo.asgi_app.latency_ms == 80
    assert build_demo(7, live=False, now=NOW).asgi_app.__class__.__name__ == "Starlette"


async def test_rate_limit_passes_r_requests_then_429_until_tokens_come_back() -> None:
    clock = FakeClock()
    demo = build_demo(7, live=False, now=NOW, rate_limit=5, clock=clock)
    limiter = demo.rate_limiter
    assert limiter is not None
    async with client_for(demo.asgi_app) as http:
        passed = [(await http.get("/api/v1/app")).status_code for _ in range(5)]
        assert passed == [200] * 5
        refused = await http.get("/api/v1/app")
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "1"
        assert refused.json()["code"] == "rate_limited"
        assert isinstance(refused.json()["detail"], str)

        clock.now += 0.2  # one token back at 5 per second
        assert (await http.get("/api/v1/app")).status_code == 200
        assert (await http.get("/api/v1/app")).status_code == 429

        clock.now += 10  # the bucket refills to its burst, no further
        statuses = [(await http.get("/api/v1/app")).status_code for _ in range(6)]
        assert statuses == [200] * 5 + [429]
    assert limiter.counts == {200: 11, 429: 3}


async def test_retry_after_says_when_a_token_is_due_in_whole_seconds() -> None:
    clock = FakeClock()
    app = build_demo(7, live=False, now=NOW).asgi_app
    limited = RateLimitMiddleware(app, 0.25, clock=clock)  # one request per 4 seconds
    async with client_for(limited) as http:
        assert (await http.get("/api/v1/app")).status_code == 200
        refused = await http.get("/api/v1/app")
        assert refused.status_code == 429 and refused.headers["retry-after"] == "4"
        clock.now += 3.5
        refused = await http.get("/api/v1/app")
        assert refused.headers["retry-after"] == "1"  # half a second, rounded up
        clock.now += 0.5
        assert (await http.get("/api/v1/app")).status_code == 200
    assert limited.counts == {200: 2, 429: 2}


async def test_the_limit_counts_every_answer_by_status() -> None:
    clock = FakeClock()
    demo = build_demo(7, live=False, now=NOW, rate_limit=10, clock=clock)
    async with client_for(demo.asgi_app) as http:
        await http.get("/api/v1/app")
        await http.get("/api/v1/app/nothing")
        await http.get("/api/v1/app", headers={"Authorization": ""})
        await http.get("/api/v1/health")
    assert demo.rate_limiter is not None
    assert demo.rate_limiter.counts == {200: 1, 404: 1, 401: 1, 204: 1}


def test_token_bucket_burst_and_refill() -> None:
    clock = FakeClock()
    bucket = TokenBucket(2, clock=clock)
    assert [bucket.take() for _ in range(3)] == [0.0, 0.0, 0.5]
    clock.now += 0.25
    assert bucket.take() == pytest.approx(0.25)
    clock.now += 0.25
    assert bucket.take() == 0.0
    with pytest.raises(ValueError):
        TokenBucket(0)
