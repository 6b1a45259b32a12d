"""One GET sent while the app is still starting, so the first page is on its way early.

Importing Textual and building the screens takes about a third of a second; a far API takes a
round trip or two (connection, TLS, the answer). With `--app`/`--endpoint` the first request is
known before any of that, so it leaves on a thread as soon as the settings are read, and the
client's first request for the same URL and query takes its answer instead of asking again.
Any failure of the early request (timeout, refused connection...) is dropped: the client then
asks as usual, with its own retries and error messages.

This module imports only httpx, the request's credentials and the shared TLS settings, so it is
quick to load.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from concurrent.futures import Future

import httpx

from attempt_tui.api.auth import HEADERS, BearerAuth
from attempt_tui.api.tls import verify_for
from attempt_tui.secret import Secret

Query = Sequence[tuple[str, str]]


class EarlyGet:
    """A GET of `path` with `params`, sent at once on a thread of its own."""

    def __init__(
        self,
        base_url: str,
        token: Secret,
        path: str,
        params: Query,
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 15.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.path = path
        self.params = tuple(params)
        # The answer, or None when the request failed (nothing of the failure is kept).
        self.answer: Future[httpx.Response | None] = Future()
        self._base_url = base_url.rstrip("/")
        self._token = token
        self._timeout = httpx.Timeout(read_timeout, connect=connect_timeout)
        self._transport = transport
        threading.Thread(target=self._send, name="early-get", daemon=True).start()

    def __repr__(self) -> str:
        return f"EarlyGet({self.path!r})"

    def matches(self, method: str, path: str, params: Query | None) -> bool:
        return method == "GET" and path == self.path and sorted(params or ()) == sorted(self.params)

    def _send(self) -> None:
        try:
            with httpx.Client(
                base_url=self._base_url,
                transport=self._transport,
                verify=verify_for(self._transport),
                timeout=self._timeout,
                headers=HEADERS,
                auth=BearerAuth(self._token),
                follow_redirects=False,  # never hand the Authorization header to another host
            ) as http:
                response = http.get(self.path, params=self.params)
        except Exception:  # any failure means "ask again as usual"
            self.answer.set_result(None)
        else:
            self.answer.set_result(response)


# Svix ids and uids as a path takes them (the spec's path parameters).
_ID = re.compile(r"[A-Za-z0-9\-_.]{1,256}")


def first_page_query(page_size: int) -> tuple[tuple[str, str], ...]:
    """The query of an endpoint's first page with no filters, as the message list sends it."""
    return (("limit", str(page_size)), ("with_content", "false"))


def first_page_path(app_id: str, endpoint_id: str) -> str | None:
    """The path of an endpoint's messages; None when either id could not be in a path."""
    if not (_ID.fullmatch(app_id) and _ID.fullmatch(endpoint_id)):
        return None
    return f"/api/v1/app/{app_id}/endpoint/{endpoint_id}/msg"
