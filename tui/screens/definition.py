"""Words explained: the glossary definitions of the terms marked in a passage."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList
from textual.widgets.option_list import Option

from botcore.schema import GlossaryTerm
from tui.safe import safe
from tui.widgets.glossary import TermDefinition


class DefinitionScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    DefinitionScreen { align: center middle; }
    DefinitionScreen #definition-box {
        width: 76; max-width: 95%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    DefinitionScreen #definition-terms { height: auto; max-height: 8; }
    DefinitionScreen #definition-scroll { height: auto; max-height: 12; }
    DefinitionScreen #definition-close { margin: 1 0 0 0; }
    """

    BINDINGS = [Binding("escape", "close", "Close"), Binding("q", "close", "Close", show=False)]

    def __init__(self, terms: list[GlossaryTerm],
                 on_view: Callable[[str], None] | None = None) -> None:
        super().__init__()
        self.terms = terms
        self.on_view = on_view
        """Called with each term id the reader looks at (for the handout's word list)."""

    def _show(self, index: int) -> None:
        term = self.terms[index] if 0 <= index < len(self.terms) else None
        self.query_one(TermDefinition).show(term)
        if term is not None and self.on_view is not None:
            self.on_view(term.id)

    def compose(self) -> ComposeResult:
        with Vertical(id="definition-box") as box:
            box.border_title = "Words explained"
            if len(self.terms) > 1:
                yield OptionList(*[Option(safe(t.term)) for t in self.terms],
                                 id="definition-terms", markup=False)
            with VerticalScroll(id="definition-scroll"):
                yield TermDefinition(id="definition-text", markup=False)
            yield Button(Content("Close (Esc)"), id="definition-close")

    def on_mount(self) -> None:
        self._show(0)
        lists = list(self.query("#definition-terms"))
        (lists[0] if lists else self.query_one("#definition-close")).focus()

    @on(OptionList.OptionHighlighted, "#definition-terms")
    def _pick(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._show(event.option_index)

    @on(Button.Pressed, "#definition-close")
    def _close(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)

    @property
    def shown_text(self) -> str:
        return self.query_one(TermDefinition).visual.plain  # type: ignore[attr-defined]
