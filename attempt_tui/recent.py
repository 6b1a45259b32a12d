"""The apps and endpoints opened recently, per profile, so usual customers are one key away.

Kept in a small JSON file in the user's state directory (next to the audit log), newest first,
at most `MAX_ITEMS` apps and `MAX_ITEMS` endpoints per profile, de-duplicated by id. Strings are
stored raw: they are API data and go through `safe` only when shown. Each stored string is capped
at `MAX_STRING` characters so a hostile name cannot bloat the file.

Reading never raises: a missing, unreadable, corrupt or wrong-shaped file (or entry) reads as
empty. Writing is atomic (a temporary file renamed over the old one), the file is 0600, and a
failure raises `OSError` for the caller to report.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol, TypeVar

RECENT_FILE_NAME = "recent.json"
MAX_ITEMS = 10
MAX_STRING = 500
_VERSION = 1

_Item = TypeVar("_Item", "RecentApp", "RecentEndpoint")


def default_recent_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_state_dir("attempt-tui")) / RECENT_FILE_NAME


@dataclass(frozen=True)
class RecentApp:
    id: str
    uid: str | None
    name: str


@dataclass(frozen=True)
class RecentEndpoint:
    app_id: str
    id: str
    uid: str | None
    url: str
    app_name: str


class RecentStore(Protocol):
    def apps(self, profile: str) -> list[RecentApp]:
        """The profile's recent apps, newest first."""
        ...

    def endpoints(self, profile: str) -> list[RecentEndpoint]:
        """The profile's recent endpoints, newest first."""
        ...

    def remember_app(self, profile: str, app: RecentApp) -> None:
        """Put `app` first in the profile's recent apps."""
        ...

    def remember_endpoint(self, profile: str, endpoint: RecentEndpoint) -> None:
        """Put `endpoint` first in the profile's recent endpoints."""
        ...

    def last_endpoint(self, profile: str) -> RecentEndpoint | None:
        """The endpoint the profile opened last, if any."""
        ...


def _cap(value: str) -> str:
    return value[:MAX_STRING]


def _cap_app(app: RecentApp) -> RecentApp:
    uid = None if app.uid is None else _cap(app.uid)
    return replace(app, id=_cap(app.id), uid=uid, name=_cap(app.name))


def _cap_endpoint(endpoint: RecentEndpoint) -> RecentEndpoint:
    uid = None if endpoint.uid is None else _cap(endpoint.uid)
    return replace(
        endpoint,
        app_id=_cap(endpoint.app_id),
        id=_cap(endpoint.id),
        uid=uid,
        url=_cap(endpoint.url),
        app_name=_cap(endpoint.app_name),
    )


def _put_first(items: list[_Item], item: _Item) -> list[_Item]:
    """`item` first, then the others without any of the same id, at most MAX_ITEMS."""
    kept = [old for old in items if old.id != item.id]
    kept.insert(0, item)
    return kept[:MAX_ITEMS]


class _Lists:
    """One profile's recent apps and endpoints."""

    def __init__(self) -> None:
        self.apps: list[RecentApp] = []
        self.endpoints: list[RecentEndpoint] = []


class MemoryRecentStore:
    """The same store in memory, for the demo and for tests."""

    def __init__(self) -> None:
        self._profiles: dict[str, _Lists] = {}

    def _lists(self, profile: str) -> _Lists:
        return self._profiles.setdefault(profile, _Lists())

    def apps(self, profile: str) -> list[RecentApp]:
        return list(self._lists(profile).apps)

    def endpoints(self, profile: str) -> list[RecentEndpoint]:
        return list(self._lists(profile).endpoints)

    def remember_app(self, profile: str, app: RecentApp) -> None:
        lists = self._lists(profile)
        lists.apps = _put_first(lists.apps, _cap_app(app))

    def remember_endpoint(self, profile: str, endpoint: RecentEndpoint) -> None:
        lists = self._lists(profile)
        lists.endpoints = _put_first(lists.endpoints, _cap_endpoint(endpoint))

    def last_endpoint(self, profile: str) -> RecentEndpoint | None:
        endpoints = self._lists(profile).endpoints
        return endpoints[0] if endpoints else None


# --- the file -------------------------------------------------------------------------------


def _str(value: Any) -> str | None:
    return _cap(value) if isinstance(value, str) else None


def _optional_str(entry: dict[str, Any], key: str) -> tuple[bool, str | None]:
    """(ok, value): ok is False when the key holds something other than a string or null."""
    value = entry.get(key)
    if value is None:
        return True, None
    if isinstance(value, str):
        return True, _cap(value)
    return False, None


def _app_from(entry: Any) -> RecentApp | None:
    if not isinstance(entry, dict):
        return None
    app_id, name = _str(entry.get("id")), _str(entry.get("name"))
    ok, uid = _optional_str(entry, "uid")
    if not app_id or name is None or not ok:
        return None
    return RecentApp(id=app_id, uid=uid, name=name)


def _endpoint_from(entry: Any) -> RecentEndpoint | None:
    if not isinstance(entry, dict):
        return None
    app_id, endpoint_id = _str(entry.get("app_id")), _str(entry.get("id"))
    url, app_name = _str(entry.get("url")), _str(entry.get("app_name"))
    ok, uid = _optional_str(entry, "uid")
    if not app_id or not endpoint_id or url is None or app_name is None or not ok:
        return None
    return RecentEndpoint(app_id=app_id, id=endpoint_id, uid=uid, url=url, app_name=app_name)


def _unique(items: list[_Item]) -> list[_Item]:
    seen: set[str] = set()
    kept: list[_Item] = []
    for item in items:
        if item.id not in seen:
            seen.add(item.id)
            kept.append(item)
    return kept[:MAX_ITEMS]


def _lists_from(value: Any) -> _Lists:
    lists = _Lists()
    if not isinstance(value, dict):
        return lists
    apps, endpoints = value.get("apps"), value.get("endpoints")
    if isinstance(apps, list):
        lists.apps = _unique([a for a in map(_app_from, apps) if a is not None])
    if isinstance(endpoints, list):
        found = [e for e in map(_endpoint_from, endpoints) if e is not None]
        lists.endpoints = _unique(found)
    return lists


def _app_json(app: RecentApp) -> dict[str, Any]:
    return {"id": app.id, "uid": app.uid, "name": app.name}


def _endpoint_json(endpoint: RecentEndpoint) -> dict[str, Any]:
    return {
        "app_id": endpoint.app_id,
        "id": endpoint.id,
        "uid": endpoint.uid,
        "url": endpoint.url,
        "app_name": endpoint.app_name,
    }


class FileRecentStore:
    """The recent apps and endpoints of every profile in one JSON file (0600)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_recent_path()

    def _read_all(self) -> dict[str, Any]:
        """The file's profiles as raw JSON values; {} when it cannot be read or parsed."""
        try:
            raw = self.path.read_bytes()
            data = json.loads(raw)
        except (OSError, ValueError, RecursionError):
            return {}
        if not isinstance(data, dict):
            return {}
        profiles = data.get("profiles")
        return profiles if isinstance(profiles, dict) else {}

    def _read(self, profile: str) -> _Lists:
        return _lists_from(self._read_all().get(profile))

    def _write(self, profile: str, lists: _Lists) -> None:
        profiles = self._read_all()
        profiles[profile] = {
            "apps": [_app_json(app) for app in lists.apps],
            "endpoints": [_endpoint_json(endpoint) for endpoint in lists.endpoints],
        }
        data = {"version": _VERSION, "profiles": profiles}
        encoded = json.dumps(data, ensure_ascii=True, indent=1).encode("ascii")
        self._replace(encoded)

    def _replace(self, encoded: bytes) -> None:
        """Write `encoded` to a temporary file in the same directory, then rename it over.

        No fsync: it is written on the UI's thread each time an endpoint opens, an fsync took
        up to 350 ms on a busy disk, and a list lost in a crash costs only a few keys (a
        file that cannot be parsed reads as empty)."""
        folder = self.path.parent
        folder.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                os.fchmod(handle.fileno(), 0o600)
                handle.write(encoded)
            os.replace(temp_name, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
            raise

    def apps(self, profile: str) -> list[RecentApp]:
        return self._read(profile).apps

    def endpoints(self, profile: str) -> list[RecentEndpoint]:
        return self._read(profile).endpoints

    def remember_app(self, profile: str, app: RecentApp) -> None:
        lists = self._read(profile)
        lists.apps = _put_first(lists.apps, _cap_app(app))
        self._write(profile, lists)

    def remember_endpoint(self, profile: str, endpoint: RecentEndpoint) -> None:
        lists = self._read(profile)
        lists.endpoints = _put_first(lists.endpoints, _cap_endpoint(endpoint))
        self._write(profile, lists)

    def last_endpoint(self, profile: str) -> RecentEndpoint | None:
        endpoints = self._read(profile).endpoints
        return endpoints[0] if endpoints else None
