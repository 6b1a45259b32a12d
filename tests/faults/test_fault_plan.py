"""The fault plan, the middleware's answers, and `demo-server --faults`."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import uvicorn

from attempt_tui import cli
from attempt_tui.demo import serving
from attempt_tui.demo.faults import (
    DEEP_LEVELS,
    DEFAULT_RANDOM_KINDS,
    HUGE_BYTES,
    KINDS,
    OPTIONAL_KEYS,
    STATUS_KINDS,
    TARGETS,
    FaultPlan,
    FaultRule,
    FaultSpecError,
    FaultTransport,
    NetworkFault,
    close_on_network_fault,
)
from attempt_tui.demo.server import DemoServer, build_demo
from tests.conftest import DEMO_NOW

AUTH = {"Authorization": "Bearer testsk_demo"}

# --- the plan --------------------------------------------------------------------------------


def test_parse_named_target_regex_and_count() -> None:
    plan = FaultPlan.parse("503:messages, 429-retry-after:all*3,reset:/resend$*1,truncated")
    messages, limited, reset, truncated = plan.rules
    assert (messages.kind, messages.path, messages.method) == ("503", *TARGETS["messages"])
    assert (limited.kind, limited.path, limited.method, limited.count) == (
        "429-retry-after",
        "",
        None,
        3,
    )
    assert (reset.path, reset.count) == ("/resend$", 1)
    assert (truncated.path, truncated.count) == ("", None)
    assert plan.rate == 0


def test_parse_random() -> None:
    plan = FaultPlan.parse("random:42")
    assert (plan.rate, plan.rules, plan.random_kinds) == (0.3, [], DEFAULT_RANDOM_KINDS)
    assert FaultPlan.parse("random:42:0.5").rate == 0.5
    assert "404" not in DEFAULT_RANDOM_KINDS and "refused" not in DEFAULT_RANDOM_KINDS


@pytest.mark.parametrize(
    ("spec", "complaint"),
    [
        ("", "empty"),
        ("418", "unknown fault '418'"),
        ("503:[unclosed", "bad path pattern"),
        ("503*0", "at least 1"),
        ("random:x", "random:SEED"),
        ("random:1:2", "rate"),
        ("random:1:0.5:9", "random:SEED"),
    ],
)
def test_parse_rejects_bad_specs(spec: str, complaint: str) -> None:
    with pytest.raises(FaultSpecError, match=complaint):
        FaultPlan.parse(spec)


def test_rules_match_path_and_method_and_are_spent_after_count() -> None:
    plan = FaultPlan([FaultRule("503", path="/msg$", method="get", count=2)])
    assert plan.pick("POST", "/api/v1/app/a/msg") is None
    assert plan.pick("GET", "/api/v1/app/a/endpoint") is None
    assert plan.pick("GET", "/api/v1/app/a/msg") == "503"
    assert plan.pick("GET", "/api/v1/app/a/msg") == "503"
    assert plan.pick("GET", "/api/v1/app/a/msg") is None
    assert plan.rules[0].hits == 2
    assert plan.injected == [("503", "GET", "/api/v1/app/a/msg")] * 2


def test_off_on_and_clear() -> None:
    plan = FaultPlan()
    plan.add("401")
    plan.off()
    assert plan.pick("GET", "/api/v1/app") is None
    plan.on()
    assert plan.pick("GET", "/api/v1/app") == "401"
    plan.clear()
    assert plan.pick("GET", "/api/v1/app") is None


def test_first_matching_rule_wins_then_random() -> None:
    plan = FaultPlan.random(1, rate=1.0, kinds=["502"])
    plan.add("409", path="/resend")
    assert plan.pick("POST", "/x/resend") == "409"
    assert plan.pick("GET", "/api/v1/app") == "502"


def test_random_mode_is_seeded() -> None:
    def run(seed: int) -> list[str | None]:
        plan = FaultPlan.random(seed, rate=0.4)
        return [plan.pick("GET", f"/api/v1/app/{i}") for i in range(300)]

    first = run(5)
    assert first == run(5)
    assert first != run(6)
    injected = [kind for kind in first if kind is not None]
    assert 80 < len(injected) < 160
    assert set(injected) <= set(DEFAULT_RANDOM_KINDS)
    assert len(set(injected)) > len(DEFAULT_RANDOM_KINDS) // 2


def test_describe() -> None:
    assert FaultPlan.parse("503:/x*2").describe() == "503 on any /x x2"
    assert FaultPlan.parse("random:1").describe() == "random faults on 30% of requests"


# --- the middleware --------------------------------------------------------------------------


@pytest.fixture
def plan() -> FaultPlan:
    return FaultPlan(hang_seconds=0)


@pytest.fixture
def faulty(plan: FaultPlan) -> DemoServer:
    return build_demo(7, live=False, now=DEMO_NOW, faults=plan)


async def get(demo: DemoServer, path: str, method: str = "GET") -> httpx.Response:
    transport = FaultTransport(demo.asgi_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://demo") as http:
        return await http.request(method, path, headers=AUTH)


def messages_path(demo: DemoServer) -> str:
    endpoint = demo.world.roles["busiest"]
    return f"/api/v1/app/{endpoint.app.id}/endpoint/{endpoint.id}/msg?limit=5"


def attempts_path(demo: DemoServer) -> str:
    endpoint = demo.world.roles["busiest"]
    return f"/api/v1/app/{endpoint.app.id}/attempt/endpoint/{endpoint.id}?limit=5"


async def test_no_fault_leaves_answers_alone(faulty: DemoServer, plan: FaultPlan) -> None:
    clean = build_demo(7, live=False, now=DEMO_NOW)
    plan.add("503", path="/nothing-matches-this")
    faulty_answer = await get(faulty, messages_path(faulty))
    clean_answer = await get(clean, messages_path(clean))
    assert faulty_answer.status_code == 200
    assert faulty_answer.content == clean_answer.content
    assert plan.injected == []


@pytest.mark.parametrize("kind", STATUS_KINDS)
async def test_status_faults(faulty: DemoServer, plan: FaultPlan, kind: str) -> None:
    plan.add(kind, count=1)
    answer = await get(faulty, messages_path(faulty))
    assert answer.status_code == int(kind[:3])
    assert answer.headers["x-injected-fault"] == kind
    if answer.status_code >= 500:
        assert answer.headers["content-type"] == "text/html"
        assert answer.text.startswith("<html>") and kind in answer.text
    else:
        assert answer.json()["detail"]
    assert ("retry-after" in answer.headers) == (kind == "429-retry-after")
    assert (await get(faulty, messages_path(faulty))).status_code == 200  # count spent


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("timeout", httpx.ReadTimeout),
        ("reset", httpx.RemoteProtocolError),
        ("drop", httpx.RemoteProtocolError),
        ("refused", httpx.ConnectError),
    ],
)
async def test_network_faults_in_process(
    faulty: DemoServer, plan: FaultPlan, kind: str, error: type[Exception]
) -> None:
    plan.add(kind)
    with pytest.raises(error):
        await get(faulty, messages_path(faulty))


async def test_drop_runs_the_handler_before_breaking_the_connection(
    faulty: DemoServer, plan: FaultPlan
) -> None:
    flaky = faulty.world.roles["flaky"]
    dest = flaky.dests[-1]
    before = len(dest.attempts)
    msg_id = faulty.world.msg_id(dest.msg)
    plan.add("drop", path="/resend$", method="POST")
    with pytest.raises(httpx.RemoteProtocolError):
        await get(
            faulty, f"/api/v1/app/{flaky.app.id}/msg/{msg_id}/endpoint/{flaky.id}/resend", "POST"
        )
    assert len(dest.attempts) == before + 1


async def test_truncated_and_wrong_shape(faulty: DemoServer, plan: FaultPlan) -> None:
    plan.add("truncated", count=1)
    plan.add("wrong-shape", count=1)
    truncated = await get(faulty, messages_path(faulty))
    with pytest.raises(ValueError):
        json.loads(truncated.content)
    assert truncated.content.startswith(b'{"data":[')
    wrong = (await get(faulty, messages_path(faulty))).json()
    assert wrong["data"] == "not a list" and wrong["done"] == "maybe"


def dicts(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        return [node, *(d for value in node.values() for d in dicts(value))]
    if isinstance(node, list):
        return [d for item in node for d in dicts(item)]
    return []


async def test_unknown_enums_extra_and_missing_fields(faulty: DemoServer, plan: FaultPlan) -> None:
    plan.add("unknown-enum", count=1)
    plan.add("extra-fields", count=1)
    plan.add("missing-optional", count=1)
    enums = (await get(faulty, attempts_path(faulty))).json()
    assert {a["status"] for a in enums["data"]} == {42}
    assert {a["triggerType"] for a in enums["data"]} == {42}
    extra = (await get(faulty, messages_path(faulty))).json()
    assert "futureField" in extra
    assert all(item["futureField"]["added"] for item in extra["data"])
    missing = (await get(faulty, messages_path(faulty))).json()
    assert not any(OPTIONAL_KEYS & obj.keys() for obj in dicts(missing))
    assert all(item["id"] and item["timestamp"] for item in missing["data"])


async def test_huge_and_deep(faulty: DemoServer, plan: FaultPlan) -> None:
    plan.add("huge", count=1)
    plan.add("deep", count=1)
    huge = await get(faulty, attempts_path(faulty))
    assert len(huge.content) > HUGE_BYTES
    assert len(huge.json()["data"][0]["response"]) == HUGE_BYTES
    endpoint = faulty.world.roles["busiest"]
    msg_id = faulty.world.msg_id(endpoint.dests[-1].msg)
    deep = await get(faulty, f"/api/v1/app/{endpoint.app.id}/msg/{msg_id}")
    node, depth = deep.json()["payload"], 0
    while isinstance(node, dict):
        node, depth = node["a"], depth + 1
    assert depth == DEEP_LEVELS


async def test_served_network_faults_end_the_response_quietly() -> None:
    sent: list[dict[str, Any]] = []

    async def breaks(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        raise NetworkFault("reset")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await close_on_network_fault(breaks)({"type": "http"}, None, send)  # type: ignore[arg-type]
    assert [m["type"] for m in sent] == ["http.response.start"]


def test_every_kind_is_documented_in_the_cli_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo-server", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--faults SPEC" in help_text
    for kind in KINDS:
        if kind != "refused":
            assert kind in help_text


# --- demo-server --faults --------------------------------------------------------------------


def test_demo_server_faults_option_reaches_serve(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    served: list[tuple[str, int, int, FaultPlan | None]] = []

    def fake_serve(host: str, port: int, seed: int, faults: FaultPlan | None = None) -> None:
        served.append((host, port, seed, faults))

    monkeypatch.setattr(cli, "_serve_demo", fake_serve)
    assert cli.main(["demo-server", "--faults", "503:messages*2"]) == 0
    (_, _, _, plan) = served[-1]
    assert plan is not None and plan.rules[0].kind == "503" and plan.rules[0].count == 2
    assert "Injecting faults: 503 on GET" in capsys.readouterr().out
    assert cli.main(["demo-server", "--faults", "random:9"]) == 0
    assert served[-1][3] is not None and served[-1][3].rate == 0.3
    assert cli.main(["demo-server"]) == 0
    assert served[-1][3] is None


@pytest.mark.parametrize(
    ("spec", "complaint"), [("nope", "unknown fault 'nope'"), ("refused", "in-process")]
)
def test_demo_server_rejects_bad_fault_specs(
    spec: str, complaint: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "_serve_demo", lambda *args, **kwargs: pytest.fail("served"))
    assert cli.main(["demo-server", "--faults", spec]) == 2
    assert complaint in capsys.readouterr().err


async def test_serve_with_faults_closes_broken_responses_quietly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append((app, kwargs)))
    serving.serve(port=9001, faults=FaultPlan.parse("reset:apps"))
    ((app, kwargs),) = calls
    assert kwargs == {"host": "127.0.0.1", "port": 9001, "log_level": "warning"}

    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "GET",
        "path": "/api/v1/app",
        "raw_path": b"/api/v1/app",
        "query_string": b"",
        "headers": [(b"authorization", b"Bearer x")],
    }
    await app(scope, receive, send)  # returns: the server then closes the connection
    start, body = sent
    assert start["status"] == 200
    assert b"content-length" not in dict(start["headers"])  # chunked, and never finished
    assert body["more_body"] is True
    assert body["body"].startswith(b'{"data":[') and not body["body"].endswith(b"}")
