"""The ATC Guide app: ``build_app(settings, engine)`` builds it, ``run_app(settings)`` runs it.

The first screen paints at once. A thread worker reads the corpus (posting
``CorpusReady``: the disclaimer, guided topics and glossary can show) and then loads the
engine (the model and the index: under a second with the exported model; the first run
exports it and builds the index), posting ``EngineReady`` or
``EngineFailed``. Nothing heavy is imported by this module: ``botcore.engine`` is
imported inside the worker only.

The app implements :class:`tui.context.GuideContext`: the views read it and post
messages up (``tui.messages``); the app owns the session's life (start, save, delete),
the engine, and the screens every view can open (help, definitions, situation).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from botcore.config import Settings
from botcore.errors import CorpusError
from tui.messages import (
    CorpusReady,
    DeleteSessionRequested,
    EngineFailed,
    EngineProgress,
    EngineReady,
    ShowTerms,
    StartSession,
    StateChanged,
    TopicChanged,
)
from tui.palette import app_commands, keep_textual_command
from tui.safe import safe
from tui.session_store import GuideState, SessionStore
from tui.terms import TermIndex
from tui.themes import CALM, HIGH_CONTRAST, THEMES

if TYPE_CHECKING:
    from botcore.corpus import Corpus
    from tui.context import Asker
    from tui.screens.main import MainScreen

EXIT_OK, EXIT_FAILED = 0, 1


class ATCGuideApp(App[int]):
    """Clinician-approved education about anaplastic thyroid cancer, in the terminal."""

    CSS_PATH = "app.tcss"
    TITLE = "ATC Guide"
    SUB_TITLE = "anaplastic thyroid cancer, explained"

    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("question_mark", "help", "Help", show=False),
        Binding("ctrl+t", "toggle_contrast", "Contrast"),
        Binding("f6", "prepare", "Prepare packet", show=False),
        Binding("f7", "review", "Review content", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    engine_status: reactive[str] = reactive("loading")
    """loading | ready | failed. Widgets watch it (the prompt is enabled when ready)."""
    corpus_version: reactive[int] = reactive(0)
    """Bumped when the corpus arrives (or fails to): widgets that show corpus text watch it."""
    load_note: reactive[str] = reactive("")
    """What the loader is doing, for the status line."""
    topic: reactive[str | None] = reactive(None)
    """The guided-topic context of the user's questions ("ask about this")."""
    awaiting_review: reactive[int] = reactive(0)
    """Items (passages, prompts, messages...) waiting for a clinician's decision."""

    def __init__(self, settings: Settings, engine: Asker | None = None, *,
                 high_contrast: bool = False, cursor_blink: bool = True) -> None:
        super().__init__()
        self.settings = settings
        self.engine: Asker | None = engine
        self.corpus: Corpus | None = None
        self.term_index: TermIndex | None = None
        self.engine_error = ""
        self.high_contrast = high_contrast
        self.cursor_blink = cursor_blink
        self.store = SessionStore(settings.data_dir)
        self.state = GuideState()
        self._save_warned = False

    # -- start-up -----------------------------------------------------------------------------
    def on_mount(self) -> None:
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = HIGH_CONTRAST.name if self.high_contrast else CALM.name
        from tui.screens.welcome import WelcomeScreen

        self.push_screen(WelcomeScreen())
        if self.engine is not None:
            self._use_engine(self.engine)
        else:
            self._load()

    @work(thread=True, exclusive=True, group="engine", exit_on_error=False)
    def _load(self) -> None:
        """Read the corpus, then load the engine. Posts messages only."""
        from botcore.corpus import Corpus

        try:
            corpus = Corpus(self.settings.corpus_dir)
            corpus.require_safety_approved()
        except CorpusError as exc:
            self.post_message(EngineFailed(str(exc)))
            return
        except Exception as exc:  # noqa: BLE001 - shown as one line, never a traceback
            self.post_message(EngineFailed(f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(CorpusReady(corpus))
        try:
            from botcore.engine import Engine  # heavy: the model

            def progress(done: int, total: int) -> None:
                self.post_message(EngineProgress(done, total))

            engine = Engine.load(self.settings, corpus=corpus, progress=progress)
        except CorpusError as exc:
            self.post_message(EngineFailed(str(exc)))
        except Exception as exc:  # noqa: BLE001
            self.post_message(EngineFailed(f"{type(exc).__name__}: {exc}"))
        else:
            self.post_message(EngineReady(engine))

    @on(CorpusReady)
    def _corpus_ready(self, event: CorpusReady) -> None:
        if self.engine is None:
            self._set_corpus(event.corpus)

    @on(EngineProgress)
    def _progress(self, event: EngineProgress) -> None:
        self.load_note = (f"Preparing the search index (first run only): "
                          f"{event.done} of {event.total}")

    @on(EngineReady)
    def _engine_ready(self, event: EngineReady) -> None:
        self._use_engine(event.engine)

    @on(EngineFailed)
    def _engine_failed(self, event: EngineFailed) -> None:
        self.engine_error = event.reason
        self.engine_status = "failed"
        self.corpus_version += 1
        self.notify(f"ATC Guide cannot answer questions: {safe(event.reason)}",
                    severity="error", timeout=30, markup=False)

    def _use_engine(self, engine: Asker) -> None:
        self.engine = engine
        self._set_corpus(engine.corpus)
        self.engine_status = "ready"

    def _set_corpus(self, corpus: Corpus) -> None:
        from botcore.review import awaiting_review

        self.corpus = corpus
        self.term_index = TermIndex(corpus.approved_glossary())
        self.awaiting_review = awaiting_review(corpus)
        self.corpus_version += 1

    def watch_awaiting_review(self, count: int) -> None:
        plural = "s" if count != 1 else ""
        note = f" \u00b7 {count} item{plural} await clinical review (F7)" if count else ""
        self.sub_title = type(self).SUB_TITLE + note

    # -- care team: packet and review ---------------------------------------------------------
    def action_prepare(self) -> None:
        if self.corpus is None:
            self.notify("The approved information is still loading.", markup=False)
            return
        from tui.screens.prep import PrepScreen

        self.push_screen(PrepScreen(self.corpus, self.settings.data_dir / "packets",
                                    self.term_index))

    def action_review(self) -> None:
        from tui.screens.review import ReviewScreen

        def done(changed: bool | None) -> None:
            if changed:  # decisions change what may be served: reload the approved library
                self.notify("Decisions recorded. Reloading the approved library...",
                            markup=False)
                self.engine = None
                self.engine_status = "loading"
                self._load()

        self.push_screen(ReviewScreen(self.settings.corpus_dir, self.settings.sources_dir),
                         done)

    # -- what views look up -------------------------------------------------------------------
    def safety_message(self, message_id: str | None, tier: str) -> str:
        """The approved message repeated for an escalation whose text we no longer hold."""
        if self.corpus is None:
            return ""
        return self.corpus.message("crisis" if tier == "crisis" else "emergency-general")

    def note_term(self, term_id: str) -> None:
        if term_id not in self.state.looked_up:
            self.state.note_term(term_id)
            self.autosave()

    def main_screen(self) -> MainScreen | None:
        from tui.screens.main import MainScreen

        return next((s for s in reversed(self.screen_stack) if isinstance(s, MainScreen)), None)

    # -- the session --------------------------------------------------------------------------
    @on(StartSession)
    def _start(self, event: StartSession) -> None:
        event.stop()
        self.start_session(event.situations, resume=event.resume)

    def start_session(self, situations: set[str], *, resume: bool) -> None:
        if resume:
            self._begin(self.store.load() or GuideState())
            return
        old = self.store.load() if self.store.exists() else None
        fresh = GuideState()
        fresh.session.situations = set(situations)  # type: ignore[arg-type]
        if old is None or old.is_empty:
            if self.store.exists():
                self.store.delete(old)
            self._begin(fresh)
            return
        from tui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.store.delete(old)
                self._begin(fresh)

        self.push_screen(ConfirmScreen(
            "Start a new session?",
            f"Your saved session ({len(old.saved)} saved passages, {len(old.my_questions)} "
            "questions) and its handouts will be deleted from this computer.",
            yes="Start new", no="Go back"), answered)

    def _begin(self, state: GuideState) -> None:
        from tui.screens.main import MainScreen

        self.state = state
        self.topic = state.session.topic
        self.autosave()
        self.switch_screen(MainScreen())

    def autosave(self) -> None:
        try:
            self.store.save(self.state)
        except OSError as exc:
            if not self._save_warned:
                self._save_warned = True
                self.notify(f"Your session could not be saved ({type(exc).__name__}).",
                            severity="warning", markup=False)

    @on(StateChanged)
    def _state_changed(self, event: StateChanged) -> None:
        event.stop()
        self.autosave()

    @on(TopicChanged)
    def _topic_changed(self, event: TopicChanged) -> None:
        event.stop()
        self.set_topic(event.topic)

    def set_topic(self, topic: str | None) -> None:
        self.state.session.topic = topic  # type: ignore[assignment]
        self.topic = topic
        self.autosave()

    @on(DeleteSessionRequested)
    def _delete_requested(self, event: DeleteSessionRequested) -> None:
        event.stop()
        self.action_delete_session()

    def action_delete_session(self) -> None:
        from tui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.delete_session()

        self.push_screen(ConfirmScreen(
            "Delete this session?",
            "This removes from this computer: your saved passages, your questions, the "
            "words you looked up, the handouts you exported, and the record of this "
            "session. It cannot be undone.", yes="Delete", no="Keep"), answered)

    def delete_session(self) -> None:
        from tui.screens.welcome import WelcomeScreen

        removed = self.store.delete(self.state)
        self.state = GuideState()
        self.topic = None
        self.switch_screen(WelcomeScreen())
        self.notify(f"This session was deleted ({len(removed)} files removed).", markup=False)

    def action_export(self) -> None:
        main = self.main_screen()
        if main is not None:
            main.export_handout()

    # -- words --------------------------------------------------------------------------------
    @on(ShowTerms)
    def _show_terms(self, event: ShowTerms) -> None:
        event.stop()
        self.show_definitions(event.term_ids)

    def action_define(self, term_id: str) -> None:
        """A click on an underlined word in a passage."""
        self.show_definitions([term_id])

    def show_definitions(self, term_ids: Iterable[str]) -> None:
        index = self.term_index
        if index is None:
            return
        terms = [index.terms[t] for t in term_ids if t in index.terms]
        if terms:
            from tui.screens.definition import DefinitionScreen

            self.push_screen(DefinitionScreen(terms, on_view=self.note_term))

    # -- help, contrast, situation, palette ---------------------------------------------------
    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_contrast(self) -> None:
        self.high_contrast = self.theme != HIGH_CONTRAST.name
        self.theme = HIGH_CONTRAST.name if self.high_contrast else CALM.name
        self.notify("High contrast on" if self.high_contrast else "High contrast off",
                    markup=False, timeout=2)

    def action_change_situation(self) -> None:
        from tui.screens.situation import SituationScreen

        def chosen(situations: set[str] | None) -> None:
            if situations is not None:
                self.state.session.situations = set(situations)  # type: ignore[arg-type]
                self.autosave()
                self.notify("Your situation was updated.", markup=False)

        self.push_screen(SituationScreen(set(self.state.session.situations)), chosen)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from app_commands(self)
        yield from filter(keep_textual_command, super().get_system_commands(screen))


def build_app(settings: Settings, engine: Asker | None = None, *,
              high_contrast: bool | None = None, cursor_blink: bool = True) -> ATCGuideApp:
    """The app factory. Pass ``engine`` to skip loading (tests inject a loaded one);
    ``high_contrast=None`` turns it on when ``NO_COLOR`` is set."""
    if high_contrast is None:
        high_contrast = "NO_COLOR" in os.environ
    return ATCGuideApp(settings, engine, high_contrast=high_contrast, cursor_blink=cursor_blink)


def run_app(settings: Settings) -> int:
    """Run the app in this terminal; returns the exit code.

    ``NO_COLOR`` (any value) is respected: Textual renders in monochrome and the app
    starts in its high-contrast theme, where everything is still told apart by words,
    bold, reverse video and border shapes.
    """
    from botcore.config import force_offline

    force_offline()
    app = build_app(settings)
    result = app.run()
    if isinstance(result, int):
        return result
    return EXIT_FAILED if app.return_code else EXIT_OK
