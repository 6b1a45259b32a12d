"""Serve the demo world over HTTP with uvicorn (`attempt-tui demo-server`)."""

from __future__ import annotations

from attempt_tui.demo.faults import FaultPlan, close_on_network_fault
from attempt_tui.demo.server import build_demo


def serve(
    host: str = "127.0.0.1",
    port: int = 8071,
    seed: int = 7,
    faults: FaultPlan | None = None,
    *,
    large_apps: int = 0,
    many_endpoints: int = 0,
    latency_ms: float = 0,
    rate_limit: float | None = None,
) -> None:
    """Run a live demo world until interrupted; the caller prints any banner.

    The keyword options are those of `build_demo`: a large world, a slow API, a rate limit.
    """
    import uvicorn

    demo = build_demo(
        seed,
        live=True,
        faults=faults,
        large_apps=large_apps,
        many_endpoints=many_endpoints,
        latency_ms=latency_ms,
        rate_limit=rate_limit,
    )
    app = demo.asgi_app if faults is None else close_on_network_fault(demo.asgi_app)
    uvicorn.run(app, host=host, port=port, log_level="warning")
