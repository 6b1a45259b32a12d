"""Config loading and settings resolution. Never touches the real user's config or environment."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

import pytest

from attempt_tui import config
from attempt_tui.config import (
    CONFIG_PATH_ENV,
    DEMO_SERVER_URL,
    SVIX_CLI_CONFIG_PATH_ENV,
    ConfigError,
    ConfigFile,
    Flags,
    MissingTokenError,
    Settings,
    base_url_for_token,
    default_config_path,
    default_svix_cli_config_path,
    find_key_line,
    load_config,
    load_svix_cli_config,
)
from attempt_tui.secret import Secret

ENV_TOKEN = "sk_envtoken-ENV.eu"
PROFILE_TOKEN = "sk_profiletoken-PROF.us"
CLI_TOKEN = "sk_clitoken-CLI.ca"
FILE_TOKEN = "sk_filetoken-FILE.au"
ALL_TOKENS = (ENV_TOKEN, PROFILE_TOKEN, CLI_TOKEN, FILE_TOKEN)

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


@pytest.fixture
def paths(tmp_path: Path) -> dict[str, Path]:
    return {
        "config": tmp_path / "attempt-tui" / "config.toml",
        "cli": tmp_path / "svix" / "config.toml",
        "token": tmp_path / "token",
    }


def write(path: Path, text: str, mode: int = 0o600) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)
    return path


def resolve(
    paths: dict[str, Path], env: dict[str, str] | None = None, **flags: Any
) -> tuple[Settings, list[str]]:
    resolution = config.resolve(
        Flags(**flags),
        env=env or {},
        config_path=paths["config"],
        svix_cli_config_path=paths["cli"],
    )
    return resolution.settings(), list(resolution.warnings)


def assert_no_token(*texts: object) -> None:
    for text in texts:
        for token in ALL_TOKENS:
            assert token not in str(text)
            assert token not in repr(text)


# --- region ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "url"),
    [
        ("sk_abc.us", "https://api.us.svix.com"),
        ("sk_abc.eu", "https://api.eu.svix.com"),
        ("sk_abc.in", "https://api.in.svix.com"),
        ("sk_abc.ca", "https://api.ca.svix.com"),
        ("sk_abc.au", "https://api.au.svix.com"),
        ("sk_a.b.eu", "https://api.eu.svix.com"),
        ("sk_abc", "https://api.svix.com"),
        ("sk_abc.de", "https://api.svix.com"),
        ("sk_abc.EU", "https://api.svix.com"),
        ("sk_abc.eu.x", "https://api.svix.com"),
        ("eu", "https://api.svix.com"),
    ],
)
def test_base_url_for_token(token: str, url: str) -> None:
    assert base_url_for_token(token) == url


def test_env_token_picks_region_url(paths: dict[str, Path]) -> None:
    settings, warnings = resolve(paths, {"SVIX_AUTH_TOKEN": ENV_TOKEN})
    assert settings.server_url == "https://api.eu.svix.com"
    assert settings.token == Secret(ENV_TOKEN)
    assert settings.profile == "env"
    assert settings.config_path is None
    assert warnings == []


@pytest.mark.parametrize(
    ("kwargs", "env", "expected"),
    [
        ({"server_url": "http://localhost:8071///"}, {}, "http://localhost:8071"),
        ({}, {"SVIX_SERVER_URL": " https://svix.internal/ "}, "https://svix.internal"),
        ({"server_url": "  "}, {"SVIX_SERVER_URL": ""}, "https://api.eu.svix.com"),
    ],
)
def test_server_url_is_normalized(
    paths: dict[str, Path], kwargs: dict[str, Any], env: dict[str, str], expected: str
) -> None:
    settings, _ = resolve(paths, {"SVIX_AUTH_TOKEN": ENV_TOKEN, **env}, **kwargs)
    assert settings.server_url == expected


@pytest.mark.parametrize("bad", ["api.svix.com", "ftp://x", "https://", ENV_TOKEN])
def test_bad_server_url_is_refused_without_echo(paths: dict[str, Path], bad: str) -> None:
    with pytest.raises(ConfigError, match="--server-url") as info:
        resolve(paths, {"SVIX_AUTH_TOKEN": ENV_TOKEN}, server_url=bad)
    assert bad not in str(info.value).replace("http:// or https://", "")
    with pytest.raises(ConfigError, match="SVIX_SERVER_URL"):
        resolve(paths, {"SVIX_AUTH_TOKEN": ENV_TOKEN, "SVIX_SERVER_URL": bad})


# --- precedence --------------------------------------------------------------------------------

PROFILE = f"""\
[profiles.work]
server_url = "https://profile.example/"
token = "{PROFILE_TOKEN}"
"""


def test_precedence_token_flag_over_env_over_profile(paths: dict[str, Path]) -> None:
    write(paths["config"], PROFILE)
    write(paths["token"], FILE_TOKEN + "\n")
    env = {"SVIX_AUTH_TOKEN": ENV_TOKEN}

    settings, _ = resolve(paths, env, token_file=paths["token"])
    assert settings.token == Secret(FILE_TOKEN)
    settings, _ = resolve(paths, env)
    assert settings.token == Secret(ENV_TOKEN)
    settings, _ = resolve(paths, {})
    assert settings.token == Secret(PROFILE_TOKEN)
    assert settings.profile == "work"
    assert settings.config_path == paths["config"]


def test_precedence_server_url_flag_over_env_over_profile(paths: dict[str, Path]) -> None:
    write(paths["config"], PROFILE)
    env = {"SVIX_SERVER_URL": "https://env.example"}
    settings, _ = resolve(paths, env, server_url="https://flag.example")
    assert settings.server_url == "https://flag.example"
    settings, _ = resolve(paths, env)
    assert settings.server_url == "https://env.example"
    settings, _ = resolve(paths, {})
    assert settings.server_url == "https://profile.example"


def test_profile_without_server_url_uses_token_region(paths: dict[str, Path]) -> None:
    write(paths["config"], f'[profiles.work]\ntoken = "{PROFILE_TOKEN}"\n')
    settings, _ = resolve(paths)
    assert settings.server_url == "https://api.us.svix.com"


def test_precedence_env_over_svix_cli_over_defaults(paths: dict[str, Path]) -> None:
    write(
        paths["cli"],
        f'auth_token = "{CLI_TOKEN}"\nserver_url = "https://cli.example/"\n'
        "timeout_milliseconds = 2500\n",
    )
    settings, _ = resolve(paths)
    assert (settings.token, settings.server_url) == (Secret(CLI_TOKEN), "https://cli.example")
    assert settings.profile == "svix-cli"
    assert settings.read_timeout == 2.5

    env = {"SVIX_AUTH_TOKEN": ENV_TOKEN, "SVIX_SERVER_URL": "https://env.example"}
    settings, _ = resolve(paths, env)
    assert (settings.token, settings.server_url) == (Secret(ENV_TOKEN), "https://env.example")
    assert settings.profile == "env"

    paths["cli"].unlink()
    settings, _ = resolve(paths, {"SVIX_AUTH_TOKEN": ENV_TOKEN})
    assert settings.server_url == "https://api.eu.svix.com"
    assert settings.read_timeout == 15.0
    assert (settings.poll_seconds, settings.page_size, settings.read_only) == (5.0, 50, False)


def test_selected_profile_wins_over_svix_cli_and_is_not_mixed_with_it(
    paths: dict[str, Path],
) -> None:
    write(paths["config"], '[profiles.work]\nserver_url = "https://profile.example"\n')
    write(
        paths["cli"],
        f'auth_token = "{CLI_TOKEN}"\nserver_url = "https://cli.example"\n'
        "timeout_milliseconds = 2500\n",
    )
    # A profile without a token does not borrow the Svix CLI login of another account.
    with pytest.raises(MissingTokenError, match="profile 'work' has no token"):
        resolve(paths)
    settings, _ = resolve(paths, {"SVIX_AUTH_TOKEN": ENV_TOKEN})
    assert settings.server_url == "https://profile.example"
    assert settings.read_timeout == 15.0
    assert settings.profile == "work"


def test_flags_override_profile_values(paths: dict[str, Path]) -> None:
    write(
        paths["config"],
        PROFILE + 'default_app = "app_p"\ndefault_endpoint = "ep_p"\nread_only = true\n'
        "poll_seconds = 30\n",
    )
    settings, _ = resolve(paths)
    assert (settings.app_id, settings.endpoint_id) == ("app_p", "ep_p")
    assert settings.read_only is True
    assert settings.poll_seconds == 30.0

    settings, _ = resolve(
        paths, app_id="app_f", endpoint_id="ep_f", poll_seconds=0.5, page_size=250
    )
    assert (settings.app_id, settings.endpoint_id) == ("app_f", "ep_f")
    assert (settings.poll_seconds, settings.page_size) == (0.5, 250)
    # read_only = true in a profile cannot be switched off from the command line.
    assert settings.read_only is True


def test_other_app_flag_drops_profile_default_endpoint(paths: dict[str, Path]) -> None:
    write(paths["config"], PROFILE + 'default_app = "app_p"\ndefault_endpoint = "ep_p"\n')
    settings, _ = resolve(paths, app_id="app_other")
    assert (settings.app_id, settings.endpoint_id) == ("app_other", None)
    settings, _ = resolve(paths, app_id="app_p")
    assert settings.endpoint_id == "ep_p"


def test_endpoint_without_app_is_an_error(paths: dict[str, Path]) -> None:
    with pytest.raises(ConfigError, match="--endpoint needs --app"):
        resolve(paths, {"SVIX_AUTH_TOKEN": ENV_TOKEN}, endpoint_id="ep_1")


def test_read_only_flag_and_profile(paths: dict[str, Path]) -> None:
    env = {"SVIX_AUTH_TOKEN": ENV_TOKEN}
    assert resolve(paths, env, read_only=True)[0].read_only is True
    write(paths["config"], PROFILE + "read_only = false\n")
    assert resolve(paths, env)[0].read_only is False
    assert resolve(paths, env, read_only=True)[0].read_only is True


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"poll_seconds": -1.0}, "poll"),
        ({"poll_seconds": float("nan")}, "poll"),
        ({"poll_seconds": float("inf")}, "poll"),
        ({"page_size": 0}, "page size"),
        ({"page_size": 251}, "page size"),
    ],
)
def test_number_ranges(paths: dict[str, Path], kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        resolve(paths, {"SVIX_AUTH_TOKEN": ENV_TOKEN}, **kwargs)


def test_poll_zero_is_allowed(paths: dict[str, Path]) -> None:
    settings, _ = resolve(paths, {"SVIX_AUTH_TOKEN": ENV_TOKEN}, poll_seconds=0.0)
    assert settings.poll_seconds == 0.0


# --- profile selection -------------------------------------------------------------------------

TWO_PROFILES = """\
[profiles.alpha]
token = "sk_alpha.eu"

[profiles.beta]
token = "sk_beta.us"
"""


def test_profile_flag_selects(paths: dict[str, Path]) -> None:
    write(paths["config"], TWO_PROFILES)
    settings, _ = resolve(paths, profile="beta")
    assert (settings.profile, settings.token) == ("beta", Secret("sk_beta.us"))


def test_default_profile_selects(paths: dict[str, Path]) -> None:
    write(paths["config"], 'default_profile = "beta"\n' + TWO_PROFILES)
    assert resolve(paths)[0].profile == "beta"
    assert resolve(paths, profile="alpha")[0].profile == "alpha"


def test_only_profile_selects(paths: dict[str, Path]) -> None:
    write(paths["config"], '[profiles.solo]\ntoken = "sk_solo"\n')
    assert resolve(paths)[0].profile == "solo"


def test_several_profiles_without_default_select_none(paths: dict[str, Path]) -> None:
    write(paths["config"], TWO_PROFILES)
    with pytest.raises(MissingTokenError):
        resolve(paths)
    settings, _ = resolve(paths, {"SVIX_AUTH_TOKEN": ENV_TOKEN})
    assert settings.profile == "env"
    write(paths["cli"], f'auth_token = "{CLI_TOKEN}"\n')
    settings, _ = resolve(paths)
    assert (settings.profile, settings.token) == ("svix-cli", Secret(CLI_TOKEN))


def test_unknown_profile_lists_known_ones(paths: dict[str, Path]) -> None:
    write(paths["config"], TWO_PROFILES)
    with pytest.raises(ConfigError) as info:
        resolve(paths, profile="gamma")
    assert "'gamma'" in str(info.value)
    assert "alpha, beta" in str(info.value)
    write(paths["cli"], f'auth_token = "{CLI_TOKEN}"\n')
    with pytest.raises(ConfigError, match="alpha, beta, svix-cli"):
        resolve(paths, profile="gamma")


def test_unknown_profile_without_config(paths: dict[str, Path]) -> None:
    with pytest.raises(ConfigError, match="none defined"):
        resolve(paths, {"SVIX_AUTH_TOKEN": ENV_TOKEN}, profile="prod")


def test_profile_svix_cli_selects_the_fallback(paths: dict[str, Path]) -> None:
    write(paths["config"], 'default_profile = "alpha"\n' + TWO_PROFILES)
    write(paths["cli"], f'auth_token = "{CLI_TOKEN}"\n')
    settings, _ = resolve(paths, profile="svix-cli")
    assert (settings.profile, settings.token) == ("svix-cli", Secret(CLI_TOKEN))


def test_token_env(paths: dict[str, Path]) -> None:
    write(paths["config"], '[profiles.work]\ntoken_env = "WORK_SVIX_TOKEN"\n')
    settings, _ = resolve(paths, {"WORK_SVIX_TOKEN": PROFILE_TOKEN})
    assert settings.token == Secret(PROFILE_TOKEN)
    assert settings.server_url == "https://api.us.svix.com"
    # SVIX_AUTH_TOKEN (environment) outranks the profile.
    settings, _ = resolve(paths, {"WORK_SVIX_TOKEN": PROFILE_TOKEN, "SVIX_AUTH_TOKEN": ENV_TOKEN})
    assert settings.token == Secret(ENV_TOKEN)
    with pytest.raises(MissingTokenError, match=r"\$WORK_SVIX_TOKEN, which is not set"):
        resolve(paths, {"WORK_SVIX_TOKEN": "  "})


def test_token_env_holding_a_token_is_refused_without_echo(paths: dict[str, Path]) -> None:
    write(paths["config"], f'[profiles.work]\ntoken_env = "{PROFILE_TOKEN}"\n')
    with pytest.raises(ConfigError, match=r"line 2: profiles\.work\.token_env") as info:
        resolve(paths)
    assert_no_token(info.value)


# --- Svix CLI fallback -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "url"),
    [
        (
            'server_url = "https://s.example"\ndebug_url = "https://d.example"\n',
            "https://s.example",
        ),
        ('debug_url = "https://d.example/"\n', "https://d.example"),
        ('server_url = "  "\ndebug_url = "https://d.example"\n', "https://d.example"),
        ('server_url = ""\n', "https://api.ca.svix.com"),
        ("", "https://api.ca.svix.com"),
    ],
)
def test_svix_cli_server_url_and_legacy_debug_url(
    paths: dict[str, Path], text: str, url: str
) -> None:
    write(paths["cli"], f'auth_token = "{CLI_TOKEN}"\n' + text)
    settings, warnings = resolve(paths)
    assert settings.server_url == url
    assert warnings == []


@pytest.mark.parametrize(
    ("cli_text", "env", "url", "source"),
    [
        # The Svix CLI's legacy variable alone gives the server URL...
        (
            "",
            {"SVIX_DEBUG_URL": "https://debug.example/"},
            "https://debug.example",
            "SVIX_DEBUG_URL",
        ),
        # ...over the file's debug_url, as the environment does in the Svix CLI...
        (
            'debug_url = "https://d.example"\n',
            {"SVIX_DEBUG_URL": "https://debug.example"},
            "https://debug.example",
            "SVIX_DEBUG_URL",
        ),
        # ...but any server_url, the file's or $SVIX_SERVER_URL, outranks it.
        (
            'server_url = "https://s.example"\n',
            {"SVIX_DEBUG_URL": "https://debug.example"},
            "https://s.example",
            "Svix CLI config",
        ),
        (
            "",
            {"SVIX_DEBUG_URL": "https://debug.example", "SVIX_SERVER_URL": "https://e.example"},
            "https://e.example",
            "SVIX_SERVER_URL",
        ),
        ("", {"SVIX_DEBUG_URL": "  "}, "https://api.ca.svix.com", "the token's region"),
    ],
)
def test_svix_debug_url_is_read_where_the_svix_cli_reads_it(
    paths: dict[str, Path], cli_text: str, env: dict[str, str], url: str, source: str
) -> None:
    write(paths["cli"], f'auth_token = "{CLI_TOKEN}"\n' + cli_text)
    resolution = config.resolve(
        Flags(), env=env, config_path=paths["config"], svix_cli_config_path=paths["cli"]
    )
    assert resolution.settings().server_url == url
    assert resolution.sources["server_url"].startswith(source)


def test_a_profile_server_url_outranks_svix_debug_url_and_a_bad_one_is_named(
    paths: dict[str, Path],
) -> None:
    write(paths["config"], f'[profiles.work]\ntoken = "{PROFILE_TOKEN}"\n')
    settings, _ = resolve(paths, {"SVIX_DEBUG_URL": "https://debug.example"})
    assert settings.server_url == "https://debug.example"
    write(
        paths["config"],
        f'[profiles.work]\ntoken = "{PROFILE_TOKEN}"\nserver_url = "https://p.example"\n',
    )
    settings, _ = resolve(paths, {"SVIX_DEBUG_URL": "https://debug.example"})
    assert settings.server_url == "https://p.example"
    write(paths["config"], f'[profiles.work]\ntoken = "{PROFILE_TOKEN}"\n')
    with pytest.raises(ConfigError, match="SVIX_DEBUG_URL"):
        resolve(paths, {"SVIX_DEBUG_URL": "nope"})


def test_svix_cli_extra_keys_are_fine_and_timeout_becomes_read_timeout(
    paths: dict[str, Path],
) -> None:
    write(
        paths["cli"],
        f'auth_token = "{CLI_TOKEN}"\nrelay_token = "r"\ntimeout_milliseconds = 45000\n',
    )
    settings, warnings = resolve(paths)
    assert settings.read_timeout == 45.0
    assert settings.connect_timeout == 5.0
    assert warnings == []


def test_svix_cli_bad_values_are_ignored_with_warnings(paths: dict[str, Path]) -> None:
    write(
        paths["cli"],
        f'auth_token = "{CLI_TOKEN}"\nserver_url = "nope"\ntimeout_milliseconds = "fast"\n',
    )
    settings, warnings = resolve(paths)
    assert settings.server_url == "https://api.ca.svix.com"
    assert settings.read_timeout == 15.0
    assert len(warnings) == 2
    assert "server_url" in warnings[0]
    assert "timeout_milliseconds" in warnings[1]


def test_broken_svix_cli_config_is_a_warning_not_an_error(paths: dict[str, Path]) -> None:
    write(paths["cli"], f'auth_token = "{CLI_TOKEN}\n')
    settings, warnings = resolve(paths, {"SVIX_AUTH_TOKEN": ENV_TOKEN})
    assert settings.profile == "env"
    assert len(warnings) == 1
    assert "ignoring the Svix CLI config" in warnings[0]
    assert "line 1" in warnings[0]
    assert_no_token(*warnings)
    with pytest.raises(MissingTokenError) as info:
        resolve(paths)
    assert info.value.warnings == warnings


def test_svix_cli_config_without_token(paths: dict[str, Path]) -> None:
    write(paths["cli"], 'server_url = "https://cli.example"\n')
    with pytest.raises(MissingTokenError, match="has none"):
        resolve(paths)
    settings, _ = resolve(paths, {"SVIX_AUTH_TOKEN": ENV_TOKEN})
    assert (settings.server_url, settings.profile) == ("https://cli.example", "svix-cli")


def test_load_svix_cli_config_absent(tmp_path: Path) -> None:
    assert load_svix_cli_config(tmp_path / "nope.toml") == (None, [])


# --- config file errors ------------------------------------------------------------------------


def test_toml_syntax_error_names_file_and_line(paths: dict[str, Path]) -> None:
    write(paths["config"], '[profiles.work]\nserver_url = "https://x"\nread_only = yes\n')
    with pytest.raises(ConfigError) as info:
        load_config(paths["config"])
    message = str(info.value)
    assert message.startswith(f"{paths['config']}, line 3, column")
    assert "invalid TOML" in message


def test_toml_syntax_error_never_echoes_the_token(paths: dict[str, Path]) -> None:
    write(paths["config"], f'[profiles.work]\ntoken = "{PROFILE_TOKEN}" oops\n')
    with pytest.raises(ConfigError, match="line 2") as info:
        load_config(paths["config"])
    assert_no_token(info.value)


def test_unknown_key_names_key_and_line(paths: dict[str, Path]) -> None:
    write(
        paths["config"],
        '# my config\ndefault_profile = "work"\n\n[profiles.work]\n'
        'server_url = "https://x"\ntokn = "abc"\n',
    )
    with pytest.raises(ConfigError) as info:
        load_config(paths["config"])
    message = str(info.value)
    assert message.startswith(f"{paths['config']}, line 6: unknown key 'profiles.work.tokn'")
    assert "token_env" in message  # lists what is allowed


def test_unknown_top_level_key(paths: dict[str, Path]) -> None:
    write(paths["config"], 'default_profile = "w"\nthemes = "dark"\n[profiles.w]\n')
    with pytest.raises(ConfigError, match=r"line 2: unknown key 'themes'"):
        load_config(paths["config"])


def test_top_level_key_after_a_table_gets_a_hint(paths: dict[str, Path]) -> None:
    write(paths["config"], '[profiles.work]\ntoken_env = "T"\ndefault_profile = "work"\n')
    with pytest.raises(ConfigError) as info:
        load_config(paths["config"])
    assert "line 3" in str(info.value)
    assert "must come before the first [table]" in str(info.value)


@pytest.mark.parametrize(
    ("body", "line", "key"),
    [
        ('read_only = "yes"', 3, "profiles.prod.read_only"),
        ("poll_seconds = -2", 3, "profiles.prod.poll_seconds"),
        ("poll_seconds = true", 3, "profiles.prod.poll_seconds"),
        ("server_url = 8071", 3, "profiles.prod.server_url"),
        ('server_url = "localhost:8071"', 3, "profiles.prod.server_url"),
        (f'token = ["{PROFILE_TOKEN}"]', 3, "profiles.prod.token"),
        ("token = 12345", 3, "profiles.prod.token"),
    ],
)
def test_wrong_type_names_key_and_line(
    paths: dict[str, Path], body: str, line: int, key: str
) -> None:
    write(paths["config"], f"# header\n[profiles.prod]\n{body}\n")
    with pytest.raises(ConfigError) as info:
        load_config(paths["config"])
    assert str(info.value).startswith(f"{paths['config']}, line {line}: {key}: ")
    assert_no_token(info.value)
    assert "12345" not in str(info.value)


def test_several_errors_are_all_reported(paths: dict[str, Path]) -> None:
    write(paths["config"], "[profiles.a]\nread_only = 1\n\n[profiles.b]\nbogus = 2\n")
    with pytest.raises(ConfigError) as info:
        load_config(paths["config"])
    lines = str(info.value).splitlines()
    assert len(lines) == 2
    assert "line 2: profiles.a.read_only" in lines[0]
    assert "line 5: unknown key 'profiles.b.bogus'" in lines[1]


def test_profiles_must_be_tables(paths: dict[str, Path]) -> None:
    write(paths["config"], '[profiles]\nwork = "sk_x"\n')
    with pytest.raises(ConfigError, match=r"line 2: profiles.work: expected a table"):
        load_config(paths["config"])


def test_token_and_token_env_together(paths: dict[str, Path]) -> None:
    write(paths["config"], f'\n[profiles.w]\ntoken = "{PROFILE_TOKEN}"\ntoken_env = "X"\n')
    with pytest.raises(ConfigError, match=r"line 2: profiles\.w: set either token or token_env"):
        load_config(paths["config"])


def test_default_endpoint_needs_default_app(paths: dict[str, Path]) -> None:
    write(paths["config"], '[profiles.w]\ndefault_endpoint = "ep_1"\n')
    with pytest.raises(ConfigError, match="default_endpoint needs default_app"):
        load_config(paths["config"])


def test_default_profile_must_exist(paths: dict[str, Path]) -> None:
    write(paths["config"], '\n\ndefault_profile = "prd"\n' + TWO_PROFILES)
    with pytest.raises(ConfigError) as info:
        load_config(paths["config"])
    assert str(info.value) == (
        f"{paths['config']}, line 3: default_profile: no profile named 'prd' "
        "(profiles: alpha, beta)"
    )


def test_bad_config_stops_resolution(paths: dict[str, Path]) -> None:
    write(paths["config"], "default_profile = [\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        resolve(paths, {"SVIX_AUTH_TOKEN": ENV_TOKEN})


def test_config_that_is_not_utf8(paths: dict[str, Path]) -> None:
    paths["config"].parent.mkdir(parents=True)
    paths["config"].write_bytes(b"default_profile = '\xff'\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(paths["config"])


def test_load_config_returns_the_model(paths: dict[str, Path]) -> None:
    write(
        paths["config"],
        'default_profile = "eu prod"\n[profiles."eu prod"]\ntoken_env = "EU_TOKEN"\n'
        'server_url = "https://api.eu.svix.com/"\nread_only = true\npoll_seconds = 2\n'
        'default_app = "app_1"\ndefault_endpoint = "ep_1"\n',
    )
    config = load_config(paths["config"])
    assert isinstance(config, ConfigFile)
    profile = config.profiles["eu prod"]
    assert profile.server_url == "https://api.eu.svix.com"
    assert (profile.token_env, profile.read_only, profile.poll_seconds) == ("EU_TOKEN", True, 2.0)
    assert (profile.default_app, profile.default_endpoint) == ("app_1", "ep_1")


def test_config_model_repr_masks_the_token(paths: dict[str, Path]) -> None:
    write(paths["config"], PROFILE)
    config = load_config(paths["config"])
    assert config.profiles["work"].token == Secret(PROFILE_TOKEN)
    assert_no_token(config, config.profiles["work"], config.model_dump())


@pytest.mark.parametrize(
    ("text", "loc", "line"),
    [
        ("a = 1\n[profiles.w]\nx = 1\n", ("profiles", "w", "x"), 3),
        ('[ profiles . "w" ]  # c\n\n x = 1\n', ("profiles", "w", "x"), 3),
        ("[profiles]\nw.x = 1\n", ("profiles", "w", "x"), 2),
        ("profiles.w.x = 1\n", ("profiles", "w", "x"), 1),
        ("[profiles]\nw = { y = 1, x = 2 }\n", ("profiles", "w", "x"), 2),
        ("[profiles.w]\ny = 1\n", ("profiles", "w"), 1),
        ('[profiles.a]\ns = """\nx = 1\n"""\nx = 2\n', ("profiles", "a", "x"), 5),
        ("[profiles.a]\n", ("nothing",), None),
        ("", (), None),
    ],
)
def test_find_key_line(text: str, loc: tuple[str, ...], line: int | None) -> None:
    assert find_key_line(text, loc) == line


# --- permissions -------------------------------------------------------------------------------


@posix_only
def test_config_with_token_readable_by_others_warns(paths: dict[str, Path]) -> None:
    write(paths["config"], PROFILE, mode=0o644)
    _, warnings = resolve(paths)
    assert len(warnings) == 1
    assert str(paths["config"]) in warnings[0]
    assert "0644" in warnings[0]
    assert "chmod 600" in warnings[0]
    assert_no_token(*warnings)


@posix_only
def test_private_config_or_config_without_token_does_not_warn(paths: dict[str, Path]) -> None:
    write(paths["config"], PROFILE, mode=0o600)
    assert resolve(paths)[1] == []
    write(paths["config"], '[profiles.w]\ntoken_env = "T"\n', mode=0o644)
    assert resolve(paths, {"T": ENV_TOKEN})[1] == []


@posix_only
def test_token_file_readable_by_group_warns(paths: dict[str, Path]) -> None:
    write(paths["token"], FILE_TOKEN, mode=0o640)
    settings, warnings = resolve(paths, token_file=paths["token"])
    assert settings.token == Secret(FILE_TOKEN)
    assert len(warnings) == 1
    assert "token file" in warnings[0]
    assert "0640" in warnings[0]
    assert_no_token(*warnings)


@posix_only
def test_svix_cli_config_readable_by_others_warns_when_used(paths: dict[str, Path]) -> None:
    write(paths["cli"], f'auth_token = "{CLI_TOKEN}"\n', mode=0o604)
    assert "Svix CLI config" in resolve(paths)[1][0]
    assert resolve(paths, {"SVIX_AUTH_TOKEN": ENV_TOKEN})[1] == []


# --- token file --------------------------------------------------------------------------------


def test_token_file_is_stripped(paths: dict[str, Path]) -> None:
    write(paths["token"], f"\n  {FILE_TOKEN}  \n\n")
    assert resolve(paths, token_file=paths["token"])[0].token == Secret(FILE_TOKEN)


@pytest.mark.parametrize(
    ("content", "match"), [("", "is empty"), ("  \n", "is empty"), ("a b\n", "only the token")]
)
def test_bad_token_file(paths: dict[str, Path], content: str, match: str) -> None:
    write(paths["token"], content)
    with pytest.raises(ConfigError, match=match):
        resolve(paths, token_file=paths["token"])


def test_missing_token_file(paths: dict[str, Path]) -> None:
    with pytest.raises(ConfigError, match="cannot read token file"):
        resolve(paths, {"SVIX_AUTH_TOKEN": ENV_TOKEN}, token_file=paths["token"])


# --- missing token, demo, secrecy --------------------------------------------------------------


def test_missing_token(paths: dict[str, Path]) -> None:
    with pytest.raises(MissingTokenError, match="no Svix API token found") as info:
        resolve(paths, {"SVIX_AUTH_TOKEN": "   "})
    assert isinstance(info.value, ConfigError)


def test_demo_settings_ignore_env_and_config(paths: dict[str, Path]) -> None:
    write(paths["config"], "this is not toml")
    settings, warnings = resolve(
        paths,
        {"SVIX_AUTH_TOKEN": ENV_TOKEN, "SVIX_SERVER_URL": "https://env.example"},
        demo=True,
        read_only=True,
        app_id="app_1",
        page_size=10,
    )
    assert settings == Settings(
        server_url=DEMO_SERVER_URL,
        token=Secret("demo-token"),
        profile="demo",
        app_id="app_1",
        read_only=True,
        page_size=10,
        demo=True,
    )
    assert warnings == []


def test_demo_refuses_connection_flags(paths: dict[str, Path]) -> None:
    with pytest.raises(ConfigError, match="--demo"):
        resolve(paths, demo=True, server_url="https://x.example")


def test_settings_are_frozen_and_never_show_the_token(paths: dict[str, Path]) -> None:
    write(paths["config"], PROFILE)
    settings, _ = resolve(paths)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.read_only = True  # type: ignore[misc]
    assert_no_token(settings, config.resolve(Flags(), env={}, config_path=paths["config"]))


def test_explain_reports_sources_without_failing(paths: dict[str, Path]) -> None:
    write(paths["config"], '[profiles.work]\ntoken_env = "T"\nread_only = true\n')
    res = config.resolve(
        Flags(), env={}, config_path=paths["config"], svix_cli_config_path=paths["cli"]
    )
    assert res.token is None
    assert res.server_url is None
    assert res.missing_token is not None and "$T" in res.missing_token
    assert res.sources["profile"] == "the only profile"
    assert res.sources["read_only"] == "profile 'work'"
    assert (res.config_found, res.svix_cli_found) == (True, False)
    with pytest.raises(MissingTokenError):
        res.settings()


# --- default paths -----------------------------------------------------------------------------


def test_default_config_path_env_override(tmp_path: Path) -> None:
    target = tmp_path / "custom.toml"
    assert default_config_path({CONFIG_PATH_ENV: str(target)}) == target
    assert default_svix_cli_config_path({SVIX_CLI_CONFIG_PATH_ENV: str(target)}) == target


def test_default_config_path_uses_platform_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    path = default_config_path({})
    assert path.name == "config.toml"
    assert path.parent.name == "attempt-tui"


def test_default_svix_cli_path_finds_the_svix_cli_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    expected = home / ".config" / "svix" / "config.toml"
    assert default_svix_cli_config_path({}) == expected  # reported even when absent
    write(expected, 'auth_token = "x"\n')
    assert default_svix_cli_config_path({}) == expected


def test_config_path_may_name_a_directory(tmp_path: Path) -> None:
    write(tmp_path / "config.toml", '[profiles.only]\ntoken_env = "T"\n')
    settings = config.resolve(
        Flags(),
        env={CONFIG_PATH_ENV: str(tmp_path), "T": ENV_TOKEN},
        svix_cli_config_path=tmp_path / "none.toml",
    ).settings()
    assert settings.profile == "only"
    assert settings.config_path == tmp_path / "config.toml"


def test_config_env_var_pointing_nowhere_means_no_config(tmp_path: Path) -> None:
    settings = config.resolve(
        Flags(),
        env={CONFIG_PATH_ENV: str(tmp_path / "missing.toml"), "SVIX_AUTH_TOKEN": ENV_TOKEN},
        svix_cli_config_path=tmp_path / "none.toml",
    ).settings()
    assert (settings.profile, settings.config_path) == ("env", None)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://user:pa55@svix.internal:8071/x", "https://svix.internal:8071/x"),
        ("https://user@svix.internal", "https://svix.internal"),
        ("https://a:b@c@svix.internal/", "https://svix.internal/"),
        ("http://u:p@[::1]:8071", "http://[::1]:8071"),
        ("https://api.eu.svix.com", "https://api.eu.svix.com"),
        ("https://svix.internal/a@b", "https://svix.internal/a@b"),
    ],
)
def test_display_url_drops_credentials(url: str, shown: str) -> None:
    assert config.display_url(url) == shown


# --- the poll interval: one rule for the flag and the file ---------------------------------------


@pytest.mark.parametrize("value", [0.0, 0.5, 2.5, 3600.0])
def test_poll_rule_accepts_zero_and_half_a_second_up(value: float) -> None:
    assert config.check_poll_seconds(value) == value


@pytest.mark.parametrize("value", [0.2, 0.49, -1.0, float("nan"), float("inf")])
def test_poll_rule_refuses_the_rest(value: float) -> None:
    with pytest.raises(ValueError) as info:
        config.check_poll_seconds(value)
    assert str(info.value) == "must be 0 (refresh only on demand) or at least 0.5 seconds"


def test_profile_poll_below_the_minimum_names_file_line_and_key(paths: dict[str, Path]) -> None:
    write(paths["config"], '[profiles.prod]\ntoken_env = "T"\npoll_seconds = 0.2\n')
    with pytest.raises(ConfigError) as info:
        load_config(paths["config"])
    assert str(info.value) == (
        f"{paths['config']}, line 3: profiles.prod.poll_seconds: "
        "must be 0 (refresh only on demand) or at least 0.5 seconds"
    )


@pytest.mark.parametrize(("text", "seconds"), [("0", 0.0), ("0.5", 0.5), ("7", 7.0)])
def test_profile_poll_zero_or_at_least_the_minimum(
    paths: dict[str, Path], text: str, seconds: float
) -> None:
    write(paths["config"], f'[profiles.prod]\ntoken_env = "T"\npoll_seconds = {text}\n')
    assert resolve(paths, {"T": ENV_TOKEN})[0].poll_seconds == seconds


def test_poll_flag_below_the_minimum_is_refused(paths: dict[str, Path]) -> None:
    with pytest.raises(ConfigError, match=r"poll seconds must be 0 \(.*\) or at least 0\.5"):
        resolve(paths, {"SVIX_AUTH_TOKEN": ENV_TOKEN}, poll_seconds=0.2)


# --- the request budget ------------------------------------------------------------------------


def test_max_requests_per_second_defaults_to_10(paths: dict[str, Path]) -> None:
    settings, _ = resolve(paths, {"SVIX_AUTH_TOKEN": ENV_TOKEN})
    assert settings.max_requests_per_second == 10.0
    write(paths["config"], PROFILE)
    res = config.resolve(Flags(), env={}, config_path=paths["config"])
    assert res.max_requests_per_second == 10.0
    assert "max_requests_per_second" not in res.sources


@pytest.mark.parametrize(("text", "rate"), [("2.5", 2.5), ("25", 25.0), ("0.1", 0.1)])
def test_max_requests_per_second_from_the_profile(
    paths: dict[str, Path], text: str, rate: float
) -> None:
    write(paths["config"], PROFILE + f"max_requests_per_second = {text}\n")
    res = config.resolve(Flags(), env={}, config_path=paths["config"])
    assert res.max_requests_per_second == rate
    assert res.sources["max_requests_per_second"] == "profile 'work'"
    assert res.settings().max_requests_per_second == rate


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0", "must be a number of requests per second above 0"),
        ("-3", "must be a number of requests per second above 0"),
        ("nan", "must be a number of requests per second above 0"),
        ('"fast"', "Input should be a valid number"),
        ("true", "Input should be a valid number"),
    ],
)
def test_max_requests_per_second_errors_name_file_line_and_key(
    paths: dict[str, Path], text: str, message: str
) -> None:
    write(paths["config"], f"[profiles.prod]\n\nmax_requests_per_second = {text}\n")
    with pytest.raises(ConfigError) as info:
        load_config(paths["config"])
    assert str(info.value).startswith(
        f"{paths['config']}, line 3: profiles.prod.max_requests_per_second: {message}"
    )


def test_demo_keeps_the_default_request_budget(paths: dict[str, Path]) -> None:
    assert resolve(paths, demo=True)[0].max_requests_per_second == 10.0


# --- switching profiles inside the app ---------------------------------------------------------


def test_flags_for_another_profile_keep_read_only_and_page_size() -> None:
    flags = Flags(
        server_url="https://flag.example",
        profile="alpha",
        app_id="app_1",
        endpoint_id="ep_1",
        read_only=True,
        poll_seconds=0.0,
        page_size=20,
        token_file=Path("/tmp/token"),
    )
    assert flags.for_profile("beta") == Flags(profile="beta", read_only=True, page_size=20)


def test_profile_loader_opens_a_profile_by_name(paths: dict[str, Path]) -> None:
    write(paths["config"], TWO_PROFILES + "read_only = true\n")
    load = config.profile_loader(
        Flags(profile="alpha", page_size=20),
        env={},
        config_path=paths["config"],
        svix_cli_config_path=paths["cli"],
    )
    settings, warnings = load("beta")
    assert (settings.profile, settings.token) == ("beta", Secret("sk_beta.us"))
    assert (settings.read_only, settings.page_size) == (True, 20)
    assert warnings == []
    with pytest.raises(ConfigError, match="unknown profile 'gamma'"):
        load("gamma")


def test_theme_store_reads_and_writes_the_config_file(paths: dict[str, Path]) -> None:
    write(paths["config"], PROFILE)
    store = config.FileThemeStore(paths["config"])
    assert store.load() is None
    store.save("nord")
    assert store.load() == "nord"
    assert load_config(paths["config"]).theme == "nord"
    with pytest.raises(ValueError):
        store.save('x" oops')
