"""An ASGI app served by uvicorn on a free 127.0.0.1 port, in a thread (for tests that need
real HTTP: the official SDK, network faults, the app in a pseudo-terminal)."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any


class ServedInThread:
    """uvicorn serving `asgi_app` on 127.0.0.1 in a background thread, as a context manager."""

    def __init__(self, asgi_app: Any, log_level: str = "error") -> None:
        import uvicorn

        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self.port: int = self._sock.getsockname()[1]
        config = uvicorn.Config(asgi_app, log_level=log_level, access_log=False, lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ServedInThread:
        self._thread.start()
        for _ in range(500):  # counted in sleeps: a busy machine's waits for a core do not count
            if self._server.started or not self._thread.is_alive():
                break
            time.sleep(0.02)
        if not self._server.started:
            raise RuntimeError("uvicorn did not start")
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()
