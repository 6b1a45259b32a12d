"""Entities of the demo world. Plain classes with __slots__: there are tens of thousands."""

from __future__ import annotations

import random
from bisect import bisect_left
from dataclasses import dataclass, field

from attempt_tui.demo import ids

SUCCESS, PENDING, FAIL, SENDING, CANCELED = 0, 1, 2, 3, 4
STATUS_TEXT = ("success", "pending", "fail", "sending", "canceled")
SCHEDULED, MANUAL = 0, 1
TIMEOUT_MS = 15_000

SECOND = 1_000_000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR

# One planned delivery try: (start_us, finish_us, response status code, duration ms).
Try = tuple[int, int, int, int]


def is_ok(code: int) -> bool:
    return 200 <= code < 300


@dataclass(frozen=True, slots=True)
class Behaviour:
    """How an endpoint answers, as a function of time and chance."""

    fail_rate: float = 0.0
    fail_codes: tuple[int, ...] = (503,)
    ok_codes: tuple[int, ...] = (200, 200, 200, 200, 202, 204)
    latency: tuple[float, float] = (4.7, 0.5)  # lognormal mu, sigma of milliseconds
    outages: tuple[tuple[int, int], ...] = ()  # [start_us, end_us) when every try fails
    timeout_since_us: int | None = None  # from then on every try times out
    always_fail: bool = False
    _latency_ms: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # 64 lognormal draws from a fixed generator; picking one is far cheaper than sampling.
        sampler = random.Random(64)
        table = tuple(sorted(int(sampler.lognormvariate(*self.latency)) + 1 for _ in range(64)))
        object.__setattr__(self, "_latency_ms", table)

    def outcome(self, r: random.Random, at_us: int) -> tuple[int, int]:
        """(status code, duration ms) of a try starting at `at_us`; code 0 = no response."""
        if self.timeout_since_us is not None and at_us >= self.timeout_since_us:
            return 0, TIMEOUT_MS
        failing = self.always_fail or (self.fail_rate > 0 and r.random() < self.fail_rate)
        if not failing:
            for start, end in self.outages:
                if start <= at_us < end:
                    failing = True
                    break
        codes = self.fail_codes if failing else self.ok_codes
        code = codes[int(r.random() * len(codes))]
        duration = self._latency_ms[int(r.random() * 64)]
        if code == 504:
            duration = 10_000 + duration % 4_000
        return code, min(duration, TIMEOUT_MS - 1)


class Application:
    __slots__ = (
        "_event_index",
        "created_us",
        "endpoints",
        "id",
        "key",
        "messages",
        "metadata",
        "msg_keys",
        "name",
        "throttle_rate",
        "uid",
    )

    def __init__(
        self, key: int, id_: str, uid: str | None, name: str, metadata: dict[str, str]
    ) -> None:
        self.key = key
        self.id = id_
        self.uid = uid
        self.name = name
        self.metadata = metadata
        self.throttle_rate: int | None = None
        self.created_us = ids.key_ts_us(key)
        self.endpoints: list[Endpoint] = []
        self.messages: list[Message] = []
        self.msg_keys: list[int] = []
        self._event_index: dict[str, Message] | None = None

    @property
    def updated_us(self) -> int:
        return self.created_us

    def endpoint(self, id_or_uid: str) -> Endpoint | None:
        for endpoint in self.endpoints:
            if endpoint.id == id_or_uid or (endpoint.uid is not None and endpoint.uid == id_or_uid):
                return endpoint
        return None

    def message(self, id_or_event_id: str, salt: int) -> Message | None:
        key = ids.decode("msg_", id_or_event_id)
        if key is not None:
            index = bisect_left(self.msg_keys, key)
            if index < len(self.msg_keys) and self.msg_keys[index] == key:
                found = self.messages[index]
                if found.id_for(salt) == id_or_event_id:
                    return found
            return None
        if self._event_index is None:
            self._event_index = {}
            for msg in self.messages:
                event_id = msg.event_id_for(salt)
                if event_id is not None:
                    self._event_index[event_id] = msg
        return self._event_index.get(id_or_event_id)

    def add_message(self, msg: Message, salt: int) -> None:
        self.messages.append(msg)
        self.msg_keys.append(msg.key)
        if self._event_index is not None:
            event_id = msg.event_id_for(salt)
            if event_id is not None:
                self._event_index[event_id] = msg


class Endpoint:
    __slots__ = (
        "app",
        "attempt_keys",
        "attempts",
        "behaviour",
        "channels",
        "created_us",
        "description",
        "dest_keys",
        "dests",
        "disabled",
        "disabled_since_us",
        "event_types",
        "id",
        "key",
        "metadata",
        "role",
        "secret",
        "throttle_rate",
        "uid",
        "updated_us",
        "url",
    )

    def __init__(
        self,
        *,
        app: Application,
        key: int,
        id_: str,
        role: str,
        uid: str | None,
        url: str,
        description: str,
        behaviour: Behaviour,
        event_types: tuple[str, ...] | None,
        channels: tuple[str, ...] | None,
        disabled_since_us: int | None,
        metadata: dict[str, str],
        throttle_rate: int | None,
        secret: bytes,
    ) -> None:
        self.app = app
        self.key = key
        self.id = id_
        self.role = role
        self.uid = uid
        self.url = url
        self.description = description
        self.behaviour = behaviour
        self.event_types = event_types
        self.channels = channels
        self.disabled_since_us = disabled_since_us
        self.disabled = disabled_since_us is not None
        self.metadata = metadata
        self.throttle_rate = throttle_rate
        self.secret = secret
        self.created_us = ids.key_ts_us(key)
        self.updated_us = disabled_since_us if disabled_since_us is not None else self.created_us
        self.dests: list[Destination] = []
        self.dest_keys: list[int] = []
        self.attempts: list[Attempt] = []
        self.attempt_keys: list[int] = []

    def accepts(self, msg: Message, at_us: int) -> bool:
        """Whether a message created at `at_us` is dispatched to this endpoint."""
        if at_us < self.created_us:
            return False
        if self.disabled_since_us is not None and at_us >= self.disabled_since_us:
            return False
        if self.event_types is not None and msg.event_type not in self.event_types:
            return False
        if self.channels is not None:
            if msg.channels is None:
                return False
            return any(channel in self.channels for channel in msg.channels)
        return True


class Message:
    __slots__ = (
        "_id",
        "app",
        "big",
        "channels",
        "compression",
        "dests",
        "event_type",
        "has_event_id",
        "key",
        "seed",
        "tags",
    )

    def __init__(
        self,
        *,
        app: Application,
        key: int,
        event_type: str,
        has_event_id: bool,
        channels: tuple[str, ...] | None,
        tags: tuple[str, ...] | None,
        seed: int,
        big: bool,
        compression: int,
    ) -> None:
        self.app = app
        self.key = key
        self.event_type = event_type
        self.has_event_id = has_event_id
        self.channels = channels
        self.tags = tags
        self.seed = seed
        self.big = big
        self.compression = compression
        self.dests: list[Destination] = []
        self._id: str | None = None

    @property
    def ts_us(self) -> int:
        return ids.key_ts_us(self.key)

    def id_for(self, salt: int) -> str:
        if self._id is None:
            self._id = ids.encode("msg_", self.key, salt)
        return self._id

    def event_id_for(self, salt: int) -> str | None:
        if not self.has_event_id:
            return None
        return f"evt_{ids.mix64((salt << 40) ^ ids.key_seq(self.key)) & 0xFFFFFFFFFFFF:012x}"

    def dest_for(self, endpoint: Endpoint) -> Destination | None:
        for dest in self.dests:
            if dest.endpoint is endpoint:
                return dest
        return None


class Destination:
    """A message's delivery to one endpoint (Svix's "message destination")."""

    __slots__ = (
        "attempts",
        "endpoint",
        "gen",
        "msg",
        "next_attempt_us",
        "next_try",
        "plan",
        "status",
    )

    def __init__(self, msg: Message, endpoint: Endpoint, plan: list[Try]) -> None:
        self.msg = msg
        self.endpoint = endpoint
        self.plan = plan
        self.next_try = 0
        self.status = PENDING
        self.next_attempt_us: int | None = None
        self.attempts: list[Attempt] = []
        self.gen = 0


class Attempt:
    __slots__ = ("_id", "code", "dest", "duration_ms", "expunged", "key", "trigger", "url")

    def __init__(self, key: int, dest: Destination, code: int, duration_ms: int, trigger: int):
        self.key = key
        self.dest = dest
        self.code = code
        self.duration_ms = duration_ms
        self.trigger = trigger
        self.url = dest.endpoint.url
        self.expunged = False
        self._id: str | None = None

    @property
    def status(self) -> int:
        return SUCCESS if is_ok(self.code) else FAIL

    @property
    def ts_us(self) -> int:
        return ids.key_ts_us(self.key)

    def id_for(self, salt: int) -> str:
        if self._id is None:
            self._id = ids.encode("atmpt_", self.key, salt)
        return self._id


class Task:
    """An endpoint.recover background task."""

    __slots__ = ("endpoint", "id", "key", "sent", "status", "todo", "updated_us")

    def __init__(self, key: int, id_: str, endpoint: Endpoint, todo: list[Destination]) -> None:
        self.key = key
        self.id = id_
        self.endpoint = endpoint
        self.todo = todo
        self.sent = 0
        self.status = "running"
        self.updated_us = ids.key_ts_us(key)
