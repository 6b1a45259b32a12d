"""The demo API for the benchmarks: a still world (live=False), served by uvicorn on loopback.

Run as a script (`python bench/server.py --messages 12000 --delay 1.5 --big-body 5000000`);
it prints `PORT <n>` once it listens. A real-sized account: `--apps 30000 --endpoints 321
--latency-ms 120 --rate-limit 25` (as for `build_demo`). Around the demo's ASGI app sit:

- a counting wrapper: requests by method and path template, answers by status (429s
  included), requests in flight, a log;
- an optional delay before every API request is served;
- an optional rewrite giving the newest attempt of the busiest endpoint's newest message a
  response body of the requested size;
- bench-only control routes under /_bench/ (never counted, never delayed):
  GET /_bench/info, GET /_bench/counts, GET /_bench/log, POST /_bench/reset,
  POST /_bench/flip?row=N, POST /_bench/delay?seconds=S.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import socket
import sys
import threading
import time
from collections.abc import MutableMapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

# Runnable as a script from anywhere: make `bench` and a checkout's `attempt_tui` importable.
_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from attempt_tui.compat import UTC  # noqa: E402
from attempt_tui.demo import scenario  # noqa: E402
from attempt_tui.demo.model import FAIL, SUCCESS  # noqa: E402

Scope = dict[str, Any]
_PLACEHOLDER = "@@BENCH-BIG-BODY-PLACEHOLDER@@"

# Path segments that are words of the API, not ids.
_WORDS = frozenset(
    {
        "api",
        "v1",
        "app",
        "endpoint",
        "msg",
        "attempt",
        "stats",
        "recover",
        "content",
        "headers",
        "resend",
        "count",
        "health",
        "background-task",
    }
)
_ID_AFTER = frozenset({"app", "endpoint", "msg", "attempt", "background-task"})


def path_template(path: str) -> str:
    """`/api/v1/app/app_X/endpoint/ep_Y/msg` -> `/api/v1/app/{id}/endpoint/{id}/msg`."""
    parts = path.rstrip("/").split("/")
    out: list[str] = []
    for index, part in enumerate(parts):
        previous = parts[index - 1] if index else ""
        if previous in _ID_AFTER and part and part not in _WORDS:
            out.append("{id}")
        else:
            out.append(part)
    return "/".join(out) or "/"


def big_text(size: int) -> str:
    """`size` characters of printable text in numbered lines; the first line is a marker."""
    lines = ["BENCH-BIG-BODY first line of a large response body"]
    total = len(lines[0]) + 1
    number = 1
    while total < size:
        line = f"line {number:07d}: the quick brown fox jumps over the lazy dog 0123456789 abc"
        lines.append(line)
        total += len(line) + 1
        number += 1
    return "\n".join(lines)[:size]


class BenchServer:
    """The demo world plus the wrappers and control routes described in the module doc."""

    def __init__(
        self,
        *,
        messages: int | None,
        delay: float,
        big_body: int,
        seed: int,
        age: float = 0.0,
        large_apps: int = 0,
        many_endpoints: int = 0,
        latency_ms: float = 0,
        rate_limit: float | None = None,
    ) -> None:
        if messages is not None:
            acme, *rest = scenario.APPS
            scenario.APPS = (dataclasses.replace(acme, message_count=messages), *rest)
        from attempt_tui.demo.server import build_demo

        # An aged world: its newest message is `age` seconds old, so "N seconds ago" cells
        # do not change while a scenario watches.
        now = datetime.now(UTC) - timedelta(seconds=age)
        self.demo = build_demo(
            seed,
            live=False,
            now=now,
            large_apps=large_apps,
            many_endpoints=many_endpoints,
            latency_ms=latency_ms,
            rate_limit=rate_limit,
        )
        self.world = self.demo.world
        self.delay = delay
        self.counts: dict[str, int] = {}
        self.statuses: dict[str, int] = {}
        self.log: list[tuple[float, str, str, str]] = []
        self.in_flight = 0
        self.busiest = self.world.roles[scenario.BUSIEST]
        self.big_attempt_id: str | None = None
        self.big_body_json = json.dumps(big_text(big_body)).encode() if big_body else b""
        first = self._rows(1)[0]
        self.big_msg_id = self.world.msg_id(first.msg)
        if big_body and first.attempts:
            self.big_attempt_id = self.world.attempt_id(first.attempts[-1])

    def _rows(self, limit: int) -> list[Any]:
        page = self.world.list_attempted_messages(self.busiest, limit=limit, iterator=None)
        return page.items

    # ------------------------------------------------------------------ control routes

    def info(self) -> dict[str, Any]:
        rows = self._rows(250)
        return {
            "app_id": self.busiest.app.id,
            "app_uid": self.busiest.app.uid,
            "endpoint_id": self.busiest.id,
            "endpoint_uid": self.busiest.uid,
            "messages": len(self.busiest.dests),
            "rows": [
                {
                    "msg_id": self.world.msg_id(d.msg),
                    "event_id": self.world.event_id(d.msg),
                    "status": d.status,
                }
                for d in rows
            ],
            "big_msg_id": self.big_msg_id,
            "big_attempt_id": self.big_attempt_id,
        }

    def flip(self, row: int) -> dict[str, Any]:
        """Change the delivery status of the row-th newest message at the busiest endpoint."""
        with self.world.lock:
            dest = self._rows(row + 1)[row]
            before = dest.status
            dest.status = FAIL if before == SUCCESS else SUCCESS
            return {
                "msg_id": self.world.msg_id(dest.msg),
                "event_id": self.world.event_id(dest.msg),
                "before": before,
                "after": dest.status,
            }

    async def _control(self, scope: Scope, receive: Any, send: Any) -> None:
        from starlette.requests import Request
        from starlette.responses import JSONResponse

        request = Request(scope, receive)
        name = scope["path"].removeprefix("/_bench/")
        if name == "info":
            body: Any = self.info()
        elif name == "counts":
            body = {
                "counts": self.counts,
                "statuses": self.statuses,
                "rate_limited": self.statuses.get("429", 0),
                "in_flight": self.in_flight,
                "log": len(self.log),
            }
        elif name == "log":
            since = int(request.query_params.get("since", "0"))
            body = {"log": self.log[since:]}
        elif name == "reset":
            self.counts = {}
            self.statuses = {}
            self.log = []
            body = {"ok": True}
        elif name == "delay":
            self.delay = float(request.query_params.get("seconds", "0"))
            body = {"delay": self.delay}
        elif name == "flip":
            body = self.flip(int(request.query_params.get("row", "0")))
        else:
            body = {"error": f"unknown control route {name}"}
        await JSONResponse(body)(scope, receive, send)

    # ------------------------------------------------------------------ the wrapper

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.demo.asgi_app(scope, receive, send)
            return
        path: str = scope["path"]
        if path.startswith("/_bench/"):
            await self._control(scope, receive, send)
            return
        key = f"{scope['method']} {path_template(path)}"
        self.counts[key] = self.counts.get(key, 0) + 1
        query = scope.get("query_string", b"").decode("latin-1")
        self.log.append((time.monotonic(), scope["method"], path, query))
        self.in_flight += 1

        async def counting(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status = str(message["status"])
                self.statuses[status] = self.statuses.get(status, 0) + 1
            await send(message)

        try:
            if self.delay:
                await asyncio.sleep(self.delay)
            if self.big_attempt_id is not None and self.big_msg_id in path:
                await self._with_big_body(scope, receive, counting)
            else:
                await self.demo.asgi_app(scope, receive, counting)
        finally:
            self.in_flight -= 1

    async def _with_big_body(self, scope: Scope, receive: Any, send: Any) -> None:
        """Serve the request, then swap the big attempt's `response` in the JSON answer."""
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.demo.asgi_app(scope, receive, capture)
        body = b"".join(chunks)
        if start.get("status") == 200:
            body = self._swap_body(body)
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": start["status"], "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def _swap_body(self, body: bytes) -> bytes:
        try:
            data = json.loads(body)
        except ValueError:
            return body
        items = data.get("data") if isinstance(data, dict) and "data" in data else [data]
        changed = False
        for item in items or []:
            if isinstance(item, dict) and item.get("id") == self.big_attempt_id:
                item["response"] = _PLACEHOLDER
                changed = True
        if not changed:
            return body
        # Splice the pre-encoded body in: encoding 5 MB per request would load the CPU the
        # app under test needs.
        encoded = json.dumps(data, separators=(",", ":")).encode()
        return encoded.replace(json.dumps(_PLACEHOLDER).encode(), self.big_body_json)


def _exit_with_parent() -> None:
    """Stop when the bench runner is gone, even if it was killed before it could stop us."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--messages", type=int, default=None, help="messages of the busiest app")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument("--big-body", type=int, default=0, help="bytes of the big response")
    parser.add_argument("--age", type=float, default=0.0, help="seconds the world is old")
    parser.add_argument("--apps", type=int, default=0, help="extra customer apps (cust-00001..)")
    parser.add_argument(
        "--endpoints", type=int, default=0, help="endpoints of an extra platform app (ep-0001..)"
    )
    parser.add_argument(
        "--latency-ms", type=float, default=0.0, help="milliseconds added to every answer"
    )
    parser.add_argument(
        "--rate-limit", type=float, default=None, help="requests per second before 429s"
    )
    args = parser.parse_args(argv)

    import uvicorn

    _exit_with_parent()
    app = BenchServer(
        messages=args.messages,
        delay=args.delay,
        big_body=args.big_body,
        seed=args.seed,
        age=args.age,
        large_apps=args.apps,
        many_endpoints=args.endpoints,
        latency_ms=args.latency_ms,
        rate_limit=args.rate_limit,
    )
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.listen(128)  # connections made before uvicorn starts wait in the backlog
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    print(f"PORT {sock.getsockname()[1]}", flush=True)
    server.run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
