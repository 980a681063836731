"""My notes: saved passages (Enter reads one again), the user's own questions for the
care team, the handout, and "delete this session".

A question written here goes through the same safety screen as a question asked: the
engine reads it, and an emergency or crisis opens the emergency screen (the question is
kept either way, and the conversation's reminder holds as after any emergency). An
urgent one, or a weaker safety signal, shows the approved message here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from botcore.answer import Answer, Turn
from tui.context import GuideContext, guide
from tui.labels import SAFETY_NOTE_HEADINGS, TIER_HEADINGS, short_source
from tui.messages import DeleteSessionRequested, StateChanged
from tui.safe import safe, safe_join
from tui.widgets.answer import MessagePanel
from tui.widgets.handout import HandoutPanel
from tui.widgets.prompt import SafePrompt

if TYPE_CHECKING:
    from tui.context import Asker


class RemovableList(OptionList):
    """An option list whose highlighted item is removed with Delete."""

    BINDINGS = [Binding("delete", "remove", "Remove")]

    class Remove(OptionList.OptionMessage):
        pass

    def action_remove(self) -> None:
        index = self.highlighted
        if index is not None and 0 <= index < self.option_count:
            self.post_message(self.Remove(self, self.get_option_at_index(index), index))


class NotesView(VerticalScroll):
    DEFAULT_CSS = """
    NotesView { height: 1fr; padding: 0 1; }
    NotesView .section-title { text-style: bold; margin: 1 0 0 0; }
    NotesView .help { color: $text; }
    NotesView RemovableList { height: auto; max-height: 8; }
    NotesView RemovableList:focus { border: thick $accent; }
    NotesView #question-row { height: auto; }
    NotesView #question-input { width: 1fr; }
    NotesView #note-safety { height: auto; }
    NotesView #danger-row { height: auto; }
    """

    @dataclass
    class NoteScreened(Message):
        """The safety screen's reading of a question written in My notes."""

        answer: Answer

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._unscreened: list[str] = []

    @property
    def guide(self) -> GuideContext:
        return guide(self)

    def compose(self) -> ComposeResult:
        yield Static(Content("Saved passages"), classes="section-title", markup=False)
        yield Static(Content("Save a passage with the Save button on its card. Enter reads "
                             "one again; Delete removes it from this list."),
                     classes="help", markup=False)
        yield RemovableList(id="saved-list", markup=False)
        yield Static(Content("My questions for the care team"), classes="section-title",
                     markup=False)
        with Horizontal(id="question-row"):
            yield SafePrompt(placeholder="Write a question for your care team, then Enter",
                             id="question-input")
            yield Button("Add", id="add-question")
        yield Vertical(id="note-safety")
        yield RemovableList(id="question-list", markup=False)
        yield Static(Content("Take home a handout"), classes="section-title", markup=False)
        yield Static(Content("Saved passages with their sources and approvals, words to "
                             "know, your questions and the emergency card: HTML, PDF and "
                             "Markdown."), classes="help", markup=False)
        yield HandoutPanel(id="handout")
        yield Static(Content("Privacy"), classes="section-title", markup=False)
        yield Static(safe_join("This session is saved only on this computer, in ",
                               str(self.guide.store.data_dir), "; handouts in ",
                               str(self.guide.store.handouts_dir), "."),
                     classes="help", id="privacy-note", markup=False)
        with Horizontal(id="danger-row"):
            yield Button("Delete this session", id="delete-session", variant="error")

    def on_mount(self) -> None:
        self.refresh_lists()
        self.watch(self.app, "engine_status", self._engine_status, init=False)

    def on_show(self) -> None:
        self.refresh_lists()

    def refresh_lists(self) -> None:
        state = self.guide.state
        corpus = self.guide.corpus
        saved = self.query_one("#saved-list", RemovableList)
        saved.clear_options()
        for pid in state.saved:
            title = corpus.passages[pid].title if corpus and pid in corpus.passages else pid
            saved.add_option(Option(safe(title), id=f"saved:{pid}"))
        if not state.saved:
            saved.add_option(Option(Content("(nothing saved yet)"), disabled=True))
        questions = self.query_one("#question-list", RemovableList)
        questions.clear_options()
        for number, question in enumerate(state.my_questions, start=1):
            questions.add_option(Option(Content(f"{number}. ") + safe(question)))
        if not state.my_questions:
            questions.add_option(Option(Content("(no questions yet)"), disabled=True))

    def export(self) -> None:
        self.query_one(HandoutPanel).export()

    # -- questions for the care team, through the safety screen -------------------------------
    @on(Input.Submitted, "#question-input")
    def _question_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self._add_question()

    @on(Button.Pressed, "#add-question")
    def _question_button(self, event: Button.Pressed) -> None:
        event.stop()
        self._add_question()

    def _add_question(self) -> None:
        box = self.query_one("#question-input", SafePrompt)
        text = box.value
        if self.guide.state.add_question(text) is None:
            return
        box.clear()
        self.refresh_lists()
        self.post_message(StateChanged())
        self._unscreened.append(text)
        self._screen_notes()

    def _engine_status(self, status: str) -> None:
        if status == "ready":
            self._screen_notes()

    def _screen_notes(self) -> None:
        engine = self.guide.engine
        while engine is not None and self._unscreened:
            self._screen(engine, self._unscreened.pop(0))

    @work(thread=True, group="note-screen", exit_on_error=False)
    def _screen(self, engine: Asker, text: str) -> None:
        try:
            answer = engine.ask(text, None)  # the full screen; no turn is recorded
        except Exception:  # noqa: BLE001 - the engine fails closed; so does this
            return
        self.post_message(self.NoteScreened(answer))

    @on(NoteScreened)
    def _screened(self, event: NoteScreened) -> None:
        event.stop()
        answer = event.answer
        holder = self.query_one("#note-safety")
        holder.remove_children()
        if answer.status == "escalated" and answer.tier in ("emergency", "crisis"):
            from tui.screens.emergency import EmergencyScreen

            state = self.guide.state
            state.session.turns.append(Turn(question="", status="escalated", tier=answer.tier))
            state.safety_message_id = answer.message_id
            self.post_message(StateChanged())
            self.app.push_screen(EmergencyScreen(answer.message or "", answer.tier))
        elif answer.status == "escalated" and answer.message:
            holder.mount(MessagePanel(TIER_HEADINGS.get(answer.tier or "urgent", "URGENT"),
                                      answer.message, answer.tier or "urgent"))
        elif answer.safety_note and answer.safety_message:
            holder.mount(MessagePanel(SAFETY_NOTE_HEADINGS[answer.safety_note],
                                      answer.safety_message, answer.safety_note))

    # -- lists --------------------------------------------------------------------------------
    @on(OptionList.OptionSelected, "#saved-list")
    def _read_saved(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        corpus = self.guide.corpus
        if not option_id.startswith("saved:") or corpus is None:
            return
        pid = option_id[6:]
        if not corpus.is_approved(pid):
            self.notify("This passage is not approved any more, so it cannot be shown.",
                        markup=False)
            return
        from tui.screens.read_again import ReadAgainScreen
        from tui.widgets.passage_card import PassageCard

        context = self.guide
        self.app.push_screen(ReadAgainScreen("Saved passage", lambda: PassageCard(
            corpus.snippet(pid, 1.0), context.term_index, saved=True,
            source=short_source(corpus, pid))))

    @on(RemovableList.Remove, "#saved-list")
    def _remove_saved(self, event: RemovableList.Remove) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith("saved:") and self.guide.state.remove_saved(option_id[6:]):
            self.refresh_lists()
            self.post_message(StateChanged())

    @on(RemovableList.Remove, "#question-list")
    def _remove_question(self, event: RemovableList.Remove) -> None:
        event.stop()
        if not event.option.disabled and self.guide.state.remove_question(event.option_index):
            self.refresh_lists()
            self.post_message(StateChanged())

    @on(Button.Pressed, "#delete-session")
    def _delete(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(DeleteSessionRequested())
