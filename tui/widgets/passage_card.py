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

_PARTS = ("card-title", "card-text", "card-cite", "card-approval", "card-hint")


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
        self.terms = terms
        self.number = number
        self._set(snippet, saved)

    def _set(self, snippet: Snippet, saved: bool) -> None:
        self.snippet = snippet
        self.text = display_safe(snippet.text)
        """The text exactly as shown (equal to the approved text: a test checks it)."""
        self.term_ids = [s.term_id for s in self.terms.spans(self.text)] if self.terms else []
        self.set_class(saved, "-saved")

    def _parts(self) -> tuple[Content, Content, Content, Content, Content]:
        snip = self.snippet
        title = safe(snip.title)
        if self.number is not None:
            title = Content(f"{self.number}. ") + title
        body = self.terms.marked(self.text) if self.terms else Content(self.text)
        cite = safe_join(("Source: ", "bold"), snip.citation)
        approval = safe_join(("Approval: ", "bold"), snip.approval_label,
                             f" ({snip.approved_by}, {snip.approved_on})")
        return title, body, cite, approval, self._hint()

    def compose(self) -> ComposeResult:
        for part, cls in zip(self._parts(), _PARTS, strict=True):
            yield Static(part, classes=cls, markup=False)

    def show(self, snippet: Snippet, *, saved: bool = False) -> None:
        """Show another passage on this card (updates in place: no remount, no race)."""
        self._set(snippet, saved)
        if not self.children:  # not composed yet: compose will show the new passage
            return
        for part, cls in zip(self._parts(), _PARTS, strict=True):
            self.query_one(f".{cls}", Static).update(part)

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
