"""The async Svix API client: one typed method per operation attempt-tui uses.

Transport concerns live here: auth and User-Agent headers, timeouts, retries with backoff,
idempotency keys on POST, mapping HTTP failures to `errors.ApiError` subclasses, and parsing
bodies with the tolerant models. No error raised from here chains an httpx exception (which
carries the request and so the Authorization header), and every message is scrubbed of the token.
"""

from __future__ import annotations

import asyncio
import json
import random as _random
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypedDict, TypeVar

import httpx
from pydantic import BaseModel, ValidationError
from typing_extensions import Unpack

from attempt_tui.api.auth import HEADERS, BearerAuth
from attempt_tui.api.budget import RequestBudget
from attempt_tui.api.early import EarlyGet
from attempt_tui.api.errors import (
    ApiError,
    BadRequestError,
    DecodeError,
    NetworkError,
    RateLimitedError,
    ReadOnlyError,
    clean_text,
    error_from_response,
)
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
    Page,
    RecoverOut,
)
from attempt_tui.api.retry import MAX_RETRY_AFTER, backoff_delay, parse_retry_after
from attempt_tui.api.tls import verify_for
from attempt_tui.compat import UTC
from attempt_tui.secret import Secret

__all__ = ["AttemptFilters", "MessageFilters", "SvixClient", "iter_pages", "new_idempotency_key"]

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


# Svix ids and uids: `^[a-zA-Z0-9\-_.]+$`, at most 256 characters (the spec's path parameters).
_ID = re.compile(r"[A-Za-z0-9\-_.]{1,256}")

_MIN_REDACT = 8

_APP_PAGE = Page[ApplicationOut]
_ENDPOINT_PAGE = Page[EndpointOut]
_ENDPOINT_MESSAGE_PAGE = Page[EndpointMessageOut]
_ATTEMPT_PAGE = Page[MessageAttemptOut]
_DESTINATION_PAGE = Page[MessageEndpointOut]

QueryValue = str | int | bool | datetime | Sequence[str] | None
Query = tuple[tuple[str, str], ...]  # the pairs sent, in order; a tuple is what httpx can take


class MessageFilters(TypedDict, total=False):
    """Filters of the message and attempt lists, as keyword arguments (Svix's query names).

    `event_types` takes a list or one name; an empty list means no filter. Without `before` or
    `after` Svix covers only the last 90 days.
    """

    status: int | None
    channel: str | None
    tag: str | None
    event_types: Sequence[str] | str | None
    before: datetime | None
    after: datetime | None


class AttemptFilters(MessageFilters, total=False):
    """The attempt lists and counts also filter on the HTTP status class (0, 100, ... 500)."""

    status_code_class: int | None


def new_idempotency_key() -> str:
    """A fresh Idempotency-Key. Make one per user action and reuse it for every retry of it."""
    return str(uuid.uuid4())


async def iter_pages(
    fetch: Callable[[str | None], Awaitable[Page[T]]], *, max_pages: int = 100
) -> AsyncIterator[Page[T]]:
    """Yield pages from `fetch(None)` onward, following `iterator` until `done`.

    Stops after `max_pages` pages, and also when the server gives no usable cursor (a null or
    repeated iterator on a page that is not done), which would otherwise refetch the same page.
    """
    iterator: str | None = None
    for _ in range(max_pages):
        page = await fetch(iterator)
        yield page
        if page.done or page.iterator is None or page.iterator == iterator:
            return
        iterator = page.iterator


def _rfc3339(value: datetime) -> str:
    """UTC, `Z` suffix; a naive datetime is taken to be UTC already."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(UTC)
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}"
    return text + "Z"


def _query(params: Mapping[str, QueryValue]) -> Query:
    """Query pairs: None skipped, bools as true/false, datetimes RFC 3339, sequences repeated."""
    pairs: list[tuple[str, str]] = []
    for name, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            pairs.append((name, "true" if value else "false"))
        elif isinstance(value, datetime):
            pairs.append((name, _rfc3339(value)))
        elif isinstance(value, int):  # int() first: on Python 3.10 str() of an IntEnum is its name
            pairs.append((name, str(int(value))))
        elif isinstance(value, str):
            pairs.append((name, value))
        else:
            pairs.extend((name, str(item)) for item in value)
    return tuple(pairs)


def _only_if(flag: bool) -> bool | None:
    """Send a default-false flag only when it is set, keeping URLs short."""
    return True if flag else None


def _page_params(
    limit: int, iterator: str | None, with_content: bool, expanded_statuses: bool
) -> dict[str, QueryValue]:
    """The paging and content options of the message and attempt lists."""
    return {
        "limit": limit,
        "iterator": iterator,
        "with_content": with_content,
        "expanded_statuses": _only_if(expanded_statuses),
    }


def _filter_params(
    *,
    status: int | None = None,
    status_code_class: int | None = None,
    channel: str | None = None,
    tag: str | None = None,
    event_types: Sequence[str] | str | None = None,
    before: datetime | None = None,
    after: datetime | None = None,
) -> dict[str, QueryValue]:
    """The query of `MessageFilters` / `AttemptFilters`; unset filters are left out."""
    return {
        "status": status,
        "status_code_class": status_code_class,
        "channel": channel,
        "tag": tag,
        "event_types": _names(event_types),
        "before": before,
        "after": after,
    }


_RETRYABLE_TRANSPORT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


def _transport_reason(exc: Exception, host: str) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return f"timed out connecting to {host}"
    if isinstance(exc, httpx.ReadTimeout):
        return f"timed out waiting for {host} to answer"
    if isinstance(exc, httpx.WriteTimeout):
        return f"timed out sending to {host}"
    if isinstance(exc, httpx.PoolTimeout):
        return "timed out waiting for a free connection"
    if isinstance(exc, httpx.ConnectError):
        return f"could not connect to {host}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"{host} closed the connection"
    if isinstance(exc, httpx.ReadError | httpx.WriteError | httpx.CloseError):
        return f"connection to {host} failed"
    if isinstance(exc, httpx.ProxyError):
        return "proxy error"
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return "invalid server URL"
    return "request failed"


class SvixClient:
    """Async client for the Svix operations attempt-tui needs.

    Every try of every request takes a slot from one `RequestBudget` (rate, burst, in-flight
    cap, priority). A 429 pauses the whole budget for the server's Retry-After, else for a
    backoff that doubles with each 429 in a row; the retry then waits for that pause like
    every other request.

    Retries: GET and DELETE (idempotent) on 429, 5xx and network errors; POST likewise, but
    always with one Idempotency-Key for all tries so the server performs it at most once.
    Other 4xx answers (400, 401, 403, 404, 409, 422...) are never retried: retrying cannot
    fix them.
    """

    def __init__(
        self,
        token: Secret,
        base_url: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        read_only: bool = False,
        connect_timeout: float = 5.0,
        read_timeout: float = 15.0,
        max_retries: int = 3,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        random: Callable[[], float] = _random.random,
        on_request: Callable[[str, str], None] | None = None,
        budget: RequestBudget | None = None,
        early: EarlyGet | None = None,
    ) -> None:
        self.read_only = read_only
        # A budget made here shares the client's sleep, so an injected sleep also covers pauses.
        self.budget = budget if budget is not None else RequestBudget(sleep=sleep)
        self._owns_budget = budget is None
        # A GET already sent before this client was built: its answer serves the first request
        # for the same URL. It was a request like any other, so it is taken from the budget.
        self._early = early
        if early is not None:
            self.budget.charge()
        self._token = token
        self._max_retries = max(0, max_retries)
        self._sleep = sleep
        self._random = random
        self._on_request = on_request
        base = base_url.rstrip("/")
        self._host = httpx.URL(base).host or base
        self._http = httpx.AsyncClient(
            base_url=base,
            transport=transport,
            verify=verify_for(transport),
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            headers=HEADERS,
            auth=BearerAuth(token),
            follow_redirects=False,  # never hand the Authorization header to another host
        )

    def __repr__(self) -> str:
        return f"SvixClient(host={self._host!r}, read_only={self.read_only})"

    async def aclose(self) -> None:
        if self._owns_budget:
            self.budget.close()
        await self._http.aclose()

    async def __aenter__(self) -> SvixClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # -- applications and endpoints ---------------------------------------------------------

    async def list_applications(
        self, *, limit: int = 50, iterator: str | None = None
    ) -> Page[ApplicationOut]:
        params = _query({"limit": limit, "iterator": iterator})
        return await self._get(_APP_PAGE, "/api/v1/app", "applications", params)

    async def get_application(self, app_id_or_uid: str) -> ApplicationOut:
        """An application by its `app_` id or by its uid."""
        app = self._id(app_id_or_uid, "application id")
        return await self._get(ApplicationOut, f"/api/v1/app/{app}", f"application {app}")

    async def list_endpoints(
        self, app_id: str, *, limit: int = 50, iterator: str | None = None
    ) -> Page[EndpointOut]:
        app = self._id(app_id, "application id")
        params = _query({"limit": limit, "iterator": iterator})
        path = f"/api/v1/app/{app}/endpoint"
        return await self._get(_ENDPOINT_PAGE, path, f"endpoints of application {app}", params)

    async def get_endpoint(self, app_id: str, endpoint_id: str) -> EndpointOut:
        app, ep = self._id(app_id, "application id"), self._id(endpoint_id, "endpoint id")
        return await self._get(EndpointOut, f"/api/v1/app/{app}/endpoint/{ep}", f"endpoint {ep}")

    async def get_endpoint_stats(
        self,
        app_id: str,
        endpoint_id: str,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> EndpointStats:
        app, ep = self._id(app_id, "application id"), self._id(endpoint_id, "endpoint id")
        params = _query({"since": since, "until": until})
        path = f"/api/v1/app/{app}/endpoint/{ep}/stats"
        return await self._get(EndpointStats, path, f"stats of endpoint {ep}", params)

    # -- messages and attempts --------------------------------------------------------------

    async def list_attempted_messages(
        self,
        app_id: str,
        endpoint_id: str,
        *,
        limit: int = 50,
        iterator: str | None = None,
        with_content: bool = True,
        expanded_statuses: bool = False,
        **filters: Unpack[MessageFilters],
    ) -> Page[EndpointMessageOut]:
        """Messages sent to one endpoint, newest first, each with its latest status there."""
        app, ep = self._id(app_id, "application id"), self._id(endpoint_id, "endpoint id")
        params = _query(
            {
                **_page_params(limit, iterator, with_content, expanded_statuses),
                **_filter_params(**filters),
            }
        )
        path = f"/api/v1/app/{app}/endpoint/{ep}/msg"
        return await self._get(_ENDPOINT_MESSAGE_PAGE, path, f"messages of endpoint {ep}", params)

    async def list_attempts_by_msg(
        self,
        app_id: str,
        msg_id: str,
        *,
        endpoint_id: str | None = None,
        limit: int = 50,
        iterator: str | None = None,
        with_content: bool = True,
        expanded_statuses: bool = False,
        **filters: Unpack[AttemptFilters],
    ) -> Page[MessageAttemptOut]:
        """Delivery attempts of one message, optionally only those to `endpoint_id`.

        `GET /api/v1/app/{app_id}/attempt/msg/{msg_id}`. This one call replaces the older API's
        two deprecated list calls: "list attempts" of a message
        (`/app/{app_id}/msg/{msg_id}/attempt`) is this without `endpoint_id`, and "list attempts
        for endpoint" (`/app/{app_id}/msg/{msg_id}/endpoint/{endpoint_id}/attempt`) is this with
        `endpoint_id`.
        """
        app, msg = self._id(app_id, "application id"), self._id(msg_id, "message id")
        ep = self._id(endpoint_id, "endpoint id") if endpoint_id is not None else None
        params = _query(
            {
                **_page_params(limit, iterator, with_content, expanded_statuses),
                **_filter_params(**filters),
                "endpoint_id": ep,
            }
        )
        path = f"/api/v1/app/{app}/attempt/msg/{msg}"
        return await self._get(_ATTEMPT_PAGE, path, f"attempts of message {msg}", params)

    async def list_attempts_by_endpoint(
        self,
        app_id: str,
        endpoint_id: str,
        *,
        limit: int = 50,
        iterator: str | None = None,
        with_content: bool = False,
        expanded_statuses: bool = False,
        **filters: Unpack[AttemptFilters],
    ) -> Page[MessageAttemptOut]:
        """Delivery attempts to one endpoint, newest first; `before`/`after` are attempt times."""
        app, ep = self._id(app_id, "application id"), self._id(endpoint_id, "endpoint id")
        params = _query(
            {
                **_page_params(limit, iterator, with_content, expanded_statuses),
                **_filter_params(**filters),
            }
        )
        path = f"/api/v1/app/{app}/attempt/endpoint/{ep}"
        return await self._get(_ATTEMPT_PAGE, path, f"attempts of endpoint {ep}", params)

    async def count_attempts_by_endpoint(
        self, app_id: str, endpoint_id: str, **filters: Unpack[AttemptFilters]
    ) -> CountOut:
        app, ep = self._id(app_id, "application id"), self._id(endpoint_id, "endpoint id")
        params = _query(_filter_params(**filters))
        path = f"/api/v1/app/{app}/attempt/endpoint/{ep}/count"
        return await self._get(CountOut, path, f"attempt count of endpoint {ep}", params)

    async def list_attempted_destinations(
        self, app_id: str, msg_id: str, *, limit: int = 50, iterator: str | None = None
    ) -> Page[MessageEndpointOut]:
        """The endpoints a message was (or will be) delivered to, with its status at each."""
        app, msg = self._id(app_id, "application id"), self._id(msg_id, "message id")
        params = _query({"limit": limit, "iterator": iterator})
        path = f"/api/v1/app/{app}/msg/{msg}/endpoint"
        return await self._get(_DESTINATION_PAGE, path, f"destinations of message {msg}", params)

    async def get_message(
        self, app_id: str, msg_id_or_event_id: str, *, with_content: bool = True
    ) -> MessageOut:
        """A message by its `msg_` id or by the `eventId` it was sent with."""
        app, msg = self._id(app_id, "application id"), self._id(msg_id_or_event_id, "message id")
        params = _query({"with_content": with_content})
        return await self._get(MessageOut, f"/api/v1/app/{app}/msg/{msg}", f"message {msg}", params)

    async def get_attempt(
        self, app_id: str, msg_id: str, attempt_id: str, *, expanded_statuses: bool = False
    ) -> MessageAttemptOut:
        app, msg = self._id(app_id, "application id"), self._id(msg_id, "message id")
        attempt = self._id(attempt_id, "attempt id")
        params = _query({"expanded_statuses": _only_if(expanded_statuses)})
        path = f"/api/v1/app/{app}/msg/{msg}/attempt/{attempt}"
        return await self._get(MessageAttemptOut, path, f"attempt {attempt}", params)

    async def get_attempt_headers(
        self, app_id: str, msg_id: str, attempt_id: str
    ) -> MessageAttemptHeadersOut:
        app, msg = self._id(app_id, "application id"), self._id(msg_id, "message id")
        attempt = self._id(attempt_id, "attempt id")
        path = f"/api/v1/app/{app}/msg/{msg}/attempt/{attempt}/headers"
        return await self._get(MessageAttemptHeadersOut, path, f"headers of attempt {attempt}")

    # -- mutations ---------------------------------------------------------------------------

    async def resend(
        self, app_id: str, msg_id: str, endpoint_id: str, *, idempotency_key: str | None = None
    ) -> None:
        """Resend a message to an endpoint (202). Pass the user action's key to dedupe retries."""
        self._check_writable("resend")
        app, msg = self._id(app_id, "application id"), self._id(msg_id, "message id")
        ep = self._id(endpoint_id, "endpoint id")
        path = f"/api/v1/app/{app}/msg/{msg}/endpoint/{ep}/resend"
        what = f"resend of message {msg} to endpoint {ep}"
        key = idempotency_key or new_idempotency_key()
        await self._request("POST", path, what, idempotency_key=key)

    async def expunge_attempt_content(self, app_id: str, msg_id: str, attempt_id: str) -> None:
        """Delete the stored response body of one attempt (204)."""
        self._check_writable("expunge")
        app, msg = self._id(app_id, "application id"), self._id(msg_id, "message id")
        attempt = self._id(attempt_id, "attempt id")
        path = f"/api/v1/app/{app}/msg/{msg}/attempt/{attempt}/content"
        await self._request("DELETE", path, f"content of attempt {attempt}")

    async def recover(
        self,
        app_id: str,
        endpoint_id: str,
        *,
        since: datetime,
        until: datetime | None = None,
        idempotency_key: str | None = None,
    ) -> RecoverOut:
        """Resend every failed message since `since` (202); returns the `qtask_` to poll."""
        self._check_writable("recover")
        app, ep = self._id(app_id, "application id"), self._id(endpoint_id, "endpoint id")
        body: dict[str, str] = {"since": _rfc3339(since)}
        if until is not None:
            body["until"] = _rfc3339(until)
        path = f"/api/v1/app/{app}/endpoint/{ep}/recover"
        what = f"recovery of endpoint {ep}"
        key = idempotency_key or new_idempotency_key()
        response = await self._request("POST", path, what, json_body=body, idempotency_key=key)
        return self._parse(RecoverOut, response, what)

    # -- misc --------------------------------------------------------------------------------

    async def get_background_task(self, task_id: str) -> BackgroundTaskOut:
        task = self._id(task_id, "task id")
        path = f"/api/v1/background-task/{task}"
        return await self._get(BackgroundTaskOut, path, f"background task {task}")

    # -- plumbing ----------------------------------------------------------------------------

    def _redact(self, text: str) -> str:
        token = self._token.reveal()
        # A few-character "token" (demo, tests) would turn every message into asterisks.
        return text.replace(token, "***") if len(token) >= _MIN_REDACT else text

    def _id(self, value: str, kind: str) -> str:
        """Validate an id before it goes into a path, so no input can change the path."""
        if isinstance(value, str) and _ID.fullmatch(value) and value not in (".", ".."):
            return value
        shown = clean_text(self._redact(repr(value)), 80)
        raise BadRequestError(f"Invalid {kind}: {shown}") from None

    def _check_writable(self, action: str) -> None:
        if self.read_only:
            raise ReadOnlyError(f"Read-only mode: {action} is disabled")

    async def _get(
        self,
        model: type[M],
        path: str,
        what: str,
        params: Query | None = None,
    ) -> M:
        response = await self._request("GET", path, what, params=params)
        return self._parse(model, response, what)

    def _parse(self, model: type[M], response: httpx.Response, what: str) -> M:
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            if _too_deep(exc):
                return self._parse_deep(model, response, what)
            error = self._decode_error(exc, what)
        # Raised outside the except block so no ValidationError (with body excerpts) is chained.
        raise error from None

    def _parse_deep(self, model: type[M], response: httpx.Response, what: str) -> M:
        """Valid JSON nested deeper than pydantic's JSON parser allows (about 200 levels), e.g.
        a sender's payload: parse it with `json`, whose limit is the interpreter's recursion
        limit, then validate the Python value."""
        try:
            data = json.loads(response.content)
        except RecursionError:
            reason = "JSON nested too deeply to read"
            error = DecodeError(self._redact(f"Unexpected response for {what}: {reason}"))
        except ValueError:
            error = DecodeError(self._redact(f"Unexpected response for {what}: not JSON"))
        else:
            try:
                return model.model_validate(data)
            except ValidationError as exc:
                error = self._decode_error(exc, what)
        raise error from None

    def _decode_error(self, exc: ValidationError, what: str) -> DecodeError:
        problems = exc.errors(include_url=False, include_context=False, include_input=False)
        if not problems or problems[0]["type"] == "json_invalid":
            reason = "not JSON"
        else:
            shown = [
                f"{'.'.join(str(part) for part in p['loc']) or 'body'}: {p['msg']}"
                for p in problems[:3]
            ]
            more = f" (+{len(problems) - 3} more)" if len(problems) > 3 else ""
            reason = clean_text(self._redact("; ".join(shown) + more))
        return DecodeError(f"Unexpected response for {what}: {reason}")

    async def _request(
        self,
        method: str,
        path: str,
        what: str,
        *,
        params: Query | None = None,
        json_body: dict[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> httpx.Response:
        # The Authorization header is added by _BearerAuth as the request is sent, so the token
        # is never a local of these frames (crash reports may print frame locals).
        headers: dict[str, str] = {}
        if idempotency_key is not None:
            headers["Idempotency-Key"] = idempotency_key
        # POST is retried only under one idempotency key, so the server dedupes the retries.
        may_retry = method != "POST" or idempotency_key is not None
        retry = 0
        rate_limited = 0  # 429 answers so far: each doubles the pause when no Retry-After came
        reached_server = False  # did any try possibly reach it? (then a POST may have acted)
        early = self._take_early(method, path, params)
        while True:
            response = await asyncio.wrap_future(early.answer) if early is not None else None
            early = None
            if response is not None:
                error, transient = None, False
            else:
                async with self.budget.slot():
                    response, error, transient = await self._send_once(
                        method, path, what, params, json_body, headers
                    )
            retry_after = None
            if response is not None:
                if response.is_success:
                    return response
                error, transient, retry_after = self._error_for(response, what)
            assert error is not None
            if isinstance(error, NetworkError):
                error.maybe_sent = error.maybe_sent or reached_server
            reached_server = (
                reached_server
                or response is not None
                or (isinstance(error, NetworkError) and error.maybe_sent)
            )
            if isinstance(error, RateLimitedError):
                delay = self._pause_after_429(retry_after, rate_limited)
                rate_limited += 1
            else:
                delay = self._retry_delay(retry, retry_after)
            if delay is None or not (may_retry and transient and retry < self._max_retries):
                raise error from None
            if delay > 0:
                await self._sleep(delay)
            retry += 1

    def _take_early(self, method: str, path: str, params: Query | None) -> EarlyGet | None:
        early = self._early
        if early is None or not early.matches(method, path, params):
            return None
        self._early = None
        if self._on_request is not None:
            self._on_request(method, path)
        return early

    async def _send_once(
        self,
        method: str,
        path: str,
        what: str,
        params: Query | None,
        json_body: dict[str, Any] | None,
        headers: dict[str, str],
    ) -> tuple[httpx.Response | None, ApiError | None, bool]:
        """(response, None, _) on any HTTP answer, else (None, error, retryable)."""
        try:
            request = self._http.build_request(
                method, path, params=params, json=json_body, headers=headers
            )
            if self._on_request is not None:
                self._on_request(method, path)
            return await self._http.send(request), None, False
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            # Only the exception's type and our own words go into the message; its text and
            # its request (holding the Authorization header) stay behind.
            if isinstance(exc, httpx.DecodingError):  # a body httpx could not decompress
                return None, DecodeError(self._redact(f"Unexpected response for {what}")), False
            reason = _transport_reason(exc, self._host)
            message = self._redact(f"Network error: {what}: {reason}")
            error = NetworkError(message)
            error.maybe_sent = not isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
            return None, error, isinstance(exc, _RETRYABLE_TRANSPORT)

    def _error_for(
        self, response: httpx.Response, what: str
    ) -> tuple[ApiError, bool, float | None]:
        """The error for a non-2xx answer, whether it is worth retrying, and its Retry-After."""
        status = response.status_code
        transient = status == 429 or 500 <= status <= 599
        retry_after = None
        if transient:
            retry_after = parse_retry_after(
                response.headers.get("Retry-After"), response.headers.get("Date")
            )
        error = error_from_response(
            status, response.content, what, retry_after=retry_after, redact=self._redact
        )
        return error, transient, retry_after

    def _pause_after_429(self, retry_after: float | None, rate_limited: int) -> float | None:
        """Pause every request; 0.0 (the retry's slot waits out the pause) or None to give up.

        Without a Retry-After the pause is the backoff schedule without jitter: every request
        waits for the same pause, so there is nothing to spread out. A Retry-After too long to
        wait for still pauses the budget, for at most MAX_RETRY_AFTER.
        """
        pause = retry_after if retry_after is not None else backoff_delay(rate_limited, _whole)
        self.budget.pause_for(min(pause, MAX_RETRY_AFTER))
        return 0.0 if pause <= MAX_RETRY_AFTER else None

    def _retry_delay(self, retry: int, retry_after: float | None) -> float | None:
        """Seconds before the next try, or None to give up now (Retry-After too long)."""
        if retry_after is not None:
            return retry_after if retry_after <= MAX_RETRY_AFTER else None
        return backoff_delay(retry, self._random)


def _whole() -> float:
    """The `random` of a backoff without jitter."""
    return 1.0


def _too_deep(exc: ValidationError) -> bool:
    problems = exc.errors(include_url=False, include_context=False, include_input=False)
    return any(p["type"] == "json_invalid" and "recursion limit" in p["msg"] for p in problems[:1])


def _names(values: Sequence[str] | str | None) -> Sequence[str] | None:
    """Event-type filter: a lone string counts as one name; empty means no filter."""
    if values is None:
        return None
    if isinstance(values, str):
        return [values]
    return list(values) or None
