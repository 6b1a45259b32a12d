"""Deterministic bodies for the demo world, generated when served, never stored.

Payloads, endpoint response bodies and headers are pure functions of a seed,
so a 50 KB invoice costs nothing until somebody opens it. Some values are
deliberately hostile (markup, escape sequences, bidi text, leaked secrets):
endpoint owners control response bodies, and the UI must cope with that.
"""

from __future__ import annotations

import random
from datetime import datetime
from email.utils import format_datetime

from attempt_tui.compat import UTC

_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

CUSTOMER_NAMES = (
    "Ada Lovelace",
    "Grace Hopper",
    "Zoë Ångström",
    "李小龙",
    "José Ñúñez",
    "Amara Okafor",
    "Priya Raman",
    "[bold red]Bobby Tables[/bold red]",
    "O'Brien & Sons <Ltd>",
    "Mateo Rossi",
    "Noor \u202eevil.exe\u202c Haddad",
    "Hiroshi Tanaka",
    "Sven Østergaard",
    "Fatima Zahra",
)
COMPANIES = (
    "Acme Corp",
    "Globex",
    "Initech",
    "Umbrella Health",
    "Stark Industries",
    "Wayne Enterprises",
    "Hooli",
    "Vandelay Imports",
)
PRODUCTS = (
    ("Pro plan (monthly)", 4900),
    ("Starter plan (monthly)", 1900),
    ("Enterprise seat", 12000),
    ("API overage (per 1k calls)", 35),
    ("Priority support", 25000),
    ("Data retention add-on", 7500),
    ("SSO add-on", 9900),
)
CURRENCIES = ("usd", "eur", "gbp", "jpy", "cad")


def _rid(r: random.Random, prefix: str, n: int = 14) -> str:
    return prefix + "".join(r.choice(_ALNUM) for _ in range(n))


def iso(ts_us: int) -> str:
    """RFC 3339 UTC with microseconds and a Z, as the wire format uses."""
    seconds, micros = divmod(ts_us, 1_000_000)
    stamp = datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    return f"{stamp}.{micros:06d}Z"


def _customer(r: random.Random) -> dict[str, object]:
    name = r.choice(CUSTOMER_NAMES)
    handle = "".join(c for c in name.lower() if c.isascii() and c.isalnum())[:12] or "customer"
    domain = r.choice(("example.com", "mail.test", "corp.example"))
    return {
        "id": _rid(r, "cus_"),
        "name": name,
        "email": f"{handle}{r.randrange(100)}@{domain}",
        "company": r.choice(COMPANIES),
        "address": {
            "line1": f"{r.randrange(1, 999)} {r.choice(('Main St', 'Rue de Rivoli', 'Kings Rd'))}",
            "city": r.choice(("Berlin", "Austin", "Lisbon", "Osaka", "Toronto")),
            "country": r.choice(("DE", "US", "PT", "JP", "CA")),
        },
        "metadata": {"crm_id": str(r.randrange(10_000, 99_999))},
    }


def _lines(r: random.Random, count: int, currency: str) -> tuple[list[dict[str, object]], int]:
    """Invoice line items and their total."""
    lines: list[dict[str, object]] = []
    total = 0
    for index in range(count):
        description, unit = r.choice(PRODUCTS)
        quantity = r.randrange(1, 20)
        total += unit * quantity
        lines.append(
            {
                "id": _rid(r, "il_"),
                "description": description,
                "quantity": quantity,
                "unit_amount": unit,
                "amount": unit * quantity,
                "currency": currency,
                "period": {"start": 1_700_000_000 + index * 86_400, "end": 1_700_086_400},
                "tax_rates": [{"id": _rid(r, "txr_", 10), "percentage": 19.0}],
                "metadata": {"line": str(index), "sku": _rid(r, "SKU-", 8)},
            }
        )
    return lines, total


def _data_for(event_type: str, r: random.Random, big: bool) -> dict[str, object]:
    family, _, action = event_type.partition(".")
    currency = r.choice(CURRENCIES)
    if family == "invoice":
        lines, total = _lines(r, 150 if big else r.randrange(1, 4), currency)
        return {
            "id": _rid(r, "in_"),
            "object": "invoice",
            "customer": _customer(r),
            "status": {"paid": "paid", "payment_failed": "open"}.get(action, "draft"),
            "currency": currency,
            "amount_due": total,
            "amount_paid": total if action == "paid" else 0,
            "lines": lines,
        }
    if family == "customer":
        return _customer(r)
    if family == "subscription":
        description, unit = r.choice(PRODUCTS)
        return {
            "id": _rid(r, "sub_"),
            "customer": _rid(r, "cus_"),
            "status": {"canceled": "canceled", "created": "trialing"}.get(action, "active"),
            "plan": {"name": description, "amount": unit, "interval": "month"},
            "cancel_at_period_end": action == "canceled",
        }
    if family in ("payment", "charge"):
        data: dict[str, object] = {
            "id": _rid(r, "pay_"),
            "amount": r.randrange(500, 250_000),
            "currency": currency,
            "method": {
                "type": "card",
                "brand": r.choice(("visa", "mastercard", "amex")),
                "last4": f"{r.randrange(10_000):04d}",
            },
        }
        if action == "failed":
            data["failure_reason"] = r.choice(
                ("card_declined", "insufficient_funds", "expired_card", "do_not_honor")
            )
        if action == "refunded":
            data["refund"] = {"id": _rid(r, "re_"), "reason": "requested_by_customer"}
        return data
    if family == "payout":
        return {
            "id": _rid(r, "po_"),
            "amount": r.randrange(10_000, 5_000_000),
            "currency": currency,
            "destination": _rid(r, "ba_"),
            "status": "paid" if action == "paid" else "failed",
        }
    if family in ("order", "cart"):
        items: list[dict[str, object]] = []
        total = 0
        for _ in range(400 if big else r.randrange(1, 6)):
            quantity, price = r.randrange(1, 5), r.randrange(500, 30_000)
            total += quantity * price
            items.append(
                {
                    "sku": _rid(r, "SKU-", 8),
                    "title": r.choice(("Mechanical keyboard", "USB-C hub", "Desk lamp", "Mug")),
                    "quantity": quantity,
                    "price": price,
                    "notes": "gift wrap" if r.random() < 0.1 else "",
                }
            )
        return {
            "id": _rid(r, "ord_"),
            "customer": _customer(r),
            "items": items,
            "total": total,
            "currency": currency,
            "shipping": {"carrier": r.choice(("DHL", "UPS", "Royal Mail")), "tracking": None},
        }
    if family == "inventory":
        return {"sku": _rid(r, "SKU-", 8), "warehouse": r.choice(("BER-1", "AUS-2")), "on_hand": 3}
    if family == "deploy":
        return {
            "service": r.choice(("billing-api", "web", "worker")),
            "version": f"v{r.randrange(1, 9)}.{r.randrange(40)}.{r.randrange(10)}",
            "actor": r.choice(CUSTOMER_NAMES),
        }
    return {
        "alert": r.choice(("HighErrorRate", "DiskFull", "LatencySLO")),
        "severity": r.choice(("warning", "critical")),
        "summary": "p99 latency above 2s for 10 minutes",
    }


def payload(
    event_type: str, event_id: str | None, ts_us: int, seed: int, big: bool
) -> dict[str, object]:
    """The JSON payload of a message (about 50 KB when `big`)."""
    r = random.Random(seed)
    return {
        "type": event_type,
        "id": event_id or _rid(r, "evt_", 20),
        "created_at": iso(ts_us),
        "livemode": True,
        "data": _data_for(event_type, r, big),
    }


_NGINX = (
    "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n"
    "<center><h1>{code} {reason}</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n"
    "</body>\r\n</html>\r\n"
)
_REASONS = {
    200: "OK",
    202: "Accepted",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    410: "Gone",
    422: "Unprocessable Entity",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Temporarily Unavailable",
    504: "Gateway Time-out",
}


def _is_html(code: int, seed: int) -> bool:
    return code in (502, 504) or (code in (503, 404) and seed % 2 == 0)


def response_body(code: int, seed: int, msg_id: str) -> str:
    """What an endpoint answered with `code`; seed picks the variant."""
    r = random.Random(seed)
    if code == 0:
        return "" if seed % 2 else "timeout"
    if code == 204:
        return ""
    if 200 <= code < 300:
        roll = r.random()
        if roll < 0.004:
            # An endpoint echoing its own credentials: the reason expunge exists.
            return (
                '{"ok":true,"debug":{"headers":{"authorization":"Bearer sk_live_'
                + _rid(r, "", 24)
                + '","x-internal-db":"postgres://billing:hunter2@10.0.3.7/ledger"}}}'
            )
        if roll < 0.55:
            return f'{{"received":true,"id":"{msg_id}"}}'
        if roll < 0.75:
            return "OK"
        if roll < 0.9:
            return '{"status":"queued"}'
        return ""
    if _is_html(code, seed):
        return _NGINX.format(code=code, reason=_REASONS.get(code, "Error"))
    if code == 401:
        return '{"error":"invalid_signature","detail":"No matching signature found for svix-id"}'
    if code == 404:
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            "<title>Error</title>\n</head>\n<body>\n<pre>Cannot POST /api/webhooks</pre>\n"
            "</body>\n</html>\n"
        )
    if code == 410:
        return "Gone"
    if code == 422:
        return (
            '{"errors":[{"field":"data.amount","message":"must be an integer"},'
            '{"field":"type","message":"unknown event type"}]}'
        )
    if r.random() < 0.08:
        # A framework stack trace with terminal colours in it.
        return (
            "\x1b[31mTraceback (most recent call last):\x1b[0m\n"
            '  File "/srv/app/hooks.py", line 42, in receive\n'
            "    ledger.post(event)\n"
            "\x1b[1mpsycopg.OperationalError\x1b[0m: connection pool exhausted "
            "[link=https://evil.example]click[/link]\n"
        )
    return (
        '{"error":"internal_server_error","message":"'
        + r.choice(("database connection pool exhausted", "upstream timeout", "deadlock detected"))
        + '","request_id":"'
        + _rid(r, "req_", 16)
        + '"}'
    )


def response_headers(code: int, seed: int, ts_us: int, body: str) -> list[list[str]] | None:
    """Header pairs the endpoint answered with; None when there was no response."""
    if code == 0:
        return None
    r = random.Random(seed ^ 0x5A5A)
    html = _is_html(code, seed) or body.startswith("<!DOCTYPE")
    content_type = "text/html; charset=utf-8" if html else "application/json"
    if body and not html and not body.startswith("{"):
        content_type = "text/plain; charset=utf-8"
    date = format_datetime(datetime.fromtimestamp(ts_us // 1_000_000, UTC), usegmt=True)
    headers = [
        ["date", date],
        ["content-type", content_type],
        ["content-length", str(len(body.encode()))],
        ["server", "nginx/1.25.3" if html else r.choice(("gunicorn", "envoy", "cloudflare"))],
        ["x-request-id", _rid(r, "req_", 16)],
    ]
    if code == 503:
        headers.append(["retry-after", "30"])
    return headers
