"""The first screen: what ATC Guide is and is not (the approved disclaimer), and an
optional situation. It paints at once; the disclaimer appears as soon as the corpus is
read (well before the model has loaded)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from tui.context import guide
from tui.messages import StartSession
from tui.safe import safe
from tui.widgets.situation import SituationForm


class WelcomeScreen(Screen[None]):
    CSS_PATH = "welcome.tcss"
    AUTO_FOCUS = "#start"

    def compose(self) -> ComposeResult:
        yield Header(icon="?")
        with VerticalScroll(id="welcome"):
            yield Static(Content("Welcome to ATC Guide"), id="welcome-title", markup=False)
            yield Static(Content("Reading the approved information..."), id="disclaimer",
                         markup=False)
            yield Static(Content("Your situation (optional): passages for it come first. "
                                 "It stays in this session only."),
                         classes="section-title", markup=False)
            yield SituationForm(id="welcome-situation")
            with Horizontal(id="welcome-buttons"):
                yield Button("Start", id="start", variant="primary")
                yield Button("Continue my saved session", id="continue")
        yield Footer()

    def on_mount(self) -> None:
        saved = guide(self).store.exists()
        self.query_one("#continue", Button).display = saved
        if saved:
            self.query_one("#start", Button).label = "Start a new session"
        self.watch(self.app, "corpus_version", self._corpus_changed, init=True)

    def _corpus_changed(self, _version: int) -> None:
        context = guide(self)
        disclaimer = self.query_one("#disclaimer", Static)
        if context.corpus is not None:
            disclaimer.update(safe(context.corpus.message("disclaimer")))
        elif context.engine_status == "failed":
            disclaimer.update(safe(f"The approved information could not be loaded: "
                                   f"{context.engine_error}"))

    @on(Button.Pressed, "#start")
    def _start(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(StartSession(self.query_one(SituationForm).value, resume=False))

    @on(Button.Pressed, "#continue")
    def _continue(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(StartSession(set(), resume=True))
