"""The take-home handout of a patient session, as a document (no UI: the app and any
headless caller build it the same way)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from botcore.corpus import Corpus
from botcore.export.document import (
    Block,
    Card,
    Definitions,
    Document,
    Heading,
    Items,
    Para,
    PassageBlock,
    WriteLines,
    approval_line,
    long_date,
)
from botcore.glossary_terms import TermIndex
from botcore.labels import SITUATION_NAMES
from botcore.trust import trust


@dataclass(frozen=True)
class HandoutNotes:
    """What a session contributes to its handout; the front door fills it in."""

    situations: frozenset[str] = frozenset()
    saved: Sequence[str] = ()
    """Passage ids, in the order they were saved."""
    looked_up: Sequence[str] = ()
    """Glossary term ids the person opened."""
    my_questions: Sequence[str] = ()
    """The person's own questions for the care team (user text: escaped strictly)."""


def subtitle_for(corpus: Corpus, made_on: date) -> str:
    """"Made on 1 December 2026." and, while it applies, the approved trust line."""
    line = trust(corpus).line
    return f"Made on {long_date(made_on)}." + (f" {line}" if line else "")


def build_handout(corpus: Corpus, notes: HandoutNotes, terms: TermIndex,
                  made_on: date) -> Document:
    """The handout for this session: emergency card first, then the disclaimer, the
    situation, the saved passages with citations and approvals, the glossary terms
    used, and the user's own questions."""
    blocks: list[Block] = [Card("Emergency card", corpus.message("emergency-card"))]
    blocks += [Heading("About this handout"), Para(trust(corpus).disclaimer)]
    if notes.situations:
        names = [SITUATION_NAMES[s] for s in sorted(notes.situations)]
        blocks += [Heading("The situation you told the app"), Items(tuple(names))]

    blocks.append(Heading("What you saved"))
    texts: list[str] = []
    snippets = [corpus.snippet(pid, 1.0) for pid in notes.saved if corpus.is_approved(pid)]
    if not snippets:
        blocks.append(Para("You did not save any passages in this session.", note=True))
    for snip in snippets:
        texts.append(snip.text)
        blocks.append(PassageBlock(snip.title, snip.text, snip.citation,
                                   approval_line(snip.approval_label, snip.approved_by,
                                                 snip.approved_on)))

    used: dict[str, None] = {}
    for text in texts:
        for term in terms.terms_in(text):
            used[term.id] = None
    for term_id in notes.looked_up:
        used[term_id] = None
    definitions = tuple((terms.terms[t].term, terms.terms[t].definition)
                        for t in used if t in terms.terms)
    if definitions:
        blocks += [Heading("Words to know"), Definitions(definitions)]

    blocks.append(Heading("My questions for the care team"))
    if notes.my_questions:
        blocks.append(Items(tuple(notes.my_questions), user_text=True))
    blocks.append(WriteLines(4))
    return Document(title="ATC Guide: my handout", subtitle=subtitle_for(corpus, made_on),
                    blocks=tuple(blocks))
