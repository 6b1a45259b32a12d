"""Model tolerance: unknown fields and enum values, absent optional fields, tz-aware datetimes."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from pydantic import BaseModel, ValidationError

from attempt_tui.api import models
from attempt_tui.api.models import (
    ApplicationOut,
    EndpointMessageOut,
    EndpointOut,
    EndpointStats,
    MessageAttemptOut,
    MessageAttemptWithMsgOut,
    MessageEndpointOut,
    MessageOut,
    MessageStatus,
    Page,
    StatusCodeClass,
    TriggerType,
    status_label,
    trigger_label,
)
from attempt_tui.compat import UTC


def test_enum_values_match_the_spec() -> None:
    assert [(m.name, m.value) for m in MessageStatus] == [
        ("SUCCESS", 0),
        ("PENDING", 1),
        ("FAIL", 2),
        ("SENDING", 3),
        ("CANCELED", 4),
    ]
    assert [m.value for m in StatusCodeClass] == [0, 100, 200, 300, 400, 500]
    assert StatusCodeClass.C5XX == 500 and StatusCodeClass.NONE == 0
    assert (TriggerType.SCHEDULED, TriggerType.MANUAL) == (0, 1)


def test_labels_known_and_unknown() -> None:
    assert [status_label(v) for v in range(5)] == [
        "success",
        "pending",
        "fail",
        "sending",
        "canceled",
    ]
    assert status_label(MessageStatus.FAIL) == "fail"
    assert status_label(9) == "unknown(9)"
    assert status_label(-1) == "unknown(-1)"
    assert trigger_label(0) == "scheduled"
    assert trigger_label(1) == "manual"
    assert trigger_label(7) == "unknown(7)"


def test_unknown_enum_values_and_extra_fields_parse(sample) -> None:
    raw = {
        **sample.attempt(),
        "status": 7,
        "statusText": "quarantined",
        "triggerType": 5,
        "responseStatusCode": 0,
        "brandNewField": {"nested": [1, 2]},
    }
    att = MessageAttemptOut.model_validate_json(json.dumps(raw))
    assert (att.status, att.status_text, att.trigger_type) == (7, "quarantined", 5)
    assert att.response_status_code == 0
    assert not hasattr(att, "brand_new_field")
    assert "brandNewField" not in att.model_dump(by_alias=True)


def test_missing_optional_fields_take_defaults() -> None:
    att = MessageAttemptOut.model_validate_json(
        b'{"id":"atmpt_1","msgId":"msg_1","endpointId":"ep_1","url":"https://x",'
        b'"responseStatusCode":0,"status":1,"triggerType":0,"timestamp":"2024-01-01T00:00:00Z"}'
    )
    assert att.response == ""
    assert att.response_duration_ms == 0
    assert att.status_text == ""
    assert not hasattr(att, "msg")  # only MessageAttemptWithMsgOut carries it

    ep = EndpointOut.model_validate_json(
        b'{"id":"ep_1","url":"https://x","createdAt":"2024-01-01T00:00:00Z",'
        b'"updatedAt":"2024-01-01T00:00:00+00:00"}'
    )
    assert (ep.description, ep.disabled, ep.metadata) == ("", False, {})
    assert ep.uid is ep.throttle_rate is ep.event_types is ep.channels is ep.version is None

    msg = EndpointMessageOut.model_validate_json(
        b'{"id":"msg_1","eventType":"a.b","timestamp":"2024-01-01T00:00:00Z","status":0}'
    )
    assert msg.payload is None  # with_content=false
    assert msg.next_attempt is None and msg.status_text == ""
    assert msg.channels is msg.tags is msg.event_id is msg.deliver_at is None

    dest = MessageEndpointOut.model_validate_json(b'{"id":"ep_1","url":"https://x","status":3}')
    assert dest.created_at is None and dest.updated_at is None and dest.description == ""

    assert EndpointStats.model_validate_json(b'{"success": 3}') == EndpointStats(success=3)
    app = ApplicationOut.model_validate_json(
        b'{"id":"app_1","name":"n","createdAt":"2024-01-01T00:00:00Z",'
        b'"updatedAt":"2024-01-01T00:00:00Z"}'
    )
    assert app.metadata == {} and app.uid is None


def test_nulls_for_nullable_fields() -> None:
    msg = MessageOut.model_validate_json(
        b'{"id":"msg_1","eventType":"a","eventId":null,"payload":null,"channels":null,'
        b'"tags":null,"timestamp":"2024-01-01T00:00:00Z","deliverAt":null}'
    )
    assert msg.payload is None and msg.deliver_at is None


def test_datetimes_are_timezone_aware() -> None:
    msg = MessageOut.model_validate_json(
        b'{"id":"m","eventType":"e","timestamp":"2024-03-04T05:06:07.891Z",'
        b'"deliverAt":"2024-03-04T07:06:07+02:00"}'
    )
    assert msg.timestamp.tzinfo is not None
    assert msg.timestamp == datetime(2024, 3, 4, 5, 6, 7, 891000, tzinfo=UTC)
    assert msg.deliver_at == datetime(2024, 3, 4, 5, 6, 7, tzinfo=UTC)


def test_naive_datetime_is_rejected_not_silently_local() -> None:
    # RFC 3339 always has an offset; guessing one would shift every "3 minutes ago".
    with pytest.raises(ValidationError):
        MessageOut.model_validate_json(
            b'{"id":"m","eventType":"e","timestamp":"2024-01-01T00:00:00"}'
        )


def test_snake_case_construction_and_camel_case_dump() -> None:
    att = MessageAttemptOut(
        id="atmpt_1",
        msg_id="msg_1",
        endpoint_id="ep_1",
        url="https://x",
        response_status_code=200,
        status=MessageStatus.SUCCESS,
        trigger_type=TriggerType.MANUAL,
        timestamp=datetime(2024, 1, 1, tzinfo=UTC),
    )
    dumped = att.model_dump(by_alias=True, mode="json")
    assert dumped["msgId"] == "msg_1"
    assert dumped["responseStatusCode"] == 200
    assert dumped["triggerType"] == 1


def test_page_keys_and_has_next(sample) -> None:
    raw = json.dumps(sample.page([sample.attempt()], iterator="it", prev="-pv", done=False))
    page = Page[MessageAttemptOut].model_validate_json(raw)
    assert page.iterator == "it" and page.prev_iterator == "-pv" and page.done is False
    assert page.has_next
    assert isinstance(page.data[0], MessageAttemptOut)

    last = Page[MessageAttemptOut].model_validate_json(
        b'{"data":[],"iterator":"atmpt_x","prevIterator":"-atmpt_y","done":true}'
    )
    assert not last.has_next  # done wins even with an iterator present
    no_prev = Page[MessageAttemptOut].model_validate_json(b'{"data":[],"done":false}')
    assert no_prev.iterator is None and no_prev.prev_iterator is None and not no_prev.has_next


def test_page_requires_done_and_data() -> None:
    with pytest.raises(ValidationError):
        Page[MessageAttemptOut].model_validate_json(b'{"data":[],"iterator":null}')
    with pytest.raises(ValidationError):
        Page[MessageAttemptOut].model_validate_json(b'{"done":true}')


def test_big_page_parses_in_one_call(sample) -> None:
    items = [{**sample.attempt(i), "status": i % 6, "unknown": i} for i in range(250)]
    raw = json.dumps(sample.page(items, iterator="x", done=False)).encode()
    page = Page[MessageAttemptOut].model_validate_json(raw)
    assert len(page.data) == 250
    assert [a.status for a in page.data[:6]] == [0, 1, 2, 3, 4, 5]


def test_parsing_agrees_with_official_svix_models(sample) -> None:
    """Field names and values match the official SDK's reading of the same bytes."""
    svix_models = pytest.importorskip("svix.models")
    cases = [
        (
            MessageAttemptWithMsgOut,
            svix_models.MessageAttemptOut,
            {**sample.attempt(), "msg": sample.message()},
        ),
        (EndpointMessageOut, svix_models.EndpointMessageOut, sample.endpoint_message()),
        (EndpointOut, svix_models.EndpointOut, sample.endpoint()),
        (ApplicationOut, svix_models.ApplicationOut, sample.application()),
        (MessageEndpointOut, svix_models.MessageEndpointOut, sample.destination()),
    ]
    for ours, theirs, body in cases:
        raw = json.dumps(body)
        a = ours.model_validate_json(raw).model_dump(mode="json", by_alias=True)
        b = theirs.model_validate_json(raw).model_dump(mode="json", by_alias=True)
        shared = set(a) & set(b)
        assert shared == set(b), (ours.__name__, set(b) - set(a))
        assert {k: a[k] for k in shared} == {k: b[k] for k in shared}, ours.__name__


def _validation_nodes(node: object) -> list[dict[str, object]]:
    """Every schema dict under `node`, skipping serialization schemas."""
    if isinstance(node, dict):
        found = [node] if isinstance(node.get("type"), str) else []
        for key, value in node.items():
            if key != "serialization":
                found += _validation_nodes(value)
        return found
    if isinstance(node, list | tuple):
        return [n for item in node for n in _validation_nodes(item)]
    return []


def test_parsing_never_calls_python() -> None:
    """Pages are parsed entirely inside pydantic-core (issue #5, figure 8): a field/model
    validator, post-init hook or default factory would run Python for every row of a page."""
    parsed = [
        m
        for name in models.__all__
        if isinstance(m := getattr(models, name), type)
        if issubclass(m, BaseModel) and m is not Page
    ]
    for model in [*parsed, *(Page[m] for m in parsed)]:
        nodes = _validation_nodes(model.__pydantic_core_schema__)
        assert nodes, model.__name__
        for node in nodes:
            assert not str(node["type"]).startswith("function-"), (model.__name__, node["type"])
            assert "default_factory" not in node, model.__name__
            assert not node.get("post_init") and not node.get("custom_init"), model.__name__
