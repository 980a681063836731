"""The main screen: Ask, Guided topics, Glossary and My notes, under a line that always
says what this is (S9)."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static, TabbedContent, TabPane

from tui.context import guide
from tui.messages import AskAboutTopic, SavePassage, TopicChanged
from tui.safe import safe_join
from tui.widgets.chat import ChatView
from tui.widgets.glossary import GlossaryView
from tui.widgets.guided import GuidedView
from tui.widgets.header import AppHeader
from tui.widgets.notes import NotesView
from tui.widgets.passage_card import save_and_mark

TABS = ("ask", "guided", "glossary", "notes")

ALWAYS_VISIBLE = "Automated guide, not a clinician. Not monitored."
"""Always on screen (S9), followed by the approved trust line while it applies."""


class MainScreen(Screen[None]):
    CSS_PATH = "main.tcss"
    AUTO_FOCUS = "#prompt"

    BINDINGS = [  # not in the footer: the tabs already show them
        Binding("f2", "tab('ask')", "Ask", show=False),
        Binding("f3", "tab('guided')", "Topics", show=False),
        Binding("f4", "tab('glossary')", "Glossary", show=False),
        Binding("f5", "tab('notes')", "My notes", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield AppHeader()
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
        self.watch(self.app, "corpus_version", self._corpus_changed, init=True)

    def _corpus_changed(self, _version: int) -> None:
        trust = guide(self).trust
        line = trust.line if trust is not None else None
        self.query_one("#always-visible", Static).update(
            safe_join(ALWAYS_VISIBLE, *(("  ", (line, "bold")) if line else ())))

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

    def on_key(self, event: events.Key) -> None:
        """Typing before anything has the focus (the screen just opened) still goes to
        the question box while the Ask tab is shown."""
        if (self.app.focused is None and event.is_printable and event.character
                and self.query_one(TabbedContent).active == "ask"):
            event.stop()
            self.chat.type_into_prompt(event.character)

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
        save_and_mark(self, event.passage_id)
