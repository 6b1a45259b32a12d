"""A Svix-compatible HTTP API over the demo world (Starlette).

Every request first brings the world up to date (live mode), then is served
under the world's lock, so the same app works in-process through
httpx.ASGITransport and over HTTP under uvicorn, without background tasks.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Awaitable, Callable
from datetime import datetime

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from attempt_tui.compat import fromisoformat
from attempt_tui.demo import wire
from attempt_tui.demo.faults import FaultMiddleware, FaultPlan
from attempt_tui.demo.limits import LatencyMiddleware, RateLimitMiddleware
from attempt_tui.demo.model import Application, Attempt, Endpoint, Message
from attempt_tui.demo.paging import BadIterator
from attempt_tui.demo.world import Filters, World, to_us

MAX_LIMIT = 250
DEFAULT_LIMIT = 50
_STATUSES = frozenset(range(5))
_CODE_CLASSES = frozenset((0, 100, 200, 300, 400, 500))
# Patterns and lengths of the spec's filter parameters.
_CHANNEL = re.compile(r"^[a-zA-Z0-9\-_.:+]+$")
_TAG = re.compile(r"^[a-zA-Z0-9\-_./\\#]+$")
_EVENT_TYPE = re.compile(r"^[a-zA-Z0-9\-_.]+$")
_UNAUTHENTICATED = json.dumps(
    {
        "code": "authentication_failed",
        "detail": "Missing or invalid Authorization header: expected 'Bearer <token>'",
    }
).encode()

Handler = Callable[[Request, bytes], Response]


def _json(status: int, body: object) -> Response:
    text = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    return Response(text.encode(), status_code=status, media_type="application/json")


class ApiProblem(Exception):
    """An error answer in Svix's shape."""

    def __init__(self, status: int, body: object) -> None:
        super().__init__(status)
        self.status = status
        self.body = body

    @classmethod
    def not_found(cls, detail: str = "Entity not found") -> ApiProblem:
        return cls(404, {"code": "not_found", "detail": detail})

    @classmethod
    def invalid(cls, where: str, name: str, msg: str, kind: str = "value_error") -> ApiProblem:
        return cls(422, {"detail": [{"loc": [where, name], "msg": msg, "type": kind}]})

    def response(self) -> Response:
        return _json(self.status, self.body)


class _Query:
    """Typed access to the query string, raising Svix-style 422s."""

    def __init__(self, request: Request) -> None:
        self.params = request.query_params

    def text(self, name: str) -> str | None:
        value = self.params.get(name)
        return value if value else None

    def matching(self, name: str, pattern: re.Pattern[str], max_length: int) -> str | None:
        """A text parameter the spec constrains with a pattern and a maximum length."""
        value = self.text(name)
        if value is None:
            return None
        if len(value) > max_length:
            raise ApiProblem.invalid(
                "query",
                name,
                f"ensure this value has at most {max_length} characters",
                "value_error.any_str.max_length",
            )
        if not pattern.fullmatch(value):
            raise ApiProblem.invalid(
                "query",
                name,
                f'string does not match regex "{pattern.pattern}"',
                "value_error.str.regex",
            )
        return value

    def limit(self) -> int:
        raw = self.params.get("limit")
        if raw is None:
            return DEFAULT_LIMIT
        try:
            value = int(raw)
        except ValueError:
            raise ApiProblem.invalid(
                "query", "limit", "value is not a valid integer", "type_error.integer"
            ) from None
        if value < 1:
            raise ApiProblem.invalid(
                "query",
                "limit",
                "ensure this value is greater than or equal to 1",
                "value_error.number.not_ge",
            )
        if value > MAX_LIMIT:
            raise ApiProblem.invalid(
                "query",
                "limit",
                f"ensure this value is less than or equal to {MAX_LIMIT}",
                "value_error.number.not_le",
            )
        return value

    def flag(self, name: str, default: bool) -> bool:
        raw = self.params.get(name)
        if raw is None:
            return default
        if raw.lower() in ("true", "1"):
            return True
        if raw.lower() in ("false", "0"):
            return False
        raise ApiProblem.invalid(
            "query", name, "value could not be parsed to a boolean", "type_error.bool"
        )

    def choice(self, name: str, allowed: frozenset[int]) -> int | None:
        raw = self.params.get(name)
        if raw is None or raw == "":
            return None
        try:
            value = int(raw)
        except ValueError:
            value = -1
        if value not in allowed:
            permitted = ", ".join(str(v) for v in sorted(allowed))
            raise ApiProblem.invalid(
                "query",
                name,
                f"value is not a valid enumeration member; permitted: {permitted}",
                "type_error.enum",
            )
        return value

    def time(self, name: str) -> int | None:
        raw = self.params.get(name)
        if raw is None or raw == "":
            return None
        try:
            return to_us(fromisoformat(raw.replace(" ", "+")))
        except ValueError:
            raise ApiProblem.invalid(
                "query", name, "invalid datetime format", "value_error.datetime"
            ) from None

    def event_types(self) -> frozenset[str] | None:
        """Repeated `event_types` (also `event_types[]`), each possibly comma-separated."""
        names: set[str] = set()
        for key, value in self.params.multi_items():
            if key == "event_types" or (key.startswith("event_types[") and key.endswith("]")):
                names.update(part for part in value.split(",") if part)
        for name in names:
            if len(name) > 256 or not _EVENT_TYPE.fullmatch(name):
                raise ApiProblem.invalid(
                    "query",
                    "event_types",
                    f'string does not match regex "{_EVENT_TYPE.pattern}"',
                    "value_error.str.regex",
                )
        return frozenset(names) or None

    def filters(self, *, status: bool = False, code_class: bool = False) -> Filters:
        """The list filters; `status` and `code_class` only where the operation takes them."""
        return {
            "channel": self.matching("channel", _CHANNEL, 128),
            "tag": self.matching("tag", _TAG, 128),
            "event_types": self.event_types(),
            "before_us": self.time("before"),
            "after_us": self.time("after"),
            "status": self.choice("status", _STATUSES) if status else None,
            "code_class": self.choice("status_code_class", _CODE_CLASSES) if code_class else None,
        }

    def descending(self) -> bool:
        raw = self.params.get("order")
        if raw is None or raw == "descending":
            return True
        if raw == "ascending":
            return False
        raise ApiProblem.invalid(
            "query",
            "order",
            "value is not a valid enumeration member; permitted: 'ascending', 'descending'",
        )


class _Api:
    """The route handlers. Each runs synchronously under the world's lock."""

    def __init__(self, world: World) -> None:
        self.world = world

    # ---------------------------------------------------------------- lookups

    def _app(self, request: Request) -> Application:
        app = self.world.app(request.path_params["app_id"])
        if app is None:
            raise ApiProblem.not_found()
        return app

    def _endpoint(self, app: Application, endpoint_id: str) -> Endpoint:
        endpoint = app.endpoint(endpoint_id)
        if endpoint is None:
            raise ApiProblem.not_found()
        return endpoint

    def _message(self, app: Application, msg_id: str) -> Message:
        msg = self.world.message(app, msg_id)
        if msg is None:
            raise ApiProblem.not_found()
        return msg

    def _attempt(self, request: Request) -> Attempt:
        app = self._app(request)
        msg = self._message(app, request.path_params["msg_id"])
        attempt = self.world.attempt(msg, request.path_params["attempt_id"])
        if attempt is None:
            raise ApiProblem.not_found()
        return attempt

    def _idempotent(self, request: Request, run: Callable[[], Response]) -> Response:
        """Replay the first 2xx answer to a repeated Idempotency-Key (12 h, world time)."""
        key = request.headers.get("idempotency-key")
        if not key:
            return run()
        scope = (request.method, request.url.path.rstrip("/"), key)
        cached = self.world.idempotent_get(scope)
        if cached is not None:
            status, body = cached
            return Response(
                body,
                status_code=status,
                media_type="application/json",
                headers={"idempotent-replayed": "true"},
            )
        response = run()
        if 200 <= response.status_code < 300:
            self.world.idempotent_put(scope, response.status_code, bytes(response.body))
        return response

    # --------------------------------------------------------------- handlers

    def health(self, request: Request, body: bytes) -> Response:
        return Response(status_code=204)

    def list_apps(self, request: Request, body: bytes) -> Response:
        query = _Query(request)
        page = self.world.list_apps(
            limit=query.limit(), iterator=query.text("iterator"), descending=query.descending()
        )
        return _json(200, wire.list_response(page, wire.application))

    def get_app(self, request: Request, body: bytes) -> Response:
        return _json(200, wire.application(self._app(request)))

    def list_endpoints(self, request: Request, body: bytes) -> Response:
        app = self._app(request)
        query = _Query(request)
        page = self.world.list_endpoints(
            app, limit=query.limit(), iterator=query.text("iterator"), descending=query.descending()
        )
        return _json(200, wire.list_response(page, wire.endpoint))

    def get_endpoint(self, request: Request, body: bytes) -> Response:
        app = self._app(request)
        return _json(200, wire.endpoint(self._endpoint(app, request.path_params["endpoint_id"])))

    def endpoint_stats(self, request: Request, body: bytes) -> Response:
        app = self._app(request)
        endpoint = self._endpoint(app, request.path_params["endpoint_id"])
        query = _Query(request)
        counts = self.world.endpoint_stats(endpoint, query.time("since"), query.time("until"))
        return _json(200, wire.stats(counts))

    def list_attempted_messages(self, request: Request, body: bytes) -> Response:
        app = self._app(request)
        endpoint = self._endpoint(app, request.path_params["endpoint_id"])
        query = _Query(request)
        with_content = query.flag("with_content", True)
        query.flag("expanded_statuses", False)
        page = self.world.list_attempted_messages(
            endpoint,
            limit=query.limit(),
            iterator=query.text("iterator"),
            **query.filters(status=True),
        )
        return _json(
            200,
            wire.list_response(
                page, lambda dest: wire.endpoint_message(self.world, dest, with_content)
            ),
        )

    def list_attempts_by_endpoint(self, request: Request, body: bytes) -> Response:
        app = self._app(request)
        endpoint = self._endpoint(app, request.path_params["endpoint_id"])
        query = _Query(request)
        with_content = query.flag("with_content", True)
        with_msg = query.flag("with_msg", False)
        query.flag("expanded_statuses", False)
        page = self.world.list_attempts_by_endpoint(
            endpoint,
            limit=query.limit(),
            iterator=query.text("iterator"),
            **query.filters(status=True, code_class=True),
        )
        return _json(
            200,
            wire.list_response(
                page, lambda att: wire.attempt(self.world, att, with_content, with_msg)
            ),
        )

    def count_attempts_by_endpoint(self, request: Request, body: bytes) -> Response:
        app = self._app(request)
        endpoint = self._endpoint(app, request.path_params["endpoint_id"])
        query = _Query(request)
        count = self.world.count_attempts_by_endpoint(
            endpoint, **query.filters(status=True, code_class=True)
        )
        return _json(200, {"count": count, "approximated": False})

    def list_attempts_by_msg(self, request: Request, body: bytes) -> Response:
        app = self._app(request)
        msg = self._message(app, request.path_params["msg_id"])
        query = _Query(request)
        with_content = query.flag("with_content", True)
        endpoint_id = query.text("endpoint_id")
        endpoint = self._endpoint(app, endpoint_id) if endpoint_id is not None else None
        query.flag("expanded_statuses", False)
        page = self.world.list_attempts_by_msg(
            msg,
            limit=query.limit(),
            iterator=query.text("iterator"),
            endpoint=endpoint,
            **query.filters(status=True, code_class=True),
        )
        return _json(
            200, wire.list_response(page, lambda att: wire.attempt(self.world, att, with_content))
        )

    def list_messages(self, request: Request, body: bytes) -> Response:
        app = self._app(request)
        query = _Query(request)
        with_content = query.flag("with_content", True)
        page = self.world.list_messages(
            app, limit=query.limit(), iterator=query.text("iterator"), **query.filters()
        )
        return _json(
            200, wire.list_response(page, lambda msg: wire.message(self.world, msg, with_content))
        )

    def get_message(self, request: Request, body: bytes) -> Response:
        app = self._app(request)
        msg = self._message(app, request.path_params["msg_id"])
        with_content = _Query(request).flag("with_content", True)
        return _json(200, wire.message(self.world, msg, with_content))

    def list_attempted_destinations(self, request: Request, body: bytes) -> Response:
        app = self._app(request)
        msg = self._message(app, request.path_params["msg_id"])
        query = _Query(request)
        page = self.world.list_attempted_destinations(
            msg, limit=query.limit(), iterator=query.text("iterator")
        )
        return _json(200, wire.list_response(page, wire.message_endpoint))

    def get_attempt(self, request: Request, body: bytes) -> Response:
        return _json(200, wire.attempt(self.world, self._attempt(request)))

    def get_attempt_headers(self, request: Request, body: bytes) -> Response:
        return _json(200, wire.attempt_headers(self.world, self._attempt(request)))

    def expunge(self, request: Request, body: bytes) -> Response:
        self.world.expunge(self._attempt(request))
        return Response(status_code=204)

    def resend(self, request: Request, body: bytes) -> Response:
        app = self._app(request)
        msg = self._message(app, request.path_params["msg_id"])
        endpoint = self._endpoint(app, request.path_params["endpoint_id"])

        def run() -> Response:
            if self.world.resend(msg, endpoint) is None:
                raise ApiProblem.not_found("Message was never sent to this endpoint")
            return _json(202, {})

        return self._idempotent(request, run)

    def recover(self, request: Request, body: bytes) -> Response:
        app = self._app(request)
        endpoint = self._endpoint(app, request.path_params["endpoint_id"])
        try:
            data = json.loads(body or b"null")
        except ValueError:
            raise ApiProblem.invalid(
                "body", "since", "invalid JSON body", "value_error.jsondecode"
            ) from None
        if not isinstance(data, dict) or not isinstance(data.get("since"), str):
            raise ApiProblem.invalid("body", "since", "field required", "value_error.missing")
        until = data.get("until")
        try:
            since_us = to_us(fromisoformat(data["since"]))
            until_us = to_us(fromisoformat(until)) if isinstance(until, str) else None
        except ValueError:
            raise ApiProblem.invalid(
                "body", "since", "invalid datetime format", "value_error.datetime"
            ) from None

        def run() -> Response:
            return _json(202, wire.recover(self.world.recover(endpoint, since_us, until_us)))

        return self._idempotent(request, run)

    def background_task(self, request: Request, body: bytes) -> Response:
        task = self.world.tasks.get(request.path_params["task_id"])
        if task is None:
            raise ApiProblem.not_found()
        return _json(200, wire.background_task(task))

    # ----------------------------------------------------------------- wiring

    def _wrap(self, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            body = await request.body() if request.method == "POST" else b""
            with self.world.lock:
                self.world.sync()
                try:
                    return handler(request, body)
                except ApiProblem as problem:
                    return problem.response()
                except BadIterator:
                    return ApiProblem.invalid("query", "iterator", "invalid iterator").response()

        return endpoint

    def routes(self) -> list[Route]:
        app = "/api/v1/app/{app_id}"
        table: list[tuple[str, Handler, str]] = [
            ("/api/v1/health", self.health, "GET"),
            ("/api/v1/app", self.list_apps, "GET"),
            (app, self.get_app, "GET"),
            (f"{app}/endpoint", self.list_endpoints, "GET"),
            (f"{app}/endpoint/{{endpoint_id}}", self.get_endpoint, "GET"),
            (f"{app}/endpoint/{{endpoint_id}}/stats", self.endpoint_stats, "GET"),
            (f"{app}/endpoint/{{endpoint_id}}/msg", self.list_attempted_messages, "GET"),
            (f"{app}/endpoint/{{endpoint_id}}/recover", self.recover, "POST"),
            (f"{app}/attempt/endpoint/{{endpoint_id}}", self.list_attempts_by_endpoint, "GET"),
            (
                f"{app}/attempt/endpoint/{{endpoint_id}}/count",
                self.count_attempts_by_endpoint,
                "GET",
            ),
            (f"{app}/attempt/msg/{{msg_id}}", self.list_attempts_by_msg, "GET"),
            (f"{app}/msg", self.list_messages, "GET"),
            (f"{app}/msg/{{msg_id}}", self.get_message, "GET"),
            (f"{app}/msg/{{msg_id}}/endpoint", self.list_attempted_destinations, "GET"),
            (f"{app}/msg/{{msg_id}}/endpoint/{{endpoint_id}}/resend", self.resend, "POST"),
            (f"{app}/msg/{{msg_id}}/attempt/{{attempt_id}}", self.get_attempt, "GET"),
            (
                f"{app}/msg/{{msg_id}}/attempt/{{attempt_id}}/headers",
                self.get_attempt_headers,
                "GET",
            ),
            (f"{app}/msg/{{msg_id}}/attempt/{{attempt_id}}/content", self.expunge, "DELETE"),
            ("/api/v1/background-task/{task_id}", self.background_task, "GET"),
        ]
        return [
            Route(path, self._wrap(handler), methods=[method]) for path, handler, method in table
        ]


class _Gate:
    """Accept paths with a trailing slash; require a Bearer token (any) except for health."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope["path"]
            if len(path) > 1 and path.endswith("/"):
                path = path.rstrip("/") or "/"
                scope = {**scope, "path": path, "raw_path": path.encode()}
            if path != "/api/v1/health" and not _has_bearer(scope):
                response = Response(
                    _UNAUTHENTICATED, status_code=401, media_type="application/json"
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _has_bearer(scope: Scope) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return scheme.lower() == "bearer" and bool(token.strip())
    return False


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if status == 404:
        return ApiProblem.not_found("Route not found").response()
    if status == 405:
        response = _json(405, {"code": "method_not_allowed", "detail": "Method not allowed"})
        # Starlette puts the route's methods in the exception's Allow header.
        allow = exc.headers.get("Allow") if isinstance(exc, HTTPException) and exc.headers else None
        if allow:
            response.headers["Allow"] = allow
        return response
    return _json(status, {"code": "http_error", "detail": str(getattr(exc, "detail", "error"))})


def create_app(world: World) -> Starlette:
    return Starlette(
        routes=_Api(world).routes(),
        middleware=[Middleware(_Gate)],
        exception_handlers={HTTPException: _http_error},
    )


class DemoServer:
    """The demo world and the ASGI app serving it.

    From the outside in: a fixed delay (`latency_ms`), the rate limiter (`rate_limit`
    requests per second, answers counted in `rate_limiter.counts`), the fault
    injector (`faults`), then the API. Each layer is present only when asked for.
    """

    def __init__(
        self,
        world: World,
        faults: FaultPlan | None = None,
        *,
        latency_ms: float = 0,
        rate_limit: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.world = world
        self.faults = faults
        app: ASGIApp = create_app(world)
        if faults is not None:
            app = FaultMiddleware(app, faults)
        self.rate_limiter: RateLimitMiddleware | None = None
        if rate_limit is not None:
            self.rate_limiter = RateLimitMiddleware(app, rate_limit, clock=clock)
            app = self.rate_limiter
        if latency_ms > 0:
            app = LatencyMiddleware(app, latency_ms)
        self.asgi_app: ASGIApp = app


def build_demo(
    seed: int = 7,
    *,
    live: bool = True,
    now: datetime | None = None,
    clock: Callable[[], float] = time.monotonic,
    faults: FaultPlan | None = None,
    large_apps: int = 0,
    many_endpoints: int = 0,
    latency_ms: float = 0,
    rate_limit: float | None = None,
) -> DemoServer:
    """The seeded demo world and the ASGI app serving it.

    `large_apps` adds that many customer apps (uids cust-00001, ...; no endpoints),
    `many_endpoints` adds an app (uid umbrella-platform) with that many endpoints
    (uids ep-0001, ...), `latency_ms` delays every answer, `rate_limit` answers 429
    above that many requests per second. `clock` drives live time and the rate limit.
    """
    world = World(
        seed,
        live=live,
        now=now,
        clock=clock,
        large_apps=large_apps,
        many_endpoints=many_endpoints,
    )
    return DemoServer(world, faults, latency_ms=latency_ms, rate_limit=rate_limit, clock=clock)
