"""One turn of the conversation: the question, any safety or refusal message (always
first), the passage cards, and related questions to pick with the keyboard."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from botcore.answer import Answer
from tui.labels import REASON_HEADINGS, TIER_HEADINGS
from tui.messages import AskQuestion
from tui.safe import safe, safe_join
from tui.terms import TermIndex
from tui.widgets.passage_card import PassageCard


class MessagePanel(Vertical):
    """An approved system message under a heading in words (never colour alone)."""

    DEFAULT_CSS = """
    MessagePanel {
        height: auto;
        margin: 0 0 1 0;
        padding: 0 1;
        border: round $secondary;
    }
    MessagePanel .panel-heading { text-style: bold; }
    MessagePanel.-emergency, MessagePanel.-crisis {
        border: heavy $error;
        background: $error 15%;
    }
    MessagePanel.-emergency .panel-heading, MessagePanel.-crisis .panel-heading {
        text-style: bold reverse;
        color: $error;
        padding: 0 1;
    }
    MessagePanel.-urgent { border: heavy $warning; background: $warning 10%; }
    MessagePanel.-urgent .panel-heading { text-style: bold reverse; color: $warning; padding: 0 1; }
    """

    def __init__(self, heading: str, message: str, kind: str) -> None:
        super().__init__(classes=f"-{kind}")
        self.heading = heading
        self.message = message

    def compose(self) -> ComposeResult:
        yield Static(safe(self.heading), classes="panel-heading", markup=False)
        yield Static(safe(self.message), classes="panel-message", markup=False)


class SuggestionList(OptionList):
    """Related questions (or topics to try): Enter asks the highlighted one."""

    DEFAULT_CSS = """
    SuggestionList { height: auto; max-height: 6; margin: 0 0 1 0; border: round $panel-lighten-2; }
    SuggestionList:focus { border: thick $accent; }
    """

    def __init__(self, suggestions: list[str]) -> None:
        super().__init__(*[Option(safe(s)) for s in suggestions], markup=False)
        self.suggestions = list(suggestions)

    @on(OptionList.OptionSelected)
    def _ask(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(AskQuestion(self.suggestions[event.option_index]))


def panel_for(answer: Answer) -> MessagePanel | None:
    if not answer.message:
        return None
    if answer.status == "escalated":
        tier = answer.tier or "emergency"
        heading = TIER_HEADINGS.get(tier, TIER_HEADINGS["emergency"])
        return MessagePanel(heading, answer.message, tier)
    heading = REASON_HEADINGS.get(answer.reason, "Note")
    kind = "redirect" if answer.reason == "redirect" else "refusal"
    return MessagePanel(heading, answer.message, kind)


class AnswerBlock(Vertical):
    DEFAULT_CSS = """
    AnswerBlock { height: auto; margin: 0 0 1 0; }
    AnswerBlock .asked { margin: 0 0 1 0; color: $text; }
    AnswerBlock .suggest-label { text-style: bold; }
    """

    def __init__(self, answer: Answer, terms: TermIndex | None, saved: set[str]) -> None:
        super().__init__()
        self.answer = answer
        self.terms = terms
        self.saved = saved

    def compose(self) -> ComposeResult:
        answer = self.answer
        yield Static(safe_join(("You asked: ", "bold"), answer.question), classes="asked",
                     markup=False)
        panel = panel_for(answer)
        if panel is not None:
            yield panel
        for number, snip in enumerate(answer.snippets, start=1):
            yield PassageCard(snip, self.terms, saved=snip.passage_id in self.saved,
                              number=number if len(answer.snippets) > 1 else None)
        if answer.suggestions:
            label = ("Related questions (Enter to ask):" if answer.status == "answered"
                     else "Topics you could try (Enter to ask):")
            yield Static(Content(label), classes="suggest-label", markup=False)
            yield SuggestionList(answer.suggestions)

    def first_focus(self) -> PassageCard | SuggestionList | None:
        cards = list(self.query(PassageCard))
        if cards:
            return cards[0]
        lists = list(self.query(SuggestionList))
        return lists[0] if lists else None
