"""The glossary: every approved term, searchable, with its plain definition."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from botcore.schema import GlossaryTerm
from tui.context import GuideContext, guide
from tui.safe import safe, safe_join
from tui.widgets.prompt import SafePrompt


def definition_content(term: GlossaryTerm) -> Content:
    parts: list[tuple[str, str] | str] = [(term.term, "bold"), "\n\n", term.definition]
    if term.lay_terms:
        parts += ["\n\n", ("Also called: ", "italic"), ", ".join(term.lay_terms)]
    return safe_join(*parts)


class TermDefinition(Static):
    DEFAULT_CSS = """
    TermDefinition { height: auto; padding: 1 2; }
    """

    def show(self, term: GlossaryTerm | None) -> None:
        self.update(definition_content(term) if term
                    else Content("Pick a word to see what it means."))


def matches(term: GlossaryTerm, query: str) -> bool:
    q = " ".join(query.casefold().split())
    if not q:
        return True
    hay = " ".join([term.term, *term.lay_terms]).casefold()
    return q in hay or q in term.definition.casefold()


class GlossaryView(Horizontal):
    DEFAULT_CSS = """
    GlossaryView { height: 1fr; }
    GlossaryView #glossary-side { width: 34; }
    GlossaryView #glossary-list { height: 1fr; }
    GlossaryView #glossary-list:focus { border: thick $accent; }
    GlossaryView #glossary-count { height: 1; color: $text-muted; padding: 0 1; }
    GlossaryView #glossary-detail { width: 1fr; border: round $primary 60%; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.shown: list[GlossaryTerm] = []

    @property
    def guide(self) -> GuideContext:
        return guide(self)

    def compose(self) -> ComposeResult:
        with Vertical(id="glossary-side"):
            yield SafePrompt(placeholder="Search words", id="glossary-search")
            yield Static("", id="glossary-count", markup=False)
            yield OptionList(id="glossary-list", markup=False)
        with VerticalScroll(id="glossary-detail"):
            yield TermDefinition(id="glossary-definition", markup=False)

    def on_mount(self) -> None:
        self.watch(self.app, "corpus_version", lambda _: self.filter(), init=True)

    def all_terms(self) -> list[GlossaryTerm]:
        index = self.guide.term_index
        return sorted(index.terms.values(), key=lambda t: t.term.casefold()) if index else []

    def filter(self, query: str | None = None) -> None:
        if query is None:
            query = self.query_one("#glossary-search", SafePrompt).value
        self.shown = [t for t in self.all_terms() if matches(t, query)]
        options = self.query_one("#glossary-list", OptionList)
        options.clear_options()
        options.add_options([Option(safe(t.term), id=t.id) for t in self.shown])
        count = self.query_one("#glossary-count", Static)
        if self.guide.term_index is None:
            count.update(Content("Loading the glossary..."))
        else:
            n = len(self.shown)
            count.update(Content(f"{n} word{'s' if n != 1 else ''}"))
        if self.shown:
            options.highlighted = 0
        self.query_one(TermDefinition).show(self.shown[0] if self.shown else None)

    def select(self, term_id: str) -> None:
        """Show one term (clears the search if it hides the term)."""
        if term_id not in {t.id for t in self.shown}:
            self.query_one("#glossary-search", SafePrompt).value = ""
            self.filter("")
        ids = [t.id for t in self.shown]
        if term_id in ids:
            self.query_one("#glossary-list", OptionList).highlighted = ids.index(term_id)

    @on(Input.Changed, "#glossary-search")
    def _search(self, event: Input.Changed) -> None:
        event.stop()
        self.filter(event.value)

    @on(Input.Submitted, "#glossary-search")
    def _search_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#glossary-list", OptionList).focus()

    @on(OptionList.OptionHighlighted, "#glossary-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.shown):
            self.query_one(TermDefinition).show(self.shown[event.option_index])

    @on(OptionList.OptionSelected, "#glossary-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.shown):
            term = self.shown[event.option_index]
            self.query_one(TermDefinition).show(term)
            self.guide.note_term(term.id)

    @property
    def definition_text(self) -> str:
        return self.query_one(TermDefinition).visual.plain  # type: ignore[attr-defined]
