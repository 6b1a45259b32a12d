"""What a real Svix account adds in front of the API: network latency and a rate limit.

Two plain ASGI middlewares (no Starlette needed):

- `LatencyMiddleware` delays every HTTP request by a fixed number of milliseconds
  before serving it, like an API 50-200 ms away;
- `RateLimitMiddleware` is a token bucket of `rate` requests per second (burst
  `rate`) shared by all requests, like Svix's organisation-wide limit. Above it the
  answer is 429 `{"code": "rate_limited", "detail": ...}` with a `Retry-After` header
  in whole seconds (at least 1). It counts answers by status.

Sleep and clock are injectable so tests need not wait.
"""

from __future__ import annotations

import asyncio
import json
import math
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Sleep = Callable[[float], Awaitable[None]]


class LatencyMiddleware:
    """Wait `latency_ms` before serving each HTTP request."""

    def __init__(self, app: ASGIApp, latency_ms: float, *, sleep: Sleep = asyncio.sleep) -> None:
        self.app = app
        self.latency_ms = latency_ms
        self.sleep = sleep

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.latency_ms > 0:
            await self.sleep(self.latency_ms / 1000)
        await self.app(scope, receive, send)


class TokenBucket:
    """`rate` tokens per second, holding at most `burst`; starts full. Thread-safe."""

    def __init__(
        self,
        rate: float,
        burst: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.burst = max(1.0, burst if burst is not None else rate)
        self.clock = clock
        self.tokens = self.burst
        self._last = clock()
        self._lock = threading.Lock()

    def take(self) -> float:
        """Take a token: 0.0 if there was one, else the seconds until one is due."""
        with self._lock:
            now = self.clock()
            self.tokens = min(self.burst, self.tokens + (now - self._last) * self.rate)
            self._last = now
            if self.tokens >= 1:
                self.tokens -= 1
                return 0.0
            return (1 - self.tokens) / self.rate


class RateLimitMiddleware:
    """Answer 429 above `rate` requests per second; `counts` holds answers by status."""

    def __init__(
        self,
        app: ASGIApp,
        rate: float,
        *,
        burst: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.bucket = TokenBucket(rate, burst, clock=clock)
        self.counts: Counter[int] = Counter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wait = self.bucket.take()
        if wait > 0:
            self.counts[429] += 1
            await _too_many(send, wait)
            return

        async def counting(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.counts[int(message["status"])] += 1
            await send(message)

        await self.app(scope, receive, counting)


async def _too_many(send: Send, wait: float) -> None:
    retry_after = max(1, math.ceil(wait))
    body = json.dumps(
        {
            "code": "rate_limited",
            "detail": f"Rate limit exceeded: retry after {retry_after} s",
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"retry-after", str(retry_after).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
