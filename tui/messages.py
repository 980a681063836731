"""App-wide messages, one small dataclass each. Workers post them; views post them up to
the app instead of calling its methods (the app, or the screen that owns the views,
handles them and renders).

Messages that belong to one widget live with it (``PacketList.Move``,
``PrepScreen.PacketWritten``, ``ReviewScreen.DiffReady``, ``RemovableList.Remove``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from botcore.answer import Answer
    from botcore.corpus import Corpus
    from tui.context import Asker


# -- loading ----------------------------------------------------------------------------------
@dataclass
class CorpusReady(Message):
    """The approved corpus is loaded (fast): the disclaimer, guided topics and the
    glossary can be shown while the model is still loading."""

    corpus: Corpus


@dataclass
class EngineProgress(Message):
    """Building the search index (first run only): ``done`` of ``total`` texts."""

    done: int
    total: int


@dataclass
class EngineReady(Message):
    engine: Asker


@dataclass
class EngineFailed(Message):
    """The engine could not load. ``reason`` is one line, safe to show."""

    reason: str


# -- the conversation -------------------------------------------------------------------------
@dataclass
class AnswerReady(Message):
    answer: Answer
    typed_chars: int = 0
    """How long the question was as typed (to mark a question shown shortened)."""


@dataclass
class AskQuestion(Message):
    """Ask the engine this question (from a suggestion, a guided step, the prompt)."""

    question: str


@dataclass
class SavePassage(Message):
    passage_id: str


@dataclass
class AskAboutTopic(Message):
    """"Ask about this" on a guided step: keep the topic as context for questions."""

    topic: str


@dataclass
class TopicChanged(Message):
    """The user set or cleared the guided-topic context of their questions."""

    topic: str | None


@dataclass
class ShowTerms(Message):
    """Show the glossary definitions of these terms (the first one selected)."""

    term_ids: list[str] = field(default_factory=list)


@dataclass
class StateChanged(Message):
    """The session changed (saved passages, questions, terms): autosave and refresh."""


# -- the session --------------------------------------------------------------------------
@dataclass
class StartSession(Message):
    """Start a new session (with these situation tags) or resume the saved one."""

    situations: set[str]
    resume: bool


@dataclass
class DeleteSessionRequested(Message):
    """The user asked to delete this session (the app asks them to confirm)."""


@dataclass
class HandoutWritten(Message):
    """The handout was written: these files, in the handouts folder."""

    paths: list[Path]


@dataclass
class HandoutFailed(Message):
    """The handout could not be written; ``reason`` is one line, safe to show."""

    reason: str
