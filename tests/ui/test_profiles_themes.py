"""Switching environments inside the app, profile colours, and the remembered theme."""

from __future__ import annotations

import httpx

from attempt_tui.config import (
    FileThemeStore,
    Flags,
    profile_loader,
    read_theme,
    resolve,
    write_theme,
)
from attempt_tui.launch import make_app
from attempt_tui.ui.widgets.message_area import MessageArea
from attempt_tui.ui.widgets.message_table import MessageTable
from tests.ui.helpers import wait_for

CONFIG = """\
default_profile = "staging"

[profiles.staging]
server_url = "http://staging.invalid"
token = "staging-token-1234567890"
color = "green"

[profiles.production]
server_url = "http://production.invalid"
token = "production-token-1234567890"
read_only = true
color = "#cc0000"
"""


async def test_switch_profile_from_the_palette(tmp_path, demo) -> None:
    config = tmp_path / "config.toml"
    config.write_text(CONFIG)
    config.chmod(0o600)
    flags = Flags(poll_seconds=0)
    settings = resolve(flags, config_path=config, env={}).settings()
    assert settings.profile == "staging" and settings.color == "green"
    assert set(settings.profiles) == {"staging", "production"}
    loader = profile_loader(flags, config_path=config, env={})
    # Every profile's worker gets the transport: both profiles talk to the demo.
    transport = httpx.ASGITransport(app=demo.asgi_app)
    app = make_app(
        settings, transport=transport, clock=lambda: demo.world.now, profile_loader=loader
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.data_worker.query.app_id is not None)
        assert "staging" in str(app.screen.query_one("#context").render())
        await app.switch_profile("production")
        await pilot.pause()
        assert app.settings.profile == "production" and app.settings.read_only
        assert app.data_worker.client.read_only
        bar = str(app.screen.query_one("#context").render())
        assert "production" in bar and "READ-ONLY" in bar
        await wait_for(pilot, lambda: app.data_worker.query.app_id is not None)
        assert app.screen.query_one(MessageArea).check_action("resend", ()) is None


async def test_palette_offers_the_other_profiles(tmp_path, demo) -> None:
    from attempt_tui.ui.palette import AttemptCommands

    config = tmp_path / "config.toml"
    config.write_text(CONFIG)
    config.chmod(0o600)
    settings = resolve(Flags(poll_seconds=0), config_path=config, env={}).settings()
    app = make_app(settings, transport=httpx.ASGITransport(app=demo.asgi_app))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        names = [c.name for c in AttemptCommands(app.main_screen).commands()]
        assert "Profile: production" in names and "Profile: staging" not in names


async def test_theme_is_remembered_in_the_config(tmp_path, demo) -> None:
    config = tmp_path / "config.toml"
    config.write_text(CONFIG)
    config.chmod(0o600)
    settings = resolve(Flags(poll_seconds=0), config_path=config, env={}).settings()
    store = FileThemeStore(config)
    app = make_app(settings, transport=httpx.ASGITransport(app=demo.asgi_app), theme_store=store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.theme = "nord"
        await pilot.pause()
    assert read_theme(config) == "nord"
    text = config.read_text()
    assert "[profiles.staging]" in text and 'token = "staging-token-1234567890"' in text
    assert oct(config.stat().st_mode & 0o777) == "0o600"
    app = make_app(settings, transport=httpx.ASGITransport(app=demo.asgi_app), theme_store=store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.theme == "nord"
    resolve(Flags(), config_path=config, env={}).settings()  # the file still validates


def test_write_theme_inserts_before_tables_and_replaces(tmp_path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('default_profile = "a"\n\n[profiles.a]\ntoken = "x"\n')
    write_theme(config, "dracula")
    assert config.read_text().splitlines()[:3] == ['default_profile = "a"', "", 'theme = "dracula"']
    write_theme(config, "nord")
    assert read_theme(config) == "nord" and config.read_text().count("theme =") == 1


async def test_no_color_keeps_status_words_and_read_only_marker(make_demo_app, demo, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    endpoint = demo.world.roles["flaky"]
    app = make_demo_app(read_only=True, app_id=endpoint.app.id, endpoint_id=endpoint.id)
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.screen.query_one(MessageTable)
        await wait_for(pilot, lambda: table.row_count > 0)
        assert "READ-ONLY" in str(app.screen.query_one("#context").render())
        statuses = {str(table.get_row_at(i)[0]).split()[-1] for i in range(table.row_count)}
        assert statuses <= {"success", "pending", "fail", "sending", "canceled"}
