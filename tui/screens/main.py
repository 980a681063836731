"""The main screen: Ask, Guided topics, Glossary and My notes, under a line that always
says what this is (S9)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane

from tui.context import guide
from tui.messages import AskAboutTopic, SavePassage, StateChanged, TopicChanged
from tui.safe import safe
from tui.widgets.chat import ChatView
from tui.widgets.glossary import GlossaryView
from tui.widgets.guided import GuidedView
from tui.widgets.notes import NotesView
from tui.widgets.passage_card import PassageCard

TABS = ("ask", "guided", "glossary", "notes")

ALWAYS_VISIBLE = "Automated guide: approved general information, not a clinician. Not monitored."


class MainScreen(Screen[None]):
    CSS_PATH = "main.tcss"

    BINDINGS = [
        Binding("f2", "tab('ask')", "Ask"),
        Binding("f3", "tab('guided')", "Topics"),
        Binding("f4", "tab('glossary')", "Glossary"),
        Binding("f5", "tab('notes')", "My notes"),
    ]

    def compose(self) -> ComposeResult:
        yield Header(icon="?")
        yield Static(Content(ALWAYS_VISIBLE), id="always-visible", markup=False)
        with TabbedContent(initial="ask", id="tabs"):
            with TabPane("Ask", id="ask"):
                yield ChatView(id="chat")
            with TabPane("Guided topics", id="guided"):
                yield GuidedView(id="guided-view")
            with TabPane("Glossary", id="glossary"):
                yield GlossaryView(id="glossary-view")
            with TabPane("My notes", id="notes"):
                yield NotesView(id="notes-view")
        yield Footer()

    def on_mount(self) -> None:
        self.call_after_refresh(self.query_one(ChatView).focus_prompt)

    @property
    def chat(self) -> ChatView:
        return self.query_one(ChatView)

    def action_tab(self, tab: str) -> None:
        self.show_tab(tab)

    def show_tab(self, tab: str) -> None:
        """Show a tab and put the focus in it (focus left in a hidden tab would switch
        back to that tab)."""
        if tab not in TABS:
            return
        self.query_one(TabbedContent).active = tab
        if tab == "ask":
            self.chat.focus_prompt()
        elif tab == "guided":
            self.query_one("#journeys").focus()
        elif tab == "glossary":
            self.query_one("#glossary-search").focus()
        elif tab == "notes":
            self.query_one(NotesView).refresh_lists()
            self.query_one("#saved-list").focus()

    def go(self, tab: str, topic: str | None = None) -> None:
        """Show a tab; with ``topic``, open that guided topic (the command palette)."""
        self.show_tab(tab)
        if topic is not None:
            self.call_later(self.query_one(GuidedView).open, topic)

    def export_handout(self) -> None:
        self.query_one(NotesView).export()

    @on(AskAboutTopic)
    def _ask_about(self, event: AskAboutTopic) -> None:
        event.stop()
        self.post_message(TopicChanged(event.topic))
        self.show_tab("ask")

    @on(SavePassage)
    def _save_passage(self, event: SavePassage) -> None:
        event.stop()
        context = guide(self)
        corpus = context.corpus
        if corpus is None or not corpus.is_approved(event.passage_id):
            return
        title = corpus.passages[event.passage_id].title
        if context.state.save_passage(event.passage_id):
            self.post_message(StateChanged())
            self.notify(f"Saved to My notes: {safe(title)}", markup=False)
        else:
            self.notify(f"Already in My notes: {safe(title)}", markup=False)
        for card in self.query(PassageCard):
            if card.snippet.passage_id == event.passage_id:
                card.mark_saved()
