"""Locating pasted ids against the demo world."""

from __future__ import annotations

import httpx
import pytest

from attempt_tui.api.client import SvixClient
from attempt_tui.locate import NotLocated, locate
from attempt_tui.secret import Secret


@pytest.fixture
async def client(demo):
    client = SvixClient(
        Secret("t"), "http://demo", transport=httpx.ASGITransport(app=demo.asgi_app)
    )
    yield client
    await client.aclose()


async def apps(client):
    return (await client.list_applications()).data


async def test_app_by_id_and_uid(client, demo) -> None:
    app = demo.world.roles["busiest"].app
    all_apps = await apps(client)
    for text in (app.id, app.uid):
        found = await locate(client, text, apps=all_apps, current_app=None, current_endpoint=None)
        assert found.app_id == app.id and found.endpoint_id is None


async def test_endpoint_in_another_app(client, demo) -> None:
    endpoint = demo.world.roles["busiest"]
    all_apps = await apps(client)
    other = next(a.id for a in all_apps if a.id != endpoint.app.id)
    found = await locate(
        client, endpoint.id, apps=all_apps, current_app=other, current_endpoint=None
    )
    assert (found.app_id, found.endpoint_id) == (endpoint.app.id, endpoint.id)


async def test_message_by_id_and_event_id_lands_on_its_endpoint(client, demo) -> None:
    endpoint = demo.world.roles["busiest"]
    page = await client.list_attempted_messages(endpoint.app.id, endpoint.id, limit=20)
    message = next(m for m in page.data if m.event_id)
    all_apps = await apps(client)
    for text in (message.id, message.event_id):
        found = await locate(
            client, text, apps=all_apps, current_app=None, current_endpoint=endpoint.id
        )
        assert found.app_id == endpoint.app.id
        assert found.msg_id == message.id and found.endpoint_id == endpoint.id
        assert found.timestamp == message.timestamp


async def test_unknown_and_bad_text(client) -> None:
    all_apps = await apps(client)
    with pytest.raises(NotLocated, match="Nothing found"):
        await locate(client, "msg_nope", apps=all_apps, current_app=None, current_endpoint=None)
    with pytest.raises(NotLocated, match="Paste an id"):
        await locate(client, "../x y", apps=all_apps, current_app=None, current_endpoint=None)
    with pytest.raises(NotLocated, match="message id"):
        await locate(
            client, "atmpt_" + "x" * 27, apps=all_apps, current_app=None, current_endpoint=None
        )
