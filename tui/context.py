"""What a view of the patient app needs from the app that hosts it.

Views (the conversation, guided topics, glossary, notes) are typed on
:class:`GuideContext`, not on the concrete app: a test mounts one view on a small host
app with a fake engine, and the app is free to change. Views read the context and post
messages up (``tui.messages``); they never call the app's methods to change it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from botcore.answer import Answer, Session
    from botcore.corpus import Corpus
    from tui.session_store import GuideState, SessionStore
    from tui.terms import TermIndex


class Asker(Protocol):
    """The part of ``botcore.engine.Engine`` the app uses: its corpus, and ``ask``."""

    @property
    def corpus(self) -> Corpus: ...

    def ask(self, question: str, session: Session | None = None) -> Answer: ...


class GuideContext(Protocol):
    """Read-only state a view shows, plus the few look-ups it needs.

    ``engine_status``, ``corpus_version``, ``load_note`` and ``topic`` are reactive on
    the host app: views ``watch`` them.
    """

    state: GuideState
    """This session: saved passages, questions, looked-up words, the engine's turns."""
    store: SessionStore
    """Where the session and its handouts live (the notes view shows the folder)."""
    corpus: Corpus | None
    """The approved corpus, once read (``None`` while loading or when it failed)."""
    term_index: TermIndex | None
    engine: Asker | None
    """Answers questions; ``None`` until loaded."""
    engine_status: str
    """loading | ready | failed."""
    engine_error: str
    load_note: str
    corpus_version: int
    topic: str | None

    def safety_message(self, message_id: str | None, tier: str) -> str:
        """The approved message of an escalation, by its message id when known."""
        ...

    def note_term(self, term_id: str) -> None:
        """Remember that the user read this word (for the handout's word list)."""
        ...


def guide(node: DOMNode) -> GuideContext:
    """The context of the app ``node`` runs in."""
    return cast("GuideContext", node.app)
