"""What the copy menu (Y) offers for a message: ids, bodies, payload and ready commands.

Pure data: each choice builds its raw text only when chosen. No textual here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from attempt_tui import replay
from attempt_tui.api.models import EndpointMessageOut, MessageAttemptOut


@dataclass(frozen=True)
class CopyChoice:
    key: str
    label: str  # fixed text
    build: Callable[[], str]  # the raw text to copy, made only when chosen

    @property
    def what(self) -> str:
        """How the notification names what was copied."""
        return self.label.split(":")[0].lower()


def copy_choices(
    message: EndpointMessageOut,
    *,
    attempt: MessageAttemptOut | None,
    payload: dict[str, Any] | None,
    endpoint_url: str | None,
    server_url: str,
    app_id: str,
    endpoint_id: str,
) -> list[CopyChoice]:
    """The choices for `message` at the open endpoint; `payload` when it is loaded."""
    choices = [CopyChoice("msg", "Message id", lambda: message.id)]
    if message.event_id:
        choices.append(CopyChoice("event", "eventId", lambda: message.event_id or ""))
    if attempt is not None:
        choices.append(CopyChoice("attempt", "Attempt id", lambda: attempt.id))
        choices.append(
            CopyChoice("body", "Response body of that attempt", lambda: attempt.response)
        )
    if payload is not None:
        loaded = payload
        choices.append(CopyChoice("payload", "Payload JSON", lambda: json.dumps(loaded, indent=2)))
        if endpoint_url is not None:
            url = endpoint_url
            choices.append(
                CopyChoice(
                    "deliver",
                    "curl: post the payload straight to the endpoint",
                    lambda: replay.delivery_request_curl(url, loaded, {}),
                )
            )
    choices.append(
        CopyChoice(
            "curl",
            "curl: resend through the Svix API ($SVIX_AUTH_TOKEN)",
            lambda: replay.curl_command(server_url, app_id, message.id, endpoint_id),
        )
    )
    choices.append(
        CopyChoice(
            "svix",
            "svix CLI: resend",
            lambda: replay.svix_cli_command(app_id, message.id, endpoint_id),
        )
    )
    return choices
