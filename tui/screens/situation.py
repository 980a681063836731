"""Change the situation later (stage, BRAF, tracheostomy), from the command palette."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.widgets.situation import SituationForm


class SituationScreen(ModalScreen["set[str] | None"]):
    """Dismissed with the chosen situation tags, or None when cancelled."""

    DEFAULT_CSS = """
    SituationScreen { align: center middle; }
    SituationScreen #situation-box {
        width: 96; max-width: 98%; height: auto; border: thick $primary;
        background: $surface; padding: 0 1;
    }
    SituationScreen #situation-buttons { height: auto; }
    SituationScreen #situation-buttons Button { margin: 0 2 0 0; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, situations: set[str]) -> None:
        super().__init__()
        self.situations = situations

    def compose(self) -> ComposeResult:
        with Vertical(id="situation-box") as box:
            box.border_title = "Your situation (optional)"
            yield Static(Content("Passages for your situation come first. This stays in "
                                 "this session only."), markup=False)
            yield SituationForm(self.situations, id="situation-form")
            with Horizontal(id="situation-buttons"):
                yield Button("Save", id="situation-save", variant="primary")
                yield Button("Cancel", id="situation-cancel")

    @on(Button.Pressed, "#situation-save")
    def _save(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(self.query_one(SituationForm).value)

    @on(Button.Pressed, "#situation-cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
