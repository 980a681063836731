"""The goals-of-care packet as two documents, in the look of the patient handout.

**The family's pages**: who it was prepared for, by whom and for which day; the
emergency card; what the pages are; the situation; then each part of the conversation
in the order the nurse left it, with the approved patient passages verbatim (citation,
approval) and the questions families often ask; the words to know; lines for notes.

**The care team's talking points**: the same header, then each part's approved
conversation prompts and the nurse-audience passages, and a list of what the family's
pages hold, so the nurse can follow along. Nothing meant for the care team is printed
among the family's pages.

Entries that are no longer approved are left out (fail closed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from botcore.corpus import Corpus
from botcore.export.document import (
    Block,
    Card,
    Definitions,
    Document,
    Format,
    Heading,
    Items,
    Para,
    PassageBlock,
    WriteLines,
    approval_line,
    long_date,
)
from botcore.export.write import dated_stem, write_documents
from botcore.glossary_terms import TermIndex
from botcore.packet import SECTION_NAMES, Packet, PacketEntry
from botcore.sanitize import display_safe
from botcore.schema import Prompt
from botcore.trust import trust

PACKET_STEM = "atc-guide-packet"
PACKET_FORMATS: tuple[Format, ...] = ("html", "pdf")
FAMILY, CARE_TEAM = "family", "care-team"
"""The two documents, also the last part of their file names."""
CARE_TEAM_MARK = "For the care team: "
PROMPT_HEADINGS = {
    "conversation": "Conversation prompts",
    "family-question": "Questions families often ask",
}
MAX_FIELD = 120


@dataclass(frozen=True)
class Prepared:
    """Who the packet is for, who prepared it, and the day of the conversation. Typed by
    the nurse: sanitized, one line, capped."""

    prepared_for: str = ""
    prepared_by: str = ""
    on: date | None = None

    def __post_init__(self) -> None:
        for name in ("prepared_for", "prepared_by"):
            clean = " ".join(display_safe(getattr(self, name)).split())[:MAX_FIELD]
            object.__setattr__(self, name, clean)

    def lines(self) -> tuple[str, ...]:
        out = []
        if self.prepared_for:
            out.append(f"Prepared for: {self.prepared_for}")
        if self.prepared_by:
            out.append(f"Prepared by: {self.prepared_by}")
        if self.on is not None:
            out.append(f"Conversation on: {long_date(self.on)}")
        return tuple(out)


def _approved(corpus: Corpus, entry: PacketEntry) -> bool:
    if entry.kind == "passage":
        return corpus.is_approved(entry.id)
    prompt = corpus.prompts.get(entry.id)
    return prompt is not None and corpus.prompt_status(prompt).state == "approved"


def is_family(corpus: Corpus, entry: PacketEntry) -> bool:
    """On the family's pages: patient passages and the questions families ask."""
    if entry.kind == "passage":
        return corpus.passages[entry.id].audience == "patient"
    return corpus.prompts[entry.id].kind == "family-question"


def _prompt_approval(corpus: Corpus, prompts: Iterable[Prompt]) -> str:
    labels: dict[str, None] = {}
    for prompt in prompts:
        record = corpus.prompt_status(prompt).record
        if record is not None:
            label = corpus.approval_label(record.demonstration, record.reviewer, record.role)
            labels[approval_line(label, f"{record.reviewer} ({record.role})",
                                 record.at.date().isoformat())] = None
    return "; ".join(labels)


def _prompt_blocks(corpus: Corpus, kind: str, prompts: list[Prompt]) -> list[Block]:
    cites: dict[str, None] = {}
    for prompt in prompts:
        for cite in prompt.cites:
            source = corpus.sources[cite.source]
            section = source.section(cite.section or "")
            cites[f"{source.short}, section: {section.name if section else cite.section}"] = None
    return [
        Para(PROMPT_HEADINGS[kind], note=True),
        Items(tuple(p.text for p in prompts)),
        Para(f"Written from: {'; '.join(cites)}. Approval: {_prompt_approval(corpus, prompts)}",
             note=True),
    ]


def _parts(corpus: Corpus, entries: list[PacketEntry], texts: list[str],
           mark: Callable[[str], str]) -> list[Block]:
    """The entries part by part, in the nurse's order; the text of each passage and
    prompt printed is added to ``texts`` (for the words to know)."""
    blocks: list[Block] = []
    current: str | None = None
    pending: list[Prompt] = []
    pending_kind = ""

    def flush() -> None:
        nonlocal pending
        if pending:
            blocks.extend(_prompt_blocks(corpus, pending_kind, pending))
            texts.extend(p.text for p in pending)
            pending = []

    for entry in entries:
        if entry.section != current:
            flush()
            current = entry.section
            blocks.append(Heading(SECTION_NAMES.get(entry.section, entry.section)))
        if entry.kind == "passage":
            flush()
            snip = corpus.snippet(entry.id, 1.0)
            blocks.append(PassageBlock(mark(snip.title), snip.text, snip.citation,
                                       approval_line(snip.approval_label, snip.approved_by,
                                                     snip.approved_on)))
            texts.append(snip.text)
        else:
            prompt = corpus.prompts[entry.id]
            if pending and prompt.kind != pending_kind:
                flush()
            pending_kind = prompt.kind
            pending.append(prompt)
    flush()
    return blocks


def _header(corpus: Corpus, packet: Packet, prepared: Prepared, about: str) -> list[Block]:
    blocks: list[Block] = []
    if prepared.lines():
        blocks.append(Items(prepared.lines(), user_text=True))
    blocks += [Heading("About these pages"), Para(trust(corpus).disclaimer),
               Para(about, note=True)]
    facts = packet.situation.describe()
    if facts:
        blocks += [Heading("The situation"), Items(tuple(facts), user_text=True)]
    return blocks


def _words(terms: TermIndex, texts: list[str]) -> list[Block]:
    used: dict[str, None] = {}
    for text in texts:
        for term in terms.terms_in(text):
            used[term.id] = None
    definitions = tuple((terms.terms[t].term, terms.terms[t].definition) for t in used)
    return [Heading("Words to know"), Definitions(definitions)] if definitions else []


def _subtitle(corpus: Corpus, made_on: date) -> str:
    line = trust(corpus).line
    return f"Made on {long_date(made_on)}." + (f" {line}" if line else "")


def build_family_pages(corpus: Corpus, packet: Packet, terms: TermIndex, made_on: date,
                       prepared: Prepared = Prepared()) -> Document:
    """The pages the family takes home: patient passages and family questions only."""
    entries = [e for e in packet.entries if _approved(corpus, e) and is_family(corpus, e)]
    texts: list[str] = []
    blocks: list[Block] = [Card("Emergency card", corpus.message("emergency-card"))]
    blocks += _header(corpus, packet, prepared, "Prepared by the care team for a "
                      "conversation about goals of care: general information, in the "
                      "order of the conversation.")
    blocks += _parts(corpus, entries, texts, lambda title: title)
    blocks += _words(terms, texts)
    blocks += [Heading("Notes from the conversation"), WriteLines(6)]
    return Document(title="ATC Guide: goals-of-care conversation, for the family",
                    subtitle=_subtitle(corpus, made_on), blocks=tuple(blocks))


def build_talking_points(corpus: Corpus, packet: Packet, terms: TermIndex, made_on: date,
                         prepared: Prepared = Prepared()) -> Document:
    """The care team's page: conversation prompts and nurse-audience passages, and a
    list of what the family's pages hold."""
    approved = [e for e in packet.entries if _approved(corpus, e)]
    entries = [e for e in approved if not is_family(corpus, e)]
    texts: list[str] = []
    blocks = _header(corpus, packet, prepared, "For the nurse or doctor leading the "
                     "conversation. The family has their own pages.")
    blocks += _parts(corpus, entries, texts, lambda title: CARE_TEAM_MARK + title)
    family = [corpus.passages[e.id].title if e.kind == "passage" else corpus.prompts[e.id].text
              for e in approved if is_family(corpus, e)]
    if family:
        blocks += [Heading("What the family's pages hold"), Items(tuple(family))]
    blocks += _words(terms, texts)
    blocks += [Heading("Notes"), WriteLines(4)]
    return Document(title="ATC Guide: goals-of-care conversation, talking points for the "
                          "care team", subtitle=_subtitle(corpus, made_on),
                    blocks=tuple(blocks))


def build_packet_documents(corpus: Corpus, packet: Packet, terms: TermIndex, made_on: date,
                           prepared: Prepared = Prepared()) -> dict[str, Document]:
    """Both documents of the packet, by name (``family``, ``care-team``)."""
    return {FAMILY: build_family_pages(corpus, packet, terms, made_on, prepared),
            CARE_TEAM: build_talking_points(corpus, packet, terms, made_on, prepared)}


def write_packet(docs: dict[str, Document], folder: Path, when: datetime | None = None,
                 formats: Iterable[Format] = PACKET_FORMATS) -> list[Path]:
    """Write both documents into ``folder`` (atomically, 0600) under one new dated name:
    ``atc-guide-packet-2026-12-01-1432-family.pdf`` and ``...-care-team.pdf``, so one
    packet never overwrites another."""
    formats = tuple(formats)
    stem = dated_stem(folder, PACKET_STEM, when or datetime.now(), formats, suffix=f"-{FAMILY}")
    written: list[Path] = []
    for name, doc in docs.items():
        written += write_documents(doc, folder, formats, stem=f"{stem}-{name}")
    return written
