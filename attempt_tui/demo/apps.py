"""Every application of the world, in key order, found by id or uid.

A real account has an application per customer: tens of thousands. A large world
adds that many customer apps (`cust-00001`, `cust-00002`, ...) that have no
endpoints or messages. Their keys follow from their number, so the directory
keeps one sorted list of integer keys and builds an app's record only when a
request names it or a page shows it. The simulated apps (with endpoints and
traffic) are kept as the objects the world updates.
"""

from __future__ import annotations

from collections.abc import Sequence

from attempt_tui.demo import ids
from attempt_tui.demo.model import Application
from attempt_tui.demo.paging import Page, page_sorted

CUSTOMER_UID = "cust-"


def customer_uid(number: int) -> str:
    return f"{CUSTOMER_UID}{number:05d}"


def customer_name(number: int) -> str:
    return f"Customer {number:05d}"


class Customers:
    """`count` customer apps created evenly over [start_us, start_us + span_us).

    Customer n (1-based) has sequence number first_seq + n - 1, so its key, id, uid
    and name are all functions of n.
    """

    def __init__(
        self, count: int, *, first_seq: int, start_us: int, span_us: int, salt: int
    ) -> None:
        self.count = count
        self.first_seq = first_seq
        self.start_us = start_us
        self.step_us = max(1, span_us // max(1, count))
        self.salt = salt

    def key(self, number: int) -> int:
        return ids.make_key(
            self.start_us + (number - 1) * self.step_us, self.first_seq + number - 1
        )

    def keys(self) -> list[int]:
        return [self.key(number) for number in range(1, self.count + 1)]

    def number_of_key(self, key: int) -> int | None:
        number = ids.key_seq(key) - self.first_seq + 1
        if 1 <= number <= self.count and self.key(number) == key:
            return number
        return None

    def number_of_uid(self, uid: str) -> int | None:
        digits = uid.removeprefix(CUSTOMER_UID)
        if digits == uid or not (digits.isascii() and digits.isdigit()):
            return None
        number = int(digits)
        if 1 <= number <= self.count and customer_uid(number) == uid:
            return number
        return None

    def app(self, number: int) -> Application:
        """A fresh record: customers have no endpoints, messages or changing state."""
        key = self.key(number)
        return Application(
            key, ids.encode("app_", key, self.salt), customer_uid(number), customer_name(number), {}
        )


class AppDirectory:
    """All applications: lookup by id or uid, and cursor pages in key order."""

    def __init__(self, apps: Sequence[Application], customers: Customers | None, salt: int) -> None:
        self.salt = salt
        self.customers = customers
        self._by_key = {app.key: app for app in apps}
        self._by_ref: dict[str, Application] = {}
        for app in apps:
            self._by_ref[app.id] = app
            if app.uid is not None:
                self._by_ref[app.uid] = app
        keys = list(self._by_key)
        if customers is not None:
            keys.extend(customers.keys())
        keys.sort()
        self.keys = keys

    def __len__(self) -> int:
        return len(self.keys)

    def get(self, id_or_uid: str) -> Application | None:
        found = self._by_ref.get(id_or_uid)
        if found is not None or self.customers is None:
            return found
        key = ids.decode("app_", id_or_uid)
        if key is not None:
            number = self.customers.number_of_key(key)
            if number is None:
                return None
            app = self.customers.app(number)
            return app if app.id == id_or_uid else None
        number = self.customers.number_of_uid(id_or_uid)
        return None if number is None else self.customers.app(number)

    def at_key(self, key: int) -> Application:
        app = self._by_key.get(key)
        if app is not None:
            return app
        assert self.customers is not None
        number = self.customers.number_of_key(key)
        assert number is not None, key
        return self.customers.app(number)

    def page(self, *, limit: int, iterator: str | None, descending: bool) -> Page[Application]:
        found = page_sorted(
            self.keys,
            self.keys,
            prefix="app_",
            limit=limit,
            iterator=iterator,
            id_of=lambda key: ids.encode("app_", key, self.salt),
            descending=descending,
        )
        return Page(
            [self.at_key(key) for key in found.items],
            found.iterator,
            found.prev_iterator,
            found.done,
        )
