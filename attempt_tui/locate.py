"""Find where a pasted id lives: an app, an endpoint, or a message (by id or eventId).

Sized for real accounts (tens of thousands of apps, an organisation-wide rate limit): every
form is first looked up directly, where the API can answer it in one request, and only then
in a bounded number of other apps. Forms:

- `APP/ID`: an app id or uid, a slash, then a message id, an eventId or an endpoint id/uid,
  looked up in that app only (at most 3 requests).
- `app_...`: the app (1 request, none when it is among the loaded apps).
- `ep_...` / `msg_...`: the open app first, then the bounded search.
- anything else: an eventId in the open app first (support engineers paste the event of a
  ticket once the customer's app is open), then an app uid, then an endpoint uid in the open
  app (1 request each), then the bounded search. With no app open, the app uid goes first.
- `atmpt_...`: only among the attempts on screen (the Svix API has no lookup of an attempt by
  its id alone: attempts hang off a message).

The bounded search looks in the recent apps, then in at most `max_apps` other loaded apps,
one request at a time, reporting progress; cancelling it leaves no request running.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, TypeVar

from attempt_tui.api.client import SvixClient
from attempt_tui.api.errors import NotFoundError
from attempt_tui.api.models import (
    ApplicationOut,
    EndpointOut,
    MessageAttemptOut,
    MessageEndpointOut,
    MessageOut,
)
from attempt_tui.compat import BaseExceptionGroup, TaskGroup

# What the API accepts as an id or uid in a path; anything else cannot be looked up.
LOOKUP_TEXT = re.compile(r"[A-Za-z0-9\-_.]{1,256}")
# How many loaded apps (besides the open and the recent ones) a go-to looks in at most.
MAX_SEARCHED_APPS = 10

BAD_TEXT = "Paste an id (app_, ep_, msg_, atmpt_), an eventId, or APP/ID to look in one app."
NO_ATTEMPT_LOOKUP = "Attempts can't be looked up by id alone in the Svix API: paste the message id."

T = TypeVar("T")
A = TypeVar("A")
B = TypeVar("B")
Kind = Literal["endpoint", "message", "either"]
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Location:
    """Where a pasted id lives, with the objects fetched on the way (None when not fetched)."""

    app_id: str
    endpoint_id: str | None = None
    msg_id: str | None = None
    timestamp: datetime | None = None
    note: str = ""
    app: ApplicationOut | None = None
    endpoint: EndpointOut | None = None
    # A found message, with its payload, its attempts at `endpoint_id` and (when they were
    # asked for) where it was sent: the detail shows them, so it asks for none of them again.
    # None: not fetched.
    message: MessageOut | None = None
    attempts: tuple[MessageAttemptOut, ...] | None = None
    destinations: tuple[MessageEndpointOut, ...] | None = None


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
    more_apps_unloaded: bool = False,
    recent_app_ids: Sequence[str] = (),
    max_apps: int = MAX_SEARCHED_APPS,
    on_progress: Progress | None = None,
) -> Location:
    """Find `text` (see the module docstring for the forms); raise NotLocated if it is nowhere.

    A 404 means "not there"; any other ApiError (a 401/403 among them) stops at once and
    propagates. `on_progress(n, total, app_label)` is called as the bounded search starts
    looking in its n-th app (1-based) of `total`; `app_label` is the app's name as the API
    sent it (untrusted text), or its id when the app is not loaded.
    """
    wanted = text.strip()
    finder = _Finder(client, apps, current_app, current_endpoint, attempts_on_screen)
    if "/" in wanted:
        app_part, _, item = wanted.partition("/")
        _check(app_part)
        _check(item)
        return await finder.in_one_app(app_part, item)
    _check(wanted)
    if wanted.startswith("atmpt_"):
        return finder.attempt_on_screen(wanted, current_app)

    loaded = finder.loaded.get(wanted)
    if loaded is not None:  # an app id or uid we already have: no request
        return Location(loaded.id, app=loaded)
    if wanted.startswith("app_"):
        app = await _or_none(client.get_application(wanted))
        if app is None:
            raise NotLocated(f"No app {wanted}: no app has that id.")
        return Location(app.id, app=app)

    kind: Kind = "either"
    if wanted.startswith("ep_"):
        kind = "endpoint"
    elif wanted.startswith("msg_"):
        kind = "message"
    else:  # a uid or an eventId: each form answers in one request
        if current_app is not None:
            found = await finder.in_app(current_app, wanted, "message")
            if found is not None:
                return found
        app = await _or_none(client.get_application(wanted))
        if app is not None:
            return Location(app.id, app=app)

    if current_app is not None:
        found = await finder.in_app(current_app, wanted, "endpoint" if kind == "either" else kind)
        if found is not None:
            return found

    targets, recent = finder.search_targets(recent_app_ids, max_apps)
    for n, (app_id, label) in enumerate(targets, 1):
        if on_progress is not None:
            on_progress(n, len(targets), label)
        found = await finder.in_app(app_id, wanted, kind)
        if found is not None:
            return found

    searched = {app_id for app_id, _ in targets}
    if current_app is not None:
        searched.add(current_app)
    raise NotLocated(
        _nothing_found(
            wanted,
            kind,
            searched_open=current_app is not None,
            recent=recent,
            others=len(targets) - recent,
            loaded_total=len(finder.loaded_ids),
            loaded_unsearched=len(finder.loaded_ids - searched),
            more_apps_unloaded=more_apps_unloaded,
        )
    )


class _Finder:
    """The lookups of one go-to, sharing what is already known (loaded apps, open endpoint)."""

    def __init__(
        self,
        client: SvixClient,
        apps: Sequence[ApplicationOut],
        current_app: str | None,
        current_endpoint: str | None,
        attempts_on_screen: Sequence[MessageAttemptOut],
    ) -> None:
        self.client = client
        self.apps = apps
        self.current_app = current_app
        self.current_endpoint = current_endpoint
        self.attempts_on_screen = attempts_on_screen
        self.loaded: dict[str, ApplicationOut] = {}
        for app in apps:
            self.loaded[app.id] = app
            if app.uid:
                self.loaded.setdefault(app.uid, app)
        self.loaded_ids = {app.id for app in apps}

    def label(self, app_id: str) -> str:
        app = self.loaded.get(app_id)
        return app.name if app is not None and app.name else app_id

    def attempt_on_screen(self, wanted: str, app_id: str | None) -> Location:
        for attempt in self.attempts_on_screen:
            if attempt.id == wanted:
                return Location(
                    app_id or "",
                    attempt.endpoint_id,
                    attempt.msg_id,
                    attempt.timestamp,
                    app=self.loaded.get(app_id or ""),
                )
        raise NotLocated(NO_ATTEMPT_LOOKUP)

    def search_targets(
        self, recent_app_ids: Sequence[str], max_apps: int
    ) -> tuple[list[tuple[str, str]], int]:
        """(app id, label) of the recent apps, then of at most `max_apps` other loaded apps;
        and how many of them are recent apps."""
        seen = {self.current_app}
        targets: list[tuple[str, str]] = []
        for app_id in recent_app_ids:
            if app_id not in seen:
                seen.add(app_id)
                targets.append((app_id, self.label(app_id)))
        recent = len(targets)
        others = 0
        for app in self.apps:
            if others >= max_apps:
                break
            if app.id not in seen:
                seen.add(app.id)
                targets.append((app.id, self.label(app.id)))
                others += 1
        return targets, recent

    async def in_app(self, app_id: str, wanted: str, kind: Kind) -> Location | None:
        """Look for `wanted` in one app: 1 or 2 requests, plus 1 when a message is found."""
        app = self.loaded.get(app_id)
        if kind != "endpoint":
            message = await _or_none(self.client.get_message(app_id, wanted, with_content=True))
            if message is not None:
                return await self.message_location(app_id, app, message)
        if kind != "message":
            endpoint = await _or_none(self.client.get_endpoint(app_id, wanted))
            if endpoint is not None:
                return Location(app_id, endpoint.id, app=app, endpoint=endpoint)
        return None

    async def in_one_app(self, app_part: str, item: str) -> Location:
        """APP/ID, in that app only: at most 3 requests. The app and the first lookup of ID go
        out together (every path takes an app uid), so it costs two round trips at most."""
        known = self.loaded.get(app_part)
        if item.startswith("atmpt_"):
            app = known or await _or_none(self.client.get_application(app_part))
            if app is None:
                raise NotLocated(f"No app {app_part}: no app has that id or uid.")
            return self.attempt_on_screen(item, app.id)
        path_app = known.id if known is not None else app_part
        first: Awaitable[EndpointOut | MessageOut | None]
        if item.startswith("ep_"):
            first = _or_none(self.client.get_endpoint(path_app, item))
        else:  # a message id or an eventId
            first = _or_none(self.client.get_message(path_app, item, with_content=True))
        if known is None:
            app, found = await _together(_or_none(self.client.get_application(app_part)), first)
        else:
            app, found = known, await first
        if app is None:
            raise NotLocated(f"No app {app_part}: no app has that id or uid.")
        if isinstance(found, MessageOut):
            return await self.message_location(app.id, app, found)
        if isinstance(found, EndpointOut):
            return Location(app.id, found.id, app=app, endpoint=found)
        if item.startswith("ep_"):
            raise NotLocated(f"No endpoint {item} in app {app_part}.")
        if item.startswith("msg_"):
            raise NotLocated(f"No message {item} in app {app_part}.")
        endpoint = await _or_none(self.client.get_endpoint(app.id, item))  # an endpoint uid?
        if endpoint is not None:
            return Location(app.id, endpoint.id, app=app, endpoint=endpoint)
        raise NotLocated(
            f"Nothing found for {item} in app {app_part}: no message has that eventId"
            " and no endpoint that uid."
        )

    async def message_location(
        self, app_id: str, app: ApplicationOut | None, message: MessageOut
    ) -> Location:
        """The message at the open endpoint if it was sent there, else at the endpoint of its
        newest attempt. Its attempts say where it went and are what the detail shows, so
        one request serves both; only a message with no attempt yet asks where it is headed."""
        since = message.timestamp - timedelta(seconds=1)
        page = await self.client.list_attempts_by_msg(
            app_id, message.id, limit=250, with_content=True, after=since
        )
        if not page.data:
            return await self._unattempted_location(app_id, app, message)
        newest = max(page.data, key=lambda a: (a.timestamp, a.id))
        sent_here = any(a.endpoint_id == self.current_endpoint for a in page.data)
        endpoint_id = self.current_endpoint if sent_here else newest.endpoint_id
        # A cut list may hold only some of the endpoint's attempts: the detail asks for them.
        attempts = [a for a in page.data if a.endpoint_id == endpoint_id]
        return Location(
            app_id,
            endpoint_id,
            message.id,
            message.timestamp,
            app=app,
            message=message,
            attempts=tuple(attempts) if page.done else None,
        )

    async def _unattempted_location(
        self, app_id: str, app: ApplicationOut | None, message: MessageOut
    ) -> Location:
        page = await self.client.list_attempted_destinations(app_id, message.id, limit=250)
        chosen = next((d for d in page.data if d.id == self.current_endpoint), None)
        chosen = chosen or (page.data[0] if page.data else None)
        return Location(
            app_id,
            chosen.id if chosen else None,
            message.id,
            message.timestamp,
            "" if chosen else "It was not sent to any endpoint.",
            app=app,
            endpoint=_as_endpoint(chosen) if chosen else None,
            message=message,
            attempts=(),
            destinations=tuple(page.data),
        )


def _check(part: str) -> None:
    if not LOOKUP_TEXT.fullmatch(part) or part in (".", ".."):
        raise NotLocated(BAD_TEXT)


async def _or_none(call: Awaitable[T]) -> T | None:
    """The answer, or None on a 404; every other error propagates."""
    try:
        return await call
    except NotFoundError:
        return None


async def _together(first: Awaitable[A], second: Awaitable[B]) -> tuple[A, B]:
    """Run both at once; if one fails the other is cancelled, and its error is raised as is."""
    try:
        async with TaskGroup() as group:
            a = group.create_task(_awaited(first))
            b = group.create_task(_awaited(second))
    except BaseExceptionGroup as failed:
        raise failed.exceptions[0] from None
    return a.result(), b.result()


async def _awaited(call: Awaitable[T]) -> T:
    return await call


def _as_endpoint(dest: MessageEndpointOut) -> EndpointOut | None:
    if dest.created_at is None or dest.updated_at is None:
        return None
    return EndpointOut.model_validate(dest.model_dump(include=set(EndpointOut.model_fields)))


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _nothing_found(
    wanted: str,
    kind: Kind,
    *,
    searched_open: bool,
    recent: int,
    others: int,
    loaded_total: int,
    loaded_unsearched: int,
    more_apps_unloaded: bool,
) -> str:
    looked: list[str] = []
    if searched_open:
        looked.append("the open app")
    if recent:
        looked.append(_count(recent, "recent app"))
    if others:
        looked.append(_count(others, "other loaded app" if looked else "loaded app"))
    where = " and ".join(filter(None, [", ".join(looked[:-1]), looked[-1]])) if looked else ""
    if kind == "either":
        head = f"Nothing found for {wanted}: no app has that uid"
        if looked:
            head += f", and no eventId or endpoint uid matched in {where}"
    elif looked:
        head = f"Nothing found for {wanted}: looked in {where}"
    else:
        head = f"Nothing found for {wanted}: no app to look in"
    not_searched: list[str] = []
    if loaded_unsearched:
        not_searched.append(
            f"the other {loaded_unsearched:,} of {_count(loaded_total, 'loaded app')}"
        )
    if more_apps_unloaded:
        not_searched.append("the apps not loaded yet")
    if not not_searched:
        return f"{head}; that is every app." if looked else f"{head}."
    return f"{head}; not searched: {' and '.join(not_searched)}. Paste APP/ID to look in one app."
