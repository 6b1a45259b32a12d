"""The command line: flags, subcommands, exit codes. The app itself is replaced by a recorder."""

from __future__ import annotations

import gc
import os
import re
import subprocess
import sys
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from attempt_tui import cli
from attempt_tui.config import Flags, ProfileLoader, Settings, ThemeStore
from attempt_tui.secret import Secret

TOKEN = "sk_cli-test-SECRET-9f8e7d.eu"


@dataclass
class RunRecorder:
    calls: list[tuple[Settings, Any]] = field(default_factory=list)
    result: int = 0
    raises: BaseException | None = None
    during: Callable[[RunRecorder], None] | None = None  # what the app does while it runs

    def __call__(
        self,
        settings: Settings,
        transport: Any,
        warnings: Any = (),
        *,
        tour: bool = False,
        tour_endpoint: str | None = None,
        profile_loader: ProfileLoader | None = None,
        theme_store: ThemeStore | None = None,
        recent_store: Any = None,
        started: Callable[[], None] | None = None,
    ) -> int:
        self.calls.append((settings, transport))
        self.collecting_while_run = gc.isenabled()
        self.started = started
        self.recent_store = recent_store
        self.warnings = list(warnings)
        self.tour = tour
        self.tour_endpoint = tour_endpoint
        self.profile_loader = profile_loader
        self.theme_store = theme_store
        if self.during is not None:
            self.during(self)
        if self.raises is not None:
            raise self.raises
        return self.result


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, Path]:
    """No real user config, no real Svix CLI login, no token in the environment."""
    paths = {"config": tmp_path / "config.toml", "cli": tmp_path / "svix" / "config.toml"}
    monkeypatch.setenv("ATTEMPT_TUI_CONFIG", str(paths["config"]))
    monkeypatch.setenv("ATTEMPT_TUI_SVIX_CLI_CONFIG", str(paths["cli"]))
    monkeypatch.delenv("SVIX_AUTH_TOKEN", raising=False)
    monkeypatch.delenv("SVIX_SERVER_URL", raising=False)
    return paths


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> RunRecorder:
    recorder = RunRecorder()
    monkeypatch.setattr(cli, "_run_app", recorder)
    monkeypatch.setattr(cli, "_not_terminals", lambda: None)  # as if run in a terminal
    return recorder


def write(path: Path, text: str, mode: int = 0o600) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)


# --- running -----------------------------------------------------------------------------------


def test_missing_token_exits_2_with_hint(
    run: RunRecorder, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main([]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "no Svix API token found" in err
    assert "SVIX_AUTH_TOKEN" in err
    assert "--demo" in err
    assert "profile" in err
    assert "Traceback" not in err
    assert run.calls == []


def test_token_from_env_runs_the_app(
    run: RunRecorder, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SVIX_AUTH_TOKEN", TOKEN)
    run.result = 3
    argv = ["--app", "app_1", "--endpoint", "ep_1", "--read-only", "--poll", "0.5"]
    assert cli.main([*argv, "--page-size", "20"]) == 3
    [(settings, transport)] = run.calls
    assert transport is None
    assert settings.token == Secret(TOKEN)
    assert settings.server_url == "https://api.eu.svix.com"
    assert (settings.app_id, settings.endpoint_id) == ("app_1", "ep_1")
    assert (settings.read_only, settings.poll_seconds, settings.page_size) == (True, 0.5, 20)
    assert (settings.profile, settings.demo) == ("env", False)
    out, err = capsys.readouterr()
    assert TOKEN not in out + err


def test_profile_and_server_url_flags(
    run: RunRecorder, isolated: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        isolated["config"],
        '[profiles.a]\ntoken_env = "A_TOKEN"\n[profiles.b]\ntoken_env = "B_TOKEN"\n',
    )
    monkeypatch.setenv("B_TOKEN", TOKEN)
    assert cli.main(["--profile", "b", "--server-url", "http://localhost:8071/"]) == 0
    [(settings, _)] = run.calls
    assert (settings.profile, settings.server_url) == ("b", "http://localhost:8071")


def test_token_file_flag(run: RunRecorder, tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    write(token_file, TOKEN + "\n")
    assert cli.main(["--token-file", str(token_file)]) == 0
    assert run.calls[0][0].token == Secret(TOKEN)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_warnings_are_printed_before_start(
    run: RunRecorder, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    token_file = tmp_path / "token"
    write(token_file, TOKEN, mode=0o644)
    assert cli.main(["--token-file", str(token_file)]) == 0
    err = capsys.readouterr().err
    assert "attempt-tui: warning: token file" in err
    assert "chmod 600" in err
    assert TOKEN not in err


def test_config_error_exits_2_without_traceback(
    run: RunRecorder,
    isolated: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SVIX_AUTH_TOKEN", TOKEN)
    write(isolated["config"], "[profiles.w]\nread_only = maybe\n")
    assert cli.main([]) == 2
    err = capsys.readouterr().err
    assert f"attempt-tui: error: {isolated['config']}, line 2" in err
    assert "Traceback" not in err
    assert run.calls == []


def test_unknown_profile_exits_2(
    run: RunRecorder, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SVIX_AUTH_TOKEN", TOKEN)
    assert cli.main(["--profile", "nope"]) == 2
    assert "unknown profile 'nope'" in capsys.readouterr().err


def test_keyboard_interrupt_exits_130_quietly(
    run: RunRecorder, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SVIX_AUTH_TOKEN", TOKEN)
    run.raises = KeyboardInterrupt()
    assert cli.main([]) == 130
    out, err = capsys.readouterr()
    assert out == err == ""


def test_demo_builds_asgi_transport_and_runs(run: RunRecorder) -> None:
    import httpx

    assert cli.main(["--demo", "--read-only", "--app", "app_x", "--poll", "0", "--seed", "3"]) == 0
    [(settings, transport)] = run.calls
    assert isinstance(transport, httpx.ASGITransport)
    assert settings.demo is True
    assert settings.profile == "demo"
    assert settings.token == Secret("demo-token")
    assert settings.server_url == "http://demo.attempt-tui.local"
    assert (settings.read_only, settings.app_id, settings.poll_seconds) == (True, "app_x", 0.0)


def test_demo_passes_seed_to_build_demo(run: RunRecorder, monkeypatch: pytest.MonkeyPatch) -> None:
    seeds: list[int] = []

    def fake_transport(seed: int) -> tuple[str, tuple[str, str]]:
        seeds.append(seed)
        return "transport", ("app_flaky", "ep_flaky")

    monkeypatch.setattr(cli, "_demo_transport", fake_transport)
    monkeypatch.setenv("SVIX_AUTH_TOKEN", TOKEN)  # ignored by the demo
    assert cli.main(["--demo", "--seed", "11"]) == 0
    assert cli.main(["--demo"]) == 0
    assert seeds == [11, 7]
    assert [transport for _, transport in run.calls] == ["transport", "transport"]
    assert all(settings.token == Secret("demo-token") for settings, _ in run.calls)


def test_demo_with_server_url_is_refused(
    run: RunRecorder, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--demo", "--server-url", "https://x.example"]) == 2
    assert "--demo" in capsys.readouterr().err
    assert run.calls == []


def test_run_app_builds_and_runs_the_textual_app(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[tuple[Settings, Any]] = []

    class FakeApp:
        return_code: int | None = None
        ran = False

        def run(self) -> None:
            self.ran = True
            self.return_code = 4

    app = FakeApp()

    def make_app(settings: Settings, *, transport: Any = None, **options: Any) -> FakeApp:
        made.append((settings, transport))
        return app

    fake_module = types.ModuleType("attempt_tui.launch")
    fake_module.make_app = make_app  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "attempt_tui.launch", fake_module)
    settings = Settings(server_url="http://x", token=Secret(TOKEN), profile="env")
    assert cli._run_app(settings, "transport") == 4
    assert app.ran
    assert made == [(settings, "transport")]


def test_the_collector_is_off_until_the_app_has_started(run: RunRecorder) -> None:
    seen: list[bool] = []

    def first_screen_drawn(recorder: RunRecorder) -> None:
        assert recorder.started is not None
        seen.append(gc.isenabled())
        recorder.started()
        seen.append(gc.isenabled())
        recorder.started()  # once only: a second call changes nothing
        seen.append(gc.isenabled())

    run.during = first_screen_drawn
    assert gc.isenabled()
    assert cli.main(["--demo"]) == 0
    assert seen == [False, True, True]
    assert gc.isenabled()


def test_the_collector_is_back_on_when_the_app_fails_before_it_started(
    run: RunRecorder,
) -> None:
    run.raises = RuntimeError("the app broke before its first frame")
    with pytest.raises(RuntimeError):
        cli.main(["--demo"])
    assert run.collecting_while_run is False
    assert gc.isenabled()


def test_the_collector_stays_as_it_was_when_off_before(run: RunRecorder) -> None:
    gc.disable()
    try:
        assert cli.main(["--demo"]) == 0
        assert run.started is not None
        run.started()
        assert not gc.isenabled()  # it was off before the command line ran: still off
    finally:
        gc.enable()


@pytest.mark.parametrize(
    ("app_id", "endpoint_id", "demo", "sent"),
    [
        ("app_" + "1" * 27, "ep_" + "2" * 27, False, True),
        ("cust-1", "ep_" + "2" * 27, False, False),  # a uid: looked up first
        ("app_" + "1" * 27, None, False, False),
        ("app_" + "1" * 27, "ep_" + "2" * 27, True, False),  # the demo is in process
        ("app_x/../y", "ep_" + "2" * 27, False, False),
    ],
)
def test_the_first_page_is_asked_for_before_the_app_is_built_only_for_ids(
    app_id: str, endpoint_id: str | None, demo: bool, sent: bool
) -> None:
    settings = Settings(
        server_url="http://127.0.0.1:9",  # discard: refused at once, nothing leaves the host
        token=Secret(TOKEN),
        profile="env",
        app_id=app_id,
        endpoint_id=endpoint_id,
        demo=demo,
        page_size=30,
    )
    early = cli._early_first_page(settings)
    assert (early is not None) == sent
    if early is not None:
        assert early.path == f"/api/v1/app/{app_id}/endpoint/{endpoint_id}/msg"
        assert dict(early.params) == {"limit": "30", "with_content": "false"}
        assert early.answer.result(timeout=10) is None  # refused: the client will ask again


# --- flag validation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["--poll", "-1"],
        ["--poll", "abc"],
        ["--poll", "nan"],
        ["--poll", "inf"],
        ["--poll", "0.2"],
        ["config", "--poll", "0.49"],
        ["--page-size", "0"],
        ["--page-size", "251"],
        ["--page-size", "1.5"],
        ["--seed", "x"],
        ["--bogus"],
        ["--token-file"],
        ["--read"],  # no abbreviations
        ["demo-server", "--port", "0"],
        ["demo-server", "--port", "70000"],
        ["config", "--page-size", "999"],
        ["nonsense"],
    ],
)
def test_invalid_flags_exit_2(
    run: RunRecorder, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "usage: attempt-tui" in err
    assert "error:" in err
    assert run.calls == []


@pytest.mark.parametrize(
    "argv", [["--token", TOKEN], [f"--token={TOKEN}"], ["--auth-token", TOKEN]]
)
def test_token_flag_is_refused_without_echo(
    run: RunRecorder, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(argv) == 2
    out, err = capsys.readouterr()
    assert "SVIX_AUTH_TOKEN" in err
    assert TOKEN not in out + err
    assert run.calls == []


def test_valid_edge_values(run: RunRecorder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SVIX_AUTH_TOKEN", TOKEN)
    assert cli.main(["--poll", "0", "--page-size", "1"]) == 0
    assert cli.main(["--poll", "2.5", "--page-size", "250"]) == 0
    assert [(s.poll_seconds, s.page_size) for s, _ in run.calls] == [(0.0, 1), (2.5, 250)]


# --- help --------------------------------------------------------------------------------------

MAIN_FLAGS = [
    "--demo",
    "--server-url",
    "--profile",
    "--app",
    "--endpoint",
    "--read-only",
    "--poll",
    "--page-size",
    "--token-file",
    "--seed",
    "--version",
    "--help",
]


def test_help_documents_every_flag(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for flag in MAIN_FLAGS:
        # Listed at the start of an option line, i.e. with its own description.
        assert re.search(rf"^  (-h, )?{flag}\b", out, re.MULTILINE), flag
    assert "demo-server" in out
    assert "config" in out
    assert "examples:" in out
    assert "attempt-tui --demo" in out
    # Every flag the parser knows is in the help text.
    for action in cli.build_parser()._actions:
        for option in action.option_strings:
            assert option in out


def test_subcommand_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo-server", "--help"]) == 0
    out = capsys.readouterr().out
    for flag in ("--host", "--port", "--seed"):
        assert flag in out
    assert "curl" in out
    assert cli.main(["config", "--help"]) == 0
    out = capsys.readouterr().out
    for flag in MAIN_FLAGS[:-2]:
        assert flag in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from attempt_tui import __version__

    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"attempt-tui {__version__}"


# --- config subcommand -------------------------------------------------------------------------


def test_config_command_masks_the_token(
    isolated: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write(
        isolated["config"],
        f'default_profile = "prod"\n[profiles.prod]\ntoken = "{TOKEN}"\nread_only = true\n'
        '[profiles.dev]\ntoken_env = "DEV_TOKEN"\nserver_url = "http://localhost:8071"\n',
        mode=0o644,
    )
    write(isolated["cli"], f'auth_token = "{TOKEN}"\n')
    assert cli.main(["config"]) == 0
    out, err = capsys.readouterr()
    assert TOKEN not in out + err
    assert "***.eu" in out
    assert f"config file      {isolated['config']}  (found; ATTEMPT_TUI_CONFIG)" in out
    assert f"Svix CLI config  {isolated['cli']}  (found)" in out
    assert "profiles         prod, dev" in out
    assert "profile          prod  (default_profile)" in out
    assert "server URL       https://api.eu.svix.com  (the token's region)" in out
    assert "read-only        yes  (profile 'prod')" in out
    if os.name == "posix":
        assert "warning: config file" in out


def test_config_command_accepts_flags_before_and_after(
    isolated: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SVIX_AUTH_TOKEN", TOKEN)
    assert cli.main(["--read-only", "config", "--server-url", "http://h:1/", "--poll", "0"]) == 0
    out, err = capsys.readouterr()
    assert "read-only        yes  (--read-only)" in out
    assert "server URL       http://h:1  (--server-url)" in out
    assert "token            ***.eu  (SVIX_AUTH_TOKEN)" in out
    assert "poll             manual refresh only  (--poll)" in out
    assert f"Svix CLI config  {isolated['cli']}  (not found)" in out
    assert TOKEN not in out + err


def test_config_command_shows_svix_cli_fallback(
    isolated: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        isolated["cli"],
        f'auth_token = "{TOKEN}"\ndebug_url = "http://svix.local:8071"\n'
        "timeout_milliseconds = 30000\n",
    )
    assert cli.main(["config"]) == 0
    out, err = capsys.readouterr()
    assert TOKEN not in out + err
    assert "profile          svix-cli" in out
    assert f"server URL       http://svix.local:8071  (Svix CLI config {isolated['cli']})" in out
    assert "read timeout     30s" in out
    assert "read-only        no  (default)" in out


def test_config_command_without_token(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["config"]) == 2
    out, err = capsys.readouterr()
    assert "token            NOT FOUND: no Svix API token found" in out
    assert "SVIX_AUTH_TOKEN" in err
    assert "Traceback" not in err


def test_config_command_demo(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["config", "--demo"]) == 0
    out = capsys.readouterr().out
    assert "profile          demo" in out
    assert "server URL       http://demo.attempt-tui.local" in out
    assert "demo-token" not in out


def test_config_command_bad_file(
    isolated: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    write(isolated["config"], "[profiles.x]\nfoo = 1\n")
    assert cli.main(["config"]) == 2
    assert "line 2: unknown key 'profiles.x.foo'" in capsys.readouterr().err


# --- demo-server -------------------------------------------------------------------------------


def test_demo_server_prints_url_and_curl_then_serves(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    served: list[tuple[str, int, int]] = []

    def fake_serve(host: str, port: int, seed: int) -> None:
        assert "curl" in capsys.readouterr().out  # printed before serving starts
        served.append((host, port, seed))

    monkeypatch.setattr(cli, "_serve_demo", fake_serve)
    assert cli.main(["demo-server"]) == 0
    assert served == [("127.0.0.1", 8071, 7)]

    assert cli.main(["demo-server", "--host", "0.0.0.0", "--port", "9000", "--seed", "5"]) == 0
    assert served[-1] == ("0.0.0.0", 9000, 5)


def test_demo_server_output(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    monkeypatch.setattr(cli, "_serve_demo", lambda host, port, seed: None)
    assert cli.main(["demo-server"]) == 0
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8071" in out
    assert 'curl -H "Authorization: Bearer demo" http://127.0.0.1:8071/api/v1/app' in out
    assert cli.main(["demo-server", "--host", "::", "--port", "9000"]) == 0
    assert "curl -H" in (out := capsys.readouterr().out)
    assert "http://127.0.0.1:9000/api/v1/app" in out
    assert cli.main(["demo-server", "--host", "::1"]) == 0
    assert "http://[::1]:8071/api/v1/app" in capsys.readouterr().out


def test_demo_server_ctrl_c_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(host: str, port: int, seed: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_serve_demo", interrupted)
    assert cli.main(["demo-server"]) == 130


def test_demo_server_world_flags_reach_serve(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    served: list[dict[str, Any]] = []

    def fake_serve(host: str, port: int, seed: int, **options: Any) -> None:
        served.append(options)

    monkeypatch.setattr(cli, "_serve_demo", fake_serve)
    argv = ["demo-server", "--apps", "30000", "--endpoints", "321"]
    assert cli.main([*argv, "--latency-ms", "150", "--rate-limit", "20"]) == 0
    assert served[-1] == {
        "large_apps": 30000,
        "many_endpoints": 321,
        "latency_ms": 150.0,
        "rate_limit": 20.0,
    }
    out = capsys.readouterr().out
    assert "30,000 extra customer apps" in out and "321 endpoints" in out
    assert "150 ms latency" in out and "rate limit 20 requests/s" in out
    # Given before the subcommand, kept; the edges of each range are accepted.
    assert cli.main(["--apps", "1000000", "demo-server", "--endpoints", "5000"]) == 0
    assert served[-1] == {"large_apps": 1_000_000, "many_endpoints": 5000}
    assert cli.main(["demo-server", "--latency-ms", "10000", "--rate-limit", "0.5"]) == 0
    assert served[-1] == {"latency_ms": 10_000.0, "rate_limit": 0.5}
    capsys.readouterr()
    # The defaults change nothing: a small, instant world.
    assert cli.main(["demo-server", "--apps", "0", "--latency-ms", "0"]) == 0
    assert served[-1] == {}
    assert "World:" not in capsys.readouterr().out


def test_demo_world_flags_reach_build_demo(
    run: RunRecorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    from attempt_tui.demo import server

    built: list[dict[str, Any]] = []
    real_build = server.build_demo

    def build(*args: Any, **kwargs: Any) -> Any:
        built.append(kwargs)
        # As asked, but small: the test is about the flags reaching build_demo.
        small = {**kwargs, "large_apps": min(kwargs.get("large_apps", 0), 5)}
        small["many_endpoints"] = min(small.get("many_endpoints", 0), 3)
        return real_build(*args, **small)

    monkeypatch.setattr(server, "build_demo", build)
    argv = ["--demo", "--apps", "30000", "--endpoints", "321", "--latency-ms", "150"]
    assert cli.main([*argv, "--rate-limit", "20", "--seed", "3"]) == 0
    assert built[-1] == {
        "seed": 3,
        "large_apps": 30000,
        "many_endpoints": 321,
        "latency_ms": 150.0,
        "rate_limit": 20.0,
    }
    assert cli.main(["--demo"]) == 0
    assert built[-1] == {"seed": 7}  # the default demo stays small and instant
    assert len(run.calls) == 2


@pytest.mark.parametrize(
    ("argv", "complaint"),
    [
        (["demo-server", "--apps", "-1"], "--apps: must be between 0 and 1000000"),
        (["--demo", "--apps", "1000001"], "--apps: must be between 0 and 1000000"),
        (["demo-server", "--apps", "1.5"], "--apps: not a whole number"),
        (["demo-server", "--endpoints", "5001"], "--endpoints: must be between 0 and 5000"),
        (["--demo", "--endpoints", "-3"], "--endpoints: must be between 0 and 5000"),
        (["demo-server", "--latency-ms", "-1"], "--latency-ms: must be between 0 and 10000"),
        (["--demo", "--latency-ms", "10001"], "--latency-ms: must be between 0 and 10000"),
        (["demo-server", "--latency-ms", "nan"], "--latency-ms: must be between 0 and 10000"),
        (["demo-server", "--latency-ms", "slow"], "--latency-ms: not a number"),
        (["demo-server", "--rate-limit", "0"], "--rate-limit: must be a number"),
        (["--demo", "--rate-limit", "-2"], "--rate-limit: must be a number"),
        (["demo-server", "--rate-limit", "inf"], "--rate-limit: must be a number"),
        (["demo-server", "--rate-limit", "x"], "--rate-limit: not a number"),
    ],
)
def test_bad_demo_world_values_exit_2(
    argv: list[str],
    complaint: str,
    run: RunRecorder,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(cli, "_serve_demo", lambda *args, **kwargs: pytest.fail("served"))
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "usage: attempt-tui" in err
    assert complaint in err
    assert run.calls == []


def test_demo_world_flags_need_the_demo(
    run: RunRecorder, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SVIX_AUTH_TOKEN", TOKEN)
    assert cli.main(["--apps", "10"]) == 2
    assert cli.main(["--server-url", "http://h:1", "--rate-limit", "5"]) == 2
    err = capsys.readouterr().err
    assert "with --demo or `attempt-tui demo-server`" in err
    assert TOKEN not in err
    assert run.calls == []
    assert cli.main(["--apps", "0"]) == 0  # the default is no change


def test_demo_server_help_shows_the_real_size_example(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["demo-server", "--help"]) == 0
    out = capsys.readouterr().out
    for flag in ("--apps", "--endpoints", "--latency-ms", "--rate-limit"):
        assert flag in out
    assert "--apps 30000 --endpoints 321 --latency-ms 150 --rate-limit 20" in out


# --- start-up cost -----------------------------------------------------------------------------


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    """`code` run by a fresh interpreter, which must exit 0."""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return result


def test_cli_import_and_help_stay_light() -> None:
    code = (
        "import sys\n"
        "import attempt_tui.cli as cli\n"
        "heavy = ('textual', 'httpx', 'pydantic', 'starlette', 'uvicorn')\n"
        "assert not [m for m in heavy if m in sys.modules], sorted(sys.modules)\n"
        "try:\n"
        "    cli.main(['--help'])\n"
        "finally:\n"
        "    loaded = [m for m in heavy if m in sys.modules]\n"
        "    assert not loaded, loaded\n"
    )
    result = run_python(code)
    assert "usage: attempt-tui" in result.stdout


def test_httpx_comes_without_its_command_line_tool() -> None:
    """httpx loads click and pygments for its own CLI when click is installed (uvicorn brings
    it); the app's start has no use for them."""
    code = (
        "import sys\n"
        "import attempt_tui.cli\n"
        "import httpx\n"
        "from attempt_tui.api.client import SvixClient\n"
        "from attempt_tui.launch import make_app\n"
        "loaded = [m for m in ('click', 'pygments') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
        "assert httpx.Client and httpx.AsyncClient\n"
    )
    run_python(code)


def test_python_dash_m_entry_point(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "ATTEMPT_TUI_CONFIG": str(tmp_path / "c.toml"),
        "ATTEMPT_TUI_SVIX_CLI_CONFIG": str(tmp_path / "s.toml"),
    }
    env.pop("SVIX_AUTH_TOKEN", None)
    result = subprocess.run(
        [sys.executable, "-m", "attempt_tui"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert result.returncode == 2
    assert "SVIX_AUTH_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr


def test_tour_flag_reaches_the_app_with_the_demo_flaky_endpoint(run: RunRecorder) -> None:
    assert cli.main(["--demo", "--tour"]) == 0
    assert run.tour is True
    assert run.tour_endpoint is not None and run.tour_endpoint.startswith("ep_")
    assert cli.main(["--demo"]) == 0
    assert run.tour is False and run.tour_endpoint is None


# --- one Flags object --------------------------------------------------------------------------


def test_flags_from_namespace_of_the_main_command(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    args = cli.build_parser().parse_args(
        [
            "--server-url",
            "http://h:1",
            "--profile",
            "p",
            "--app",
            "app_1",
            "--endpoint",
            "ep_1",
            "--read-only",
            "--poll",
            "2",
            "--page-size",
            "20",
            "--token-file",
            str(token_file),
        ]
    )
    assert Flags.from_namespace(args) == Flags(
        server_url="http://h:1",
        profile="p",
        app_id="app_1",
        endpoint_id="ep_1",
        read_only=True,
        poll_seconds=2.0,
        page_size=20,
        token_file=token_file,
    )
    assert Flags.from_namespace(cli.build_parser().parse_args([])) == Flags()


def test_flags_from_namespace_before_and_after_the_config_subcommand() -> None:
    args = cli.build_parser().parse_args(["--demo", "config", "--poll", "0", "--app", "a"])
    assert Flags.from_namespace(args) == Flags(demo=True, poll_seconds=0.0, app_id="a")


def test_poll_below_the_minimum_says_the_rule(
    run: RunRecorder, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--poll", "0.2"]) == 2
    err = capsys.readouterr().err
    assert "argument --poll: must be 0 (refresh only on demand) or at least 0.5 seconds" in err


# --- what the app gets besides its settings ----------------------------------------------------


def test_the_app_gets_a_profile_loader_that_keeps_read_only(
    run: RunRecorder, isolated: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        isolated["config"],
        'default_profile = "a"\n[profiles.a]\ntoken_env = "A_TOKEN"\n'
        '[profiles.b]\ntoken_env = "B_TOKEN"\nserver_url = "http://b.example"\n',
    )
    monkeypatch.setenv("A_TOKEN", TOKEN)
    monkeypatch.setenv("B_TOKEN", TOKEN)
    assert cli.main(["--read-only", "--server-url", "http://flag.example", "--poll", "9"]) == 0
    assert run.profile_loader is not None and run.theme_store is not None
    settings, warnings = run.profile_loader("b")
    assert (settings.profile, settings.server_url) == ("b", "http://b.example")
    assert settings.read_only is True
    assert settings.poll_seconds == 5.0  # --poll was for the first profile
    assert warnings == []


def test_the_theme_store_is_the_config_file(
    run: RunRecorder, isolated: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SVIX_AUTH_TOKEN", TOKEN)
    assert cli.main([]) == 0
    assert run.theme_store is not None
    run.theme_store.save("nord")
    assert isolated["config"].read_text() == 'theme = "nord"\n'
    assert run.theme_store.load() == "nord"


def test_the_demo_app_gets_no_profile_loader_or_theme_store(run: RunRecorder) -> None:
    assert cli.main(["--demo"]) == 0
    assert (run.profile_loader, run.theme_store) == (None, None)


def test_config_command_shows_the_request_budget(
    isolated: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SVIX_AUTH_TOKEN", TOKEN)
    assert cli.main(["config"]) == 0
    assert "request budget   10 requests/s  (default)" in capsys.readouterr().out
    write(isolated["config"], "[profiles.prod]\nmax_requests_per_second = 2.5\n")
    assert cli.main(["config"]) == 0
    assert "request budget   2.5 requests/s  (profile 'prod')" in capsys.readouterr().out
