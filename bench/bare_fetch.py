"""The real-size start-up floor: a bare Textual app that makes one request and paints one row.

`python bench/bare_fetch.py URL APP_ID ENDPOINT_ID` (token in $SVIX_AUTH_TOKEN): on mount it
asks the server for the endpoint's first page of messages (the request attempt-tui's first
message row needs) with httpx, the stack attempt-tui is built on, and shows the first row.
"""

from __future__ import annotations

import os
import sys

import httpx
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

READY = "BARE FIRST ROW"
STATUS = {0: "✔ success", 1: "… pending", 2: "✖ fail", 3: "⟳ sending", 4: "⊘ canceled"}


class BareFetch(App[None]):
    BINDINGS = [Binding("q", "quit", "Quit")]

    def __init__(self, url: str, app_id: str, endpoint_id: str) -> None:
        super().__init__()
        self.url = f"{url}/api/v1/app/{app_id}/endpoint/{endpoint_id}/msg"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("loading", id="row")
        yield Footer()

    def on_mount(self) -> None:
        self.run_worker(self.fetch(), exclusive=True)

    async def fetch(self) -> None:
        headers = {"Authorization": f"Bearer {os.environ.get('SVIX_AUTH_TOKEN', 'bench')}"}
        params = {"limit": "50", "with_content": "false"}
        async with httpx.AsyncClient(trust_env=False) as client:
            answer = await client.get(self.url, headers=headers, params=params)
        first = answer.json()["data"][0]
        status = STATUS.get(first["status"], str(first["status"]))
        ident = first.get("eventId") or first["id"]
        self.query_one("#row", Static).update(f"{READY} {status} {ident}")


if __name__ == "__main__":
    BareFetch(*sys.argv[1:4]).run()
