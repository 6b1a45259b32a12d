"""Shell commands that replay what the dashboard shows: curl and the official `svix` CLI.

Every id, URL, header and payload comes from the API and is untrusted, so each argument is
quoted with `shlex.quote`. The token never appears: commands read it from $SVIX_AUTH_TOKEN,
the variable the Svix CLI uses, written inside double quotes so the shell expands it.
"""

from __future__ import annotations

import json
import shlex
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

TOKEN_VARIABLE = "$SVIX_AUTH_TOKEN"
AUTH_HEADER = f'-H "Authorization: Bearer {TOKEN_VARIABLE}"'
# curl sets these itself from the URL and the body it sends.
_CURL_OWNED_HEADERS = frozenset({"content-length", "host", "transfer-encoding", "connection"})


def curl_command(base_url: str, app_id: str, msg_id: str, endpoint_id: str) -> str:
    """A curl that asks the Svix API to resend the message to the endpoint (a fresh key)."""
    path = (
        f"/api/v1/app/{_segment(app_id, 'application id')}/msg/{_segment(msg_id, 'message id')}"
        f"/endpoint/{_segment(endpoint_id, 'endpoint id')}/resend"
    )
    return _join(
        ["curl", "-sS", "-X", "POST", "--url", _url(base_url, path)],
        AUTH_HEADER,
        ["-H", f"Idempotency-Key: {uuid.uuid4()}"],
    )


def curl_get_message(base_url: str, app_id: str, msg_id: str) -> str:
    """A curl that fetches the message (with its payload) from the Svix API."""
    path = f"/api/v1/app/{_segment(app_id, 'application id')}/msg/{_segment(msg_id, 'message id')}"
    return _join(["curl", "-sS", "--url", _url(base_url, path)], AUTH_HEADER, [])


def svix_cli_command(app_id: str, msg_id: str, endpoint_id: str) -> str:
    """`svix message-attempt resend APP_ID MSG_ID ENDPOINT_ID`, as the official CLI takes it."""
    return _svix(["message-attempt", "resend"], [app_id, msg_id, endpoint_id])


def svix_cli_get_message(app_id: str, msg_id: str) -> str:
    """`svix message get APP_ID MSG_ID`."""
    return _svix(["message", "get"], [app_id, msg_id])


def delivery_request_curl(url: str, payload: dict[str, Any], headers: Mapping[str, str]) -> str:
    """A curl that re-POSTs the payload straight to the endpoint URL with the headers sent.

    For debugging a receiver. The body is compact JSON in the payload's key order; a receiver
    verifying signatures will still reject it once the `svix-timestamp` is too old.
    Headers curl computes itself, and any header containing CR, LF or NUL (it cannot have gone
    over the wire like that), are left out.
    """
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    argv = ["curl", "-sS", "-X", "POST", "--url", url]
    names = {name.lower() for name in headers}
    for name, value in headers.items():
        if name.lower() in _CURL_OWNED_HEADERS or _unsendable(name) or _unsendable(value):
            continue
        argv += ["-H", f"{name}: {value}"]
    if "content-type" not in names:
        argv += ["-H", "Content-Type: application/json"]
    argv += ["--data-raw", body]
    return shlex.join(argv)


def _svix(command: list[str], ids: list[str]) -> str:
    # An id starting with "-" would be read as an option; "--" ends option parsing.
    separator = ["--"] if any(value.startswith("-") for value in ids) else []
    return shlex.join(["svix", *command, *separator, *ids])


def _join(before: list[str], auth: str, after: list[str]) -> str:
    return " ".join([shlex.join(before), auth, *([shlex.join(after)] if after else [])])


def _url(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + path


def _segment(value: str, kind: str) -> str:
    """A percent-encoded path segment; an id that would change the path is refused."""
    if value in ("", ".", ".."):
        raise ValueError(f"Unusable {kind} for a URL: {value!r}")
    return quote(value, safe="")


def _unsendable(text: str) -> bool:
    return any(char in text for char in "\r\n\x00")
