"""A hostile Svix-compatible API: valid shapes, every untrusted string an attack.

Ids of the resources the app navigates to are valid (the client checks them before a request);
everything else that reaches the screen (names, urls, descriptions, event types, eventIds,
channels, tags, payloads, response bodies, headers, uids) carries one attack each. Each attack
string embeds a marker `field.attack` (e.g. `evt.osc52`), so a failure names the field.

`HostileApi.respond(method, path, query)` is a pure function; `transport()` wraps it in an
`httpx.MockTransport` for Pilot tests and `asgi_app()` in a Starlette app for a real server.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from typing import Any

import httpx

APP_ID = "app_2hostileAAAAAAAAAAAAAAAAAAA"
HUGE_LEN = 1_000_000


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


# name -> builder(marker) -> hostile string. The marker comes early so it stays visible in
# narrow cells; the attack itself comes first where that is what would do the damage.
ATTACKS: dict[str, Callable[[str], str]] = {
    # OSC 52: write the user's clipboard (payload is the marker, base64).
    "osc52": lambda m: f"\x1b]52;c;{_b64(m)}\x07{m}",
    # OSC 8 hyperlink to an attacker's site, ST-terminated.
    "osc8": lambda m: f"\x1b]8;;http://evil/{m}\x1b\\{m}\x1b]8;;\x1b\\",
    # CSI: clear the screen and home the cursor.
    "csi": lambda m: f"\x1b[2J\x1b[H{m}",
    # C1 CSI, C1 OSC and C1 ST (8-bit controls).
    "c1": lambda m: f"\x9b31m\x9d0;{m}\x9c{m}",
    # Bidi override and isolate: reorders what the user reads.
    "bidi": lambda m: f"\u202e{m}\u2066x\u2069\u200f",
    # Textual action markup: clicking would quit the app.
    "click": lambda m: f"[@click=app.quit]{m}[/]",
    "bold": lambda m: f"[bold]{m}[/bold]",
    "link": lambda m: f"[link=http://x]{m}[/link]",
    # Unbalanced markup: an error, not text, for a markup parser.
    "unbalanced": lambda m: f"[/bold]{m}[/]",
    # NUL, DEL, backspace, CR, VT, BEL.
    "ctl": lambda m: f"{m}\x00\x7f\x08\x08\rX\x0b\x07",
    "huge": lambda m: m + "W" * HUGE_LEN,
}
ATTACK_NAMES = list(ATTACKS)

# Raw sequences that must never reach the terminal from data (bytes as written to a pty).
FORBIDDEN_RAW: dict[str, bytes] = {
    "OSC 52": b"\x1b]52",
    "OSC 8 to evil": b"\x1b]8;;http://evil",
    "OSC 0 title (C0)": b"\x1b]0;",
    "C1 CSI": "\x9b".encode(),
    "C1 OSC": "\x9d".encode(),
    "C1 ST": "\x9c".encode(),
    "RLO": "\u202e".encode(),
    "LRI": "\u2066".encode(),
    "PDI": "\u2069".encode(),
    "RLM": "\u200f".encode(),
    "NUL": b"\x00",
    "DEL": b"\x7f",
    "backspace": b"\x08",
    "vertical tab": b"\x0b",
}

# Markup that must show literally on screen, not be interpreted.
MARKUP_LITERALS = ("[@click=app.quit]", "[bold]", "[link=http://x]")


def hostile(field: str, attack: str) -> str:
    return ATTACKS[attack](f"{field}.{attack}")


def msg_id(attack: str) -> str:
    return f"msg_2hostile{attack}"


def ep_id(attack: str) -> str:
    return f"ep_2hostile{attack}"


def atmpt_id(attack: str, n: int) -> str:
    return f"atmpt_2hostile{attack}{n}"


def app_id(attack: str) -> str:
    return APP_ID if attack == ATTACK_NAMES[0] else f"app_2hostile{attack}"


TS = "2026-11-01T11:00:00Z"
LATER = "2026-11-01T11:05:00Z"


def _page(data: list[dict[str, Any]]) -> dict[str, Any]:
    return {"data": data, "iterator": None, "prevIterator": None, "done": True}


def application(attack: str) -> dict[str, Any]:
    return {
        "id": app_id(attack),
        "name": hostile("appname", attack),
        "uid": None,
        "createdAt": TS,
        "updatedAt": TS,
        "metadata": {hostile("appmetakey", attack): hostile("appmeta", attack)},
    }


def endpoint(attack: str) -> dict[str, Any]:
    return {
        "id": ep_id(attack),
        "url": "https://" + hostile("epurl", attack),
        "description": hostile("epdesc", attack),
        "disabled": attack == "bold",
        "uid": None,
        "version": 1,
        "eventTypes": [hostile("epevt", attack)],
        "channels": [hostile("epchan", attack)],
        "createdAt": TS,
        "updatedAt": TS,
        "metadata": {},
    }


def payload(attack: str) -> dict[str, Any]:
    return {
        "kind": hostile("payload", attack),
        hostile("pkey", attack): [hostile("parr", attack), 1, None, True],
        "nested": {"deep": hostile("pdeep", attack)},
    }


def message(attack: str, *, with_content: bool = True) -> dict[str, Any]:
    return {
        "id": msg_id(attack),
        "eventType": hostile("evt", attack),
        "eventId": hostile("eid", attack),
        "payload": payload(attack) if with_content else None,
        "channels": [hostile("chan", attack)],
        "tags": [hostile("tag", attack)],
        "timestamp": TS,
    }


def endpoint_message(attack: str, *, with_content: bool) -> dict[str, Any]:
    out = message(attack, with_content=with_content)
    out.update(status=2, statusText=hostile("stext", attack), nextAttempt=None)
    return out


def response_body(attack: str, n: int) -> str:
    if n == 0:
        # A JSON body: pretty-printed by the app, so keys and values are attacked too.
        return json.dumps(
            {"error": hostile("jbody", attack), hostile("jkey", attack): 1}, ensure_ascii=False
        )
    return "plain " + hostile("body", attack)


def attempt(attack: str, n: int) -> dict[str, Any]:
    return {
        "id": atmpt_id(attack, n),
        "msgId": msg_id(attack),
        "endpointId": ep_id(ATTACK_NAMES[0]),
        "url": "https://" + hostile("aturl", attack),
        "response": response_body(attack, n),
        "responseStatusCode": 500 if n == 0 else 0,
        "responseDurationMs": 12,
        "status": 2,
        "statusText": hostile("atstext", attack),
        "triggerType": n % 2,
        "timestamp": TS if n == 0 else LATER,
    }


def destination(attack: str) -> dict[str, Any]:
    return {
        "id": ep_id(attack),
        "url": "https://" + hostile("dsturl", attack),
        "description": hostile("dstdesc", attack),
        "disabled": False,
        "uid": None,
        "status": 2,
        "statusText": hostile("dststext", attack),
        "nextAttempt": None,
        "createdAt": TS,
        "updatedAt": TS,
    }


def headers(attack: str) -> dict[str, Any]:
    return {
        "sentHeaders": {hostile("hkey", attack): hostile("hval", attack)},
        "responseHeaders": [[hostile("rhkey", attack), hostile("rhval", attack)]],
        "sensitive": [hostile("hsens", attack)],
    }


def error_body(attack: str) -> dict[str, Any]:
    return {"code": hostile("errcode", attack), "detail": hostile("errdetail", attack)}


def _attack_of(resource_id: str, prefix: str) -> str | None:
    rest = resource_id.removeprefix(prefix + "2hostile")
    for name in ATTACK_NAMES:
        if rest.startswith(name):
            return name
    return None


_ROUTES: list[tuple[str, re.Pattern[str], str]] = [
    (m, re.compile(p), name)
    for m, p, name in [
        ("GET", r"/api/v1/health", "health"),
        ("GET", r"/api/v1/app", "apps"),
        ("GET", r"/api/v1/app/(?P<app>[^/]+)", "app"),
        ("GET", r"/api/v1/app/(?P<app>[^/]+)/endpoint", "endpoints"),
        ("GET", r"/api/v1/app/(?P<app>[^/]+)/endpoint/(?P<ep>[^/]+)", "endpoint"),
        ("GET", r"/api/v1/app/(?P<app>[^/]+)/endpoint/(?P<ep>[^/]+)/stats", "stats"),
        ("GET", r"/api/v1/app/(?P<app>[^/]+)/endpoint/(?P<ep>[^/]+)/msg", "messages"),
        ("GET", r"/api/v1/app/(?P<app>[^/]+)/attempt/endpoint/(?P<ep>[^/]+)", "ep_attempts"),
        ("GET", r"/api/v1/app/(?P<app>[^/]+)/attempt/endpoint/(?P<ep>[^/]+)/count", "count"),
        ("GET", r"/api/v1/app/(?P<app>[^/]+)/attempt/msg/(?P<msg>[^/]+)", "msg_attempts"),
        ("GET", r"/api/v1/app/(?P<app>[^/]+)/msg/(?P<msg>[^/]+)", "message"),
        ("GET", r"/api/v1/app/(?P<app>[^/]+)/msg/(?P<msg>[^/]+)/endpoint", "destinations"),
        ("GET", r"/api/v1/app/(?P<app>[^/]+)/msg/(?P<msg>[^/]+)/attempt/(?P<at>[^/]+)", "attempt"),
        (
            "GET",
            r"/api/v1/app/(?P<app>[^/]+)/msg/(?P<msg>[^/]+)/attempt/(?P<at>[^/]+)/headers",
            "headers",
        ),
        ("POST", r"/api/v1/app/(?P<app>[^/]+)/msg/(?P<msg>[^/]+)/endpoint/[^/]+/resend", "resend"),
        (
            "DELETE",
            r"/api/v1/app/(?P<app>[^/]+)/msg/(?P<msg>[^/]+)/attempt/(?P<at>[^/]+)/content",
            "expunge",
        ),
    ]
]


class HostileApi:
    """Answers every call attempt-tui makes.

    `errors` maps a route name (e.g. "resend", "msg_attempts") to an HTTP status: that route then
    fails with a hostile `{code, detail}` body, as a hostile server or proxy could answer.
    """

    def __init__(
        self,
        *,
        attacks: list[str] | None = None,
        errors: dict[str, int] | None = None,
        hostile_ids: str | None = None,
    ) -> None:
        self.attacks = list(attacks or ATTACK_NAMES)
        self.errors = dict(errors or {})
        # With an attack name: every list also holds one item whose *id* is that attack (ids
        # the client refuses to put in a path, so opening that item must fail safely).
        self.hostile_ids = hostile_ids
        self.requests: list[tuple[str, str]] = []

    def _with_bad_id(self, items: list[dict[str, Any]], field: str) -> list[dict[str, Any]]:
        if self.hostile_ids is None:
            return items
        extra = dict(items[-1], id=hostile(field, self.hostile_ids))
        return [*items, extra]

    def respond(self, method: str, path: str, query: dict[str, str]) -> tuple[int, Any]:
        self.requests.append((method, path))
        path = path.rstrip("/") or "/"
        for route_method, pattern, name in _ROUTES:
            match = pattern.fullmatch(path)
            if match and route_method == method:
                return self._answer(name, match.groupdict(), query)
        return 404, {"code": "not_found", "detail": "Entity not found"}

    def _answer(self, name: str, ids: dict[str, str], query: dict[str, str]) -> tuple[int, Any]:
        with_content = query.get("with_content", "true") != "false"
        first = self.attacks[0]
        msg_attack = _attack_of(ids.get("msg", ""), "msg_") or first
        if name in self.errors:
            return self.errors[name], error_body(msg_attack)
        match name:
            case "health":
                return 204, None
            case "apps":
                apps = [application(a) for a in self.attacks]
                return 200, _page(self._with_bad_id(apps, "appid"))
            case "app":
                return 200, application(_attack_of(ids["app"], "app_") or first)
            case "endpoints":
                endpoints = [endpoint(a) for a in self.attacks]
                return 200, _page(self._with_bad_id(endpoints, "epid"))
            case "endpoint":
                return 200, endpoint(_attack_of(ids["ep"], "ep_") or first)
            case "stats":
                return 200, {"success": 1, "pending": 2, "sending": 3, "fail": 4, "canceled": 0}
            case "messages":
                items = [endpoint_message(a, with_content=with_content) for a in self.attacks]
                return 200, _page(self._with_bad_id(items, "msgid"))
            case "ep_attempts" | "msg_attempts":
                attacks = self.attacks if name == "ep_attempts" else [msg_attack]
                attempts = [attempt(a, n) for a in attacks for n in (0, 1)]
                return 200, _page(self._with_bad_id(attempts, "atid"))
            case "count":
                return 200, {"count": 2, "approximated": False}
            case "message":
                return 200, message(msg_attack, with_content=with_content)
            case "destinations":
                destinations = [destination(a) for a in self.attacks]
                return 200, _page(self._with_bad_id(destinations, "dstid"))
            case "attempt":
                attempt_attack = _attack_of(ids["at"], "atmpt_") or first
                return 200, attempt(attempt_attack, int(ids["at"][-1]))
            case "headers":
                return 200, headers(msg_attack)
            case "resend":
                return 202, {}
            case "expunge":
                return 204, None
        raise AssertionError(name)

    # -- adapters ---------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        status, body = self.respond(
            request.method, request.url.path, dict(request.url.params.items())
        )
        return _response(status, body)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def asgi_app(self) -> Any:
        from starlette.applications import Starlette
        from starlette.requests import Request
        from starlette.responses import Response
        from starlette.routing import Route

        async def endpoint_view(request: Request) -> Response:
            status, body = self.respond(
                request.method, request.url.path, dict(request.query_params.items())
            )
            content = b"" if body is None else json.dumps(body).encode()
            return Response(content, status_code=status, media_type="application/json")

        route = Route("/{path:path}", endpoint_view, methods=["GET", "POST", "DELETE"])
        return Starlette(routes=[route])


def _response(status: int, body: Any) -> httpx.Response:
    if body is None:
        return httpx.Response(status)
    return httpx.Response(
        status, content=json.dumps(body).encode(), headers={"content-type": "application/json"}
    )
