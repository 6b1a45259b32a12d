"""The demo world: a Svix-compatible server with live traffic, for `attempt-tui --demo`.

Importing this package is cheap; the server lives in `attempt_tui.demo.server`
(`build_demo`, `DemoServer`) and `attempt_tui.demo.serving` (`serve`), which load
Starlette and uvicorn.
"""
