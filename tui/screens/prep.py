"""The preparation screen: a nurse prepares a goals-of-care conversation.

Tab "Situation": the patient's stage, BRAF result and tracheostomy (the same form the
patient app uses), whether hospice has been discussed, the current treatment, and the
parts of the conversation to cover. "Assemble" builds the packet (``botcore.packet``)
and opens tab "Packet": the approved passages, prompts and family questions in
conversation order, with a preview of the highlighted one. The list is edited with keys
(move up/down, remove, add) and exported as printable HTML and PDF
(``botcore.export``, the patient handout's look).
"""

from __future__ import annotations

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
    Header,
    OptionList,
    RadioSet,
    SelectionList,
    Static,
    TabbedContent,
    TabPane,
)
from textual.widgets.option_list import Option

from botcore.corpus import Corpus
from botcore.packet import (
    SECTION_NAMES,
    Packet,
    PacketEntry,
    PatientSituation,
    addable,
    assemble,
    entry_label,
)
from botcore.sanitize import display_safe
from botcore.schema import PACKET_SECTIONS
from tui.safe import safe_join
from tui.screens.add_entry import AddEntryScreen, shorten
from tui.terms import TermIndex
from tui.widgets.packet_list import PacketList
from tui.widgets.prompt import SafePrompt
from tui.widgets.situation import Choice, SituationForm

__all__ = ["AddEntryScreen", "PacketList", "PrepScreen"]

HOSPICE_CHOICES = (("hospice-unknown", "Not sure / skip", None),
                   ("hospice-yes", "Discussed", True),
                   ("hospice-no", "Not yet", False))


SHORT_SECTION_NAMES = {"understanding": "Illness", "options": "Options", "airway": "Airway",
                       "what-matters": "Values", "planning": "Planning"}
"""Short part names for the packet list (the export uses the full names)."""


class PrepScreen(Screen[None]):
    CSS_PATH = "prep.tcss"

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
        Binding("ctrl+e", "export", "Export HTML + PDF"),
    ]

    def __init__(self, corpus: Corpus, out_dir: Path, terms: TermIndex | None = None) -> None:
        super().__init__()
        self.corpus = corpus
        self.out_dir = out_dir
        self.terms = terms or TermIndex(corpus.approved_glossary())
        self.packet: Packet | None = None
        self.exported: list[Path] = []

    def compose(self) -> ComposeResult:
        yield Header(icon="?")
        yield Static(Content("For the care team: prepare a goals-of-care conversation. Only "
                             "clinician-approved passages and prompts are used."),
                     id="prep-intro", markup=False)
        with TabbedContent(initial="prep-situation", id="prep-tabs"):
            with TabPane("1 Situation", id="prep-situation"), VerticalScroll():
                yield SituationForm(id="prep-situation-form")
                with Horizontal(id="prep-row"):
                    hospice = RadioSet(*(Choice(label, value=ident == "hospice-unknown", id=ident)
                                         for ident, label, _ in HOSPICE_CHOICES),
                                       id="prep-hospice")
                    hospice.border_title = "Hospice discussed"
                    yield hospice
                    topics = SelectionList[str](
                        *((SECTION_NAMES[s], s, True) for s in PACKET_SECTIONS),
                        id="prep-topics")
                    topics.border_title = "Parts to cover"
                    yield topics
                    with Vertical(id="prep-treatment-box") as box:
                        box.border_title = "Current treatment (optional)"
                        yield SafePrompt(placeholder="e.g. dabrafenib and trametinib",
                                         id="prep-treatment", max_length=200)
                        yield Button("Assemble the packet", id="prep-assemble",
                                     variant="primary")
            with TabPane("2 Packet", id="prep-packet"), Horizontal(id="prep-packet-body"):
                with Vertical(id="prep-list-box"):
                    yield PacketList(id="prep-list")
                    yield Static(Content("u / d: move   x: remove   a: add   "
                                         "Ctrl+E: export"), id="prep-keys", markup=False)
                    with Horizontal(id="prep-actions"):
                        yield Button("Add...", id="prep-add")
                        yield Button("Export HTML + PDF", id="prep-export", variant="primary")
                with VerticalScroll(id="prep-preview") as preview:
                    preview.border_title = "Preview"
                    yield Static("", id="prep-preview-text", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Prepare a conversation"
        self.sub_title = "goals-of-care packet for the care team"
        self._show_list()

    # -- assembling -----------------------------------------------------------------------------
    @property
    def situation(self) -> PatientSituation:
        tags = self.query_one(SituationForm).value
        pressed = self.query_one("#prep-hospice", RadioSet).pressed_button
        hospice = next((value for ident, _, value in HOSPICE_CHOICES
                        if pressed is not None and pressed.id == ident), None)
        return PatientSituation.from_tags(
            tags, hospice, self.query_one("#prep-treatment", SafePrompt).value)

    @property
    def topics(self) -> list[str]:
        return list(self.query_one("#prep-topics", SelectionList).selected)

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
        options.border_title = (f"The packet: {len(packet.passage_ids())} passages, "
                                f"{len(packet.prompt_ids())} prompts and questions")
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
            mark = ("For the care team\n", "bold reverse") if passage.audience == "nurse" else ""
            target.update(safe_join(mark, (passage.title, "bold"), "\n\n", passage.text, "\n\n",
                                    ("Source: ", "bold"), corpus.citation(passage)))
        else:
            prompt = corpus.prompts[entry.id]
            kind = "Conversation prompt" if prompt.kind == "conversation" else "Family question"
            refs = "; ".join(f"{corpus.sources[c.source].short}, {c.section}" for c in prompt.cites)
            target.update(safe_join((kind, "bold"), "\n\n", prompt.text, "\n\n",
                                    ("Written from: ", "bold"), refs))

    @on(PacketList.Move)
    def _move(self, event: PacketList.Move) -> None:
        event.stop()
        index = self.highlighted
        if self.packet is None or index is None:
            return
        self._show_list(self.packet.move(index, event.delta))

    @on(PacketList.Remove)
    def _remove(self, event: PacketList.Remove) -> None:
        event.stop()
        index = self.highlighted
        if self.packet is None or index is None or not self.packet.entries:
            return
        removed = self.packet.remove(index)
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
        from botcore.export import build_packet_document  # noqa: PLC0415

        doc = build_packet_document(self.corpus, self.packet, self.terms,
                                    date.today().isoformat())
        self.notify("Writing the packet...", markup=False, timeout=2)
        self._export(doc, self.out_dir)

    @work(thread=True, group="packet-export", exit_on_error=False)
    def _export(self, doc: object, folder: Path) -> None:
        from botcore.export import write_packet  # noqa: PLC0415
        from botcore.storage import ensure_private_dir  # noqa: PLC0415

        try:
            ensure_private_dir(folder)
            paths = write_packet(doc, folder)  # type: ignore[arg-type]
        except Exception as exc:  # noqa: BLE001 - reported in one line
            self.post_message(self.PacketFailed(type(exc).__name__))
        else:
            self.post_message(self.PacketWritten(list(paths)))

    @on(PacketWritten)
    def _exported(self, event: PacketWritten) -> None:
        event.stop()
        self.exported = list(event.paths)
        folder = str(event.paths[0].parent) if event.paths else ""
        self.notify(f"Packet saved (HTML and PDF) in {display_safe(folder)}", markup=False,
                    timeout=8)

    @on(PacketFailed)
    def _export_failed(self, event: PacketFailed) -> None:
        event.stop()
        self.notify(f"The packet could not be written ({display_safe(event.reason)}).",
                    severity="error", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)

    @property
    def preview_text(self) -> str:
        return self.query_one("#prep-preview-text", Static).visual.plain  # type: ignore[attr-defined]
