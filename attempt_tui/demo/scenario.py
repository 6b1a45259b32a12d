"""The cast of the demo world: its applications, endpoints and how they behave.

Times are offsets back from the world's start time, so the same story plays
out whenever the demo starts: the ledger had an outage three days ago and a
short one twenty minutes ago, the flaky billing notifier was down for 40 hours
last week (so some of its messages failed for good, ready to recover), the
CRM has been timing out for a day and a half, analytics was switched off
twelve days ago after five days of errors, and the partner's staging endpoint
has rejected every webhook since it was added. Globex's old storefront
endpoint was retired 95 days ago, so all of its history lies beyond the 90-day
default window of the list calls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from attempt_tui.demo.model import DAY, HOUR, MINUTE, Behaviour

# Helps tests and the UI find the interesting endpoints: world.roles[ROLE].
BUSIEST, FLAKY, TIMEOUT, DISABLED, CLIENT_ERROR, RETIRED = (
    "busiest",
    "flaky",
    "timeout",
    "disabled",
    "client_error",
    "retired",  # all of its traffic is older than the 90-day default window
)


@dataclass(frozen=True)
class EndpointSpec:
    role: str
    uid: str | None
    url: str
    description: str
    created_days_ago: float
    behaviour: Callable[[int], Behaviour]  # given the world's start time in µs
    event_types: tuple[str, ...] | None = None
    channels: tuple[str, ...] | None = None
    disabled_days_ago: float | None = None
    metadata: tuple[tuple[str, str], ...] = ()
    throttle_rate: int | None = None


@dataclass(frozen=True)
class AppSpec:
    uid: str
    name: str
    created_days_ago: float
    metadata: tuple[tuple[str, str], ...]
    message_count: int
    span_days: float
    event_types: tuple[tuple[str, float], ...]  # (name, weight)
    channel_sets: tuple[tuple[tuple[str, ...] | None, float], ...]
    tag_sets: tuple[tuple[tuple[str, ...] | None, float], ...]
    endpoints: tuple[EndpointSpec, ...]
    live_weight: float  # share of live traffic


def _healthy(fail_rate: float, *codes: int) -> Callable[[int], Behaviour]:
    return lambda now: Behaviour(fail_rate=fail_rate, fail_codes=codes or (503,))


def _ledger(now: int) -> Behaviour:
    return Behaviour(
        fail_rate=0.01,
        fail_codes=(503, 502),
        outages=((now - 4 * DAY - 6 * HOUR, now - 3 * DAY), (now - 50 * MINUTE, now - 20 * MINUTE)),
    )


def _notifier(now: int) -> Behaviour:
    # Flaky all the time, and down for 40 hours last week: longer than the whole retry
    # schedule, so the messages sent early in it failed for good (an incident to recover).
    return Behaviour(
        fail_rate=0.5,
        fail_codes=(500, 500, 502, 503, 504),
        latency=(5.8, 0.8),
        outages=((now - 3 * DAY - 16 * HOUR, now - 2 * DAY),),
    )


def _crm(now: int) -> Behaviour:
    return Behaviour(fail_rate=0.005, latency=(6.2, 0.4), timeout_since_us=now - 36 * HOUR)


def _analytics(now: int) -> Behaviour:
    return Behaviour(
        fail_rate=0.02, fail_codes=(410, 503, 503), outages=((now - 17 * DAY, now + 3650 * DAY),)
    )


def _partner(now: int) -> Behaviour:
    return Behaviour(
        always_fail=True, fail_codes=(401, 401, 401, 404, 404, 422, 410), latency=(3.5, 0.4)
    )


ACME = AppSpec(
    uid="acme-payments",
    name="Acme Payments",
    created_days_ago=420,
    metadata=(("tier", "enterprise"), ("region", "eu-west-1")),
    message_count=6500,
    span_days=120,
    event_types=(
        ("invoice.created", 12),
        ("invoice.paid", 14),
        ("invoice.payment_failed", 4),
        ("customer.created", 8),
        ("customer.updated", 14),
        ("customer.deleted", 2),
        ("subscription.created", 6),
        ("subscription.updated", 10),
        ("subscription.canceled", 3),
        ("payment.succeeded", 14),
        ("payment.failed", 4),
        ("payout.paid", 4),
        ("payout.failed", 1),
        ("charge.refunded", 4),
    ),
    channel_sets=(
        (None, 60),
        (("eu-west",), 14),
        (("us-east",), 14),
        (("eu-west", "enterprise"), 8),
        (("sandbox",), 4),
    ),
    tag_sets=(
        (None, 50),
        (("plan.pro",), 14),
        (("plan.starter",), 12),
        (("plan.enterprise", "vip"), 8),
        (("region/eu",), 7),
        (("region/us",), 7),
        (("batch#2024-q3",), 2),
    ),
    endpoints=(
        EndpointSpec(
            role=BUSIEST,
            uid="ledger-prod",
            url="https://ledger.acme-payments.com/webhooks/svix",
            description="Ledger sync (production)",
            created_days_ago=400,
            behaviour=_ledger,
            metadata=(("team", "ledger"), ("oncall", "#ledger-oncall")),
        ),
        EndpointSpec(
            role=FLAKY,
            uid=None,
            url="https://notify.billing-relay.io/v1/hooks/acme?source=svix",
            description="Billing e-mail notifier",
            created_days_ago=200,
            behaviour=_notifier,
            event_types=(
                "invoice.paid",
                "invoice.payment_failed",
                "payment.failed",
                "subscription.canceled",
            ),
            throttle_rate=50,
        ),
        EndpointSpec(
            role=TIMEOUT,
            uid="crm-legacy",
            url="https://crm.acme-internal.net:8443/api/hooks/svix",
            description="Legacy CRM sync (on-prem)",
            created_days_ago=380,
            behaviour=_crm,
            event_types=("customer.created", "customer.updated", "customer.deleted"),
            metadata=(("owner", "it-ops"),),
        ),
        EndpointSpec(
            role=DISABLED,
            uid=None,
            url="https://events.acme-analytics.com/ingest/svix",
            description="Analytics warehouse export",
            created_days_ago=360,
            behaviour=_analytics,
            event_types=(
                "subscription.created",
                "subscription.updated",
                "subscription.canceled",
            ),
            disabled_days_ago=12,
        ),
        EndpointSpec(
            role=CLIENT_ERROR,
            uid="partner-staging",
            url="https://staging.partner-portal.dev/api/webhooks",
            description="Partner portal (staging)",
            created_days_ago=20,
            behaviour=_partner,
            event_types=("payout.paid", "payout.failed"),
            metadata=(("contact", "partner-eng@partner-portal.dev"),),
        ),
    ),
    live_weight=70,
)

GLOBEX = AppSpec(
    uid="globex-shop",
    name="Globex Storefront",
    created_days_ago=250,
    metadata=(("tier", "growth"),),
    message_count=1200,
    span_days=120,
    event_types=(
        ("order.created", 30),
        ("order.paid", 25),
        ("order.shipped", 20),
        ("order.refunded", 5),
        ("cart.abandoned", 15),
        ("inventory.low", 5),
    ),
    channel_sets=((("store-eu",), 50), (("store-us",), 50)),
    tag_sets=((None, 70), (("vip",), 15), (("b2b",), 15)),
    endpoints=(
        EndpointSpec(
            role="fulfilment",
            uid="fulfilment-eu",
            url="https://fulfilment.globex.example/hooks/svix",
            description="Fulfilment service (EU)",
            created_days_ago=240,
            behaviour=_healthy(0.01),
            channels=("store-eu",),
        ),
        EndpointSpec(
            role="warehouse",
            uid=None,
            url="https://wh-us.globex.example/svix",
            description="Warehouse (US)",
            created_days_ago=230,
            behaviour=_healthy(0.02, 502, 503),
            channels=("store-us",),
        ),
        EndpointSpec(
            role="marketing",
            uid=None,
            url="https://hooks.zapier.com/hooks/catch/123456/abcdef/",
            description="Marketing automations (Zapier)",
            created_days_ago=120,
            behaviour=_healthy(0.03, 429, 503),
            event_types=("cart.abandoned", "order.created"),
        ),
        EndpointSpec(
            role=RETIRED,
            uid=None,
            url="https://old-shop.globex.example/webhooks",
            description="Old storefront (retired)",
            created_days_ago=235,
            behaviour=_healthy(0.02),
            event_types=("order.created", "order.paid"),
            disabled_days_ago=95,
        ),
    ),
    live_weight=25,
)

INITECH = AppSpec(
    uid="initech-tools",
    name="Initech Internal Tools",
    created_days_ago=90,
    metadata=(),
    message_count=180,
    span_days=60,
    event_types=(("deploy.started", 40), ("deploy.finished", 40), ("alert.triggered", 20)),
    channel_sets=((None, 100),),
    tag_sets=((("env/prod",), 60), (("env/staging",), 40)),
    endpoints=(
        EndpointSpec(
            role="slack_relay",
            uid="slack-relay",
            url="https://hooks.initech.example/slack-relay",
            description="Slack relay #deploys",
            created_days_ago=89,
            behaviour=_healthy(0.0),
        ),
    ),
    live_weight=5,
)

APPS: tuple[AppSpec, ...] = (ACME, GLOBEX, INITECH)


def _tenant(index: int) -> Callable[[int], Behaviour]:
    if index % 50 == 7:
        return _partner  # a tenant whose receiver rejects everything
    if index % 10 == 3:
        return _healthy(0.4, 500, 502, 503)
    return _healthy(0.01)


def platform(endpoints: int) -> AppSpec:
    """A platform customer with `endpoints` endpoints (uids ep-0001, ...), a few messages each.

    Every endpoint takes every message, so each has `message_count` deliveries: enough for
    its stats and message lists to answer, cheap for hundreds of endpoints.
    """
    return AppSpec(
        uid="umbrella-platform",
        name=f"Umbrella Platform ({endpoints} endpoints)",
        created_days_ago=400,
        metadata=(("tier", "platform"),),
        message_count=4,
        span_days=3,
        event_types=(("tenant.synced", 3), ("tenant.invoice.created", 1)),
        channel_sets=((None, 1),),
        tag_sets=((None, 1),),
        endpoints=tuple(
            EndpointSpec(
                role=f"ep-{index:04d}",
                uid=f"ep-{index:04d}",
                url=f"https://hooks.tenant-{index:04d}.example/svix",
                description=f"Tenant {index:04d}",
                # Older first, so creation order is key order.
                created_days_ago=390 - index * 300 / endpoints,
                behaviour=_tenant(index),
            )
            for index in range(1, endpoints + 1)
        ),
        live_weight=0,  # still: a few messages per endpoint, always
    )
