"""Find where a pasted id lives: an app, an endpoint, or a message (by id or eventId).

The Svix API has no lookup of an attempt by its id alone (attempts hang off a message),
so `atmpt_` ids are found only among the attempts already on screen.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from attempt_tui.api.client import SvixClient
from attempt_tui.api.errors import ApiError, NotFoundError
from attempt_tui.api.models import ApplicationOut, MessageAttemptOut

# What the API accepts as an id or uid in a path; anything else cannot be looked up.
LOOKUP_TEXT = re.compile(r"[A-Za-z0-9\-_.]{1,256}")


@dataclass(frozen=True)
class Location:
    app_id: str
    endpoint_id: str | None = None
    msg_id: str | None = None
    timestamp: datetime | None = None
    note: str = ""


class NotLocated(Exception):
    """The text names nothing we can find; the message says why, in one line."""


async def locate(
    client: SvixClient,
    text: str,
    *,
    apps: Sequence[ApplicationOut],
    current_app: str | None,
    current_endpoint: str | None,
    attempts_on_screen: Sequence[MessageAttemptOut] = (),
) -> Location:
    wanted = text.strip()
    if not LOOKUP_TEXT.fullmatch(wanted) or wanted in (".", ".."):
        raise NotLocated("Paste an id (app_, ep_, msg_, atmpt_) or an eventId.")
    ordered = sorted(apps, key=lambda a: a.id != current_app)  # the open app first
    if wanted.startswith("atmpt_"):
        for attempt in attempts_on_screen:
            if attempt.id == wanted:
                return Location(
                    current_app or "", attempt.endpoint_id, attempt.msg_id, attempt.timestamp
                )
        raise NotLocated(
            "Attempts can't be looked up by id alone in the Svix API: paste the message id."
        )
    for app in apps:
        if wanted in (app.id, app.uid):
            return Location(app.id)
    if wanted.startswith("ep_") or not wanted.startswith(("msg_", "app_")):
        for app in ordered:
            found = await _find_endpoint(client, app.id, wanted)
            if found is not None:
                return Location(app.id, found)
    for app in ordered:
        try:
            message = await client.get_message(app.id, wanted, with_content=False)
        except NotFoundError:
            continue
        destinations = await client.list_attempted_destinations(app.id, message.id, limit=250)
        endpoint_ids = [d.id for d in destinations.data]
        endpoint = current_endpoint if current_endpoint in endpoint_ids else None
        endpoint = endpoint or (endpoint_ids[0] if endpoint_ids else None)
        note = "" if endpoint else "It was not sent to any endpoint."
        return Location(app.id, endpoint, message.id, message.timestamp, note)
    raise NotLocated(f"Nothing found for {wanted} in {len(apps)} app(s).")


async def _find_endpoint(client: SvixClient, app_id: str, wanted: str) -> str | None:
    try:
        endpoint = await client.get_endpoint(app_id, wanted)
    except NotFoundError:
        return None
    except ApiError:
        raise
    return endpoint.id
