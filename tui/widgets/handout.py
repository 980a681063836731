"""The handout: export it (HTML, PDF and Markdown, under a dated name in a folder people
can find), then open it, print it (the PDF in the default viewer) or, in browser mode,
download it.

The files are written by a thread worker that only renders and writes
(``botcore.export``) and posts ``HandoutWritten`` or ``HandoutFailed``; this widget then
shows where they went and posts ``StateChanged`` (the session records its handouts, so
"delete this session" removes them).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from tui.context import guide
from tui.messages import HandoutFailed, HandoutWritten, StateChanged
from tui.opener import deliver
from tui.safe import safe, safe_join

if TYPE_CHECKING:
    from botcore.export import Document


class HandoutPanel(Vertical):
    DEFAULT_CSS = """
    HandoutPanel { height: auto; }
    HandoutPanel #handout-buttons { height: auto; }
    HandoutPanel #handout-buttons Button { margin: 0 1 0 0; }
    HandoutPanel #export-result { color: $text; height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.paths: list[Path] = []
        """The files of the last export (HTML, PDF, Markdown)."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="handout-buttons"):
            yield Button("Export handout", id="export", variant="primary")
            yield Button("Open", id="handout-open", disabled=True)
            yield Button("Print (opens the PDF)", id="handout-print", disabled=True)
            yield Button("Download", id="handout-download", disabled=True)
        yield Static("", id="export-result", markup=False)

    def on_mount(self) -> None:
        self.query_one("#handout-download").display = self.app.is_web

    def handout(self) -> Document | None:
        context = guide(self)
        if context.corpus is None or context.term_index is None:
            return None
        from botcore.export import build_handout  # only when exporting

        return build_handout(context.corpus, context.state.to_handout_notes(),
                             context.term_index, date.today())

    def export(self) -> None:
        """Write the handout into the handouts folder, under a new dated name."""
        doc = self.handout()
        if doc is None:
            self.notify("The approved information is still loading.", markup=False)
            return
        try:
            folder = guide(self).store.handouts_folder()
        except OSError as exc:
            self.post_message(HandoutFailed(type(exc).__name__))
            return
        self.query_one("#export-result", Static).update(Content("Writing your handout..."))
        self._write(doc, folder, datetime.now())

    @work(thread=True, group="export", exit_on_error=False)
    def _write(self, doc: Document, folder: Path, when: datetime) -> None:
        from botcore.export import HANDOUT_STEM, dated_stem, write_documents

        try:
            paths = write_documents(doc, folder, stem=dated_stem(folder, HANDOUT_STEM, when))
        except Exception as exc:  # noqa: BLE001 - reported in one line
            self.post_message(HandoutFailed(type(exc).__name__))
        else:
            self.post_message(HandoutWritten(list(paths)))

    @on(HandoutWritten)
    def _written(self, event: HandoutWritten) -> None:
        event.stop()
        self.paths = list(event.paths)
        for path in self.paths:
            guide(self).state.note_export(path.name)
        self.post_message(StateChanged())
        for button in ("#handout-open", "#handout-print", "#handout-download"):
            self.query_one(button, Button).disabled = False
        folder = str(self.paths[0].parent) if self.paths else ""
        names = ", ".join(p.name for p in self.paths)
        self.query_one("#export-result", Static).update(safe_join(
            ("Handout saved in ", "bold"), folder, "\n", names))
        self.notify("Handout saved.", markup=False, timeout=4)
        self.scroll_visible(animate=False)  # where it went, and Open / Print, in view

    @on(HandoutFailed)
    def _failed(self, event: HandoutFailed) -> None:
        event.stop()
        self.query_one("#export-result", Static).update(Content(""))
        self.notify(f"The handout could not be written ({safe(event.reason)}).",
                    severity="error", markup=False)

    def _file(self, suffix: str) -> Path | None:
        return next((p for p in self.paths if p.suffix == suffix and p.exists()), None)

    def _deliver(self, suffix: str, how: str) -> None:
        path = self._file(suffix)
        if path is None:
            self.notify("Export the handout first.", markup=False)
            return
        if deliver(self.app, path, "download" if how == "download" else "open"):
            return
        self.notify(f"No program to open it was found. The file is here: {path}",
                    markup=False, timeout=12)

    @on(Button.Pressed, "#export")
    def _export_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.export()

    @on(Button.Pressed, "#handout-open")
    def _open(self, event: Button.Pressed) -> None:
        event.stop()
        self._deliver(".html", "open")

    @on(Button.Pressed, "#handout-print")
    def _print(self, event: Button.Pressed) -> None:
        event.stop()
        self._deliver(".pdf", "open")

    @on(Button.Pressed, "#handout-download")
    def _download(self, event: Button.Pressed) -> None:
        event.stop()
        self._deliver(".pdf", "download")
        self._deliver(".html", "download")
