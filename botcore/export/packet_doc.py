"""The goals-of-care packet as a document, in the same look as the patient handout.

Order: the emergency card, what the packet is, the patient's situation, then the parts
of the conversation in the order the nurse left them (each approved passage verbatim
with its citation and approval, nurse-audience passages marked "For the care team",
then the approved conversation prompts and family questions), the glossary terms
used, and lines for notes.
"""

from __future__ import annotations

from collections.abc import Iterable
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
)
from botcore.export.write import write_documents
from botcore.glossary_terms import TermIndex
from botcore.packet import SECTION_NAMES, Packet, PacketEntry
from botcore.schema import Prompt

PACKET_STEM = "packet"
PACKET_FORMATS: tuple[Format, ...] = ("html", "pdf")
CARE_TEAM_MARK = "For the care team: "
PROMPT_HEADINGS = {
    "conversation": "Conversation prompts",
    "family-question": "Questions families often ask",
}


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
            section = source.section(cite.section)
            cites[f"{source.short}, section: {section.name if section else cite.section}"] = None
    return [
        Para(PROMPT_HEADINGS[kind], note=True),
        Items(tuple(p.text for p in prompts)),
        Para(f"Written from: {'; '.join(cites)}. Approval: {_prompt_approval(corpus, prompts)}",
             note=True),
    ]


def build_packet_document(corpus: Corpus, packet: Packet, terms: TermIndex,
                          made_on: str) -> Document:
    """The packet as a document. Entries that are no longer approved are left out
    (fail closed): only approved text is ever printed."""
    blocks: list[Block] = [Card("Emergency card", corpus.message("emergency-card"))]
    blocks += [Heading("About this packet"), Para(corpus.message("disclaimer")),
               Para("Prepared by the care team for a goals-of-care conversation. Passages "
                    "marked \u201cFor the care team\u201d give more clinical detail for "
                    "the nurse or doctor.", note=True)]
    facts = packet.situation.describe()
    if facts:
        blocks += [Heading("The situation"), Items(tuple(facts), user_text=True)]

    texts: list[str] = []
    current: str | None = None
    pending: list[Prompt] = []
    pending_kind = ""

    def flush() -> None:
        nonlocal pending
        if pending:
            blocks.extend(_prompt_blocks(corpus, pending_kind, pending))
            texts.extend(p.text for p in pending)
            pending = []

    for entry in packet.entries:
        if not _approved(corpus, entry):
            continue
        if entry.section != current:
            flush()
            current = entry.section
            blocks.append(Heading(SECTION_NAMES.get(entry.section, entry.section)))
        if entry.kind == "passage":
            flush()
            snip = corpus.snippet(entry.id, 1.0)
            title = (CARE_TEAM_MARK + snip.title) if snip.audience == "nurse" else snip.title
            blocks.append(PassageBlock(title, snip.text, snip.citation,
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

    used: dict[str, None] = {}
    for text in texts:
        for term in terms.terms_in(text):
            used[term.id] = None
    definitions = tuple((terms.terms[t].term, terms.terms[t].definition) for t in used)
    if definitions:
        blocks += [Heading("Words to know"), Definitions(definitions)]
    blocks += [Heading("Notes from the conversation"), WriteLines(6)]
    return Document(
        title="ATC Guide: goals-of-care conversation packet",
        subtitle=f"Made on {made_on}. General information approved for ATC Guide; it is "
                 "not advice for one person. Questions about this patient's care go to "
                 "their care team.",
        blocks=tuple(blocks),
    )


def _approved(corpus: Corpus, entry: PacketEntry) -> bool:
    if entry.kind == "passage":
        return corpus.is_approved(entry.id)
    prompt = corpus.prompts.get(entry.id)
    return prompt is not None and corpus.prompt_status(prompt).state == "approved"


def write_packet(doc: Document, folder: Path, formats: Iterable[Format] = PACKET_FORMATS,
                 stem: str = PACKET_STEM) -> list[Path]:
    """Write ``packet.html`` and ``packet.pdf`` into ``folder`` (atomically, 0600)."""
    return write_documents(doc, folder, formats, stem=stem)
