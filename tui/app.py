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
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual import events, on, work
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
    from botcore.trust import Trust
    from tui.context import Asker
    from tui.screens.main import MainScreen

EXIT_OK, EXIT_FAILED = 0, 1
MIN_SIZE = (80, 24)
"""The smallest window everything is laid out for."""


class ATCGuideApp(App[int]):
    """Clinician-approved education about anaplastic thyroid cancer, in the terminal."""

    CSS_PATH = "app.tcss"
    TITLE = "ATC Guide"
    SUB_TITLE = "anaplastic thyroid cancer, explained"

    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("f8", "toggle_contrast", "Contrast"),
        Binding("ctrl+t", "toggle_contrast", "Contrast", show=False),  # terminals only
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    engine_status: reactive[str] = reactive("loading")
    """loading | ready | failed. Widgets watch it (the prompt is enabled when ready)."""
    corpus_version: reactive[int] = reactive(0)
    """Bumped when the corpus arrives (or fails to): widgets that show corpus text watch it."""
    load_note: reactive[str] = reactive("")
    """What the loader is doing, for the status line."""
    load_progress: reactive[tuple[int, int, float | None] | None] = reactive(None)
    """While the index is built: (done, total, seconds left at the measured rate)."""
    topic: reactive[str | None] = reactive(None)
    """The guided-topic context of the user's questions ("ask about this")."""

    def __init__(self, settings: Settings, engine: Asker | None = None, *,
                 high_contrast: bool = False, cursor_blink: bool = True,
                 session: str | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.engine: Asker | None = engine
        self.corpus: Corpus | None = None
        self.term_index: TermIndex | None = None
        self.engine_error = ""
        self.high_contrast = high_contrast
        self.cursor_blink = cursor_blink
        self.store = SessionStore(settings.data_dir, settings.documents_dir / "Handouts",
                                  session=session)
        self.state = GuideState()
        self._save_warned = False
        self._progress_from: tuple[float, int] | None = None
        self._too_small = False
        self._save_pending = False
        self.trust: Trust | None = None
        """What may honestly be said about who checked the content (botcore.trust)."""

    # -- start-up -----------------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        """Below 80 x 24 some text is cut: say so once, each time the window gets small."""
        small = event.size.width < MIN_SIZE[0] or event.size.height < MIN_SIZE[1]
        if small and not self._too_small:
            self.notify(f"This window is smaller than {MIN_SIZE[0]} x {MIN_SIZE[1]}: some "
                        "text will be cut off. Make it larger if you can.",
                        severity="warning", timeout=8, markup=False)
        self._too_small = small

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
            corpus = Corpus(self.settings.corpus_dir, self.settings.cache_dir)
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
        now = time.monotonic()
        if self._progress_from is None or event.done < self._progress_from[1]:
            self._progress_from = (now, event.done)
        started, first = self._progress_from
        rate = (event.done - first) / (now - started) if now > started else 0.0
        left = (event.total - event.done) / rate if rate > 0 else None
        self.load_progress = (event.done, event.total, left)

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
        from botcore.trust import trust

        self.corpus = corpus
        self.term_index = TermIndex(corpus.approved_glossary())
        self.trust = trust(corpus)
        self.corpus_version += 1

    # -- what views look up -------------------------------------------------------------------
    def safety_message(self, message_id: str | None, tier: str) -> str:
        """The approved message of an escalation whose text we no longer hold: the one
        that was shown (by its id, kept in the session), else the tier's general one."""
        if self.corpus is None:
            return ""
        fallback = "crisis" if tier == "crisis" else "emergency-general"
        for candidate in (message_id, fallback):
            if candidate and candidate in self.corpus.messages:
                try:
                    return self.corpus.message(candidate)
                except CorpusError:
                    continue
        return ""

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
        if old is None or not old.has_user_content:
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
            f"Your saved session ({old.describe()}) and its handouts will be deleted from "
            "this computer.", yes="Start new", no="Go back"), answered)

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
        """Save after the screen has been painted: the file write (with its fsync) never
        delays a new answer appearing. Several changes in one frame are one write."""
        event.stop()
        if not self._save_pending:
            self._save_pending = True
            self.call_after_refresh(self._save_now)

    def _save_now(self) -> None:
        self._save_pending = False
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
            closing = self.trust.disclaimer if self.trust is not None else ""
            self.push_screen(HelpScreen(closing=closing))

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
              high_contrast: bool | None = None, cursor_blink: bool = True,
              session: str | None = None) -> ATCGuideApp:
    """The app factory. Pass ``engine`` to skip loading (tests inject a loaded one);
    ``high_contrast=None`` turns it on when ``NO_COLOR`` is set; ``session`` is a
    browser tab's id (its own session file), None for the terminal's one session."""
    if high_contrast is None:
        high_contrast = "NO_COLOR" in os.environ
    return ATCGuideApp(settings, engine, high_contrast=high_contrast, cursor_blink=cursor_blink,
                       session=session)


def run_app(settings: Settings, session: str | None = None) -> int:
    """Run the app in this terminal; returns the exit code.

    ``NO_COLOR`` (any value) is respected: Textual renders in monochrome and the app
    starts in its high-contrast theme, where everything is still told apart by words,
    bold, reverse video and border shapes.
    """
    from botcore.config import force_offline

    force_offline()
    app = build_app(settings, session=session)
    result = app.run()
    if isinstance(result, int):
        return result
    return EXIT_FAILED if app.return_code else EXIT_OK
