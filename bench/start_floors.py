"""Floors under figure 1: the bare app (bare_app.py) started after importing some of what
`attempt-tui --demo` imports before its first row, and doing none of its work.

    stack    the third-party libraries only: pydantic, httpx, Starlette and the Textual
             widgets the app uses
    imports  every module the app imports before its first row, ours included
    world    those imports, then the demo world built (`build_demo()`)

Each is measured in the same run as figure 1, so the figure says how much of the start is
the stack's imports, ours, the demo world, and the app's own first screen.
"""

from __future__ import annotations

import importlib
import sys

STACK_MODULES = (
    "httpx",
    "pydantic",
    "starlette.applications",
    "starlette.exceptions",
    "starlette.middleware",
    "starlette.requests",
    "starlette.responses",
    "starlette.routing",
)
# Textual loads each widget's module when the name is first read from textual.widgets.
TEXTUAL_WIDGETS = [
    "Button",
    "Checkbox",
    "DataTable",
    "Input",
    "Label",
    "OptionList",
    "ProgressBar",
    "RadioButton",
    "RadioSet",
    "Select",
    "Static",
    "TabPane",
    "TabbedContent",
    "Tabs",
]
APP_MODULES = (
    "attempt_tui.cli",
    "attempt_tui.config",
    "attempt_tui.demo.server",
    "attempt_tui.launch",
)


def _import_stack() -> None:
    for name in STACK_MODULES:
        importlib.import_module(name)
    pydantic = importlib.import_module("pydantic")
    pydantic.TypeAdapter  # noqa: B018 (pydantic loads its parts when first read)
    pydantic.BaseModel  # noqa: B018
    widgets = importlib.import_module("textual.widgets")
    for name in TEXTUAL_WIDGETS:
        getattr(widgets, name)


def _import_app() -> None:
    for name in APP_MODULES:
        importlib.import_module(name)


def main(floor: str) -> None:
    if floor == "stack":
        _import_stack()
    elif floor in ("imports", "world"):
        _import_app()
        if floor == "world":
            from attempt_tui.demo.server import build_demo

            build_demo()
    else:
        raise SystemExit(f"unknown floor {floor!r}: stack, imports or world")
    from bare_app import BareApp  # this directory is on sys.path: the script's own

    BareApp().run()


if __name__ == "__main__":
    main(sys.argv[1])
