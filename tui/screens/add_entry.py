"""Pick an approved passage or prompt to add to the packet (type to filter)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from botcore.packet import SECTION_NAMES, PacketEntry
from tui.safe import safe_join
from tui.widgets.prompt import SafePrompt


def shorten(text: str, limit: int = 110) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "\u2026"


class AddEntryScreen(ModalScreen["PacketEntry | None"]):
    """Pick an approved passage or prompt to add; type to filter."""

    DEFAULT_CSS = """
    AddEntryScreen { align: center middle; }
    AddEntryScreen #add-box {
        width: 100; max-width: 98%; height: 80%; border: thick $primary;
        background: $surface; padding: 0 1;
    }
    AddEntryScreen #add-list { height: 1fr; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    AUTO_FOCUS = "#add-filter"

    def __init__(self, choices: list[tuple[PacketEntry, str]]) -> None:
        super().__init__()
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(id="add-box") as box:
            box.border_title = "Add to the packet (Enter adds, Escape cancels)"
            yield SafePrompt(placeholder="Type to filter", id="add-filter")
            yield OptionList(id="add-list")

    def on_mount(self) -> None:
        self._fill("")

    def _fill(self, needle: str) -> None:
        options = self.query_one("#add-list", OptionList)
        options.clear_options()
        needle = needle.casefold().strip()
        for index, (entry, label) in enumerate(self.choices):
            if needle and needle not in label.casefold():
                continue
            section = SECTION_NAMES.get(entry.section, entry.section)
            options.add_option(Option(safe_join((f"{section}: ", "bold"), shorten(label)),
                                      id=str(index)))
        if options.option_count:
            options.highlighted = 0

    @on(SafePrompt.Changed, "#add-filter")
    def _filter(self, event: SafePrompt.Changed) -> None:
        event.stop()
        self._fill(event.value)

    @on(SafePrompt.Submitted, "#add-filter")
    def _submit_filter(self, event: SafePrompt.Submitted) -> None:
        event.stop()
        options = self.query_one("#add-list", OptionList)
        if options.highlighted is not None:
            self._choose(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#add-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option.id)

    def _choose(self, option_id: str | None) -> None:
        if option_id is not None:
            self.dismiss(self.choices[int(option_id)][0])

    def action_cancel(self) -> None:
        self.dismiss(None)
