"""My notes: saved passages, the user's own questions for the care team, the handout
export, and "delete this session".

The handout is written here, by a thread worker that only renders and writes files
(``botcore.export``) and posts ``HandoutWritten`` or ``HandoutFailed``; the view then
shows where it went and posts ``StateChanged`` (the session records its handouts, so
"delete this session" removes them).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.context import GuideContext, guide
from tui.messages import DeleteSessionRequested, HandoutFailed, HandoutWritten, StateChanged
from tui.safe import safe, safe_join
from tui.widgets.prompt import SafePrompt

if TYPE_CHECKING:
    from botcore.export import Document


class RemovableList(OptionList):
    """An option list whose highlighted item is removed with Delete or x."""

    BINDINGS = [
        Binding("delete", "remove", "Remove"),
        Binding("x", "remove", "Remove", show=False),
    ]

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
    NotesView .help { color: $text-muted; }
    NotesView RemovableList { height: auto; max-height: 8; }
    NotesView RemovableList:focus { border: thick $accent; }
    NotesView #question-row { height: auto; }
    NotesView #question-input { width: 1fr; }
    NotesView #export-row, NotesView #danger-row { height: auto; }
    NotesView #export-row Button, NotesView #danger-row Button { margin: 0 1 0 0; }
    NotesView #export-result { color: $text-muted; }
    """

    @property
    def guide(self) -> GuideContext:
        return guide(self)

    def compose(self) -> ComposeResult:
        yield Static(Content("Saved passages"), classes="section-title", markup=False)
        yield Static(Content("Save a passage with s on its card. Delete removes one here."),
                     classes="help", markup=False)
        yield RemovableList(id="saved-list", markup=False)
        yield Static(Content("My questions for the care team"), classes="section-title",
                     markup=False)
        with Horizontal(id="question-row"):
            yield SafePrompt(placeholder="Write a question for your care team, then Enter",
                             id="question-input")
            yield Button("Add", id="add-question")
        yield RemovableList(id="question-list", markup=False)
        yield Static(Content("Take home a handout"), classes="section-title", markup=False)
        yield Static(Content("Saved passages with their sources and approvals, words to "
                             "know, your questions and the emergency card."),
                     classes="help", markup=False)
        with Horizontal(id="export-row"):
            yield Button("Export handout (HTML, PDF, Markdown)", id="export", variant="primary")
        yield Static("", id="export-result", markup=False)
        yield Static(Content("Privacy"), classes="section-title", markup=False)
        yield Static(safe_join("This session is saved only on this computer, in ",
                               str(self.guide.store.data_dir), "."),
                     classes="help", id="privacy-note", markup=False)
        with Horizontal(id="danger-row"):
            yield Button("Delete this session", id="delete-session", variant="error")

    def on_mount(self) -> None:
        self.refresh_lists()

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

    def show_export_result(self, paths: list[str]) -> None:
        self.query_one("#export-result", Static).update(
            safe_join(("Handout written: ", "bold"), "\n".join(paths)))

    # -- the handout --------------------------------------------------------------------------
    def handout(self) -> Document | None:
        context = self.guide
        if context.corpus is None or context.term_index is None:
            return None
        from botcore.export import build_handout  # only when exporting

        return build_handout(context.corpus, context.state.to_handout_notes(),
                             context.term_index, date.today().isoformat())

    def export(self) -> None:
        """Write the handout (HTML, PDF, Markdown) into the session's handouts folder."""
        doc = self.handout()
        if doc is None:
            self.notify("The approved information is still loading.", markup=False)
            return
        try:
            folder = self.guide.store.handouts_folder()
        except OSError as exc:
            self.post_message(HandoutFailed(type(exc).__name__))
            return
        self.notify("Writing your handout...", markup=False, timeout=2)
        self._write(doc, folder)

    @work(thread=True, group="export", exit_on_error=False)
    def _write(self, doc: Document, folder: Path) -> None:
        from botcore.export import write_documents

        try:
            paths = write_documents(doc, folder)
        except Exception as exc:  # noqa: BLE001 - reported in one line
            self.post_message(HandoutFailed(type(exc).__name__))
        else:
            self.post_message(HandoutWritten(list(paths)))

    @on(HandoutWritten)
    def _written(self, event: HandoutWritten) -> None:
        event.stop()
        for path in event.paths:
            self.guide.state.note_export(path.name)
        self.post_message(StateChanged())
        self.show_export_result([str(p) for p in event.paths])
        folder = str(event.paths[0].parent) if event.paths else ""
        self.notify(f"Handout saved (HTML, PDF, Markdown) in {safe(folder)}", markup=False,
                    timeout=8)

    @on(HandoutFailed)
    def _failed(self, event: HandoutFailed) -> None:
        event.stop()
        self.notify(f"The handout could not be written ({safe(event.reason)}).",
                    severity="error", markup=False)

    # -- events -------------------------------------------------------------------------------
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
        if self.guide.state.add_question(box.value) is not None:
            box.clear()
            self.refresh_lists()
            self.post_message(StateChanged())

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

    @on(Button.Pressed, "#export")
    def _export(self, event: Button.Pressed) -> None:
        event.stop()
        self.export()

    @on(Button.Pressed, "#delete-session")
    def _delete(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(DeleteSessionRequested())
