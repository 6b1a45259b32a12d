"""Pydantic models of the Svix API objects attempt-tui reads.

Tolerant by design: unknown fields are ignored, enum-valued fields stay plain `int`/`str` so a
future status code never fails a whole page, and optional fields may be absent. Whole pages are
parsed from raw bytes in one `model_validate_json` call so validation stays in pydantic-core.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any, Generic, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

__all__ = [
    "ApplicationOut",
    "BackgroundTaskOut",
    "CountOut",
    "EndpointMessageOut",
    "EndpointOut",
    "EndpointStats",
    "MessageAttemptHeadersOut",
    "MessageAttemptOut",
    "MessageAttemptWithMsgOut",
    "MessageEndpointOut",
    "MessageOut",
    "MessageStatus",
    "Page",
    "RecoverOut",
    "StatusCodeClass",
    "TriggerType",
    "status_label",
    "trigger_label",
]


class MessageStatus(IntEnum):
    SUCCESS = 0
    PENDING = 1
    FAIL = 2
    SENDING = 3
    CANCELED = 4


class StatusCodeClass(IntEnum):
    NONE = 0
    C1XX = 100
    C2XX = 200
    C3XX = 300
    C4XX = 400
    C5XX = 500


class TriggerType(IntEnum):
    SCHEDULED = 0
    MANUAL = 1


_STATUS_LABELS: dict[int, str] = {
    MessageStatus.SUCCESS: "success",
    MessageStatus.PENDING: "pending",
    MessageStatus.FAIL: "fail",
    MessageStatus.SENDING: "sending",
    MessageStatus.CANCELED: "canceled",
}
_TRIGGER_LABELS: dict[int, str] = {TriggerType.SCHEDULED: "scheduled", TriggerType.MANUAL: "manual"}


def status_label(value: int) -> str:
    """Human label of a MessageStatus value; unknown values are shown, never rejected."""
    return _STATUS_LABELS.get(value, f"unknown({value})")


def trigger_label(value: int) -> str:
    """Human label of a MessageAttemptTriggerType value."""
    return _TRIGGER_LABELS.get(value, f"unknown({value})")


# The spec's `date-time` is RFC 3339, which always carries an offset. AwareDatetime keeps the check
# inside pydantic-core (an AfterValidator costs ~5% of page-parse time); a naive value is a
# contract violation and surfaces as a DecodeError naming the field.
Timestamp = AwareDatetime


class ApiModel(BaseModel):
    """Base of every model: camelCase JSON, snake_case attributes, unknown fields ignored."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="ignore",
    )


class ApplicationOut(ApiModel):
    id: str
    name: str
    uid: str | None = None
    throttle_rate: int | None = None
    created_at: Timestamp
    updated_at: Timestamp
    metadata: dict[str, str] = {}


class EndpointOut(ApiModel):
    id: str
    url: str
    description: str = ""
    disabled: bool = False
    uid: str | None = None
    throttle_rate: int | None = None
    event_types: list[str] | None = None
    channels: list[str] | None = None
    version: int | None = None
    created_at: Timestamp
    updated_at: Timestamp
    metadata: dict[str, str] = {}


class EndpointStats(ApiModel):
    success: int = 0
    pending: int = 0
    sending: int = 0
    fail: int = 0
    canceled: int = 0


class MessageOut(ApiModel):
    id: str
    event_type: str
    event_id: str | None = None
    payload: dict[str, Any] | None = None
    channels: list[str] | None = None
    tags: list[str] | None = None
    timestamp: Timestamp
    deliver_at: Timestamp | None = None


class EndpointMessageOut(ApiModel):
    """A message as seen at one endpoint, with the status of its latest attempt there."""

    id: str
    event_type: str
    event_id: str | None = None
    payload: dict[str, Any] | None = None
    channels: list[str] | None = None
    tags: list[str] | None = None
    timestamp: Timestamp
    deliver_at: Timestamp | None = None
    status: int
    status_text: str = ""
    next_attempt: Timestamp | None = None


class MessageAttemptOut(ApiModel):
    id: str
    msg_id: str
    endpoint_id: str
    url: str
    response: str = ""
    response_status_code: int
    response_duration_ms: int = 0
    status: int
    status_text: str = ""
    trigger_type: int
    timestamp: Timestamp


class MessageAttemptWithMsgOut(MessageAttemptOut):
    """An attempt listed with `with_msg=true`, carrying its message.

    A separate model so that plain listings, the common case, parse one field fewer per row:
    parsing is per-row work, and that field made ours slower than the SDK's models.
    """

    msg: MessageOut | None = None


class MessageEndpointOut(ApiModel):
    """An endpoint a message was (or will be) attempted to, with its delivery status."""

    id: str
    url: str
    description: str = ""
    disabled: bool = False
    uid: str | None = None
    status: int
    status_text: str = ""
    next_attempt: Timestamp | None = None
    throttle_rate: int | None = None
    event_types: list[str] | None = None
    channels: list[str] | None = None
    version: int | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None


class MessageAttemptHeadersOut(ApiModel):
    sent_headers: dict[str, str] = {}
    response_headers: list[list[str]] | None = None
    sensitive: list[str] = []


class CountOut(ApiModel):
    count: int
    approximated: bool = False


class RecoverOut(ApiModel):
    id: str
    status: str
    task: str
    updated_at: Timestamp


class BackgroundTaskOut(ApiModel):
    id: str
    status: str
    task: str
    updated_at: Timestamp
    data: dict[str, Any] = {}


T = TypeVar("T")


class Page(ApiModel, Generic[T]):
    """One page of a Svix list.

    `iterator` fetches the next (older) page; `prev_iterator` already starts with '-' and is
    passed as `iterator` to go back toward newer items. `done` is the only end-of-list signal:
    the iterator can be non-null on the last page.
    """

    data: list[T]
    iterator: str | None = None
    prev_iterator: str | None = None
    done: bool

    @property
    def has_next(self) -> bool:
        """True when another page can be fetched with `iterator`."""
        return not self.done and self.iterator is not None
