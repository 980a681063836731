"""One approved passage on a card: title, the verbatim text with glossary terms marked,
its source and its approval, and two visible actions: "Save" and "Words explained".

Typing never fires an action: the card has no single-letter keys (a question typed
while a card has focus goes to the question box). Enter on a focused card opens its
actions as a small menu; a click on an action, or on an underlined word, works too.

A card is one widget (one ``Static``), not a tree of them: a conversation mounts many
cards, and each extra widget is extra work every time an answer arrives (issue 13).
"""

from __future__ import annotations

from datetime import date

from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.style import Style
from textual.widget import Widget
from textual.widgets import Static

from botcore.answer import Snippet
from botcore.export import long_date
from botcore.sanitize import display_safe
from tui.messages import SavePassage, ShowTerms
from tui.safe import safe, safe_join
from tui.terms import TermIndex


def approval_detail(snip: Snippet) -> str:
    """Who approved it and when, in people's words ("ATC Guide developers, 21 November
    2026"): the approval label already says whether it is a demonstration."""
    who = snip.approved_by.split(" (", 1)[0]
    try:
        when = long_date(date.fromisoformat(snip.approved_on))
    except ValueError:
        when = snip.approved_on
    return f"{who}, {when}"


def _button(label: str, action: str) -> Content:
    """A clickable action drawn as a button (reverse video: not colour alone)."""
    return Content(f" {label} ").stylize(Style(reverse=True, bold=True)
                                         + Style.from_meta({"@click": action}))


class PassageCard(Static, can_focus=True):
    DEFAULT_CSS = """
    PassageCard {
        height: auto;
        margin: 0 0 1 0;
        padding: 0 1;
        border: round $primary 60%;
        background: $surface;
        color: $text;
    }
    PassageCard:focus {
        border: thick $accent;
    }
    """

    BINDINGS = [Binding("enter", "menu", "Actions", show=False)]

    def __init__(self, snippet: Snippet, terms: TermIndex | None = None, *, saved: bool = False,
                 number: int | None = None, source: str | None = None,
                 id: str | None = None,  # noqa: A002 - Textual's name
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self.terms = terms
        self.number = number
        self.source = source
        """A short form of the citation for the screen (the handout prints it in full)."""
        self._spans: dict[str, tuple[int, int]] = {}
        self._set(snippet, saved)

    def _set(self, snippet: Snippet, saved: bool) -> None:
        self.snippet = snippet
        self.text = display_safe(snippet.text)
        """The text exactly as shown (equal to the approved text: a test checks it)."""
        self.term_ids = [s.term_id for s in self.terms.spans(self.text)] if self.terms else []
        self.set_class(saved, "-saved")
        self.update(self._content())

    def _content(self) -> Content:
        snip = self.snippet
        title = safe(snip.title, "bold")
        if self.number is not None:
            title = Content(f"{self.number}. ").stylize("bold") + title
        body = self.terms.marked(self.text) if self.terms else Content(self.text)
        cite = safe_join(("Source: ", "bold"), self.source or snip.citation)
        approval = safe_join(("Approval: ", "bold"), snip.approval_label,
                             f" ({approval_detail(snip)})")
        actions = _button("Saved \u2713" if self.has_class("-saved") else "Save", "save")
        if self.term_ids:
            actions = actions + Content("  ") + _button(
                f"Words explained ({len(self.term_ids)})", "words")
        actions = actions + Content("  Enter: actions").stylize("italic")
        parts: list[tuple[str, Content]] = [("title", title), ("text", body), ("cite", cite),
                                            ("approval", approval), ("actions", actions)]
        out = Content("")
        for index, (name, part) in enumerate(parts):
            if index:
                out = out + Content("\n" if name == "approval" else "\n\n")
            self._spans[name] = (len(out.plain), len(out.plain) + len(part.plain))
            out = out + part
        return out

    def show(self, snippet: Snippet, *, saved: bool = False, source: str | None = None) -> None:
        """Show another passage on this card (updates in place: no remount, no race)."""
        self.source = source
        self._set(snippet, saved)

    def _part(self, name: str) -> str:
        start, end = self._spans[name]
        return self.visual.plain[start:end]  # type: ignore[attr-defined]

    @property
    def shown_text(self) -> str:
        """The plain text of the passage as rendered on the card."""
        return self._part("text")

    @property
    def title_text(self) -> str:
        return self._part("title")

    @property
    def cite_text(self) -> str:
        return self._part("cite")

    @property
    def approval_text(self) -> str:
        return self._part("approval")

    @property
    def actions_text(self) -> str:
        return self._part("actions")

    def mark_saved(self) -> None:
        self.add_class("-saved")
        self.update(self._content())

    # -- actions ------------------------------------------------------------------------------
    def action_save(self) -> None:
        self.post_message(SavePassage(self.snippet.passage_id))

    def action_words(self) -> None:
        if self.term_ids:
            self.post_message(ShowTerms(list(self.term_ids)))
        else:
            self.notify("No glossary words are marked in this passage.", markup=False)

    def action_menu(self) -> None:
        from tui.screens.card_menu import CardMenu

        def chosen(action: str | None) -> None:
            if action == "save":
                self.action_save()
            elif action == "words":
                self.action_words()

        self.app.push_screen(CardMenu(self.snippet.title, len(self.term_ids),
                                      saved=self.has_class("-saved")), chosen)


def save_and_mark(screen: Widget | Screen[object], passage_id: str) -> None:
    """Save a passage to My notes (once) and mark its cards on ``screen`` as saved.

    Shared by every screen that shows cards (the conversation, a passage read again):
    the screen handles ``SavePassage`` with this.
    """
    from tui.context import guide
    from tui.messages import StateChanged

    context = guide(screen)
    corpus = context.corpus
    if corpus is None or not corpus.is_approved(passage_id):
        return
    title = corpus.passages[passage_id].title
    if context.state.save_passage(passage_id):
        screen.post_message(StateChanged())
        screen.notify(f"Saved to My notes: {display_safe(title)}", markup=False)
    else:
        screen.notify(f"Already in My notes: {display_safe(title)}", markup=False)
    for card in screen.query(PassageCard):
        if card.snippet.passage_id == passage_id:
            card.mark_saved()
