"""Where a start opens: the demo on its failing endpoint, real use where the profile was left."""

from __future__ import annotations

from pathlib import Path

import pytest

from attempt_tui import cli
from attempt_tui import recent as recent_module
from attempt_tui.config import Settings
from attempt_tui.recent import FileRecentStore, MemoryRecentStore, RecentApp, RecentEndpoint
from attempt_tui.secret import Secret
from tests.test_cli import RunRecorder, write

TOKEN = "sk_reopen-test.eu"
APP = RecentApp(id="app_2Last", uid="acme", name="Acme")
ENDPOINT = RecentEndpoint(
    app_id="app_2Last", id="ep_2Last", uid=None, url="https://x.example/h", app_name="Acme"
)


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("ATTEMPT_TUI_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("ATTEMPT_TUI_SVIX_CLI_CONFIG", str(tmp_path / "svix.toml"))
    monkeypatch.delenv("SVIX_AUTH_TOKEN", raising=False)
    monkeypatch.delenv("SVIX_SERVER_URL", raising=False)
    recent_path = tmp_path / "state" / "recent.json"
    monkeypatch.setattr(recent_module, "default_recent_path", lambda: recent_path)
    return recent_path


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> RunRecorder:
    recorder = RunRecorder()
    monkeypatch.setattr(cli, "_run_app", recorder)
    monkeypatch.setattr(cli, "_not_terminals", lambda: None)
    return recorder


def started(run: RunRecorder) -> Settings:
    settings, _transport = run.calls[-1]
    return settings


# --- the demo ------------------------------------------------------------------------------------


def test_the_demo_opens_on_its_failing_endpoint(
    run: RunRecorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    from attempt_tui.demo import server

    built = []

    def build_demo(**options: object) -> server.DemoServer:
        built.append(demo := real_build(**options))  # type: ignore[arg-type]
        return demo

    real_build = server.build_demo
    monkeypatch.setattr(server, "build_demo", build_demo)
    assert cli.main(["--demo"]) == 0
    flaky = built[0].world.roles["flaky"]
    settings = started(run)
    assert (settings.app_id, settings.endpoint_id) == (flaky.app.id, flaky.id)
    assert settings.start_on_failure is True
    assert run.tour is False


@pytest.mark.parametrize(
    "argv",
    [["--demo", "--tour"], ["--demo", "--picker"]],
)
def test_the_demo_tour_and_picker_start_in_the_picker(run: RunRecorder, argv: list[str]) -> None:
    assert cli.main(argv) == 0
    settings = started(run)
    assert (settings.app_id, settings.endpoint_id, settings.start_on_failure) == (
        None,
        None,
        False,
    )
    if "--tour" in argv:
        assert run.tour is True and run.tour_endpoint is not None


def test_the_demo_with_app_opens_that_app(run: RunRecorder) -> None:
    assert cli.main(["--demo", "--app", "app_x"]) == 0
    settings = started(run)
    assert (settings.app_id, settings.endpoint_id, settings.start_on_failure) == (
        "app_x",
        None,
        False,
    )


# --- real use: where the profile was left --------------------------------------------------------


def remember(path: Path, profile: str, *, app: bool = True, endpoint: bool = True) -> None:
    store = FileRecentStore(path)
    if endpoint:
        store.remember_endpoint(profile, ENDPOINT)
    if app:
        store.remember_app(profile, APP)


def test_a_start_reopens_the_endpoint_last_used_with_the_profile(
    run: RunRecorder, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SVIX_AUTH_TOKEN", TOKEN)
    assert cli.main([]) == 0
    assert (started(run).app_id, started(run).endpoint_id) == (None, None)  # nothing remembered
    remember(isolated, "env")
    assert cli.main([]) == 0
    # Ids, so the worker opens them at once, without looking anything up first.
    assert (started(run).app_id, started(run).endpoint_id) == ("app_2Last", "ep_2Last")
    assert started(run).start_on_failure is False


def test_another_profile_has_its_own_last_endpoint(
    run: RunRecorder, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        Path(str(isolated.parent.parent / "config.toml")),
        f'[profiles.prod]\ntoken = "{TOKEN}"\n[profiles.staging]\ntoken = "{TOKEN}"\n',
    )
    remember(isolated, "prod")
    assert cli.main(["--profile", "staging"]) == 0
    assert started(run).endpoint_id is None
    assert cli.main(["--profile", "prod"]) == 0
    assert started(run).endpoint_id == "ep_2Last"


def test_flags_and_the_picker_flag_override_the_reopen(
    run: RunRecorder, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SVIX_AUTH_TOKEN", TOKEN)
    remember(isolated, "env")
    assert cli.main(["--app", "app_other"]) == 0
    assert (started(run).app_id, started(run).endpoint_id) == ("app_other", None)
    assert cli.main(["--app", "app_other", "--endpoint", "ep_other"]) == 0
    assert (started(run).app_id, started(run).endpoint_id) == ("app_other", "ep_other")
    assert cli.main(["--picker"]) == 0  # the last app, in the picker
    assert (started(run).app_id, started(run).endpoint_id) == ("app_2Last", None)


def test_picker_with_endpoint_is_a_usage_error(
    run: RunRecorder, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SVIX_AUTH_TOKEN", TOKEN)
    assert cli.main(["--picker", "--app", "a", "--endpoint", "e"]) == 2
    assert "--picker" in capsys.readouterr().err
    assert run.calls == []


def settings(**values: object) -> Settings:
    return Settings(server_url="http://x", token=Secret(TOKEN), profile="p", **values)  # type: ignore[arg-type]


def test_an_app_opened_after_the_last_endpoint_is_reopened_without_an_endpoint() -> None:
    store = MemoryRecentStore()
    store.remember_endpoint("p", ENDPOINT)
    store.remember_app("p", APP)
    assert cli.reopened(settings(), store, picker=False).endpoint_id == "ep_2Last"
    store.remember_app("p", RecentApp(id="app_2Newer", uid=None, name="Newer"))
    again = cli.reopened(settings(), store, picker=False)
    assert (again.app_id, again.endpoint_id) == ("app_2Newer", None)


def test_without_recents_the_profile_defaults_stand() -> None:
    defaults = settings(app_id="acme", endpoint_id="ledger")
    assert cli.reopened(defaults, MemoryRecentStore(), picker=False) == defaults
    in_picker = cli.reopened(defaults, MemoryRecentStore(), picker=True)
    assert (in_picker.app_id, in_picker.endpoint_id) == ("acme", None)


def test_recents_win_over_the_profile_defaults() -> None:
    store = MemoryRecentStore()
    store.remember_endpoint("p", ENDPOINT)
    reopened = cli.reopened(settings(app_id="acme", endpoint_id="ledger"), store, picker=False)
    assert (reopened.app_id, reopened.endpoint_id) == ("app_2Last", "ep_2Last")


def test_the_config_command_says_where_a_start_reopens(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SVIX_AUTH_TOKEN", TOKEN)
    assert cli.main(["config"]) == 0
    assert "reopens          nothing remembered yet" in capsys.readouterr().out
    remember(isolated, "env")
    assert cli.main(["config"]) == 0
    assert "reopens          app_2Last / ep_2Last  (last used" in capsys.readouterr().out
    assert cli.main(["config", "--app", "app_x"]) == 0
    assert "reopens" not in capsys.readouterr().out
