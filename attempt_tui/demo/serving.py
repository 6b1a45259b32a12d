"""Serve the demo world over HTTP with uvicorn (`attempt-tui demo-server`)."""

from __future__ import annotations

from attempt_tui.demo.faults import FaultPlan, close_on_network_fault
from attempt_tui.demo.server import build_demo


def serve(
    host: str = "127.0.0.1", port: int = 8071, seed: int = 7, faults: FaultPlan | None = None
) -> None:
    """Run a live demo world until interrupted; the caller prints any banner."""
    import uvicorn

    demo = build_demo(seed, live=True, faults=faults)
    app = demo.asgi_app if faults is None else close_on_network_fault(demo.asgi_app)
    uvicorn.run(app, host=host, port=port, log_level="warning")
