"""One turn of the conversation: the question, any safety message (always first, headed
in words), the refusal or redirect with its safety reminder, the passage cards, and
related questions to pick with the keyboard."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from botcore.answer import Answer
from tui.labels import REASON_HEADINGS, SAFETY_NOTE_HEADINGS, TIER_HEADINGS, short_source
from tui.messages import AskQuestion
from tui.safe import safe, safe_join
from tui.terms import TermIndex
from tui.widgets.passage_card import PassageCard

if TYPE_CHECKING:
    from botcore.corpus import Corpus


class MessagePanel(Static):
    """An approved system message under a heading in words (never colour alone), and,
    for a message that declines, the approved one-line safety reminder after it. One
    widget: a conversation mounts many of them."""

    DEFAULT_CSS = """
    MessagePanel {
        height: auto;
        margin: 0 0 1 0;
        padding: 0 1;
        border: round $secondary;
    }
    MessagePanel.-emergency, MessagePanel.-crisis {
        border: heavy $error;
        background: $error 15%;
    }
    MessagePanel.-urgent { border: heavy $warning; background: $warning 10%; }
    """

    def __init__(self, heading: str, message: str, kind: str,
                 reminder: str | None = None) -> None:
        super().__init__(classes=f"-{kind}", markup=False)
        self.heading = heading
        self.message = message
        self.reminder = reminder
        loud = kind in ("emergency", "crisis", "urgent")
        head = safe(f" {heading} " if loud else heading, "bold reverse" if loud else "bold")
        content = head + Content("\n") + safe(self.message)
        if reminder:
            content = content + Content("\n\n") + safe(reminder, "bold")
        self.update(content)

    @property
    def heading_text(self) -> str:
        return self.heading

    @property
    def message_text(self) -> str:
        """The message exactly as drawn (its slice of the rendered text)."""
        plain = self.visual.plain  # type: ignore[attr-defined]
        start = plain.index("\n") + 1
        return plain[start:start + len(safe(self.message).plain)]

    @property
    def reminder_text(self) -> str | None:
        if not self.reminder:
            return None
        plain = self.visual.plain  # type: ignore[attr-defined]
        return plain[len(plain) - len(safe(self.reminder).plain):]


class SuggestionList(OptionList):
    """Related questions (or topics to try): Enter asks the highlighted one."""

    DEFAULT_CSS = """
    SuggestionList { height: auto; max-height: 6; margin: 0 0 1 0; border: round $panel-lighten-2; }
    SuggestionList:focus { border: thick $accent; }
    """

    def __init__(self, suggestions: list[str], title: str = "") -> None:
        super().__init__(*[Option(safe(s)) for s in suggestions], markup=False)
        self.suggestions = list(suggestions)
        self.border_title = title

    @on(OptionList.OptionSelected)
    def _ask(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(AskQuestion(self.suggestions[event.option_index]))


def safety_note_panel(answer: Answer) -> MessagePanel | None:
    """The approved crisis or emergency resources shown first, above an answer that a
    weaker safety signal does not block."""
    if not (answer.safety_note and answer.safety_message):
        return None
    heading = SAFETY_NOTE_HEADINGS.get(answer.safety_note, SAFETY_NOTE_HEADINGS["emergency"])
    return MessagePanel(heading, answer.safety_message, answer.safety_note)


def panel_for(answer: Answer) -> MessagePanel | None:
    if not answer.message:
        return None
    if answer.status == "escalated":
        tier = answer.tier or "emergency"
        heading = TIER_HEADINGS.get(tier, TIER_HEADINGS["emergency"])
        return MessagePanel(heading, answer.message, tier)
    heading = REASON_HEADINGS.get(answer.reason, "Note")
    kind = "redirect" if answer.reason == "redirect" else "refusal"
    return MessagePanel(heading, answer.message, kind, reminder=answer.reminder)


class AnswerBlock(Vertical):
    DEFAULT_CSS = """
    AnswerBlock { height: auto; margin: 0 0 1 0; }
    AnswerBlock .asked { margin: 0 0 1 0; color: $text; }
    """

    def __init__(self, answer: Answer, terms: TermIndex | None, saved: set[str], *,
                 corpus: Corpus | None = None, shortened: bool = False) -> None:
        super().__init__()
        self.answer = answer
        self.terms = terms
        self.saved = saved
        self.corpus = corpus
        self.shortened = shortened
        """The question was longer than what the engine kept: "…" marks the cut."""

    def compose(self) -> ComposeResult:
        answer = self.answer
        asked = answer.question + ("\u2026" if self.shortened else "")
        yield Static(safe_join(("You asked: ", "bold"), asked), classes="asked", markup=False)
        note = safety_note_panel(answer)
        if note is not None:
            yield note
        panel = panel_for(answer)
        if panel is not None:
            yield panel
        for number, snip in enumerate(answer.snippets, start=1):
            source = short_source(self.corpus, snip.passage_id) if self.corpus else None
            yield PassageCard(snip, self.terms, saved=snip.passage_id in self.saved,
                              number=number if len(answer.snippets) > 1 else None,
                              source=source)
        if answer.suggestions:
            label = ("Related questions (Enter asks one)" if answer.status == "answered"
                     else "Topics you could try (Enter asks one)")
            yield SuggestionList(answer.suggestions, label)

    def first_focus(self) -> PassageCard | SuggestionList | None:
        cards = list(self.query(PassageCard))
        if cards:
            return cards[0]
        lists = list(self.query(SuggestionList))
        return lists[0] if lists else None
