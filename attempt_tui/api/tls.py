"""The TLS settings every API client of the process shares.

Each httpx client loads the certificate authorities again unless it is handed a context: about
20 ms of CPU each. The early first-page request and the client that takes over from it use the
same one, made once with httpx's own defaults (certifi's bundle, or SSL_CERT_FILE/SSL_CERT_DIR).
"""

from __future__ import annotations

import ssl
import threading
from typing import Any

import httpx

_lock = threading.Lock()
_context: ssl.SSLContext | None = None


def tls_context() -> ssl.SSLContext:
    """The shared context, made on first use (from any thread)."""
    global _context
    with _lock:
        if _context is None:
            _context = httpx.create_ssl_context()
        return _context


def verify_for(transport: Any) -> ssl.SSLContext | bool:
    """What an httpx client is handed as `verify`: the shared context over the network; with a
    transport of its own (the demo, tests) none is made."""
    return tls_context() if transport is None else True
