"""The top bar: where you are (profile, server, app, endpoint) and how fresh the data is."""

from __future__ import annotations

from rich.color import Color, ColorParseError
from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from attempt_tui import safe
from attempt_tui.config.urls import display_url

# Past this with nothing loaded, the bar counts the wait instead of "connecting…".
SLOW_ANSWER_SECONDS = 3


def profile_style(color: str | None) -> Style:
    """The profile's colour as a background, when it is one Rich understands."""
    if not color:
        return Style(bold=True)
    try:
        return Style(bold=True, bgcolor=Color.parse(color), color="white")
    except ColorParseError:
        return Style(bold=True)


def freshness_text(
    since_sync: float | None, since_start: float, *, failed: bool, manual_refresh: bool
) -> str:
    """How old the data is; before the first answer, whether it is coming or failed.

    `since_sync` is the seconds since the last answer (None before the first one),
    `since_start` those since the screen started; `failed` when a list could not load.
    """
    if since_sync is None:
        waited = int(since_start)
        if failed:
            return "not loaded (see below)"
        if waited >= SLOW_ANSWER_SECONDS:
            return f"waiting for the server · {waited} s"
        return "connecting…"
    seconds = int(since_sync)
    freshness = "updated just now" if seconds < 2 else f"updated {seconds} s ago"
    if manual_refresh:
        freshness += " · manual refresh (F5)"
    return freshness


def throttle_text(resumes_in: float) -> str:
    """The API's 429 pause while it lasts (`resumes_in` seconds left), else nothing."""
    if resumes_in <= 0:
        return ""
    return f"API throttling (429) · resumes in {max(1, round(resumes_in))} s"


class ContextBar(Widget):
    """Always shows profile/server, app and endpoint; READ-ONLY when read-only."""

    app_label: reactive[Text] = reactive(Text("no app"), layout=False)
    endpoint_label: reactive[Text] = reactive(Text("no endpoint"), layout=False)
    freshness: reactive[str] = reactive("connecting…")
    paused: reactive[bool] = reactive(False)
    tail: reactive[bool] = reactive(False)
    throttle: reactive[str] = reactive("")

    def __init__(
        self,
        profile: str,
        server_url: str,
        read_only: bool,
        *,
        color: str | None = None,
        id: str | None = None,
    ):
        super().__init__(id=id)
        self.profile = profile
        self.profile_style = profile_style(color)
        self.server_url = display_url(server_url)
        self.read_only = read_only

    def _parts(self) -> tuple[Text, Text, Text]:
        right = Text(no_wrap=True)
        if self.tail:
            right.append("● LIVE TAIL", style="bold green")
            right.append(" · ", style="dim")
        if self.paused:
            right.append("⏸ PAUSED", style="bold yellow")
            right.append(" · ", style="dim")
        if self.throttle:
            # Words as well as colour, so it survives NO_COLOR.
            right.append(f"⚠ {self.throttle}", style="bold yellow")
            right.append(" · ", style="dim")
        right.append(self.freshness + " ", style="dim")
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(" attempt-tui ", style="bold reverse")
        if self.read_only:
            # Text as well as colour, so it survives NO_COLOR.
            line.append(" READ-ONLY ", style="bold reverse")
        line.append(" ")
        line.append(f" {safe.clean(self.profile, max_len=40)} ", style=self.profile_style)
        line.append(" @ ", style="dim")
        line.append_text(safe.text(self.server_url, max_len=60))
        where = Text(no_wrap=True, overflow="ellipsis")
        where.append(" app ", style="dim")
        where.append_text(self.app_label)
        where.append(" │ ep ", style="dim")
        where.append_text(self.endpoint_label)
        return line, where, right

    def _two_lines(self, width: int) -> bool:
        line, where, right = self._parts()
        return line.cell_len + where.cell_len + right.cell_len + 3 > width

    def render(self) -> Text:
        """One line when it fits; otherwise the app and endpoint get a line of their own."""
        line, where, right = self._parts()
        width = self.size.width
        narrow = self._two_lines(width)
        if not narrow:
            line.append(" │", style="dim")
            line.append_text(where)
        room = max(0, width - right.cell_len - 1)
        line.truncate(room, overflow="ellipsis", pad=True)
        line.append(" ")
        line.append_text(right)
        if narrow:
            where.truncate(width, overflow="ellipsis")
            line.append("\n")
            line.append_text(where)
        return line

    def _fit_height(self) -> None:
        self.styles.height = 2 if self._two_lines(self.size.width) else 1

    def on_resize(self) -> None:
        self._fit_height()

    def watch_app_label(self) -> None:
        self._fit_height()

    def watch_endpoint_label(self) -> None:
        self._fit_height()

    def set_app(self, name: str | None, app_id: str | None) -> None:
        if app_id is None:
            self.app_label = Text("none", style="dim")
        else:
            self.app_label = safe.text(name or app_id, max_len=40, style="bold")

    def set_endpoint(self, url: str | None, endpoint_id: str | None) -> None:
        if endpoint_id is None:
            self.endpoint_label = Text("none", style="dim")
        else:
            self.endpoint_label = safe.text(url or endpoint_id, max_len=60, style="bold")
