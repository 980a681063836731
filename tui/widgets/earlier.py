"""Earlier answers of a long conversation, one line each, still reachable.

The conversation keeps only its last few answers laid out in full: re-laying out every
card of a growing transcript made each new answer slower to appear (issue 13). Older
answers move here, as one line per question in a single list (one widget, however long
the conversation); Enter on one reads it again in full.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from botcore.answer import Answer
from tui.safe import safe_join

MAX_LINE = 90


class EarlierAnswers(OptionList):
    DEFAULT_CSS = """
    EarlierAnswers { height: auto; max-height: 8; margin: 0 0 1 0;
                     border: round $panel-lighten-2; display: none; }
    EarlierAnswers.-shown { display: block; }
    EarlierAnswers:focus { border: thick $accent; }
    """

    @dataclass
    class ReadAgain(Message):
        """Show this earlier answer in full."""

        answer: Answer

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id, markup=False)
        self.answers: list[Answer] = []
        self.border_title = "Earlier in this conversation (Enter reads one again)"

    def add(self, answer: Answer) -> None:
        self.answers.append(answer)
        question = " ".join(answer.question.split())
        if len(question) > MAX_LINE:
            question = question[:MAX_LINE - 1].rstrip() + "\u2026"
        self.add_option(Option(safe_join((f"{len(self.answers)}. ", "bold"), question)))
        self.add_class("-shown")

    def clear(self) -> None:
        self.answers.clear()
        self.clear_options()
        self.remove_class("-shown")

    @on(OptionList.OptionSelected)
    def _read(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.answers):
            self.post_message(self.ReadAgain(self.answers[event.option_index]))
