"""A card's actions as a small menu (Enter on a passage card): save it, or read the
words explained. Dismissed with "save", "words" or None."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.safe import safe


class CardMenu(ModalScreen["str | None"]):
    DEFAULT_CSS = """
    CardMenu { align: center middle; }
    CardMenu #card-menu-box {
        width: 60; max-width: 95%; height: auto; border: thick $primary;
        background: $surface; padding: 0 1;
    }
    CardMenu #card-menu-title { text-style: bold; margin: 0 0 1 0; }
    CardMenu OptionList { height: auto; }
    """

    BINDINGS = [Binding("escape", "cancel", "Back")]
    AUTO_FOCUS = "#card-menu-list"

    def __init__(self, title: str, words: int, *, saved: bool) -> None:
        super().__init__()
        self.card_title, self.words, self.saved = title, words, saved

    def compose(self) -> ComposeResult:
        with Vertical(id="card-menu-box") as box:
            box.border_title = "This passage"
            yield Static(safe(self.card_title), id="card-menu-title", markup=False)
            options = [Option(Content("Already in My notes" if self.saved
                                      else "Save to My notes"), id="save")]
            if self.words:
                options.append(Option(Content(f"Words explained ({self.words})"), id="words"))
            options.append(Option(Content("Back to the answer"), id="back"))
            yield OptionList(*options, id="card-menu-list", markup=False)

    @on(OptionList.OptionSelected, "#card-menu-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        choice = event.option.id
        self.dismiss(choice if choice in ("save", "words") else None)

    def action_cancel(self) -> None:
        self.dismiss(None)
