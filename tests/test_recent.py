"""The store of recently opened apps and endpoints: order, de-duplication, caps, the file."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from attempt_tui import recent
from attempt_tui.recent import (
    MAX_ITEMS,
    MAX_STRING,
    FileRecentStore,
    MemoryRecentStore,
    RecentApp,
    RecentEndpoint,
    RecentStore,
    default_recent_path,
)


def app(n: int, name: str | None = None) -> RecentApp:
    return RecentApp(id=f"app_{n}", uid=f"cust-{n}", name=name or f"Customer {n}")


def endpoint(n: int, app_n: int = 1) -> RecentEndpoint:
    return RecentEndpoint(
        app_id=f"app_{app_n}",
        id=f"ep_{n}",
        uid=None,
        url=f"https://hooks.example.com/{n}",
        app_name=f"Customer {app_n}",
    )


@pytest.fixture(params=["memory", "file"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> RecentStore:
    if request.param == "memory":
        return MemoryRecentStore()
    return FileRecentStore(tmp_path / "state" / "recent.json")


def test_empty_store(store: RecentStore) -> None:
    assert store.apps("default") == []
    assert store.endpoints("default") == []
    assert store.last_endpoint("default") is None


def test_newest_first(store: RecentStore) -> None:
    for n in (1, 2, 3):
        store.remember_app("default", app(n))
        store.remember_endpoint("default", endpoint(n))
    assert [a.id for a in store.apps("default")] == ["app_3", "app_2", "app_1"]
    assert [e.id for e in store.endpoints("default")] == ["ep_3", "ep_2", "ep_1"]
    assert store.last_endpoint("default") == endpoint(3)


def test_reopening_moves_to_front_once_with_the_newest_details(store: RecentStore) -> None:
    for n in (1, 2, 3):
        store.remember_app("default", app(n))
    store.remember_app("default", app(1, name="Renamed"))
    apps = store.apps("default")
    assert [a.id for a in apps] == ["app_1", "app_3", "app_2"]
    assert apps[0].name == "Renamed"
    store.remember_endpoint("default", endpoint(1))
    store.remember_endpoint("default", endpoint(2))
    store.remember_endpoint("default", endpoint(1))
    assert [e.id for e in store.endpoints("default")] == ["ep_1", "ep_2"]


def test_at_most_ten_of_each(store: RecentStore) -> None:
    for n in range(25):
        store.remember_app("default", app(n))
        store.remember_endpoint("default", endpoint(n))
    assert MAX_ITEMS == 10
    assert [a.id for a in store.apps("default")] == [f"app_{n}" for n in range(24, 14, -1)]
    assert len(store.endpoints("default")) == 10
    assert store.endpoints("default")[-1].id == "ep_15"


def test_profiles_are_separate(store: RecentStore) -> None:
    store.remember_app("prod", app(1))
    store.remember_app("staging", app(2))
    store.remember_endpoint("prod", endpoint(7))
    assert store.apps("prod") == [app(1)]
    assert store.apps("staging") == [app(2)]
    assert store.endpoints("staging") == []
    assert store.last_endpoint("staging") is None
    assert store.last_endpoint("prod") == endpoint(7)


def test_long_strings_are_capped(store: RecentStore) -> None:
    huge = "W" * 100_000
    store.remember_app("default", RecentApp(id="app_1", uid=huge, name=huge))
    store.remember_endpoint(
        "default", RecentEndpoint(app_id="app_1", id="ep_1", uid=huge, url=huge, app_name=huge)
    )
    stored = store.apps("default")[0]
    assert stored.name == "W" * MAX_STRING
    assert stored.uid == "W" * MAX_STRING
    stored_endpoint = store.endpoints("default")[0]
    assert len(stored_endpoint.url) == len(stored_endpoint.app_name) == MAX_STRING


def test_strings_are_stored_raw(store: RecentStore) -> None:
    name = "\x1b]52;c;aGk=\x07[@click=app.quit]evil[/] \u202eflip"
    store.remember_app("default", RecentApp(id="app_1", uid=None, name=name))
    assert store.apps("default")[0].name == name


def test_the_file_survives_a_new_store(tmp_path: Path) -> None:
    path = tmp_path / "recent.json"
    FileRecentStore(path).remember_app("default", app(1))
    FileRecentStore(path).remember_endpoint("other", endpoint(2))
    again = FileRecentStore(path)
    assert again.apps("default") == [app(1)]
    assert again.endpoints("other") == [endpoint(2)]


def test_the_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "recent.json"
    FileRecentStore(path).remember_app("default", app(1))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.chmod(0o644)
    FileRecentStore(path).remember_app("default", app(2))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_file_is_replaced_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "recent.json"
    store = FileRecentStore(path)
    store.remember_app("default", app(1))
    before = path.read_bytes()
    replaced: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(src: str, dst: str) -> None:
        replaced.append((str(src), str(dst)))
        assert Path(dst).read_bytes() == before  # the old file is whole until the rename
        real_replace(src, dst)

    monkeypatch.setattr(recent.os, "replace", spy)
    store.remember_app("default", app(2))
    [(src, dst)] = replaced
    assert dst == str(path)
    assert Path(src).parent == tmp_path
    assert sorted(p.name for p in tmp_path.iterdir()) == ["recent.json"]  # no temp left over


def test_a_failed_write_raises_and_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "recent.json"
    store = FileRecentStore(path)
    store.remember_app("default", app(1))
    before = path.read_bytes()

    def broken(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(recent.os, "replace", broken)
    with pytest.raises(OSError):
        store.remember_app("default", app(2))
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["recent.json"]


def test_an_unwritable_place_raises_oserror(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    store = FileRecentStore(blocker / "recent.json")
    assert store.apps("default") == []
    with pytest.raises(OSError):
        store.remember_app("default", app(1))


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b"\xff\xfe\x00",
        b"[]",
        b'"text"',
        b"null",
        b'{"profiles": []}',
        b'{"profiles": {"default": []}}',
        b'{"profiles": {"default": {"apps": {}, "endpoints": "x"}}}',
        b"[" * 100_000,
    ],
)
def test_a_corrupt_file_reads_as_empty(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "recent.json"
    path.write_bytes(content)
    store = FileRecentStore(path)
    assert store.apps("default") == []
    assert store.endpoints("default") == []
    assert store.last_endpoint("default") is None
    store.remember_app("default", app(1))  # and the next write starts afresh
    assert store.apps("default") == [app(1)]


def test_wrong_shaped_entries_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "recent.json"
    apps = [
        {"id": "app_ok", "uid": None, "name": "Fine"},
        {"id": 5, "uid": None, "name": "id not a string"},
        {"id": "app_no_name", "uid": None},
        {"id": "app_bad_uid", "uid": ["x"], "name": "uid not a string"},
        {"id": "", "uid": None, "name": "empty id"},
        "not an object",
        None,
        {"id": "app_ok", "uid": "dup", "name": "a duplicate"},
        {"id": "app_uid", "uid": "cust-9", "name": "W" * 10_000, "extra": 1},
    ]
    endpoints = [
        {"app_id": "app_ok", "id": "ep_ok", "uid": None, "url": "https://x", "app_name": "Fine"},
        {"app_id": "app_ok", "id": "ep_no_url", "uid": None, "app_name": "Fine"},
        {"app_id": None, "id": "ep_no_app", "uid": None, "url": "https://x", "app_name": "F"},
    ]
    data = {"version": 1, "profiles": {"default": {"apps": apps, "endpoints": endpoints}}}
    path.write_text(json.dumps(data))
    store = FileRecentStore(path)
    assert [a.id for a in store.apps("default")] == ["app_ok", "app_uid"]
    assert store.apps("default")[1].name == "W" * MAX_STRING
    assert [e.id for e in store.endpoints("default")] == ["ep_ok"]


def test_a_missing_file_reads_as_empty_and_is_created_on_write(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "state" / "recent.json"
    store = FileRecentStore(path)
    assert store.apps("default") == []
    store.remember_endpoint("default", endpoint(1))
    assert path.exists()
    assert store.last_endpoint("default") == endpoint(1)


def test_an_unreadable_file_reads_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "recent.json"
    path.mkdir()  # a directory where the file should be: reading fails with OSError
    store = FileRecentStore(path)
    assert store.apps("default") == []
    assert store.last_endpoint("default") is None


def test_other_profiles_are_kept_on_write(tmp_path: Path) -> None:
    path = tmp_path / "recent.json"
    store = FileRecentStore(path)
    store.remember_app("prod", app(1))
    store.remember_app("staging", app(2))
    store.remember_endpoint("prod", endpoint(3))
    data = json.loads(path.read_text())
    assert set(data["profiles"]) == {"prod", "staging"}
    assert store.apps("prod") == [app(1)]


def test_default_path_is_in_the_state_dir() -> None:
    # The autouse config fixture points XDG_STATE_HOME at a temporary directory.
    path = default_recent_path()
    assert path.name == "recent.json"
    assert "attempt-tui" in path.parts
    assert FileRecentStore().path == path
