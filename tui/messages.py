"""App-wide messages. Workers post these; the app and widgets handle them and render.

Messages that belong to one widget live with it (``PassageCard.SaveRequested``...).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from botcore.answer import Answer
    from botcore.corpus import Corpus
    from botcore.engine import Engine


class CorpusReady(Message):
    """The approved corpus is loaded (fast): the disclaimer, guided topics and the
    glossary can be shown while the model is still loading."""

    def __init__(self, corpus: Corpus) -> None:
        super().__init__()
        self.corpus = corpus


class EngineProgress(Message):
    """Building the search index (first run only)."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total


class EngineReady(Message):
    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self.engine = engine


class EngineFailed(Message):
    """The engine could not load. ``reason`` is one line, safe to show."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class AnswerReady(Message):
    def __init__(self, answer: Answer) -> None:
        super().__init__()
        self.answer = answer


class AskQuestion(Message):
    """Ask the engine this question (from a suggestion, a guided step, the prompt)."""

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question


class SavePassage(Message):
    def __init__(self, passage_id: str) -> None:
        super().__init__()
        self.passage_id = passage_id


class AskAboutTopic(Message):
    """"Ask about this" on a guided step: keep the topic as context for questions."""

    def __init__(self, topic: str) -> None:
        super().__init__()
        self.topic = topic


class ShowTerms(Message):
    """Show the glossary definitions of these terms (the first one selected)."""

    def __init__(self, term_ids: list[str]) -> None:
        super().__init__()
        self.term_ids = term_ids


class StateChanged(Message):
    """The session changed (saved passages, questions, terms): autosave and refresh."""


class ExportDone(Message):
    def __init__(self, paths: list[str]) -> None:
        super().__init__()
        self.paths = paths


class ExportFailed(Message):
    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason
