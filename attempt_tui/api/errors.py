"""Errors raised by the Svix client, and how an HTTP error response becomes one.

Every error carries one human line in `.message` (also its `str`). Response bodies are untrusted,
so only a capped, single-line excerpt of a server-sent detail is ever copied into a message, and
the caller's `redact` function scrubs the token out of anything that reaches one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence

__all__ = [
    "ApiError",
    "AuthError",
    "BadRequestError",
    "ConflictError",
    "DecodeError",
    "NetworkError",
    "NotFoundError",
    "RateLimitedError",
    "ReadOnlyError",
    "ServerError",
    "ValidationFailed",
    "clean_text",
    "error_from_response",
]

DETAIL_LIMIT = 200
_MAX_FIELDS = 10
# Control characters, line breaks, and the invisible format characters that can reorder or
# hide text (bidi overrides, isolates and marks, zero-width characters, BOM).
_CONTROL = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)
_SPACES = re.compile(r"\s+")


class ApiError(Exception):
    """Base of every client error. `str(err) == err.message`, one line, never the token."""

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code  # Svix's machine-readable error code, when the body had one

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, status={self.status!r})"


class AuthError(ApiError):
    """401 or 403: the token is wrong, expired, or lacks access."""


class NotFoundError(ApiError):
    """404."""


class ConflictError(ApiError):
    """409."""


class BadRequestError(ApiError):
    """400 and any other 4xx without its own class (also a malformed id caught client-side)."""


class ValidationFailed(ApiError):
    """422, with one "loc: msg" line per rejected field."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = 422,
        code: str | None = None,
        fields: Sequence[str] = (),
    ) -> None:
        super().__init__(message, status=status, code=code)
        self.fields: list[str] = list(fields)


class RateLimitedError(ApiError):
    """429. `retry_after` is the server's Retry-After in seconds, when it sent one."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = 429,
        code: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, status=status, code=code)
        self.retry_after = retry_after


class ServerError(ApiError):
    """5xx."""


class NetworkError(ApiError):
    """No HTTP answer: timeout, refused, reset, DNS failure, TLS failure.

    `maybe_sent` is False when the request can't have reached the server (it could not
    connect), so a mutation surely did not happen; True when the answer was lost after.
    """

    maybe_sent: bool = True


class DecodeError(ApiError):
    """A 2xx answer whose body is not JSON or not the expected shape."""


class ReadOnlyError(ApiError):
    """A mutation refused by a read-only client before anything was sent."""


def _no_redaction(text: str) -> str:
    return text


def clean_text(text: str, limit: int = DETAIL_LIMIT) -> str:
    """One line of at most `limit` characters: control characters and line breaks become spaces."""
    text = _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


_LABELS = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    409: "Conflict",
    422: "Invalid request",
    429: "Rate limited",
}


def _label(status: int) -> str:
    if status in _LABELS:
        return _LABELS[status]
    if 500 <= status <= 599:
        return "Server error"
    if 400 <= status <= 499:
        return "Request failed"
    return "Unexpected response"


def _error_class(status: int) -> type[ApiError]:
    if status in (401, 403):
        return AuthError
    if status == 404:
        return NotFoundError
    if status == 409:
        return ConflictError
    if status == 422:
        return ValidationFailed
    if status == 429:
        return RateLimitedError
    if 500 <= status <= 599:
        return ServerError
    if 400 <= status <= 499:
        return BadRequestError
    return ApiError


def _field_lines(items: list[object], redact: Callable[[str], str]) -> list[str]:
    """`[{loc, msg, type}]` -> ["query.limit: ensure ..."]; odd entries are skipped."""
    lines: list[str] = []
    for item in items[:_MAX_FIELDS]:
        if not isinstance(item, dict):
            continue
        loc = item.get("loc")
        msg = item.get("msg")
        where = ".".join(str(part) for part in loc) if isinstance(loc, list) else ""
        text = f"{where}: {msg}" if where else str(msg or "")
        if text:
            lines.append(clean_text(redact(text)))
    return lines


def _parse_body(body: bytes, redact: Callable[[str], str]) -> tuple[str, str | None, list[str]]:
    """(detail, code, field lines) from an error body, each already cleaned and capped."""
    try:
        parsed = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        text = body[: DETAIL_LIMIT * 4].decode("utf-8", "replace").strip()
        # Plain text from a proxy is worth showing; an HTML error page is not.
        if not text or text.startswith("<"):
            return "", None, []
        return clean_text(redact(text)), None, []
    if not isinstance(parsed, dict):
        return "", None, []
    code = parsed.get("code")
    code = clean_text(redact(code), 64) if isinstance(code, str) else None
    detail = parsed.get("detail")
    if isinstance(detail, list):
        return "", code, _field_lines(detail, redact)
    if isinstance(detail, str):
        return clean_text(redact(detail)), code, []
    return "", code, []


def error_from_response(
    status: int,
    body: bytes,
    what: str,
    *,
    retry_after: float | None = None,
    redact: Callable[[str], str] = _no_redaction,
) -> ApiError:
    """The error for a non-2xx answer, e.g. `Not found: endpoint ep_1 (404)`.

    `what` names the thing asked for ("endpoint ep_1", "resend of message msg_1 ...").
    A 404's detail is left out: Svix's is a generic "Entity not found" and `what` says more.
    """
    detail, code, fields = _parse_body(body, redact)
    if fields:
        detail = clean_text("; ".join(fields), DETAIL_LIMIT)
    label = _label(status)
    head = f"{label}: {what}"
    if detail and status != 404:
        head = f"{head}: {detail}"
    message = redact(f"{head} ({status})")
    cls = _error_class(status)
    if cls is ValidationFailed:
        return ValidationFailed(message, status=status, code=code, fields=fields)
    if cls is RateLimitedError:
        return RateLimitedError(message, status=status, code=code, retry_after=retry_after)
    return cls(message, status=status, code=code)
