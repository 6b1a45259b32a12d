"""Fault injection for the demo server: an ASGI middleware driven by a `FaultPlan`.

A plan is a list of rules (which fault, on which requests, how many times) plus an optional
seeded random mode. The middleware sits in front of the demo app and, for a request a rule
matches, answers with an HTTP error, mangles the real answer's body, or breaks the connection.

Connection faults (`timeout`, `reset`, `drop`, `refused`) cannot be expressed as an HTTP answer.
The middleware performs what it can (sends headers and half a body, or waits) and then raises
`NetworkFault`. Served by uvicorn, `close_on_network_fault` turns that into a closed connection;
in-process, `FaultTransport` turns it into the httpx exception a real network would raise.

Spec strings (`attempt-tui demo-server --faults SPEC`):
    random:SEED[:RATE]          a random fault on about RATE (default 0.3) of requests
    KIND[:TARGET][*COUNT],...   KIND on requests to TARGET (default all), COUNT times (default
                                until the server stops); TARGET is a name in `TARGETS` or a
                                regular expression searched in the request path
e.g. `503:messages`, `429-retry-after:all*3`, `reset:resend*1,truncated:detail`.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import threading
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

import httpx

__all__ = [
    "BODY_KINDS",
    "DEFAULT_RANDOM_KINDS",
    "KINDS",
    "NETWORK_KINDS",
    "STATUS_KINDS",
    "TARGETS",
    "FaultMiddleware",
    "FaultPlan",
    "FaultRule",
    "FaultSpecError",
    "FaultTransport",
    "NetworkFault",
    "close_on_network_fault",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# An error answer instead of the real one. 5xx bodies are HTML, as from a proxy or load balancer.
STATUS_KINDS = (
    "401",
    "403",
    "404",
    "409",
    "422",
    "429",
    "429-retry-after",
    "500",
    "502",
    "503",
)
# The real handler runs; the connection then breaks (or, for refused/timeout, never answers).
NETWORK_KINDS = ("timeout", "reset", "drop", "refused")
# The real handler runs; its 2xx JSON body is mangled.
BODY_KINDS = (
    "truncated",
    "wrong-shape",
    "unknown-enum",
    "extra-fields",
    "missing-optional",
    "huge",
    "deep",
)
KINDS = STATUS_KINDS + NETWORK_KINDS + BODY_KINDS
# 404 means "deleted" to a client, so random mode leaves it out; `refused` exists only in-process.
DEFAULT_RANDOM_KINDS = tuple(k for k in KINDS if k not in ("404", "refused"))

# Named request targets for spec strings: (path regex, method or None for any).
TARGETS: dict[str, tuple[str, str | None]] = {
    "all": ("", None),
    "apps": (r"^/api/v1/app/?$", "GET"),
    "endpoints": (r"^/api/v1/app/[^/]+/endpoint/?$", "GET"),
    "stats": (r"/endpoint/[^/]+/stats/?$", "GET"),
    "messages": (r"/endpoint/[^/]+/msg/?$", "GET"),
    "detail": (r"/attempt/msg/[^/]+/?$|/msg/[^/]+/?$|/msg/[^/]+/endpoint/?$", "GET"),
    "resend": (r"/resend/?$", "POST"),
    "expunge": (r"/content/?$", "DELETE"),
}

RETRY_AFTER_SECONDS = 1.0
DEFAULT_HANG_SECONDS = 20.0  # longer than the client's default 15 s read timeout
HUGE_BYTES = 5_000_000
DEEP_LEVELS = 500
# Optional properties of the Svix schemas attempt-tui reads (not in the spec's `required`).
OPTIONAL_KEYS = frozenset(
    {
        "uid",
        "throttleRate",
        "channels",
        "disabled",
        "eventTypes",
        "eventId",
        "tags",
        "deliverAt",
        "nextAttempt",
        "msg",
        "responseHeaders",
    }
)
ENUM_KEYS = frozenset({"status", "triggerType", "statusCodeClass"})
UNKNOWN_ENUM = 42


class FaultSpecError(ValueError):
    """A `--faults` spec string that does not parse."""


class NetworkFault(Exception):
    """Raised by the middleware where a real network would fail; `kind` is in NETWORK_KINDS."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


@dataclass
class FaultRule:
    """Inject `kind` into requests whose path matches `path` (regex search; "" matches all)
    and whose method is `method` (None: any). `count` faults, then the rule is spent
    (None: until turned off). `hits` counts the faults injected."""

    kind: str
    path: str = ""
    method: str | None = None
    count: int | None = None
    enabled: bool = True
    hits: int = 0
    _pattern: re.Pattern[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise FaultSpecError(f"unknown fault {self.kind!r}; known: {', '.join(KINDS)}")
        try:
            self._pattern = re.compile(self.path)
        except re.error as exc:
            raise FaultSpecError(f"bad path pattern {self.path!r}: {exc}") from None
        if self.method is not None:
            self.method = self.method.upper()

    @property
    def active(self) -> bool:
        return self.enabled and (self.count is None or self.hits < self.count)

    def matches(self, method: str, path: str) -> bool:
        if not self.active or (self.method is not None and self.method != method):
            return False
        return self._pattern.search(path) is not None


class FaultPlan:
    """What to break, on which requests, for how long. Thread-safe: tests switch faults on and
    off from their own thread while uvicorn serves in another.

    Rules are tried in order; the first that matches fires. When none does and random mode is
    on (`rate` > 0), a seeded generator picks a fault from `random_kinds` for about `rate` of
    the requests. `injected` records (kind, method, path) of every fault injected.
    """

    def __init__(
        self,
        rules: Iterable[FaultRule] = (),
        *,
        seed: int | None = None,
        rate: float = 0.0,
        random_kinds: Iterable[str] = DEFAULT_RANDOM_KINDS,
        hang_seconds: float = DEFAULT_HANG_SECONDS,
    ) -> None:
        self.rules: list[FaultRule] = list(rules)
        self.rate = rate
        self.random_kinds = tuple(random_kinds)
        unknown = [k for k in self.random_kinds if k not in KINDS]
        if unknown:
            raise FaultSpecError(f"unknown fault {unknown[0]!r}")
        self.hang_seconds = hang_seconds
        self.enabled = True
        self.injected: list[tuple[str, str, str]] = []
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    @classmethod
    def random(
        cls,
        seed: int,
        *,
        rate: float = 0.3,
        kinds: Iterable[str] = DEFAULT_RANDOM_KINDS,
        hang_seconds: float = DEFAULT_HANG_SECONDS,
    ) -> FaultPlan:
        return cls(seed=seed, rate=rate, random_kinds=kinds, hang_seconds=hang_seconds)

    @classmethod
    def parse(cls, spec: str) -> FaultPlan:
        """A plan from a `--faults` spec string (see the module docstring)."""
        spec = spec.strip()
        if not spec:
            raise FaultSpecError("empty fault spec")
        if spec.startswith("random"):
            return cls._parse_random(spec)
        return cls([_parse_rule(part.strip()) for part in spec.split(",") if part.strip()])

    @classmethod
    def _parse_random(cls, spec: str) -> FaultPlan:
        parts = spec.split(":")
        if parts[0] != "random" or len(parts) > 3:
            raise FaultSpecError(f"expected random:SEED[:RATE], got {spec!r}")
        try:
            seed = int(parts[1]) if len(parts) > 1 else 0
            rate = float(parts[2]) if len(parts) > 2 else 0.3
        except ValueError:
            raise FaultSpecError(f"expected random:SEED[:RATE], got {spec!r}") from None
        if not 0.0 < rate <= 1.0:
            raise FaultSpecError(f"rate must be in (0, 1], got {rate:g}")
        return cls.random(seed, rate=rate)

    def add(
        self, kind: str, *, path: str = "", method: str | None = None, count: int | None = None
    ) -> FaultRule:
        rule = FaultRule(kind, path=path, method=method, count=count)
        with self._lock:
            self.rules.append(rule)
        return rule

    def off(self) -> None:
        """Stop injecting faults (rules and random mode); `on()` resumes."""
        self.enabled = False

    def on(self) -> None:
        self.enabled = True

    def clear(self) -> None:
        """Forget every rule (random mode stays as it is)."""
        with self._lock:
            self.rules.clear()

    def pick(self, method: str, path: str) -> str | None:
        """The fault to inject into this request, or None; counts it as injected."""
        with self._lock:
            if not self.enabled:
                return None
            kind = None
            for rule in self.rules:
                if rule.matches(method, path):
                    rule.hits += 1
                    kind = rule.kind
                    break
            random_on = kind is None and self.rate > 0 and self.random_kinds
            if random_on and self._random.random() < self.rate:
                kind = self._random.choice(self.random_kinds)
            if kind is not None:
                self.injected.append((kind, method, path))
            return kind

    def describe(self) -> str:
        """One line for the server banner."""
        parts = [
            f"{r.kind} on {r.method or 'any'} {r.path or '*'}"
            + (f" x{r.count}" if r.count is not None else "")
            for r in self.rules
        ]
        if self.rate > 0:
            parts.append(f"random faults on {self.rate:.0%} of requests")
        return "; ".join(parts) or "none"


def _parse_rule(text: str) -> FaultRule:
    count = None
    head, star, tail = text.rpartition("*")
    if star and tail.isdigit():
        text, count = head, int(tail)
        if count < 1:
            raise FaultSpecError(f"count must be at least 1 in {text!r}")
    kind, _, target = text.partition(":")
    path, method = TARGETS.get(target or "all", (target, None))
    return FaultRule(kind, path=path, method=method, count=count)


# ----------------------------------------------------------------------------- answers


_HTML = (
    "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
    "<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
_REASONS = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Temporarily Unavailable",
}
_JSON_ERRORS: dict[int, object] = {
    401: {"code": "authentication_failed", "detail": "Invalid token"},
    403: {"code": "forbidden", "detail": "Insufficient access for the given organization."},
    404: {"code": "not_found", "detail": "Entity not found"},
    409: {"code": "conflict", "detail": "The resource was changed by another request."},
    422: {
        "detail": [
            {
                "loc": ["query", "limit"],
                "msg": "ensure this value is less than or equal to 250",
                "type": "value_error.number.not_le",
            }
        ]
    },
    429: {"code": "rate_limited", "detail": "Too many requests, slow down."},
}


def _status_answer(kind: str) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    status = int(kind[:3])
    headers = [(b"x-injected-fault", kind.encode())]
    if status >= 500:
        body = _HTML.format(status=status, reason=_REASONS[status]).encode()
        headers.append((b"content-type", b"text/html"))
    else:
        body = json.dumps(_JSON_ERRORS[status]).encode()
        headers.append((b"content-type", b"application/json"))
    if kind == "429-retry-after":
        headers.append((b"retry-after", f"{RETRY_AFTER_SECONDS:g}".encode()))
    headers.append((b"content-length", str(len(body)).encode()))
    return status, headers, body


def _dicts(node: object) -> list[dict[str, Any]]:
    """Every JSON object in `node`, outermost first (collected before any is changed)."""
    found: list[dict[str, Any]] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            found.append(item)
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))
    return found


def _walk(node: object, visit: Callable[[dict[str, Any]], None]) -> None:
    for obj in _dicts(node):
        visit(obj)


def _unknown_enums(data: object) -> object:
    def visit(obj: dict[str, Any]) -> None:
        for key in ENUM_KEYS & obj.keys():
            value = obj[key]
            if isinstance(value, int) and not isinstance(value, bool):
                obj[key] = UNKNOWN_ENUM
            elif isinstance(value, str):
                obj[key] = "from_the_future"

    _walk(data, visit)
    return data


def _extra_fields(data: object) -> object:
    def visit(obj: dict[str, Any]) -> None:
        obj["futureField"] = {"added": "in API 2.0", "list": [1, 2, 3]}
        obj["anotherNewField"] = None

    _walk(data, visit)
    return data


def _missing_optional(data: object) -> object:
    def visit(obj: dict[str, Any]) -> None:
        for key in OPTIONAL_KEYS & obj.keys():
            del obj[key]

    _walk(data, visit)
    return data


def _first_dict_with(data: object, key: str) -> dict[str, Any] | None:
    return next((obj for obj in _dicts(data) if key in obj), None)


def _huge(data: object) -> object:
    """5 MB in the first attempt's response body (an endpoint owner controls it), else in an
    unknown top-level field."""
    target = _first_dict_with(data, "response")
    if target is not None:
        target["response"] = "x" * HUGE_BYTES
    elif isinstance(data, dict):
        data["padding"] = "x" * HUGE_BYTES
    return data


def _nested(levels: int) -> object:
    node: object = "bottom"
    for _ in range(levels):
        node = {"a": node}
    return node


def _deep(data: object) -> object:
    """A payload nested 500 deep (a sender controls payloads), else an unknown nested field."""
    target = _first_dict_with(data, "payload")
    if target is not None:
        target["payload"] = _nested(DEEP_LEVELS)
    elif isinstance(data, dict):
        data["nested"] = _nested(DEEP_LEVELS)
    return data


_TRANSFORMS: dict[str, Callable[[object], object]] = {
    "unknown-enum": _unknown_enums,
    "extra-fields": _extra_fields,
    "missing-optional": _missing_optional,
    "huge": _huge,
    "deep": _deep,
}


def mangle(kind: str, body: bytes) -> bytes:
    """The body of a 2xx JSON answer after the body fault `kind`."""
    if kind == "truncated":
        return body[: max(1, len(body) // 2)]
    if kind == "wrong-shape":
        return b'{"data":"not a list","iterator":7,"done":"maybe","id":["wrong"]}'
    data = json.loads(body)
    # json.dumps would recurse DEEP_LEVELS frames per nested value; that is within the limit.
    return json.dumps(_TRANSFORMS[kind](data), separators=(",", ":")).encode()


# ----------------------------------------------------------------------------- middleware


class FaultMiddleware:
    """Wrap an ASGI app so requests the plan picks get a fault instead of the real answer."""

    def __init__(self, app: ASGIApp, plan: FaultPlan) -> None:
        self.app = app
        self.plan = plan

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        kind = self.plan.pick(scope["method"], scope["path"])
        if kind is None:
            await self.app(scope, receive, send)
        elif kind in STATUS_KINDS:
            status, headers, body = _status_answer(kind)
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
        elif kind == "refused":
            raise NetworkFault(kind)
        elif kind == "timeout":
            await asyncio.sleep(self.plan.hang_seconds)
            raise NetworkFault(kind)
        else:
            await self._after_handler(kind, scope, receive, send)

    async def _after_handler(self, kind: str, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the real handler (it acts: a resend is made), then break or mangle its answer."""
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        body = b"".join(chunks)
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        status = start.get("status", 500)
        if kind in NETWORK_KINDS:
            # A chunked answer that never ends: `drop` sends none of the body, `reset` half.
            # (A bodiless 204 would be complete with its headers, so it goes out as a 200.)
            sent = body[: len(body) // 2] if kind == "reset" else b""
            if status in (204, 304):
                status = 200
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": sent, "more_body": True})
            raise NetworkFault(kind)
        is_json = any(k.lower() == b"content-type" and b"json" in v for k, v in headers)
        if 200 <= status < 300 and is_json and body:
            body = mangle(kind, body)
            headers.append((b"x-injected-fault", kind.encode()))
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def close_on_network_fault(app: ASGIApp) -> ASGIApp:
    """For serving: end the response where a `NetworkFault` was raised, so the server closes the
    connection (after the headers and part of a body, a broken response) instead of logging a
    traceback."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await app(scope, receive, send)
        except NetworkFault:
            return

    return wrapped


_HTTPX_ERRORS: dict[str, type[httpx.TransportError]] = {
    "timeout": httpx.ReadTimeout,
    "reset": httpx.RemoteProtocolError,
    "drop": httpx.RemoteProtocolError,
    "refused": httpx.ConnectError,
}


class FaultTransport(httpx.AsyncBaseTransport):
    """In-process transport to a fault-injecting ASGI app: a `NetworkFault` becomes the httpx
    error a real connection would give (ReadTimeout, RemoteProtocolError, ConnectError)."""

    def __init__(self, app: ASGIApp) -> None:
        self._inner = httpx.ASGITransport(app=app)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return await self._inner.handle_async_request(request)
        except NetworkFault as fault:
            error = _HTTPX_ERRORS[fault.kind]
            raise error(f"injected fault: {fault.kind}", request=request) from None

    async def aclose(self) -> None:
        await self._inner.aclose()
