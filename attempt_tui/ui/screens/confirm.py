"""A yes/no confirmation with Cancel focused: y confirms, n or escape cancels."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from attempt_tui import safe
from attempt_tui.api.models import EndpointMessageOut, EndpointOut, MessageAttemptOut
from attempt_tui.ui import format as fmt
from attempt_tui.ui.widgets.key_hints import KeyHints


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "confirm", "Yes", id="confirm.yes"),
        Binding("n", "cancel", "No", id="confirm.no"),
        Binding("escape", "cancel", "Cancel", id="confirm.cancel"),
    ]

    def __init__(self, title: str, body: Text, confirm_label: str, *, danger: bool = False):
        super().__init__()
        self.title_text = title
        self.body = body
        self.confirm_label = confirm_label
        self.danger = danger

    def compose(self) -> ComposeResult:
        yield KeyHints()  # this dialog's keys, over the screen's below
        with Vertical(id="confirm-dialog") as dialog:
            dialog.border_title = self.title_text
            yield Static(self.body, id="confirm-body", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button("Cancel (n)", id="cancel")
                yield Button(
                    f"{self.confirm_label} (y)",
                    id="confirm",
                    variant="error" if self.danger else "warning",
                )

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)


def resend_text(message: EndpointMessageOut, endpoint: EndpointOut) -> Text:
    """What a resend will do, for the confirm dialog; API text goes through safe."""
    body = Text()
    body.append("Resend message ")
    body.append_text(safe.text(message.id, style="bold"))
    body.append(" (")
    body.append_text(safe.text(message.event_type))
    body.append(")\nto endpoint ")
    body.append_text(safe.text(endpoint.id, style="bold"))
    body.append("\n")
    body.append_text(safe.text(endpoint.url, max_len=200, style="underline"))
    body.append("\n\nThe endpoint receives this webhook again now, as a new manual attempt.")
    if endpoint.disabled:
        body.append("\n\nThis endpoint is DISABLED: Svix may not deliver to it.", style="bold")
    return body


def expunge_text(message: EndpointMessageOut, attempt: MessageAttemptOut) -> Text:
    """What an expunge will delete, for the confirm dialog."""
    body = Text()
    body.append("Expunge the response body of attempt ")
    body.append_text(safe.text(attempt.id, style="bold"))
    body.append(" (")
    body.append(fmt.exact(attempt.timestamp))
    body.append(", HTTP ")
    body.append_text(fmt.http_code_text(attempt.response_status_code))
    body.append(")\nof message ")
    body.append_text(safe.text(message.id, style="bold"))
    body.append(" at ")
    body.append_text(safe.text(attempt.url, max_len=200, style="underline"))
    body.append("\n\nThe stored response body is deleted for good. ")
    body.append("This cannot be undone.", style="bold")
    return body
