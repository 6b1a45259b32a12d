"""Recover failed messages of one endpoint: pick a window, see the blast radius, confirm, follow.

One dialog, four phases: "choose" (window, blast radius, Cancel/Recover), "posting" (the POST in
flight), "following" (progress of the background task), "done" (summary and Close). Keys: 1-5
pick a window, y confirms, n/escape cancel (close once a recovery was started), f5 counts again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, ProgressBar, RadioButton, RadioSet, Static

from attempt_tui import safe
from attempt_tui.api.errors import ApiError, ReadOnlyError
from attempt_tui.api.models import BackgroundTaskOut, EndpointOut
from attempt_tui.recover import (
    BlastRadius,
    RecoverResult,
    RecoverWindow,
    custom_window,
    messages_sent,
    preset_windows,
    task_summary,
)
from attempt_tui.ui.widgets.key_hints import KeyHints
from attempt_tui.ui.widgets.vim_lists import VimRadioSet

if TYPE_CHECKING:
    from attempt_tui.worker import RecoverSession

Phase = Literal["choose", "posting", "following", "done"]
CUSTOM_INDEX = 4
WINDOW_LABELS = (
    "1 Last 5 hours",
    "2 Since yesterday",
    "3 Yesterday (UTC)",
    "4 Last week",
    "5 Custom",
)
READ_ONLY_TEXT = "Read-only: recover is disabled; the blast radius still shows."


class RecoverScreen(ModalScreen[RecoverResult | None]):
    BINDINGS = [
        Binding("y", "confirm", "Recover", id="recover.confirm"),
        Binding("n,escape", "cancel", "Cancel", id="recover.cancel"),
        Binding("f5", "refresh", "Count again", id="recover.refresh"),
        Binding("1", "pick(0)", show=False, id="recover.pick1"),
        Binding("2", "pick(1)", show=False, id="recover.pick2"),
        Binding("3", "pick(2)", show=False, id="recover.pick3"),
        Binding("4", "pick(3)", show=False, id="recover.pick4"),
        Binding("5", "pick(4)", show=False, id="recover.pick5"),
    ]

    def __init__(
        self,
        session: RecoverSession,
        endpoint: EndpointOut,
        clock: Callable[[], datetime],
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        poll_interval: float = 1.0,
        timeout: float = 600.0,
    ) -> None:
        super().__init__()
        self.session = session
        self.endpoint = endpoint
        self.clock = clock
        self._sleep = sleep
        self._poll_interval = poll_interval
        self._timeout = timeout
        self.phase: Phase = "choose"
        self.window: RecoverWindow | None = None
        self.radius: BlastRadius | None = None
        self.last_task: BackgroundTaskOut | None = None
        self.result: RecoverResult | None = None
        self._key: str | None = None  # one Idempotency-Key per window confirmed

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield KeyHints()  # this dialog's keys, over the screen's below
        with Vertical(id="recover-dialog") as dialog:
            dialog.border_title = "Recover failed messages"
            yield Static(self._endpoint_text(), id="recover-endpoint", markup=False)
            if self.session.read_only:
                yield Static(Text(READ_ONLY_TEXT, style="bold"), id="recover-read-only")
            with VimRadioSet(id="recover-windows", compact=True):
                for index, label in enumerate(WINDOW_LABELS):
                    yield RadioButton(label, value=index == 0, id=f"recover-window-{index}")
            with Horizontal(id="recover-custom"):
                yield Input(
                    placeholder="since: 2h, yesterday, 2026-11-01T12:00Z", id="since", compact=True
                )
                yield Input(placeholder="until (optional; empty = now)", id="until", compact=True)
            yield Static("", id="recover-plan", markup=False)
            yield Static("", id="recover-error", markup=False)
            with Vertical(id="recover-progress"):
                yield ProgressBar(total=None, show_eta=False, id="recover-bar")
                yield Static("", id="recover-status", markup=False)
            with Horizontal(id="recover-buttons"):
                yield Button("Cancel (n)", id="recover-cancel")
                yield Button("Recover (y)", id="recover-confirm", variant="warning")
                yield Button("Close (esc)", id="recover-close")

    def on_mount(self) -> None:
        self.query_one("#recover-custom").display = False
        self.query_one("#recover-progress").display = False
        self.query_one("#recover-close").display = False
        self._show_error(None)
        self._choose_preset(0)
        self.query_one("#recover-cancel", Button).focus()

    def _endpoint_text(self) -> Text:
        endpoint = self.endpoint
        text = Text("Endpoint ")
        text.append_text(safe.text(endpoint.id, style="bold"))
        if endpoint.disabled:
            text.append("  DISABLED: Svix may not deliver to it", style="bold red")
        text.append("\n")
        text.append_text(safe.text(endpoint.url, max_len=200, style="underline"))
        if endpoint.description:
            text.append("\n")
            text.append_text(safe.text(endpoint.description, max_len=120, style="dim"))
        return text

    # ------------------------------------------------------------------ choosing a window

    @on(RadioSet.Changed, "#recover-windows")
    def _window_changed(self, event: RadioSet.Changed) -> None:
        custom = event.index == CUSTOM_INDEX
        self.query_one("#recover-custom").display = custom
        if custom:
            self._show_error(None)
            self._set_window(None)
            self.query_one("#since", Input).focus()
            return
        self._choose_preset(event.index)
        self.query_one("#recover-cancel", Button).focus()

    def _choose_preset(self, index: int) -> None:
        self._show_error(None)
        self._set_window(preset_windows(self.clock())[index])

    def action_pick(self, index: int) -> None:
        if self.phase != "choose":
            return
        buttons = list(self.query(RadioButton))
        if buttons[index].value:  # already chosen: recount a preset, focus the custom input
            if index == CUSTOM_INDEX:
                self.query_one("#since", Input).focus()
            else:
                self._choose_preset(index)
            return
        buttons[index].value = True  # the RadioSet posts Changed

    @on(Input.Changed, "#recover-custom Input")
    def _custom_edited(self) -> None:
        if self.phase == "choose" and self.window is not None and self.window.label == "Custom":
            self._set_window(None)

    @on(Input.Submitted, "#recover-custom Input")
    def _custom_submitted(self) -> None:
        since = self.query_one("#since", Input).value
        until = self.query_one("#until", Input).value
        try:
            window = custom_window(since, until, now=self.clock())
        except ValueError as error:
            self._set_window(None)
            self._show_error(str(error))
            return
        self._show_error(None)
        self._set_window(window)
        self.query_one("#recover-cancel", Button).focus()

    def _set_window(self, window: RecoverWindow | None) -> None:
        if window != self.window:
            self._key = None  # a different body needs a different Idempotency-Key
        self.window = window
        self.radius = None
        self._render_plan()
        if window is not None:
            self._count(window)
        else:
            self.workers.cancel_group(self, "recover-count")

    @work(exclusive=True, group="recover-count", exit_on_error=False)
    async def _count(self, window: RecoverWindow) -> None:
        try:
            radius = await self.session.count(window)
        except Exception as error:  # ApiError, or a bug: either way say so, stay usable
            reason = error.message if isinstance(error, ApiError) else type(error).__name__
            if window == self.window:
                self._show_error(f"Could not count failed messages: {reason} (f5 retries)")
            return
        if window != self.window:
            return  # a stale answer for a window no longer chosen
        self.radius = radius
        self._render_plan()

    def _render_plan(self) -> None:
        plan = Text()
        window, radius = self.window, self.radius
        if window is None:
            plan.append("Type when to start (and optionally end), then press enter.", "dim")
        else:
            plan.append("Window   ")
            plan.append(window.describe(), style="bold")
            plan.append(" (UTC)\n")
            plan.append("         of attempt times: when Svix tried to deliver, not when\n")
            plan.append("         the messages were created (the list's Created column)\n")
            if radius is None:
                plan.append("Counting failed messages in this window…", style="dim")
            else:
                plan.append("Resends  ")
                plan.append(radius.messages_text(), style="bold")
                attempts = radius.attempts_text()
                plan.append(f"\n         ({attempts} in the window, retries included)")
                if self.phase == "choose":  # later, the progress takes this room
                    plan.append("\n\n")
                    plan.append_text(self._what_happens(radius))
        self.query_one("#recover-plan", Static).update(plan)
        self._update_buttons()

    @staticmethod
    def _what_happens(radius: BlastRadius) -> Text:
        if radius.nothing_to_do:
            return Text("No failed messages in this window: nothing to recover.")
        text = Text("Svix resends, as a new manual attempt, each message with a failed attempt ")
        text.append("in this window and no successful attempt in it. ")
        text.append("y starts, n cancels.", style="bold")
        return text

    def _ready(self) -> bool:
        return (
            self.phase == "choose"
            and self.window is not None
            and self.radius is not None
            and not self.radius.nothing_to_do
        )

    def _update_buttons(self) -> None:
        confirm = self.query_one("#recover-confirm", Button)
        confirm.disabled = not self._ready() or self.session.read_only
        self.refresh_bindings()

    def _show_error(self, message: str | None) -> None:
        error = self.query_one("#recover-error", Static)
        error.display = message is not None
        error.update(safe.text(message or "", max_len=300, style="bold red"))

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "confirm":
            return self._ready()
        if action == "cancel":
            return self.phase != "posting"
        if action == "refresh":
            return self.phase == "choose" or (self.phase == "done" and self._can_follow_again())
        return True

    @on(Button.Pressed, "#recover-confirm")
    def action_confirm(self) -> None:
        if not self._ready() or self.window is None:
            return
        self._key = self._key or self.session.new_key()
        self._start(self.window, self._key)

    @on(Button.Pressed, "#recover-cancel")
    @on(Button.Pressed, "#recover-close")
    def action_cancel(self) -> None:
        if self.phase == "posting":
            return
        self.dismiss(self.result)

    def action_refresh(self) -> None:
        if self.phase == "choose" and self.window is not None:
            self._show_error(None)
            self._set_window(self.window)
        elif self.phase == "done" and self._can_follow_again() and self.last_task is not None:
            self._show_error(None)
            self._enter_phase("following")
            self._follow_again(self.last_task)

    def _can_follow_again(self) -> bool:
        return self.last_task is not None and self.last_task.status not in ("finished", "failed")

    # ------------------------------------------------------------------ running

    def _enter_phase(self, phase: Phase) -> None:
        self.phase = phase
        choosing = phase == "choose"
        self.query_one("#recover-windows").disabled = not choosing
        self.query_one("#recover-custom").disabled = not choosing
        self.query_one("#recover-cancel").display = choosing
        self.query_one("#recover-confirm").display = choosing
        close = self.query_one("#recover-close", Button)
        close.display = phase in ("following", "done")
        self.query_one("#recover-progress").display = not choosing
        self._render_plan()
        if close.display:
            close.focus()
        elif choosing:
            self.query_one("#recover-cancel", Button).focus()

    @work(exclusive=True, group="recover-run", exit_on_error=False)
    async def _start(self, window: RecoverWindow, key: str) -> None:
        self._show_error(None)
        self._enter_phase("posting")
        radius = self.radius
        bar = self.query_one("#recover-bar", ProgressBar)
        bar.update(total=radius.messages if radius and not radius.messages_capped else None)
        self._status(Text("Asking Svix to start the recovery…", style="dim"))
        self.result = RecoverResult(self.session.app_id, self.endpoint.id, window, key, None)
        try:
            task = await self.session.start(
                window,
                key,
                on_progress=self._progress,
                sleep=self._sleep,
                poll_interval=self._poll_interval,
                timeout=self._timeout,
                on_warning=lambda text: self.notify(text, severity="warning", markup=False),
            )
        except ReadOnlyError as error:
            self.result = None  # refused before sending: nothing happened
            self._back_to_choose(f"{error.message}. Nothing was sent.")
            return
        except ApiError as error:
            self._stopped(error.message)
            return
        except Exception as error:  # a bug must not leave the dialog stuck
            self._stopped(f"Unexpected error: {type(error).__name__}")
            return
        self._finished(task)

    @work(exclusive=True, group="recover-run", exit_on_error=False)
    async def _follow_again(self, task: BackgroundTaskOut) -> None:
        try:
            task = await self.session.follow(
                task,
                on_progress=self._progress,
                sleep=self._sleep,
                poll_interval=self._poll_interval,
                timeout=self._timeout,
            )
        except ApiError as error:
            self._stopped(error.message)
            return
        self._finished(task)

    def _stopped(self, message: str) -> None:
        if self.last_task is None:
            # Svix gave no task: the recovery did not start (or we cannot tell). y tries again
            # under the same Idempotency-Key, so it never runs twice.
            self._record_result(error=message)
            self._back_to_choose(f"Recover failed: {message}")
            return
        self._record_result(error=message)
        self._enter_phase("done")
        self._show_error(
            f"Following task {self.last_task.id} failed: {message}. "
            "It goes on at Svix; f5 follows it again."
        )

    def _back_to_choose(self, message: str) -> None:
        self._enter_phase("choose")
        self._show_error(message)

    def _progress(self, task: BackgroundTaskOut) -> None:
        if self.phase == "posting":
            self._enter_phase("following")
        self.last_task = task
        self._record_result()
        sent = messages_sent(task)
        bar = self.query_one("#recover-bar", ProgressBar)
        if sent is not None:
            if bar.total is not None and sent > bar.total:
                bar.update(total=sent)
            bar.update(progress=sent)
        status = Text("Task ")
        status.append_text(safe.text(task.id, style="bold"))
        status.append(": ")
        status.append_text(safe.text(task_summary(task), max_len=200))
        self._status(status)

    def _finished(self, task: BackgroundTaskOut) -> None:
        self.last_task = task
        self._record_result()
        self._enter_phase("done")
        sent = messages_sent(task)
        bar = self.query_one("#recover-bar", ProgressBar)
        status = Text()
        if task.status == "finished":
            bar.update(total=max(sent or 0, 1), progress=max(sent or 0, 1))
            count = "" if sent is None else f": {sent:,} message{'s' if sent != 1 else ''} resent"
            status.append(f"Finished{count}.", style="bold green")
        else:
            status.append("Failed: Svix reports the recovery task failed.", style="bold red")
        status.append("\nTask ")
        status.append_text(safe.text(task.id))
        status.append(" · ")
        status.append_text(safe.text(task_summary(task), max_len=200))
        self._status(status)

    def _record_result(self, error: str | None = None) -> None:
        if self.result is not None:
            self.result = RecoverResult(
                self.result.app_id,
                self.result.endpoint_id,
                self.result.window,
                self.result.idempotency_key,
                self.last_task,
                error,
            )

    def _status(self, text: Text) -> None:
        self.query_one("#recover-status", Static).update(text)
