"""Read something again in full: an earlier answer of the conversation, or a passage
saved in My notes. Its cards work as anywhere else (save, words explained)."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button

from tui.messages import SavePassage
from tui.widgets.passage_card import save_and_mark


class ReadAgainScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    ReadAgainScreen { align: center middle; }
    ReadAgainScreen #read-box {
        width: 96; max-width: 98%; height: 90%; border: thick $primary;
        background: $surface; padding: 0 1;
    }
    ReadAgainScreen #read-scroll { height: 1fr; }
    ReadAgainScreen #read-close { margin: 1 0 0 0; }
    """

    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, title: str, make_body: Callable[[], Widget]) -> None:
        super().__init__()
        self.box_title = title
        self.make_body = make_body

    def compose(self) -> ComposeResult:
        with Vertical(id="read-box") as box:
            box.border_title = self.box_title
            with VerticalScroll(id="read-scroll"):
                yield self.make_body()
            yield Button(Content("Close (Esc)"), id="read-close")

    def on_mount(self) -> None:
        self.query_one("#read-scroll").focus()

    @on(SavePassage)
    def _save(self, event: SavePassage) -> None:
        event.stop()
        save_and_mark(self, event.passage_id)

    @on(Button.Pressed, "#read-close")
    def _close(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
