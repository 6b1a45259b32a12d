"""The `attempt-tui` command line: parse flags, resolve settings, run the app or a subcommand.

Importing this module stays cheap (argparse only); config, httpx, textual and the demo are
imported inside the branches that need them, so `--help` and errors return quickly.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import types
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from attempt_tui import __version__, completion, demo_web
from attempt_tui.collector import CollectorPause
from attempt_tui.exit_codes import CANNOT_SERVE, exit_codes_text

if TYPE_CHECKING:
    from attempt_tui.api.early import EarlyGet
    from attempt_tui.config import ProfileLoader, Resolution, Settings, ThemeStore
    from attempt_tui.demo.faults import FaultPlan
    from attempt_tui.recent import RecentStore


def _skip_httpx_command_line() -> None:
    """httpx imports its own command-line tool (click, pygments, rich's syntax and progress)
    whenever click is installed, which uvicorn brings: about 20 ms of every start, for a tool
    attempt-tui never runs. A stand-in module takes its place before httpx is imported."""
    if "httpx" in sys.modules or "httpx._main" in sys.modules:
        return
    stand_in = types.ModuleType("httpx._main")

    def main() -> None:
        raise SystemExit("httpx's command line is not available inside attempt-tui")

    stand_in.main = main  # type: ignore[attr-defined]
    sys.modules["httpx._main"] = stand_in


_skip_httpx_command_line()

# The size and speed of the demo world (`--demo` and `demo-server`): flag, keyword of
# build_demo/serve, default. The defaults keep the demo small and instant.
DEMO_WORLD_OPTIONS = (
    ("apps", "large_apps", 0),
    ("endpoints", "many_endpoints", 0),
    ("latency_ms", "latency_ms", 0.0),
    ("rate_limit", "rate_limit", None),
)
MAX_DEMO_APPS = 1_000_000
MAX_DEMO_ENDPOINTS = 5_000
MAX_DEMO_LATENCY_MS = 10_000.0

PROG = "attempt-tui"
DEFAULT_DEMO_HOST = "127.0.0.1"
DEFAULT_DEMO_PORT = 8071
DEFAULT_DEMO_SEED = 7

EPILOG = """\
examples:
  attempt-tui --demo                          look around with simulated data, no account needed
  SVIX_AUTH_TOKEN=... attempt-tui --read-only
  attempt-tui --profile prod --app app_2xJ... --endpoint ep_2xK...
  attempt-tui config                          show which config, profile and server would be used
  attempt-tui demo-server --port 8071         serve the demo API for curl or another client

The token is read from $SVIX_AUTH_TOKEN, --token-file, a profile in the config file, or the
Svix CLI's config (~/.config/svix/config.toml); never from a flag, which would show in `ps`.
"""

MISSING_TOKEN_HINT = """\
attempt-tui needs a Svix API token. Set SVIX_AUTH_TOKEN in the environment, pass
--token-file PATH (a file holding only the token, mode 600), or add a profile with
`token` or `token_env` to the config file (`attempt-tui config` shows where it is read
from); a login made with the Svix CLI is picked up automatically. To look around
without an account, run `attempt-tui --demo`."""

# Flags that would put a token on the command line; refused without echoing their value.
_TOKEN_FLAGS = ("--token", "--auth-token")

NO_TERMINAL_HINT = (
    "the dashboard needs a terminal ({what} not one): over SSH use `ssh -t HOST attempt-tui`"
)


def _poll_seconds(text: str) -> float:
    from attempt_tui.config import check_poll_seconds

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    try:
        return check_poll_seconds(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _int_between(low: int, high: int) -> type[int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}")
        return value

    return parse  # type: ignore[return-value]


def _number_between(low: float, high: float) -> type[float]:
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not low <= value <= high:  # also refuses nan
            raise argparse.ArgumentTypeError(f"must be between {low:g} and {high:g}")
        return value

    return parse  # type: ignore[return-value]


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value < float("inf"):  # also refuses nan
        raise argparse.ArgumentTypeError("must be a number of requests per second above 0")
    return value


def _seed(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None


def _fault_spec(text: str) -> FaultPlan:
    from attempt_tui.demo.faults import FaultPlan, FaultSpecError

    try:
        plan = FaultPlan.parse(text)
    except FaultSpecError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if any(rule.kind == "refused" for rule in plan.rules):
        raise argparse.ArgumentTypeError("'refused' can only be injected in-process, not served")
    return plan


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Never wraps inside a hyphenated word, so names like `429-retry-after` stay whole."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        import textwrap

        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)


def _default(value: object, suppress: bool) -> object:
    """A flag's default; on a subparser SUPPRESS, so values given before the subcommand
    survive."""
    return argparse.SUPPRESS if suppress else value


def _add_connection_args(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """The flags shared by the main command and `config`.

    On a subparser the defaults are SUPPRESS so values given before the subcommand survive.
    """

    parser.add_argument(
        "--demo",
        action="store_true",
        default=_default(False, suppress),
        help="use the built-in demo server with simulated, changing data (no account, no network)",
    )
    parser.add_argument(
        "--tour",
        action="store_true",
        default=_default(False, suppress),
        help="walk through finding a failed delivery, reading it, resending it and watching "
        "it land, a step at a time (best with --demo)",
    )
    parser.add_argument(
        "--server-url",
        metavar="URL",
        default=_default(None, suppress),
        help="Svix API base URL (default: $SVIX_SERVER_URL, the profile, or chosen from the "
        "token's region: https://api.<region>.svix.com)",
    )
    parser.add_argument(
        "--profile",
        metavar="NAME",
        default=_default(None, suppress),
        help="profile from the config file (default: default_profile, or the only one); "
        "'svix-cli' selects the Svix CLI's own login",
    )
    parser.add_argument(
        "--app",
        metavar="APP_ID",
        default=_default(None, suppress),
        help="open this application (id or uid)",
    )
    parser.add_argument(
        "--endpoint",
        metavar="EP_ID",
        default=_default(None, suppress),
        help="open this endpoint of --app (id or uid)",
    )
    parser.add_argument(
        "--read-only",
        action="store_true",
        default=_default(False, suppress),
        help="refuse resend, recover and expunge (safe for browsing production)",
    )
    parser.add_argument(
        "--poll",
        metavar="SECONDS",
        type=_poll_seconds,
        default=_default(None, suppress),
        help="refresh interval in seconds, fractions allowed; 0 = only on demand (default: 5)",
    )
    parser.add_argument(
        "--page-size",
        metavar="N",
        type=_int_between(1, 250),
        default=_default(None, suppress),
        help="rows fetched per page, 1..250 (default: 50)",
    )
    parser.add_argument(
        "--token-file",
        metavar="PATH",
        type=Path,
        default=_default(None, suppress),
        help="read the API token from this file (instead of $SVIX_AUTH_TOKEN or a profile)",
    )
    parser.add_argument(
        "--seed",
        metavar="N",
        type=_seed,
        default=_default(DEFAULT_DEMO_SEED, suppress),
        help=f"random seed of the demo data, with --demo (default: {DEFAULT_DEMO_SEED})",
    )


def _add_listen_args(parser: argparse.ArgumentParser, host: str, port: int) -> None:
    """--host and --port of a command that serves on this machine."""
    parser.add_argument(
        "--host",
        default=host,
        help=f"address to listen on (default: {host}, this machine only)",
    )
    parser.add_argument(
        "--port",
        type=_int_between(1, 65535),
        default=port,
        help=f"port to listen on (default: {port})",
    )


def _add_demo_world_args(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """Size and speed of the demo world, for `--demo` and `demo-server`.

    On a subparser the defaults are SUPPRESS so values given before the subcommand survive.
    """

    parser.add_argument(
        "--apps",
        metavar="N",
        type=_int_between(0, MAX_DEMO_APPS),
        default=_default(0, suppress),
        help=f"demo world: add N customer apps (uids cust-00001, ...; 0..{MAX_DEMO_APPS:,}; "
        "default: 0)",
    )
    parser.add_argument(
        "--endpoints",
        metavar="N",
        type=_int_between(0, MAX_DEMO_ENDPOINTS),
        default=_default(0, suppress),
        help="demo world: add an app (uid umbrella-platform) with N endpoints (uids ep-0001, "
        f"...; 0..{MAX_DEMO_ENDPOINTS:,}; default: 0)",
    )
    parser.add_argument(
        "--latency-ms",
        metavar="MS",
        type=_number_between(0, MAX_DEMO_LATENCY_MS),
        default=_default(0.0, suppress),
        help="demo world: delay every answer by MS milliseconds, like a far-away API "
        f"(0..{MAX_DEMO_LATENCY_MS:,.0f}; default: 0)",
    )
    parser.add_argument(
        "--rate-limit",
        metavar="RPS",
        type=_rate,
        default=_default(None, suppress),
        help="demo world: answer 429 (with Retry-After) above RPS requests per second, like "
        "an organisation's rate limit (default: no limit)",
    )


def demo_world_options(args: argparse.Namespace) -> dict[str, object]:
    """The demo-world keywords for build_demo/serve that differ from their defaults."""
    options: dict[str, object] = {}
    for flag, keyword, default in DEMO_WORLD_OPTIONS:
        value = getattr(args, flag, default)
        if value != default:
            options[keyword] = value
    return options


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="A terminal dashboard for Svix webhook delivery: apps, endpoints, messages\n"
        "and delivery attempts; resend messages and expunge response bodies.",
        epilog=f"{EPILOG}\n{exit_codes_text()}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_connection_args(parser, suppress=False)
    parser.add_argument(
        "--picker",
        action="store_true",
        help="start in the endpoint picker instead of reopening the endpoint last used with "
        "this profile (or, with --demo, a failing one)",
    )
    _add_demo_world_args(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    server = commands.add_parser(
        "demo-server",
        help="serve the demo Svix API over HTTP",
        description="Serve the demo Svix-compatible API (simulated apps, endpoints and deliveries) "
        "over HTTP.",
        epilog="examples:\n  attempt-tui demo-server --port 8071\n"
        '  curl -H "Authorization: Bearer demo" http://127.0.0.1:8071/api/v1/app\n'
        "  attempt-tui demo-server --apps 30000 --endpoints 321 --latency-ms 150 --rate-limit 20"
        "\n      a real-sized account: 30,000 apps, an app with 321 endpoints, an API 150 ms "
        "away, 20 requests/s",
        formatter_class=_HelpFormatter,
        allow_abbrev=False,
    )
    _add_listen_args(server, DEFAULT_DEMO_HOST, DEFAULT_DEMO_PORT)
    server.add_argument(
        "--seed",
        metavar="N",
        type=_seed,
        default=argparse.SUPPRESS,
        help=f"random seed of the demo data (default: {DEFAULT_DEMO_SEED})",
    )
    server.add_argument(
        "--faults",
        metavar="SPEC",
        type=_fault_spec,
        default=None,
        help="inject faults to test clients: random:SEED[:RATE], or KIND[:TARGET][*COUNT],... "
        "e.g. 503:messages, 429-retry-after:all*3, reset:resend*1 (kinds: 401 403 404 409 422 "
        "429 429-retry-after 500 502 503 timeout reset drop truncated wrong-shape unknown-enum "
        "extra-fields missing-optional huge deep; targets: all apps endpoints stats messages "
        "detail resend expunge, or a path regex)",
    )
    _add_demo_world_args(server, suppress=True)

    config = commands.add_parser(
        "config",
        help="show where configuration is read from and what would be used",
        description="Show the config file and Svix CLI config that are read, the profile, server "
        "URL and read-only mode that would be used, and where the (masked) token comes from. "
        "Accepts the same flags as the main command.",
        epilog="example:\n  attempt-tui config --profile prod",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    _add_connection_args(config, suppress=True)
    demo_web.add_parser(
        commands,
        add_listen_args=_add_listen_args,
        seed=_seed,
        add_world_args=lambda sub: _add_demo_world_args(sub, suppress=True),
        formatter_class=_HelpFormatter,
    )
    completion.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    refused = _token_flag(args_list)
    if refused:
        _error(
            f"{refused} is not supported: a token on the command line shows up in `ps` and "
            "shell history. Use SVIX_AUTH_TOKEN, --token-file PATH or a profile."
        )
        return 2
    parser = build_parser()
    completion.complete_if_asked(parser)
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:  # --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    try:
        if args.command == "demo-server":
            return _cmd_demo_server(args)
        if args.command == "config":
            return _cmd_config(args)
        if args.command == "demo-web":
            return _cmd_demo_web(args)
        if args.command == "completion":
            print(completion.completion_code(args.shell), end="")
            return 0
        return _cmd_run(args)
    except KeyboardInterrupt:
        return 130


def _token_flag(args: list[str]) -> str | None:
    for arg in args:
        if arg == "--":
            return None
        name = arg.split("=", 1)[0]
        if name in _TOKEN_FLAGS:
            return name
    return None


def _error(message: str) -> None:
    print(f"{PROG}: error: {message}", file=sys.stderr)


def _warn(warnings: Sequence[str]) -> None:
    for warning in warnings:
        print(f"{PROG}: warning: {warning}", file=sys.stderr)


def _cmd_run(args: argparse.Namespace) -> int:
    # Off from here until the first screen with data is drawn (see collector.py).
    collector = CollectorPause()
    try:
        return _start_app(args, collector.resume)
    finally:
        collector.resume()


def _start_app(args: argparse.Namespace, started: Callable[[], None]) -> int:
    """Resolve the settings and run the app; `started` is called once its first screen
    with data is drawn."""
    from attempt_tui.config import (
        ConfigError,
        FileThemeStore,
        Flags,
        MissingTokenError,
        profile_loader,
        resolve,
    )

    flags = Flags.from_namespace(args)
    try:
        resolution = resolve(flags)
        settings = resolution.settings()
    except MissingTokenError as exc:
        _warn(exc.warnings)
        _error(str(exc))
        print(MISSING_TOKEN_HINT, file=sys.stderr)
        return 2
    except ConfigError as exc:
        _error(str(exc))
        return 2
    world = demo_world_options(args)
    if world and not settings.demo:
        _error(
            "--apps, --endpoints, --latency-ms and --rate-limit shape the demo world: use them "
            "with --demo or `attempt-tui demo-server`"
        )
        return 2
    if args.picker and flags.endpoint_id is not None:
        _error("--picker starts without an endpoint open: leave out --endpoint")
        return 2
    _warn(resolution.warnings)
    missing = _not_terminals()
    if missing:
        _error(NO_TERMINAL_HINT.format(what=missing))
        return 2
    transport, flaky = _demo_transport(args.seed, **world) if settings.demo else (None, None)
    loader: ProfileLoader | None = None
    theme_store: ThemeStore | None = None
    recent_store: RecentStore | None = None  # None: remembered in memory only
    if not settings.demo:  # the demo never reads or writes the user's config
        loader = profile_loader(
            flags, config_path=resolution.config_path, svix_cli_config_path=resolution.svix_cli_path
        )
        theme_store = FileThemeStore(resolution.config_path)
        from attempt_tui.recent import FileRecentStore

        recent_store = FileRecentStore()
    chosen = flags.app_id is not None or flags.endpoint_id is not None
    if settings.demo and flaky is not None and not (chosen or args.tour or args.picker):
        # The demo opens on its failing endpoint, a failure highlighted.
        settings = replace(settings, app_id=flaky[0], endpoint_id=flaky[1], start_on_failure=True)
    elif recent_store is not None and not chosen:
        settings = reopened(settings, recent_store, picker=args.picker)
    return _run_app(
        settings,
        transport,
        resolution.warnings,
        tour=args.tour,
        tour_endpoint=flaky[1] if args.tour and flaky is not None else None,
        profile_loader=loader,
        theme_store=theme_store,
        recent_store=recent_store,
        started=started,
    )


def _not_terminals() -> str | None:
    """Which of stdin, stdout and stderr is not a terminal ("stdin and stdout are"), or None.

    The dashboard reads keys from stdin and draws on stderr; output sent anywhere else (a
    pipe, a file, `ssh` without -t) would be escape codes with nobody to answer them.
    """
    if os.environ.get("TEXTUAL_DRIVER"):
        return None  # another driver draws it (demo-web's browser page): no terminal needed
    streams = (("stdin", sys.stdin), ("stdout", sys.stdout), ("stderr", sys.stderr))
    names = [name for name, stream in streams if stream is None or not _isatty(stream)]
    if not names:
        return None
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{listed} {'is' if len(names) == 1 else 'are'}"


def _isatty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):  # closed or not a file
        return False


def reopened(settings: Settings, recent: RecentStore, *, picker: bool) -> Settings:
    """Where a start without --app/--endpoint opens: where this profile was left, like k9s.

    The endpoint last opened (with its app), or the app last opened when no endpoint was
    opened in it since; with `picker`, that app without an endpoint. Both are ids, so they
    open directly, without a lookup. Nothing remembered: the profile's defaults.
    """
    apps = recent.apps(settings.profile)
    last_app = apps[0] if apps else None
    last_endpoint = recent.last_endpoint(settings.profile)
    if last_endpoint is not None and (last_app is None or last_app.id == last_endpoint.app_id):
        endpoint_id = None if picker else last_endpoint.id
        return replace(settings, app_id=last_endpoint.app_id, endpoint_id=endpoint_id)
    if last_app is not None:
        return replace(settings, app_id=last_app.id, endpoint_id=None)
    return replace(settings, endpoint_id=None) if picker else settings


def _demo_transport(seed: int, **world: object) -> tuple[object, tuple[str, str] | None]:
    """The in-process demo, and its flaky endpoint (app id, endpoint id): the first screen
    and the endpoint the tour recovers.

    `world` holds build_demo's size and speed keywords (large_apps, many_endpoints,
    latency_ms, rate_limit) when the command line changed them.
    """
    import httpx

    from attempt_tui.demo.server import build_demo

    demo = build_demo(seed=seed, **world)  # type: ignore[arg-type]
    flaky = demo.world.roles.get("flaky")
    return httpx.ASGITransport(app=demo.asgi_app), (flaky.app.id, flaky.id) if flaky else None


def _run_app(
    settings: Settings,
    transport: object | None,
    warnings: Sequence[str] = (),
    *,
    tour: bool = False,
    tour_endpoint: str | None = None,
    profile_loader: ProfileLoader | None = None,
    theme_store: ThemeStore | None = None,
    recent_store: RecentStore | None = None,
    started: Callable[[], None] | None = None,
) -> int:
    """Build and run the Textual app; tests replace this hook.

    Warnings were printed already, but the app's screen hides stderr, so it shows them too.
    `started` is called once the first screen with data is drawn.
    """
    early = _early_first_page(settings) if transport is None else None
    from attempt_tui.launch import make_app

    # Everything built so far (modules, the demo world) lives as long as the process. Frozen,
    # the garbage collector never traces it again once it is back on (see collector.py),
    # which would otherwise cost every full collection tens of milliseconds. The app comes
    # after: what a profile switch replaces must stay collectable.
    gc.freeze()
    app = make_app(
        settings,
        transport=transport,
        warnings=list(warnings),
        tour=tour,
        tour_endpoint=tour_endpoint,
        profile_loader=profile_loader,
        theme_store=theme_store,
        recent_store=recent_store,
        early=early,
        started=started,
    )
    app.run()
    code = app.return_code
    return 0 if code is None else int(code)


def _early_first_page(settings: Settings) -> EarlyGet | None:
    """With --app and --endpoint ids, the first page of messages is asked for now, while the
    app is still being imported and built (uids are looked up first, so they wait)."""
    from attempt_tui.api.early import EarlyGet, first_page_path, first_page_query

    app_id, endpoint_id = settings.app_id, settings.endpoint_id
    if settings.demo or app_id is None or endpoint_id is None:
        return None
    if not (app_id.startswith("app_") and endpoint_id.startswith("ep_")):
        return None
    path = first_page_path(app_id, endpoint_id)
    if path is None:
        return None
    return EarlyGet(
        settings.server_url,
        settings.token,
        path,
        first_page_query(settings.page_size),
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
    )


def _cmd_config(args: argparse.Namespace) -> int:
    from attempt_tui.config import ConfigError, Flags, resolve

    try:
        resolution = resolve(Flags.from_namespace(args))
    except ConfigError as exc:
        _error(str(exc))
        return 2
    print(format_resolution(resolution))
    flags = Flags.from_namespace(args)
    if not resolution.demo and flags.app_id is None and flags.endpoint_id is None:
        print(_reopen_line(resolution.profile))
    if resolution.token is None:
        print(file=sys.stderr)
        print(MISSING_TOKEN_HINT, file=sys.stderr)
        return 2
    return 0


def _reopen_line(profile: str) -> str:
    """Where a start without --app/--endpoint opens, from the profile's recent list."""
    from attempt_tui.recent import FileRecentStore

    store = FileRecentStore()
    apps = store.apps(profile)
    endpoint = store.last_endpoint(profile)
    where = "  (last used with this profile; --app, --endpoint or --picker start elsewhere)"
    if endpoint is not None and (not apps or apps[0].id == endpoint.app_id):
        return f"reopens          {endpoint.app_id} / {endpoint.id}{where}"
    if apps:
        return f"reopens          {apps[0].id}, in the picker{where}"
    return "reopens          nothing remembered yet: the app and endpoint above, or the first app"


def format_resolution(res: Resolution) -> str:
    """The `attempt-tui config` report. The token appears only as `Secret.masked()`."""
    src = res.sources

    def found(flag: bool) -> str:
        return "found" if flag else "not found"

    def origin(key: str) -> str:
        return f"  ({src[key]})" if key in src else "  (default)"

    lines = [
        f"config file      {res.config_path}  ({found(res.config_found)}; "
        f"{src.get('config_path', 'default location')})",
        f"Svix CLI config  {res.svix_cli_path}  ({found(res.svix_cli_found)})",
    ]
    if res.profiles:
        lines.append(f"profiles         {', '.join(res.profiles)}")
    lines.append(f"profile          {res.profile}{origin('profile')}")
    if res.server_url is not None:
        lines.append(f"server URL       {res.server_url}{origin('server_url')}")
    else:
        lines.append("server URL       (chosen from the token's region once a token is found)")
    if res.token is not None:
        lines.append(f"token            {res.token.masked()}{origin('token')}")
    else:
        lines.append(f"token            NOT FOUND: {res.missing_token}")
    lines.append(f"read-only        {'yes' if res.read_only else 'no'}{origin('read_only')}")
    if res.app_id is not None:
        lines.append(f"app              {res.app_id}{origin('app_id')}")
    if res.endpoint_id is not None:
        lines.append(f"endpoint         {res.endpoint_id}{origin('endpoint_id')}")
    poll = f"every {res.poll_seconds:g}s" if res.poll_seconds > 0 else "manual refresh only"
    lines.append(f"poll             {poll}{origin('poll_seconds')}")
    lines.append(f"page size        {res.page_size}{origin('page_size')}")
    lines.append(f"read timeout     {res.read_timeout:g}s{origin('read_timeout')}")
    lines.append(
        f"request budget   {res.max_requests_per_second:g} requests/s"
        f"{origin('max_requests_per_second')}"
    )
    if res.demo:
        lines.append("demo             yes (in-process demo server, config files not read)")
    lines.extend(f"warning: {warning}" for warning in res.warnings)
    return "\n".join(lines)


def _url_host(host: str) -> str:
    if host in ("0.0.0.0", "::", ""):
        return DEFAULT_DEMO_HOST
    return f"[{host}]" if ":" in host else host


def _cmd_demo_server(args: argparse.Namespace) -> int:
    seed = args.seed
    base = f"http://{_url_host(args.host)}:{args.port}"
    world = demo_world_options(args)
    print(f"attempt-tui demo server on {base} (seed {seed}). Ctrl+C stops it.")
    if world:
        print(f"World: {_describe_world(args)}")
    print(f'Try:  curl -H "Authorization: Bearer demo" {base}/api/v1/app')
    print(f"Or:   SVIX_AUTH_TOKEN=demo attempt-tui --server-url {base}")
    faults = args.faults
    if faults is None:
        sys.stdout.flush()
        _serve_demo(args.host, args.port, seed, **world)  # type: ignore[arg-type]
        return 0
    print(f"Injecting faults: {faults.describe()}")
    sys.stdout.flush()
    _serve_demo(args.host, args.port, seed, faults=faults, **world)
    return 0


def _describe_world(args: argparse.Namespace) -> str:
    parts = []
    if args.apps:
        parts.append(f"{args.apps:,} extra customer apps (cust-00001, ...)")
    if args.endpoints:
        parts.append(f"an app with {args.endpoints:,} endpoints (umbrella-platform)")
    if args.latency_ms:
        parts.append(f"{args.latency_ms:g} ms latency")
    if args.rate_limit is not None:
        parts.append(f"rate limit {args.rate_limit:g} requests/s (429 with Retry-After)")
    return ", ".join(parts)


def _serve_demo(
    host: str, port: int, seed: int, faults: FaultPlan | None = None, **world: object
) -> None:
    """Run the demo server until interrupted; tests replace this hook.

    `world` holds serve's size and speed keywords when the command line changed them.
    """
    from attempt_tui.demo.serving import serve

    serve(host=host, port=port, seed=seed, faults=faults, **world)  # type: ignore[arg-type]


def _cmd_demo_web(args: argparse.Namespace) -> int:
    if not demo_web.web_extra_installed():
        _error(demo_web.WEB_EXTRA_HINT)
        return 2
    world_flags: list[str] = []
    for flag, _keyword, default in DEMO_WORLD_OPTIONS:
        value = getattr(args, flag, default)
        if value != default:
            world_flags += [f"--{flag.replace('_', '-')}", f"{value:g}"]
    command = demo_web.demo_command(args, world_flags)
    url = demo_web.public_url(args.host, args.port)
    print(f"attempt-tui demo in a browser: open {url} (each tab gets its own demo).")
    print("Ctrl+C stops it.")
    sys.stdout.flush()
    try:
        demo_web.serve_demo_web(command, args.host, args.port)
    except OSError as exc:  # the address is in use, or not this machine's
        _error(f"cannot serve on {args.host}:{args.port}: {exc.strerror or exc}")
        return CANNOT_SERVE
    return 0
