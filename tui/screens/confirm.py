"""A yes / no question as a typed modal (``ModalScreen[bool]``). Escape answers no."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmScreen(ModalScreen[bool]):
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen #confirm-box {
        width: 70; max-width: 95%; height: auto; border: thick $warning;
        background: $surface; padding: 1 2;
    }
    ConfirmScreen #confirm-title { text-style: bold; margin: 0 0 1 0; }
    ConfirmScreen #confirm-buttons { height: auto; margin: 1 0 0 0; }
    ConfirmScreen #confirm-buttons Button { margin: 0 2 0 0; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    AUTO_FOCUS = "#confirm-no"

    def __init__(self, title: str, body: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.title_text, self.body, self.yes, self.no = title, body, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(Content(self.title_text), id="confirm-title", markup=False)
            yield Static(Content(self.body), markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button(Content(self.yes), id="confirm-yes", variant="error")
                yield Button(Content(self.no), id="confirm-no")

    @on(Button.Pressed, "#confirm-yes")
    def _yes(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def _no(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(False)

    def action_cancel(self) -> None:
        self.dismiss(False)
