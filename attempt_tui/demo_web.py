"""`attempt-tui demo-web`: the demo dashboard in a browser, for onboarding without a terminal.

textual-serve (the optional `web` extra) serves a page; every browser tab that connects gets its
own `attempt-tui --demo` process, driven over a websocket. Only the demo is ever served, never a
real account. Importing this module stays cheap: textual-serve is imported when serving.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Callable

DEFAULT_WEB_HOST = "127.0.0.1"
DEFAULT_WEB_PORT = 8072
WEB_EXTRA_HINT = (
    "demo-web needs the optional web extra (textual-serve): pip install 'attempt-tui[web]' "
    "(or build the single file with scripts/build-single-file --web)"
)


def add_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    *,
    add_listen_args: Callable[[argparse.ArgumentParser, str, int], None],
    seed: Callable[[str], int],
    add_world_args: Callable[[argparse.ArgumentParser], None],
    formatter_class: type[argparse.HelpFormatter],
) -> None:
    web = commands.add_parser(
        "demo-web",
        help="serve the demo dashboard in a browser (needs the web extra)",
        description="Serve the demo dashboard on a local web page, for onboarding sessions\n"
        "without a terminal. Each browser tab gets its own demo (simulated data, no account,\n"
        "no network). Needs the optional web extra: pip install 'attempt-tui[web]'.",
        epilog="example:\n  attempt-tui demo-web --port 8072 --tour\n"
        "  then open http://127.0.0.1:8072 in a browser",
        formatter_class=formatter_class,
        allow_abbrev=False,
    )
    add_listen_args(web, DEFAULT_WEB_HOST, DEFAULT_WEB_PORT)
    web.add_argument(
        "--tour",
        action="store_true",
        default=argparse.SUPPRESS,
        help="open each demo with the step-by-step tour",
    )
    web.add_argument(
        "--seed",
        metavar="N",
        type=seed,
        default=argparse.SUPPRESS,
        help="random seed of the demo data (default: 7)",
    )
    add_world_args(web)


def demo_command(args: argparse.Namespace, world_flags: list[str]) -> str:
    """The shell command textual-serve runs for each browser tab: this Python, the demo."""
    parts = [sys.executable, "-m", "attempt_tui", "--demo"]
    if getattr(args, "tour", False):
        parts.append("--tour")
    if hasattr(args, "seed"):
        parts += ["--seed", str(args.seed)]
    parts += world_flags
    return shlex.join(parts)


def public_url(host: str, port: int) -> str:
    """The address the page tells the browser to connect its websocket to."""
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def serve_demo_web(command: str, host: str, port: int) -> None:
    """Serve `command` as a web page until interrupted; tests replace this hook."""
    from textual_serve.server import Server

    Server(
        command,
        host=host,
        port=port,
        title="attempt-tui demo",
        public_url=public_url(host, port),
    ).serve()


def web_extra_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("textual_serve") is not None
