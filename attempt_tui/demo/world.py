"""The demo world: seeded generation, the live simulator and the queries the API serves.

Pure stdlib. Everything is deterministic from the seed, the start time and
the sequence of ticks and mutations. Time is integer microseconds since the
Unix epoch (`now_us`); `tick(seconds)` runs every due event in time order:
new messages arriving, delivery tries starting and finishing, recover tasks
stepping. Messages created live use the retry schedule compressed by
LIVE_COMPRESSION so a polling client sees them move within seconds.
"""

from __future__ import annotations

import gc
import heapq
import random
import threading
import time
from bisect import bisect_left
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Generic, TypedDict, TypeVar

from typing_extensions import Unpack

from attempt_tui.compat import UTC
from attempt_tui.demo import ids, scenario
from attempt_tui.demo.apps import AppDirectory, Customers
from attempt_tui.demo.model import (
    DAY,
    FAIL,
    HOUR,
    MANUAL,
    PENDING,
    SCHEDULED,
    SECOND,
    SENDING,
    SUCCESS,
    Application,
    Attempt,
    Destination,
    Endpoint,
    Message,
    Task,
    Try,
    is_ok,
)
from attempt_tui.demo.paging import NO_LIMIT, Page, page_sorted, parse_iterator

T = TypeVar("T")

WINDOW_US = 90 * DAY
IDEMPOTENCY_TTL_US = 12 * HOUR
# Delay before each try: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
RETRY_DELAYS_US = (
    0,
    5 * SECOND,
    300 * SECOND,
    1800 * SECOND,
    2 * HOUR,
    5 * HOUR,
    10 * HOUR,
    10 * HOUR,
)
LIVE_COMPRESSION = 60
LIVE_GAP_S = (1.5, 6.0)  # seconds between live messages
RECOVER_PER_SECOND = 25
BIG_PAYLOAD_SHARE = 0.005
EVENT_ID_SHARE = 0.8
CUSTOMER_SPAN_US = 3 * 365 * DAY  # customer apps of a large world were created over 3 years
_PLATFORM_SEED = 0x5EED_0321  # the platform app has its own generator: the cast stays the same
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

_ARRIVAL, _DEST, _TASK = 0, 1, 2


def to_us(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // timedelta(microseconds=1)


def from_us(ts_us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=ts_us)


class Filters(TypedDict, total=False):
    """The filters of the message and attempt lists; a missing or None one filters nothing.

    `status` is a delivery status for attempted messages and an attempt status for
    attempt lists; each list reads only the fields its Svix operation takes.
    """

    channel: str | None
    tag: str | None
    event_types: frozenset[str] | None
    before_us: int | None
    after_us: int | None
    status: int | None
    code_class: int | None


class _Picker(Generic[T]):
    """Weighted choice by bisecting cumulative weights (much cheaper than random.choices)."""

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        self.values: list[T] = []
        self.cumulative: list[float] = []
        total = 0.0
        for value, weight in pairs:
            total += weight
            self.values.append(value)
            self.cumulative.append(total)
        self.total = total

    def pick(self, r: random.Random) -> T:
        return self.values[bisect_left(self.cumulative, r.random() * self.total)]


class _AppGen:
    """Per-app generators of message attributes."""

    def __init__(self, spec: scenario.AppSpec) -> None:
        self.spec = spec
        self.event_types = _Picker(spec.event_types)
        self.channels = _Picker(spec.channel_sets)
        self.tags = _Picker(spec.tag_sets)


class World:
    """The whole demo state. Guard concurrent use with `world.lock`.

    `apps` are the simulated applications (the scenario's cast, then the platform app
    with `many_endpoints` endpoints when asked); `directory` holds every application,
    including the `large_apps` customer apps of a large world.
    """

    def __init__(
        self,
        seed: int = 7,
        *,
        live: bool = True,
        now: datetime | None = None,
        clock: Callable[[], float] = time.monotonic,
        large_apps: int = 0,
        many_endpoints: int = 0,
    ) -> None:
        started = time.perf_counter()
        self.seed = seed
        self.live = live
        self.lock = threading.RLock()
        self._clock = clock
        self.now_us = to_us(now if now is not None else datetime.now(UTC))
        self._seq = 0
        self._order = 0
        self._heap: list[tuple[int, int, int, object, int]] = []
        self._sim = random.Random(seed * 1_000_003 + 17)
        self.apps: list[Application] = []
        self.roles: dict[str, Endpoint] = {}
        self.tasks: dict[str, Task] = {}
        self._idempotency: dict[tuple[str, ...], tuple[int, int, bytes]] = {}
        self._gens: dict[int, _AppGen] = {}
        # Generation allocates tens of thousands of objects that all live on; pausing
        # the cyclic collector meanwhile saves about a third of the build time.
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._generate(random.Random(seed), scenario.APPS)
            if many_endpoints > 0:
                platform = scenario.platform(many_endpoints)
                self._generate(random.Random(seed ^ _PLATFORM_SEED), (platform,))
            customers = None
            if large_apps > 0:
                customers = Customers(
                    large_apps,
                    first_seq=self._seq + 1,
                    start_us=self.now_us - CUSTOMER_SPAN_US,
                    span_us=CUSTOMER_SPAN_US,
                    salt=seed,
                )
                self._seq += large_apps
            self.directory = AppDirectory(self.apps, customers, seed)
        finally:
            if collecting:
                gc.enable()
        self._schedule(self.now_us + self._live_gap(), _ARRIVAL, None)
        self._last_wall = clock()
        self.build_seconds = time.perf_counter() - started

    # ----------------------------------------------------------------- time

    @property
    def now(self) -> datetime:
        return from_us(self.now_us)

    def tick(self, seconds: float) -> None:
        """Advance world time by `seconds`, running every event that falls due."""
        with self.lock:
            target = self.now_us + max(0, round(seconds * SECOND))
            while self._heap and self._heap[0][0] <= target:
                at, _, kind, obj, gen = heapq.heappop(self._heap)
                self.now_us = max(self.now_us, at)
                if kind == _DEST:
                    dest = obj
                    assert isinstance(dest, Destination)
                    if dest.gen == gen:
                        self._advance(dest, self.now_us, self._materialize)
                elif kind == _ARRIVAL:
                    self._arrival()
                else:
                    assert isinstance(obj, Task)
                    self._task_step(obj)
            self.now_us = target

    def sync(self) -> None:
        """In live mode, catch up with the wall time elapsed since the last call."""
        if not self.live:
            return
        with self.lock:
            wall = self._clock()
            elapsed = wall - self._last_wall
            self._last_wall = wall
            if elapsed > 0:
                self.tick(elapsed)

    def _schedule(self, at_us: int, kind: int, obj: object, gen: int = 0) -> None:
        self._order += 1
        heapq.heappush(self._heap, (at_us, self._order, kind, obj, gen))

    def _next_key(self, ts_us: int) -> int:
        self._seq += 1
        return ids.make_key(ts_us, self._seq)

    # ----------------------------------------------------------- generation

    def _generate(self, r: random.Random, specs: Iterable[scenario.AppSpec]) -> None:
        """Create the apps of `specs` with their endpoints, then their past traffic."""
        now = self.now_us
        created: list[Application] = []
        for spec in specs:
            key = self._next_key(now - int(spec.created_days_ago * DAY))
            app = Application(
                key, ids.encode("app_", key, self.seed), spec.uid, spec.name, dict(spec.metadata)
            )
            self.apps.append(app)
            created.append(app)
            self._gens[key] = _AppGen(spec)
            for ep_spec in spec.endpoints:
                ep_key = self._next_key(now - int(ep_spec.created_days_ago * DAY))
                disabled_since = None
                if ep_spec.disabled_days_ago is not None:
                    disabled_since = now - int(ep_spec.disabled_days_ago * DAY)
                endpoint = Endpoint(
                    app=app,
                    key=ep_key,
                    id_=ids.encode("ep_", ep_key, self.seed),
                    role=ep_spec.role,
                    uid=ep_spec.uid,
                    url=ep_spec.url,
                    description=ep_spec.description,
                    behaviour=ep_spec.behaviour(now),
                    event_types=ep_spec.event_types,
                    channels=ep_spec.channels,
                    disabled_since_us=disabled_since,
                    metadata=dict(ep_spec.metadata),
                    throttle_rate=ep_spec.throttle_rate,
                    secret=r.randbytes(24),
                )
                app.endpoints.append(endpoint)
                self.roles[ep_spec.role] = endpoint

        # Historical traffic, denser toward now (t = span * u^2).
        done: list[tuple[int, int, Destination, Try]] = []

        def collect(dest: Destination, attempt: Try) -> None:
            done.append((attempt[1], len(done), dest, attempt))

        for app in created:
            gen = self._gens[app.key]
            span = gen.spec.span_days * DAY
            stamps = sorted(
                now - 1 - int(span * u * u)
                for u in (r.random() for _ in range(gen.spec.message_count))
            )
            showcase = len(stamps) - 4  # a big invoice near the top of the busiest list
            for index, ts in enumerate(stamps):
                msg = self._new_message(app, gen, ts, r, compression=1)
                if index == showcase and app is self.apps[0]:
                    msg.event_type = "invoice.paid"
                    msg.big = True
                for endpoint in app.endpoints:
                    if endpoint.accepts(msg, ts):
                        self._add_destination(msg, endpoint, r, collect)

        done.sort(key=lambda item: (item[0], item[1]))
        for finish, _, dest, attempt in done:
            self._append_attempt(
                dest, Attempt(self._next_key(finish), dest, attempt[2], attempt[3], SCHEDULED)
            )

    def _new_message(
        self, app: Application, gen: _AppGen, ts_us: int, r: random.Random, compression: int
    ) -> Message:
        event_type = gen.event_types.pick(r)
        family = event_type.split(".", 1)[0]
        msg = Message(
            app=app,
            key=self._next_key(ts_us),
            event_type=event_type,
            has_event_id=r.random() < EVENT_ID_SHARE,
            channels=gen.channels.pick(r),
            tags=gen.tags.pick(r),
            seed=r.getrandbits(48),
            big=family in ("invoice", "order") and r.random() < BIG_PAYLOAD_SHARE * 3,
            compression=compression,
        )
        app.add_message(msg, self.seed)
        return msg

    def _plan(
        self, endpoint: Endpoint, start_us: int, compression: int, r: random.Random
    ) -> list[Try]:
        """Every try this delivery will make, until one succeeds or the schedule runs out."""
        plan: list[Try] = []
        at = start_us + 1_000 + int(r.random() * 40_000)  # queueing latency
        for index, delay in enumerate(RETRY_DELAYS_US):
            if index:
                at += delay // compression
            code, duration_ms = endpoint.behaviour.outcome(r, at)
            finish = at + duration_ms * 1_000
            plan.append((at, finish, code, duration_ms))
            if is_ok(code):
                break
            at = finish
        return plan

    def _add_destination(
        self,
        msg: Message,
        endpoint: Endpoint,
        r: random.Random,
        sink: Callable[[Destination, Try], None],
    ) -> Destination:
        dest = Destination(msg, endpoint, self._plan(endpoint, msg.ts_us, msg.compression, r))
        msg.dests.append(dest)
        endpoint.dests.append(dest)
        endpoint.dest_keys.append(msg.key)
        self._advance(dest, self.now_us, sink)
        return dest

    def _advance(
        self, dest: Destination, now_us: int, sink: Callable[[Destination, Try], None]
    ) -> None:
        """Record every try finished by `now_us`, set the status and schedule the next change."""
        plan = dest.plan
        index = dest.next_try
        while index < len(plan) and plan[index][1] <= now_us:
            sink(dest, plan[index])
            index += 1
        dest.next_try = index
        if index < len(plan):
            start, finish = plan[index][0], plan[index][1]
            if start <= now_us:
                dest.status, dest.next_attempt_us = SENDING, None
                self._schedule(finish, _DEST, dest, dest.gen)
            else:
                dest.status, dest.next_attempt_us = PENDING, start
                self._schedule(start, _DEST, dest, dest.gen)
        elif plan:
            dest.status = SUCCESS if is_ok(plan[-1][2]) else FAIL
            dest.next_attempt_us = None

    def _materialize(self, dest: Destination, attempt: Try) -> None:
        self._append_attempt(
            dest, Attempt(self._next_key(attempt[1]), dest, attempt[2], attempt[3], SCHEDULED)
        )

    @staticmethod
    def _append_attempt(dest: Destination, attempt: Attempt) -> None:
        dest.attempts.append(attempt)
        endpoint = dest.endpoint
        keys = endpoint.attempt_keys
        if not keys or keys[-1] < attempt.key:
            keys.append(attempt.key)
            endpoint.attempts.append(attempt)
        else:  # defensive: keep the list sorted whatever the event order
            index = bisect_left(keys, attempt.key)
            keys.insert(index, attempt.key)
            endpoint.attempts.insert(index, attempt)

    # ------------------------------------------------------------ simulator

    def _live_gap(self) -> int:
        low, high = LIVE_GAP_S
        return int(self._sim.uniform(low, high) * SECOND)

    def _arrival(self) -> None:
        r = self._sim
        weights = [self._gens[app.key].spec.live_weight for app in self.apps]
        app = r.choices(self.apps, weights)[0]
        msg = self._new_message(
            app, self._gens[app.key], self.now_us, r, compression=LIVE_COMPRESSION
        )
        for endpoint in app.endpoints:
            if endpoint.accepts(msg, self.now_us):
                self._add_destination(msg, endpoint, r, self._materialize)
        self._schedule(self.now_us + self._live_gap(), _ARRIVAL, None)

    def _task_step(self, task: Task) -> None:
        batch, task.todo = task.todo[:RECOVER_PER_SECOND], task.todo[RECOVER_PER_SECOND:]
        for dest in batch:
            self._manual_attempt(dest)
            task.sent += 1
        task.updated_us = self.now_us
        if task.todo:
            self._schedule(self.now_us + SECOND, _TASK, task)
        else:
            task.status = "finished"

    # ------------------------------------------------------------ mutations

    def _manual_attempt(self, dest: Destination) -> Attempt:
        code, duration_ms = dest.endpoint.behaviour.outcome(self._sim, self.now_us)
        attempt = Attempt(self._next_key(self.now_us), dest, code, duration_ms, MANUAL)
        self._append_attempt(dest, attempt)
        if is_ok(code):
            # Success settles the delivery and cancels any retries still scheduled.
            dest.plan = dest.plan[: dest.next_try]
            dest.gen += 1
            dest.status, dest.next_attempt_us = SUCCESS, None
        elif dest.next_try >= len(dest.plan):
            dest.status, dest.next_attempt_us = FAIL, None
        return attempt

    def resend(self, msg: Message, endpoint: Endpoint) -> Attempt | None:
        """A manual attempt of `msg` to `endpoint`; None if it was never sent there."""
        with self.lock:
            dest = msg.dest_for(endpoint)
            if dest is None:
                return None
            return self._manual_attempt(dest)

    def expunge(self, attempt: Attempt) -> None:
        attempt.expunged = True

    def recover(self, endpoint: Endpoint, since_us: int, until_us: int | None) -> Task:
        """Start resending, as Svix does, each message with a failed attempt at the endpoint
        in [since, until) and no successful attempt there in that time (attempt times, not
        when the message was created)."""
        with self.lock:
            upper = self.now_us if until_us is None else until_us
            keys = endpoint.attempt_keys
            start = bisect_left(keys, ids.ts_floor_key(since_us))
            stop = bisect_left(keys, ids.ts_floor_key(upper))
            failed: dict[int, Destination] = {}
            succeeded: set[int] = set()
            for attempt in endpoint.attempts[start:stop]:
                if attempt.status == FAIL:
                    failed.setdefault(attempt.dest.msg.key, attempt.dest)
                else:
                    succeeded.add(attempt.dest.msg.key)
            todo = [dest for key, dest in sorted(failed.items()) if key not in succeeded]
            key = self._next_key(self.now_us)
            task = Task(key, ids.encode("qtask_", key, self.seed), endpoint, todo)
            self.tasks[task.id] = task
            self._schedule(self.now_us + SECOND, _TASK, task)
            return task

    def idempotent_get(self, scope: tuple[str, ...]) -> tuple[int, bytes] | None:
        entry = self._idempotency.get(scope)
        if entry is None or self.now_us - entry[0] > IDEMPOTENCY_TTL_US:
            return None
        return entry[1], entry[2]

    def idempotent_put(self, scope: tuple[str, ...], status: int, body: bytes) -> None:
        self._idempotency[scope] = (self.now_us, status, body)

    # -------------------------------------------------------------- lookups

    def app(self, id_or_uid: str) -> Application | None:
        return self.directory.get(id_or_uid)

    def message(self, app: Application, id_or_event_id: str) -> Message | None:
        return app.message(id_or_event_id, self.seed)

    def attempt(self, msg: Message, attempt_id: str) -> Attempt | None:
        for dest in msg.dests:
            for attempt in dest.attempts:
                if attempt.id_for(self.seed) == attempt_id:
                    return attempt
        return None

    def msg_id(self, msg: Message) -> str:
        return msg.id_for(self.seed)

    def event_id(self, msg: Message) -> str | None:
        return msg.event_id_for(self.seed)

    def attempt_id(self, attempt: Attempt) -> str:
        return attempt.id_for(self.seed)

    # -------------------------------------------------------------- queries

    def _window(self, prefix: str, iterator: str | None, filters: Filters) -> tuple[int, int]:
        """Key bounds: before/after when given, else 90 days from now or from the iterator."""
        before_us, after_us = filters.get("before_us"), filters.get("after_us")
        lo, hi = 0, NO_LIMIT
        if before_us is None and after_us is None:
            if iterator is None:
                lo = ids.ts_floor_key(self.now_us - WINDOW_US)
            else:
                key, is_prev = parse_iterator(prefix, iterator)
                if is_prev:
                    hi = ids.ts_floor_key(ids.key_ts_us(key) + WINDOW_US)
                else:
                    lo = ids.ts_floor_key(ids.key_ts_us(key) - WINDOW_US)
        if before_us is not None:
            hi = ids.ts_floor_key(before_us)
        if after_us is not None:
            lo = ids.ts_floor_key(after_us + 1)
        return lo, hi

    def list_apps(
        self, *, limit: int, iterator: str | None, descending: bool = True
    ) -> Page[Application]:
        return self.directory.page(limit=limit, iterator=iterator, descending=descending)

    def list_endpoints(
        self, app: Application, *, limit: int, iterator: str | None, descending: bool = True
    ) -> Page[Endpoint]:
        endpoints = sorted(app.endpoints, key=lambda endpoint: endpoint.key)
        return page_sorted(
            [endpoint.key for endpoint in endpoints],
            endpoints,
            prefix="ep_",
            limit=limit,
            iterator=iterator,
            id_of=lambda endpoint: endpoint.id,
            descending=descending,
        )

    @staticmethod
    def _msg_pred(filters: Filters) -> Callable[[Message], bool] | None:
        channel, tag, event_types = (
            filters.get("channel"),
            filters.get("tag"),
            filters.get("event_types"),
        )
        if channel is None and tag is None and not event_types:
            return None

        def pred(msg: Message) -> bool:
            if event_types and msg.event_type not in event_types:
                return False
            if channel is not None and (msg.channels is None or channel not in msg.channels):
                return False
            return tag is None or (msg.tags is not None and tag in msg.tags)

        return pred

    def list_messages(
        self,
        app: Application,
        *,
        limit: int,
        iterator: str | None,
        **filters: Unpack[Filters],
    ) -> Page[Message]:
        lo, hi = self._window("msg_", iterator, filters)
        return page_sorted(
            app.msg_keys,
            app.messages,
            prefix="msg_",
            limit=limit,
            iterator=iterator,
            id_of=self.msg_id,
            lo=lo,
            hi=hi,
            pred=self._msg_pred(filters),
        )

    def list_attempted_messages(
        self,
        endpoint: Endpoint,
        *,
        limit: int,
        iterator: str | None,
        **filters: Unpack[Filters],
    ) -> Page[Destination]:
        lo, hi = self._window("msg_", iterator, filters)
        msg_pred = self._msg_pred(filters)
        status = filters.get("status")
        pred: Callable[[Destination], bool] | None = None
        if msg_pred is not None or status is not None:

            def dest_pred(dest: Destination) -> bool:
                if status is not None and dest.status != status:
                    return False
                return msg_pred is None or msg_pred(dest.msg)

            pred = dest_pred

        return page_sorted(
            endpoint.dest_keys,
            endpoint.dests,
            prefix="msg_",
            limit=limit,
            iterator=iterator,
            id_of=lambda dest: self.msg_id(dest.msg),
            lo=lo,
            hi=hi,
            pred=pred,
        )

    def _attempt_pred(
        self, filters: Filters, endpoint: Endpoint | None = None
    ) -> Callable[[Attempt], bool] | None:
        msg_pred = self._msg_pred(filters)
        status, code_class = filters.get("status"), filters.get("code_class")
        if msg_pred is None and status is None and code_class is None and endpoint is None:
            return None

        def pred(attempt: Attempt) -> bool:
            if status is not None and attempt.status != status:
                return False
            if code_class is not None:
                code = attempt.code
                if (code // 100 * 100 if code >= 100 else 0) != code_class:
                    return False
            if endpoint is not None and attempt.dest.endpoint is not endpoint:
                return False
            return msg_pred is None or msg_pred(attempt.dest.msg)

        return pred

    def list_attempts_by_endpoint(
        self,
        endpoint: Endpoint,
        *,
        limit: int,
        iterator: str | None,
        **filters: Unpack[Filters],
    ) -> Page[Attempt]:
        lo, hi = self._window("atmpt_", iterator, filters)
        return page_sorted(
            endpoint.attempt_keys,
            endpoint.attempts,
            prefix="atmpt_",
            limit=limit,
            iterator=iterator,
            id_of=self.attempt_id,
            lo=lo,
            hi=hi,
            pred=self._attempt_pred(filters),
        )

    def count_attempts_by_endpoint(self, endpoint: Endpoint, **filters: Unpack[Filters]) -> int:
        lo, hi = self._window("atmpt_", None, filters)
        keys = endpoint.attempt_keys
        start, stop = bisect_left(keys, lo), bisect_left(keys, hi)
        pred = self._attempt_pred(filters)
        if pred is None:
            return max(0, stop - start)
        return sum(1 for attempt in endpoint.attempts[start:stop] if pred(attempt))

    def list_attempts_by_msg(
        self,
        msg: Message,
        *,
        limit: int,
        iterator: str | None,
        endpoint: Endpoint | None = None,
        **filters: Unpack[Filters],
    ) -> Page[Attempt]:
        lo, hi = self._window("atmpt_", iterator, filters)
        attempts = sorted((a for dest in msg.dests for a in dest.attempts), key=lambda a: a.key)
        return page_sorted(
            [attempt.key for attempt in attempts],
            attempts,
            prefix="atmpt_",
            limit=limit,
            iterator=iterator,
            id_of=self.attempt_id,
            lo=lo,
            hi=hi,
            pred=self._attempt_pred(filters, endpoint),
        )

    def list_attempted_destinations(
        self, msg: Message, *, limit: int, iterator: str | None
    ) -> Page[Destination]:
        dests = sorted(msg.dests, key=lambda dest: dest.endpoint.key)
        return page_sorted(
            [dest.endpoint.key for dest in dests],
            dests,
            prefix="ep_",
            limit=limit,
            iterator=iterator,
            id_of=lambda dest: dest.endpoint.id,
            descending=False,
        )

    def endpoint_stats(
        self, endpoint: Endpoint, since_us: int | None = None, until_us: int | None = None
    ) -> list[int]:
        """Delivery counts by status (index = status) for messages created in [since, until]."""
        counts = [0, 0, 0, 0, 0]
        keys = endpoint.dest_keys
        start = 0 if since_us is None else bisect_left(keys, ids.ts_floor_key(since_us))
        stop = len(keys) if until_us is None else bisect_left(keys, ids.ts_floor_key(until_us + 1))
        for dest in endpoint.dests[start:stop]:
            counts[dest.status] += 1
        return counts
