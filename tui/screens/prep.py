"""The preparation screen: a nurse prepares a goals-of-care conversation.

Tab "Situation": who it is for and by whom, the day, the patient's stage, BRAF result
and tracheostomy (the patient app's form), whether hospice has been discussed, the
current treatment and the parts to cover (``tui.widgets.prep_form``). "Assemble"
builds a focused packet (``botcore.packet``, selections from ``corpus/packet.yaml``) and
opens tab "Packet": the approved passages, prompts and family questions in conversation
order, with a preview of the highlighted one. The list is edited with keys (move,
remove, add more) and exported as two documents (``botcore.export``): the family's
pages and the care team's talking points, HTML and PDF, under one new dated name.

Escape never throws work away: when the form or the packet has changed since the last
export, closing asks first. Below ~100 columns the layout stacks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import (
    Button,
    Footer,
    OptionList,
    Static,
    TabbedContent,
    TabPane,
)
from textual.widgets.option_list import Option

from botcore.corpus import Corpus
from botcore.export import is_family
from botcore.packet import Packet, PacketEntry, addable, assemble, entry_label
from botcore.sanitize import display_safe
from tui.opener import deliver
from tui.safe import safe_join
from tui.screens.add_entry import AddEntryScreen, shorten
from tui.terms import TermIndex
from tui.widgets.header import AppHeader
from tui.widgets.packet_list import PacketList
from tui.widgets.prep_form import PrepForm

__all__ = ["AddEntryScreen", "PacketList", "PrepScreen"]

SHORT_SECTION_NAMES = {"understanding": "Illness", "options": "Options", "airway": "Airway",
                       "what-matters": "Values", "planning": "Planning"}
"""Short part names for the packet list (the export uses the full names)."""


class PrepScreen(Screen[None]):
    CSS_PATH = "prep.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    @dataclass
    class PacketWritten(Message):
        """The packet's files were written (by the export worker)."""

        paths: list[Path]

    @dataclass
    class PacketFailed(Message):
        """The packet could not be written; ``reason`` is one line, safe to show."""

        reason: str

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("ctrl+e", "export", "Export"),
    ]

    def __init__(self, corpus: Corpus, out_dir: Path, terms: TermIndex | None = None, *,
                 prepared_by: str = "", today: date | None = None,
                 record: Callable[[list[Path]], None] | None = None) -> None:
        """``record`` is told the files of each export (the care-team session keeps
        them, so that "delete this session" removes them)."""
        super().__init__()
        self.corpus = corpus
        self.out_dir = out_dir
        self.terms = terms or TermIndex(corpus.approved_glossary())
        self.prepared_by = prepared_by
        self.today = today or date.today()
        self.record = record
        self.packet: Packet | None = None
        self.exported: list[Path] = []
        self.dirty = False
        """Changed since the last export: closing asks first."""
        self._watching = False

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield Static(Content("For the care team: prepare a goals-of-care conversation from "
                             "the approved passages and prompts."),
                     id="prep-intro", markup=False)
        with TabbedContent(initial="prep-situation", id="prep-tabs"):
            with TabPane("1 Situation", id="prep-situation"), VerticalScroll():
                yield PrepForm(today=self.today, id="prep-form")
            with TabPane("2 Packet", id="prep-packet"), Horizontal(id="prep-packet-body"):
                with Vertical(id="prep-list-box"):
                    yield PacketList(id="prep-list")
                    yield Static(Content("u / d: move   Delete: remove   a: add more   "
                                         "Ctrl+E: export"), id="prep-keys", markup=False)
                    with Horizontal(id="prep-actions"):
                        yield Button("Add more...", id="prep-add")
                        yield Button("Export", id="prep-export", variant="primary")
                        yield Button("Open the family's pages", id="prep-open", disabled=True)
                    yield Static("", id="prep-result", markup=False)
                with VerticalScroll(id="prep-preview") as preview:
                    preview.border_title = "Preview"
                    yield Static("", id="prep-preview-text", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Prepare a conversation"
        self.sub_title = "goals-of-care packet for the care team"
        if self.prepared_by:
            self.query_one(PrepForm).set_prepared_by(self.prepared_by)
        self._show_list()
        self.call_after_refresh(self._start_watching)

    def _start_watching(self) -> None:
        self._watching = True

    @on(PrepForm.Changed)
    def _form_changed(self, event: PrepForm.Changed) -> None:
        event.stop()
        if self._watching:
            self.dirty = True

    # -- assembling -----------------------------------------------------------------------------
    @property
    def form(self) -> PrepForm:
        return self.query_one(PrepForm)

    @property
    def situation(self):  # noqa: ANN201 - PatientSituation, from the form
        return self.form.situation

    @property
    def topics(self) -> list[str]:
        return self.form.topics

    @on(Button.Pressed, "#prep-assemble")
    def _assemble_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.assemble()

    def assemble(self) -> Packet | None:
        topics = self.topics
        if not topics:
            self.notify("Choose at least one part of the conversation to cover.",
                        severity="warning", markup=False)
            return None
        self.packet = assemble(self.corpus, self.situation, topics)
        self.dirty = True
        self._show_list(0)
        self.query_one(TabbedContent).active = "prep-packet"
        self.query_one("#prep-list", PacketList).focus()
        return self.packet

    # -- the list -----------------------------------------------------------------------------
    def _show_list(self, highlight: int | None = None) -> None:
        options = self.query_one("#prep-list", PacketList)
        options.clear_options()
        packet = self.packet
        if packet is None or not packet.entries:
            options.border_title = "The packet"
            self._preview(None)
            if packet is None:
                options.add_option(Option(Content("Choose the situation, then press "
                                                  "\u201cAssemble the packet\u201d."),
                                          disabled=True))
            return
        for number, entry in enumerate(packet.entries, start=1):
            section = SHORT_SECTION_NAMES.get(entry.section, entry.section)
            options.add_option(Option(safe_join(f"{number:>2}. ", (f"{section} \u00b7 ", "bold"),
                                                shorten(entry_label(self.corpus, entry)))))
        family = sum(1 for e in packet.entries if is_family(self.corpus, e))
        options.border_title = (f"The packet: {family} for the family, "
                                f"{len(packet) - family} talking points")
        index = min(highlight if highlight is not None else 0, len(packet.entries) - 1)
        options.highlighted = index
        self._preview(packet.entries[index])

    @property
    def highlighted(self) -> int | None:
        return self.query_one("#prep-list", PacketList).highlighted

    @on(OptionList.OptionHighlighted, "#prep-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if self.packet is not None and 0 <= event.option_index < len(self.packet.entries):
            self._preview(self.packet.entries[event.option_index])

    def _preview(self, entry: PacketEntry | None) -> None:
        target = self.query_one("#prep-preview-text", Static)
        if entry is None:
            target.update(Content(""))
            return
        corpus = self.corpus
        if entry.kind == "passage":
            passage = corpus.passages[entry.id]
            mark = (("For the care team: talking points\n", "bold reverse")
                    if passage.audience == "nurse" else ("For the family's pages\n", "bold"))
            target.update(safe_join(mark, (passage.title, "bold"), "\n\n", passage.text, "\n\n",
                                    ("Source: ", "bold"), corpus.citation(passage)))
        else:
            prompt = corpus.prompts[entry.id]
            kind = ("Conversation prompt (talking points)" if prompt.kind == "conversation"
                    else "Family question (the family's pages)")
            refs = "; ".join(f"{corpus.sources[c.source].short}, {c.section}" for c in prompt.cites)
            target.update(safe_join((kind, "bold"), "\n\n", prompt.text, "\n\n",
                                    ("Written from: ", "bold"), refs))

    @on(PacketList.Move)
    def _move(self, event: PacketList.Move) -> None:
        event.stop()
        index = self.highlighted
        if self.packet is None or index is None:
            return
        self.dirty = True
        self._show_list(self.packet.move(index, event.delta))

    @on(PacketList.Remove)
    def _remove(self, event: PacketList.Remove) -> None:
        event.stop()
        index = self.highlighted
        if self.packet is None or index is None or not self.packet.entries:
            return
        removed = self.packet.remove(index)
        self.dirty = True
        self._show_list(index)
        self.notify(f"Removed: {entry_label(self.corpus, removed)[:80]}", markup=False,
                    timeout=3)

    @on(PacketList.Add)
    def _add_key(self, event: PacketList.Add) -> None:
        event.stop()
        self.action_add()

    @on(Button.Pressed, "#prep-add")
    def _add_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_add()

    def action_add(self) -> None:
        if self.packet is None:
            self.notify("Assemble the packet first.", markup=False)
            return
        choices = [(e, entry_label(self.corpus, e)) for e in addable(self.corpus, self.packet)]

        def chosen(entry: PacketEntry | None) -> None:
            if entry is not None and self.packet is not None:
                self.dirty = True
                self._show_list(self.packet.add(entry))
                self.query_one("#prep-list", PacketList).focus()

        self.app.push_screen(AddEntryScreen(choices), chosen)

    # -- export ---------------------------------------------------------------------------------
    @on(Button.Pressed, "#prep-export")
    def _export_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_export()

    def action_export(self) -> None:
        if self.packet is None or not self.packet.entries:
            self.notify("Assemble the packet first.", markup=False)
            return
        if self.form.day is None:
            self.notify("The day of the conversation is not a date (use YYYY-MM-DD).",
                        severity="warning", markup=False)
            return
        from botcore.export import build_packet_documents

        docs = build_packet_documents(self.corpus, self.packet, self.terms, self.today,
                                      self.form.prepared)
        self.query_one("#prep-result", Static).update(Content("Writing the packet..."))
        self._export(docs, self.out_dir)

    @work(thread=True, group="packet-export", exit_on_error=False)
    def _export(self, docs: dict[str, object], folder: Path) -> None:
        from botcore.export import write_packet
        from botcore.storage import ensure_private_dir

        try:
            folder.parent.mkdir(parents=True, exist_ok=True)
            ensure_private_dir(folder)
            paths = write_packet(docs, folder)  # type: ignore[arg-type]
        except Exception as exc:  # noqa: BLE001 - reported in one line
            self.post_message(self.PacketFailed(type(exc).__name__))
        else:
            self.post_message(self.PacketWritten(list(paths)))

    @on(PacketWritten)
    def _exported(self, event: PacketWritten) -> None:
        event.stop()
        self.exported = list(event.paths)
        self.dirty = False
        if self.record is not None:
            self.record(self.exported)
        self.query_one("#prep-open", Button).disabled = False
        folder = str(event.paths[0].parent) if event.paths else ""
        names = ", ".join(p.name for p in event.paths if p.suffix == ".pdf")
        self.query_one("#prep-result", Static).update(safe_join(
            ("Saved in ", "bold"), folder, "\n", names))
        self.notify("Packet saved: the family's pages and the talking points.", markup=False,
                    timeout=4)

    @on(PacketFailed)
    def _export_failed(self, event: PacketFailed) -> None:
        event.stop()
        self.query_one("#prep-result", Static).update(Content(""))
        self.notify(f"The packet could not be written ({display_safe(event.reason)}).",
                    severity="error", markup=False)

    @on(Button.Pressed, "#prep-open")
    def _open(self, event: Button.Pressed) -> None:
        event.stop()
        family = next((p for p in self.exported if p.name.endswith("-family.pdf")), None)
        if family is not None and not deliver(self.app, family, "open"):
            self.notify(f"No program to open it was found. The file is here: {family}",
                        markup=False, timeout=12)

    def action_close(self) -> None:
        if not self.dirty:
            self.dismiss(None)
            return
        from tui.screens.confirm import ConfirmScreen

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen(
            "Close without exporting?",
            "The situation and the packet you prepared have not been exported. Closing "
            "now loses them.", yes="Close and discard", no="Keep editing"), answered)

    @property
    def preview_text(self) -> str:
        return self.query_one("#prep-preview-text", Static).visual.plain  # type: ignore[attr-defined]
