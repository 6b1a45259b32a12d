"""Serve the demo world over HTTP with uvicorn (`attempt-tui demo-server`)."""

from __future__ import annotations

from attempt_tui.demo.server import build_demo


def serve(host: str = "127.0.0.1", port: int = 8071, seed: int = 7) -> None:
    """Run a live demo world until interrupted; the caller prints any banner."""
    import uvicorn

    demo = build_demo(seed, live=True)
    uvicorn.run(demo.asgi_app, host=host, port=port, log_level="warning")
