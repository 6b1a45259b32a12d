"""The official svix SDK drives the demo served by uvicorn over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from demo_support import NOW
from svix.api import (
    EndpointGetStatsOptions,
    MessageAttemptListAttemptedMessagesOptions,
    MessageAttemptListByEndpointOptions,
    MessageAttemptListByMsgOptions,
    MessageAttemptResendOptions,
    MessageGetOptions,
    Svix,
    SvixOptions,
)
from svix.exceptions import HttpError
from svix.models import (
    MessageAttemptTriggerType,
    MessageStatus,
    RecoverIn,
    StatusCodeClass,
)

from attempt_tui.demo.server import DemoServer, build_demo
from tests.served import ServedInThread


@pytest.fixture
def served() -> Iterator[tuple[DemoServer, Svix]]:
    demo = build_demo(7, live=False, now=NOW)
    with ServedInThread(demo.asgi_app, log_level="warning") as server:
        yield demo, Svix("testsk_demo", SvixOptions(server_url=server.url, retry_schedule=[]))


def test_sdk_reads_the_demo(served: tuple[DemoServer, Svix]) -> None:
    demo, svix = served
    apps = svix.application.list()
    assert {app.uid for app in apps.data} == {"acme-payments", "globex-shop", "initech-tools"}
    acme = next(app for app in apps.data if app.uid == "acme-payments")
    endpoints = svix.endpoint.list(acme.id)
    assert len(endpoints.data) == 5
    ledger = svix.endpoint.get(acme.id, "ledger-prod")
    assert ledger.id == demo.world.roles["busiest"].id
    stats = svix.endpoint.get_stats(
        acme.id, ledger.id, EndpointGetStatsOptions(since=NOW - timedelta(days=7))
    )
    assert stats.success > 0

    # Page attempted messages forward twice, then back with prevIterator.
    options = MessageAttemptListAttemptedMessagesOptions(limit=100)
    first = svix.message_attempt.list_attempted_messages(acme.id, ledger.id, options)
    second = svix.message_attempt.list_attempted_messages(
        acme.id,
        ledger.id,
        MessageAttemptListAttemptedMessagesOptions(limit=100, iterator=first.iterator),
    )
    back = svix.message_attempt.list_attempted_messages(
        acme.id,
        ledger.id,
        MessageAttemptListAttemptedMessagesOptions(limit=100, iterator=second.prev_iterator),
    )
    assert [m.id for m in back.data] == [m.id for m in first.data]
    assert first.data[-1].id > second.data[0].id
    assert len({m.id for m in first.data + second.data}) == 200
    assert all(m.payload == {} for m in first.data)  # SDK v2 asks for with_content=false

    failed = svix.message_attempt.list_attempted_messages(
        acme.id,
        ledger.id,
        MessageAttemptListAttemptedMessagesOptions(status=MessageStatus.FAIL, limit=250),
    )
    assert failed.data and all(m.status == MessageStatus.FAIL for m in failed.data)
    typed = svix.message_attempt.list_attempted_messages(
        acme.id,
        ledger.id,
        MessageAttemptListAttemptedMessagesOptions(
            event_types=["invoice.paid", "payout.paid"], limit=250
        ),
    )
    assert {m.event_type for m in typed.data} == {"invoice.paid", "payout.paid"}

    attempts = svix.message_attempt.list_by_endpoint(
        acme.id,
        ledger.id,
        MessageAttemptListByEndpointOptions(
            limit=50, status_code_class=StatusCodeClass.CODE2XX, with_msg=True
        ),
    )
    assert all(200 <= a.response_status_code < 300 and a.msg is not None for a in attempts.data)

    msg = svix.message.get(acme.id, first.data[0].id, MessageGetOptions(with_content=True))
    assert msg.payload["type"] == msg.event_type
    if msg.event_id:
        assert svix.message.get(acme.id, msg.event_id).id == msg.id
    destinations = svix.message_attempt.list_attempted_destinations(acme.id, msg.id)
    assert ledger.id in {d.id for d in destinations.data}
    svix.health.get()

    with pytest.raises(HttpError) as missing:
        svix.endpoint.get(acme.id, "ep_nope")
    assert missing.value.status_code == 404


def test_sdk_resend_expunge_and_recover(served: tuple[DemoServer, Svix]) -> None:
    demo, svix = served
    world = demo.world
    flaky = world.roles["flaky"]
    app_id = flaky.app.id
    msg_id = world.msg_id(flaky.dests[-5].msg)
    by_msg = MessageAttemptListByMsgOptions(endpoint_id=flaky.id, with_content=True)
    before = svix.message_attempt.list_by_msg(app_id, msg_id, by_msg).data

    svix.message_attempt.resend(
        app_id, msg_id, flaky.id, MessageAttemptResendOptions(idempotency_key="resend-1")
    )
    after = svix.message_attempt.list_by_msg(app_id, msg_id, by_msg).data
    assert len(after) == len(before) + 1
    assert after[0].trigger_type == MessageAttemptTriggerType.MANUAL
    svix.message_attempt.resend(
        app_id, msg_id, flaky.id, MessageAttemptResendOptions(idempotency_key="resend-1")
    )
    assert len(svix.message_attempt.list_by_msg(app_id, msg_id, by_msg).data) == len(after)

    target = next(a for a in after if a.response)
    svix.message_attempt.expunge_content(app_id, msg_id, target.id)
    assert svix.message_attempt.get(app_id, msg_id, target.id).response == ""

    client_error = world.roles["client_error"]
    task = svix.endpoint.recover(app_id, client_error.id, RecoverIn(since=NOW - timedelta(days=30)))
    assert task.status == "running"
    world.tick(60)
    finished = svix.background_task.get(task.id)
    assert finished.status == "finished"
    assert finished.data["messagesSent"] > 0
