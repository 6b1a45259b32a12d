"""Svix API access: models, errors and the async client (never imports textual).

Names are loaded lazily so `import attempt_tui.api.models` does not pull in httpx.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from attempt_tui.api.client import SvixClient, iter_pages, new_idempotency_key
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
    from attempt_tui.api.models import Page

_EXPORTS = {
    "SvixClient": "client",
    "iter_pages": "client",
    "new_idempotency_key": "client",
    "Page": "models",
    "ApiError": "errors",
    "AuthError": "errors",
    "BadRequestError": "errors",
    "ConflictError": "errors",
    "DecodeError": "errors",
    "NetworkError": "errors",
    "NotFoundError": "errors",
    "RateLimitedError": "errors",
    "ReadOnlyError": "errors",
    "ServerError": "errors",
    "ValidationFailed": "errors",
}

__all__ = [
    "ApiError",
    "AuthError",
    "BadRequestError",
    "ConflictError",
    "DecodeError",
    "NetworkError",
    "NotFoundError",
    "Page",
    "RateLimitedError",
    "ReadOnlyError",
    "ServerError",
    "SvixClient",
    "ValidationFailed",
    "iter_pages",
    "new_idempotency_key",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
