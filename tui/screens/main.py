"""The main screen: Ask, Guided topics, Glossary and My notes, under a line that always
says what this is (S9)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane

from tui.messages import AskAboutTopic
from tui.widgets.chat import ChatView
from tui.widgets.glossary import GlossaryView
from tui.widgets.guided import GuidedView
from tui.widgets.notes import NotesView

if TYPE_CHECKING:
    from tui.app import ATCGuideApp

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

    @property
    def guide(self) -> ATCGuideApp:
        return cast("ATCGuideApp", self.app)

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

    @on(AskAboutTopic)
    def _ask_about(self, event: AskAboutTopic) -> None:
        event.stop()
        self.guide.set_topic(event.topic)
        self.show_tab("ask")
