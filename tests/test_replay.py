"""Replay commands: exact argv after shlex.split, token only as $SVIX_AUTH_TOKEN, ids inert."""

from __future__ import annotations

import json
import shlex
import subprocess
import uuid

import pytest

from attempt_tui.replay import (
    curl_command,
    curl_get_message,
    delivery_request_curl,
    svix_cli_command,
    svix_cli_get_message,
)

BASE = "https://api.eu.svix.com"
APP, MSG, EP = "app_2Xq0c", "msg_2Xq0d", "ep_2Xq0e"
AUTH = "Authorization: Bearer $SVIX_AUTH_TOKEN"
HOSTILE = "x'; rm -rf ~ #$(touch pwned)`id`\n\x1b[31m"


def idempotency_key(argv: list[str]) -> str:
    values = [argv[i + 1] for i, arg in enumerate(argv) if arg == "-H"]
    keys = [v.split(": ", 1)[1] for v in values if v.startswith("Idempotency-Key: ")]
    assert len(keys) == 1
    return keys[0]


def test_resend_curl_parses_to_exact_argv() -> None:
    command = curl_command(BASE + "/", APP, MSG, EP)
    argv = shlex.split(command)
    key = idempotency_key(argv)
    assert uuid.UUID(key).version == 4
    assert argv == [
        "curl",
        "-sS",
        "-X",
        "POST",
        "--url",
        f"{BASE}/api/v1/app/{APP}/msg/{MSG}/endpoint/{EP}/resend",
        "-H",
        AUTH,
        "-H",
        f"Idempotency-Key: {key}",
    ]
    # Double quotes, so the shell expands the variable.
    assert f'"{AUTH}"' in command


def test_resend_curl_makes_a_fresh_key_each_time() -> None:
    first = idempotency_key(shlex.split(curl_command(BASE, APP, MSG, EP)))
    second = idempotency_key(shlex.split(curl_command(BASE, APP, MSG, EP)))
    assert first != second


def test_get_message_curl() -> None:
    command = curl_get_message("http://127.0.0.1:8071", APP, MSG)
    assert shlex.split(command) == [
        "curl",
        "-sS",
        "--url",
        f"http://127.0.0.1:8071/api/v1/app/{APP}/msg/{MSG}",
        "-H",
        AUTH,
    ]


def test_token_is_expanded_by_a_real_shell_and_ids_are_not() -> None:
    command = curl_command(BASE, APP, HOSTILE, EP).replace("curl", "printf '%s\\n'", 1)
    result = subprocess.run(
        ["sh", "-c", command],
        env={"SVIX_AUTH_TOKEN": "testsk_expanded", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    lines = result.stdout.split("\n")
    assert "Authorization: Bearer testsk_expanded" in lines
    url = lines[lines.index("--url") + 1]
    assert url.startswith(f"{BASE}/api/v1/app/{APP}/msg/x%27%3B%20rm")
    assert url.endswith(f"/endpoint/{EP}/resend")


def test_hostile_ids_are_percent_encoded_in_the_url() -> None:
    argv = shlex.split(curl_command(BASE, "../../x", "a/b?c#d", EP))
    url = argv[argv.index("--url") + 1]
    assert url == f"{BASE}/api/v1/app/..%2F..%2Fx/msg/a%2Fb%3Fc%23d/endpoint/{EP}/resend"


@pytest.mark.parametrize("bad", ["", ".", ".."])
def test_ids_that_would_change_the_path_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="message id"):
        curl_command(BASE, APP, bad, EP)
    with pytest.raises(ValueError, match="application id"):
        curl_get_message(BASE, bad, MSG)


def test_svix_cli_resend() -> None:
    command = svix_cli_command(APP, MSG, EP)
    assert command == f"svix message-attempt resend {APP} {MSG} {EP}"
    assert shlex.split(svix_cli_command(APP, HOSTILE, EP)) == [
        "svix",
        "message-attempt",
        "resend",
        APP,
        HOSTILE,
        EP,
    ]


def test_svix_cli_get_message() -> None:
    assert shlex.split(svix_cli_get_message(APP, HOSTILE)) == [
        "svix",
        "message",
        "get",
        APP,
        HOSTILE,
    ]


def test_svix_cli_id_looking_like_an_option_is_not_an_option() -> None:
    argv = shlex.split(svix_cli_command(APP, "--help", EP))
    assert argv == ["svix", "message-attempt", "resend", "--", APP, "--help", EP]


@pytest.mark.parametrize(
    "command",
    [
        curl_command(BASE, APP, MSG, EP),
        curl_get_message(BASE, APP, MSG),
        svix_cli_command(APP, MSG, EP),
        delivery_request_curl("https://example.com/hook", {"a": 1}, {"svix-id": MSG}),
    ],
    # Fixed ids: the resend command has a fresh idempotency key each time, and pytest-xdist
    # needs every worker to collect the same test names.
    ids=["curl-resend", "curl-get-message", "svix-cli-resend", "curl-delivery"],
)
def test_no_command_carries_a_token(command: str) -> None:
    for marker in ("testsk_", "sk_", "Bearer ey"):
        assert marker not in command


def test_delivery_curl_reposts_payload_and_headers() -> None:
    payload = {"z": 1, "text": "it's \x1b[2J é", "nested": {"list": [1, None, True]}}
    headers = {
        "svix-id": MSG,
        "svix-timestamp": "1700000000",
        "svix-signature": "v1,abc+/=",
        "content-type": "application/json",
        "content-length": "999",
        "Host": "example.com",
        "x-evil": "a\r\nInjected: yes",
    }
    url = "https://example.com/hook?x=1&y='2'"
    argv = shlex.split(delivery_request_curl(url, payload, headers))
    assert argv == [
        "curl",
        "-sS",
        "-X",
        "POST",
        "--url",
        url,
        "-H",
        f"svix-id: {MSG}",
        "-H",
        "svix-timestamp: 1700000000",
        "-H",
        "svix-signature: v1,abc+/=",
        "-H",
        "content-type: application/json",
        "--data-raw",
        json.dumps(payload, separators=(",", ":"), ensure_ascii=False),
    ]
    assert json.loads(argv[-1]) == payload


def test_delivery_curl_adds_content_type_when_missing() -> None:
    argv = shlex.split(delivery_request_curl("https://e.com/h", {}, {}))
    assert argv[-4:] == ["-H", "Content-Type: application/json", "--data-raw", "{}"]


def test_delivery_curl_url_starting_with_dash_stays_the_url() -> None:
    argv = shlex.split(delivery_request_curl("-o/tmp/x", {}, {}))
    assert argv[argv.index("--url") + 1] == "-o/tmp/x"
