"""Guided topics: the four journeys, each a step-by-step path through its approved
passages ("Step 2 of 7"), with back / next and "ask about this"."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from botcore.schema import Passage
from tui.context import GuideContext, guide
from tui.labels import TOPIC_NAMES
from tui.messages import AskAboutTopic
from tui.widgets.passage_card import PassageCard


class GuidedView(Horizontal):
    DEFAULT_CSS = """
    GuidedView { height: 1fr; }
    GuidedView #journeys { width: 30; height: auto; max-height: 100%; margin: 0 1 0 0; }
    GuidedView #journeys:focus { border: thick $accent; }
    GuidedView #step-pane { width: 1fr; }
    GuidedView #step-heading { height: auto; text-style: bold; padding: 0 1; }
    GuidedView #step-body { height: 1fr; }
    GuidedView #step-buttons { height: 3; }
    GuidedView #step-buttons Button { margin: 0 1 0 0; min-width: 10; }
    """

    BINDINGS = [
        Binding("n", "next", "Next step"),
        Binding("b", "back", "Back"),
        Binding("a", "ask_about", "Ask about this"),
        Binding("right", "next", "Next step", show=False),
        Binding("left", "back", "Back", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.topic = "understanding"
        self.index = 0

    @property
    def guide(self) -> GuideContext:
        return guide(self)

    def compose(self) -> ComposeResult:
        yield OptionList(*[Option(Content(name), id=topic) for topic, name in TOPIC_NAMES.items()],
                         id="journeys", markup=False)
        with Vertical(id="step-pane"):
            yield Static("", id="step-heading", markup=False)
            yield VerticalScroll(id="step-body")
            with Horizontal(id="step-buttons"):
                yield Button("< Back", id="step-back")
                yield Button("Next >", id="step-next")
                yield Button("Ask about this", id="step-ask")

    def on_mount(self) -> None:
        self.watch(self.app, "corpus_version", self._refresh_topics, init=True)

    def path(self, topic: str | None = None) -> list[Passage]:
        corpus = self.guide.corpus
        return corpus.guided_path(topic or self.topic) if corpus is not None else []

    def _refresh_topics(self, _version: int = 0) -> None:
        journeys = self.query_one("#journeys", OptionList)
        if self.guide.corpus is None:
            self.query_one("#step-heading", Static).update(Content("Loading the guided topics..."))
            return
        with journeys.prevent(OptionList.OptionHighlighted):
            journeys.clear_options()
            journeys.add_options([
                Option(Content(f"{name} ({len(self.path(topic))} steps)"), id=topic)
                for topic, name in TOPIC_NAMES.items()
            ])
        self._highlight_topic()
        self.show_step()

    @on(OptionList.OptionHighlighted, "#journeys")
    def _journey(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option_index != event.option_list.highlighted:
            return  # stale: the highlight has moved on since this was posted
        topic = event.option.id or "understanding"
        if topic != self.topic:
            self.topic, self.index = topic, 0
            self.show_step()

    @on(OptionList.OptionSelected, "#journeys")
    def _journey_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.open(event.option.id or "understanding")
        self.query_one("#step-next", Button).focus()

    def open(self, topic: str, index: int = 0) -> None:
        """Show ``topic`` at step ``index`` (from code: the palette, a test)."""
        self.topic = topic
        self.index = index
        self._highlight_topic()
        self.show_step()

    def _highlight_topic(self) -> None:
        # Moving the highlight from code must not come back as a "user highlighted"
        # event: two such events in flight would bounce between two topics for ever.
        journeys = self.query_one("#journeys", OptionList)
        wanted = list(TOPIC_NAMES).index(self.topic)
        if journeys.option_count and journeys.highlighted != wanted:
            with journeys.prevent(OptionList.OptionHighlighted):
                journeys.highlighted = wanted

    def show_step(self) -> None:
        steps = self.path()
        heading = self.query_one("#step-heading", Static)
        body = self.query_one("#step-body", VerticalScroll)
        card = self.card
        if not steps:
            heading.update(Content(f"{TOPIC_NAMES[self.topic]}: no approved steps yet"))
            if card is not None:
                card.display = False
            return
        self.index = max(0, min(self.index, len(steps) - 1))
        heading.update(Content(f"{TOPIC_NAMES[self.topic]}  \u00b7  Step {self.index + 1} of "
                               f"{len(steps)}"))
        passage = steps[self.index]
        snippet = self.guide.corpus.snippet(passage.id, 1.0)  # type: ignore[union-attr]
        saved = passage.id in self.guide.state.saved
        if card is None:
            body.mount(PassageCard(snippet, self.guide.term_index, saved=saved))
        else:
            card.display = True
            card.terms = self.guide.term_index
            card.show(snippet, saved=saved)
        body.scroll_home(animate=False)
        self.query_one("#step-back", Button).disabled = self.index == 0
        self.query_one("#step-next", Button).disabled = self.index >= len(steps) - 1

    @property
    def card(self) -> PassageCard | None:
        cards = list(self.query(PassageCard))
        return cards[0] if cards else None

    @property
    def step_label(self) -> str:
        return str(self.query_one("#step-heading", Static).visual)

    # -- actions ------------------------------------------------------------------------------
    def action_next(self) -> None:
        if self.index < len(self.path()) - 1:
            self.index += 1
            self.show_step()

    def action_back(self) -> None:
        if self.index > 0:
            self.index -= 1
            self.show_step()

    def action_ask_about(self) -> None:
        self.post_message(AskAboutTopic(self.topic))

    @on(Button.Pressed, "#step-next")
    def _next(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_next()

    @on(Button.Pressed, "#step-back")
    def _back(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_back()

    @on(Button.Pressed, "#step-ask")
    def _ask(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_ask_about()
