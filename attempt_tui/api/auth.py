"""How every request introduces itself: the bearer token and the User-Agent.

Kept apart from the client (and its models) so a request can leave before they are imported.
"""

from __future__ import annotations

from collections.abc import Generator

import httpx

from attempt_tui import __version__
from attempt_tui.secret import Secret

USER_AGENT = f"attempt-tui/{__version__}"
HEADERS = {"User-Agent": USER_AGENT, "Accept": "application/json"}


class BearerAuth(httpx.Auth):
    """Adds `Authorization: Bearer <token>` at send time; its repr never shows the token."""

    def __init__(self, token: Secret) -> None:
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token.reveal()}"
        yield request

    def __repr__(self) -> str:
        return "BearerAuth(***)"
