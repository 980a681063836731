"""A small host app for testing one view of the patient app, and a fake engine.

``Host`` implements ``tui.context.GuideContext`` (what a view needs: state, corpus,
terms, engine, a few look-ups) and mounts the one widget a test gives it. ``FakeEngine``
answers from a script (question -> answer) over the real bundled corpus, with no model:
Pilot tests of the conversation run in well under a second each.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from textual.app import App, ComposeResult
from textual.reactive import reactive
from textual.widget import Widget

from botcore.answer import Answer, Session, Turn
from botcore.config import bundled_corpus_dir
from botcore.corpus import Corpus
from tui.messages import StateChanged, TopicChanged
from tui.session_store import GuideState, SessionStore
from tui.terms import TermIndex


@cache
def bundled_corpus() -> Corpus:
    return Corpus(bundled_corpus_dir())


class FakeEngine:
    """Answers scripted questions; anything else gets the weak-evidence refusal.

    ``script`` maps a question to passage ids (answered), or to ``("escalated", tier,
    message_id)``, or to a ready ``Answer``. Like the engine, it records a turn in the
    session it is given.
    """

    def __init__(self, script: dict[str, object] | None = None,
                 corpus: Corpus | None = None) -> None:
        self.corpus = corpus or bundled_corpus()
        self.script = dict(script or {})
        self.asked: list[str] = []

    def answer(self, question: str) -> Answer:
        found = self.script.get(question)
        if isinstance(found, Answer):
            return found
        if isinstance(found, tuple) and found and found[0] == "escalated":
            _, tier, message_id = found
            return Answer(question=question, status="escalated", tier=tier, reason="escalated",
                          message=self.corpus.message(message_id), message_id=message_id)
        if isinstance(found, list | tuple) and found:
            snippets = [self.corpus.snippet(pid, 0.8) for pid in found]
            return Answer(question=question, status="answered", snippets=snippets,
                          suggestions=["What is hospice?"])
        return Answer(question=question, status="abstained", reason="weak-evidence",
                      message=self.corpus.message("weak-evidence"), message_id="weak-evidence",
                      suggestions=["What is anaplastic thyroid cancer?"])

    def ask(self, question: str, session: Session | None = None) -> Answer:
        self.asked.append(question)
        answer = self.answer(question)
        if session is not None:
            session.turns.append(Turn(question=answer.question, status=answer.status,
                                      tier=answer.tier))
        return answer


class Host(App[None]):
    """Hosts one view. Implements ``GuideContext``."""

    engine_status: reactive[str] = reactive("ready")
    corpus_version: reactive[int] = reactive(0)
    load_note: reactive[str] = reactive("")
    topic: reactive[str | None] = reactive(None)

    def __init__(self, make_view: Callable[[], Widget], data_dir: Path,
                 engine: FakeEngine | None = None, *, status: str = "ready") -> None:
        super().__init__()
        self.make_view = make_view
        self.engine = engine if engine is not None else FakeEngine()
        self.corpus: Corpus | None = self.engine.corpus
        self.term_index: TermIndex | None = TermIndex(self.corpus.approved_glossary())
        self.store = SessionStore(data_dir)
        self.state = GuideState()
        self.engine_error = ""
        self.cursor_blink = False
        self.saves = 0
        self.set_reactive(Host.engine_status, status)

    def compose(self) -> ComposeResult:
        yield self.make_view()

    def safety_message(self, message_id: str | None, tier: str) -> str:
        assert self.corpus is not None
        return self.corpus.message(message_id or ("crisis" if tier == "crisis"
                                                  else "emergency-general"))

    def note_term(self, term_id: str) -> None:
        self.state.note_term(term_id)

    def on_state_changed(self, event: StateChanged) -> None:
        self.saves += 1

    def on_topic_changed(self, event: TopicChanged) -> None:
        self.topic = event.topic
