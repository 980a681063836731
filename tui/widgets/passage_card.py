"""One approved passage on a card: title, the verbatim text with glossary terms marked,
its citation and its approval. Focus a card to save it (``s``) or read the words
explained (``w``); click a marked word to read its definition."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from botcore.answer import Snippet
from botcore.sanitize import display_safe
from tui.messages import SavePassage, ShowTerms
from tui.safe import safe, safe_join
from tui.terms import TermIndex


class PassageCard(Vertical, can_focus=True):
    DEFAULT_CSS = """
    PassageCard {
        height: auto;
        margin: 0 0 1 0;
        padding: 0 1;
        border: round $primary 60%;
        background: $surface;
    }
    PassageCard:focus, PassageCard:focus-within {
        border: thick $accent;
    }
    PassageCard .card-title { text-style: bold; color: $text; }
    PassageCard .card-text { margin: 1 0; }
    PassageCard .card-cite, PassageCard .card-approval { color: $text-muted; }
    PassageCard .card-hint { color: $text-muted; text-style: italic; }
    PassageCard.-saved .card-hint { text-style: bold; color: $success; }
    """

    BINDINGS = [
        Binding("s", "save", "Save passage"),
        Binding("w", "words", "Words explained"),
    ]

    def __init__(self, snippet: Snippet, terms: TermIndex | None = None, *, saved: bool = False,
                 number: int | None = None, id: str | None = None,  # noqa: A002 - Textual's name
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.snippet = snippet
        self.terms = terms
        self.number = number
        self.text = display_safe(snippet.text)
        """The text exactly as shown (equal to the approved text: a test checks it)."""
        self.term_ids = [s.term_id for s in terms.spans(self.text)] if terms else []
        self.set_class(saved, "-saved")

    def compose(self) -> ComposeResult:
        snip = self.snippet
        title = safe(snip.title)
        if self.number is not None:
            title = Content(f"{self.number}. ") + title
        yield Static(title, classes="card-title", markup=False)
        body = self.terms.marked(self.text) if self.terms else Content(self.text)
        yield Static(body, classes="card-text", markup=False)
        yield Static(safe_join(("Source: ", "bold"), snip.citation), classes="card-cite",
                     markup=False)
        yield Static(safe_join(("Approval: ", "bold"), snip.approval_label,
                               f" ({snip.approved_by}, {snip.approved_on})"),
                     classes="card-approval", markup=False)
        yield Static(self._hint(), classes="card-hint", markup=False)

    def _hint(self) -> Content:
        parts = ["Saved to My notes" if self.has_class("-saved") else "s: save"]
        if self.term_ids:
            n = len(self.term_ids)
            parts.append(f"w: {n} word{'s' if n != 1 else ''} explained (underlined)")
        return Content("  \u00b7  ".join(parts))

    @property
    def shown_text(self) -> str:
        """The plain text of the passage as rendered on the card."""
        return self.query_one(".card-text", Static).visual.plain  # type: ignore[attr-defined]

    def mark_saved(self) -> None:
        self.add_class("-saved")
        self.query_one(".card-hint", Static).update(self._hint())

    def action_save(self) -> None:
        self.post_message(SavePassage(self.snippet.passage_id))

    def action_words(self) -> None:
        if self.term_ids:
            self.post_message(ShowTerms(list(self.term_ids)))
        else:
            self.notify("No glossary words are marked in this passage.", markup=False)
