"""The Svix wire format: world entities to camelCase JSON-ready dicts (API 1.947 schemas)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from typing import TypeVar

from attempt_tui.demo import content
from attempt_tui.demo.content import iso
from attempt_tui.demo.model import (
    STATUS_TEXT,
    Application,
    Attempt,
    Destination,
    Endpoint,
    Message,
    Task,
)
from attempt_tui.demo.paging import Page
from attempt_tui.demo.world import World

T = TypeVar("T")
Json = dict[str, object]

_PAYLOAD_CACHE: dict[tuple[str, str | None, int, int, bool], Json] = {}
_PAYLOAD_CACHE_SIZE = 256


def list_response(page: Page[T], item: Callable[[T], Json]) -> Json:
    return {
        "data": [item(entry) for entry in page.items],
        "iterator": page.iterator,
        "prevIterator": page.prev_iterator,
        "done": page.done,
    }


def application(app: Application) -> Json:
    return {
        "id": app.id,
        "uid": app.uid,
        "name": app.name,
        "throttleRate": app.throttle_rate,
        "createdAt": iso(app.created_us),
        "updatedAt": iso(app.updated_us),
        "metadata": dict(app.metadata),
    }


def _endpoint_fields(endpoint: Endpoint) -> Json:
    return {
        "id": endpoint.id,
        "url": endpoint.url,
        "description": endpoint.description,
        "uid": endpoint.uid,
        "throttleRate": endpoint.throttle_rate,
        "disabled": endpoint.disabled,
        "eventTypes": list(endpoint.event_types) if endpoint.event_types else None,
        "channels": list(endpoint.channels) if endpoint.channels else None,
        "createdAt": iso(endpoint.created_us),
        "updatedAt": iso(endpoint.updated_us),
    }


def endpoint(ep: Endpoint) -> Json:
    return {**_endpoint_fields(ep), "metadata": dict(ep.metadata)}


def message_payload(world: World, msg: Message) -> Json:
    # Keyed by every input of the (pure) generator, so worlds can share the cache.
    cache_key = (msg.event_type, world.event_id(msg), msg.ts_us, msg.seed, msg.big)
    cached = _PAYLOAD_CACHE.get(cache_key)
    if cached is None:
        cached = content.payload(*cache_key)
        if len(_PAYLOAD_CACHE) >= _PAYLOAD_CACHE_SIZE:
            _PAYLOAD_CACHE.pop(next(iter(_PAYLOAD_CACHE)))
        _PAYLOAD_CACHE[cache_key] = cached
    return cached


def message(world: World, msg: Message, with_content: bool) -> Json:
    """MessageOut. Without content the required payload is `{}`, as Svix sends it."""
    return {
        "id": world.msg_id(msg),
        "eventId": world.event_id(msg),
        "eventType": msg.event_type,
        "payload": message_payload(world, msg) if with_content else {},
        "channels": list(msg.channels) if msg.channels else None,
        "tags": list(msg.tags) if msg.tags else None,
        "timestamp": iso(msg.ts_us),
        "deliverAt": None,
    }


def endpoint_message(world: World, dest: Destination, with_content: bool) -> Json:
    """EndpointMessageOut: the message plus its delivery state at one endpoint."""
    out = message(world, dest.msg, with_content)
    out["status"] = dest.status
    out["statusText"] = STATUS_TEXT[dest.status]
    out["nextAttempt"] = iso(dest.next_attempt_us) if dest.next_attempt_us is not None else None
    return out


def message_endpoint(dest: Destination) -> Json:
    """MessageEndpointOut: an endpoint a message was sent to, with the delivery state."""
    out = _endpoint_fields(dest.endpoint)
    out["status"] = dest.status
    out["statusText"] = STATUS_TEXT[dest.status]
    out["nextAttempt"] = iso(dest.next_attempt_us) if dest.next_attempt_us is not None else None
    return out


def response_seed(world: World, attempt: Attempt) -> int:
    return (world.seed << 32) ^ attempt.key


def response_text(world: World, attempt: Attempt) -> str:
    if attempt.expunged:
        return ""
    return content.response_body(
        attempt.code, response_seed(world, attempt), world.msg_id(attempt.dest.msg)
    )


def attempt(world: World, att: Attempt, with_content: bool = True, with_msg: bool = False) -> Json:
    """MessageAttemptOut. Without content the required response is ""."""
    status = att.status
    out: Json = {
        "id": world.attempt_id(att),
        "msgId": world.msg_id(att.dest.msg),
        "endpointId": att.dest.endpoint.id,
        "url": att.url,
        "response": response_text(world, att) if with_content else "",
        "responseStatusCode": att.code,
        "responseDurationMs": att.duration_ms,
        "status": status,
        "statusText": STATUS_TEXT[status],
        "triggerType": att.trigger,
        "timestamp": iso(att.ts_us),
    }
    if with_msg:
        # Svix never includes payloads here, whatever with_content says.
        out["msg"] = message(world, att.dest.msg, with_content=False)
    return out


def attempt_headers(world: World, att: Attempt) -> Json:
    """MessageAttemptHeadersOut: what Svix sent (signature marked sensitive) and got back."""
    msg = att.dest.msg
    msg_id = world.msg_id(msg)
    sent_at = str((att.ts_us - att.duration_ms * 1_000) // 1_000_000)
    body = json.dumps(message_payload(world, msg), separators=(",", ":"))
    signed = f"{msg_id}.{sent_at}.{body}".encode()
    digest = hmac.new(att.dest.endpoint.secret, signed, hashlib.sha256).digest()
    response = response_text(world, att)
    return {
        "sentHeaders": {
            "content-type": "application/json",
            "user-agent": "Svix-Webhooks/1.61.1 (sender-HCbAN; +https://www.svix.com/http-sender/)",
            "svix-id": msg_id,
            "svix-timestamp": sent_at,
            "svix-signature": "v1," + base64.b64encode(digest).decode(),
        },
        "responseHeaders": content.response_headers(
            att.code, response_seed(world, att), att.ts_us, response
        ),
        "sensitive": ["svix-signature"],
    }


def stats(counts: list[int]) -> Json:
    return {
        "success": counts[0],
        "pending": counts[1],
        "fail": counts[2],
        "sending": counts[3],
        "canceled": counts[4],
    }


def recover(task: Task) -> Json:
    return {
        "id": task.id,
        "status": task.status,
        "task": "endpoint.recover",
        "updatedAt": iso(task.updated_us),
    }


def background_task(task: Task) -> Json:
    return {**recover(task), "data": {"messagesSent": task.sent}}
