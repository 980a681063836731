"""Pydantic models for every file in ``corpus/``.

The corpus is clinical content that clinicians review, so the models are strict:
frozen, ``extra="forbid"`` (a misspelt field is an error, not silently ignored), and
constrained enough that a bad file fails on load with a message naming the file, the
entry and the field (see :mod:`botcore.corpus`).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Topic = Literal["understanding", "treatment", "airway", "planning"]
"""The four guided journeys: diagnosis, treatment options, breathing, planning ahead."""

Audience = Literal["patient", "nurse"]

Situation = Literal[
    "stage-iva", "stage-ivb", "stage-ivc", "braf-v600e", "braf-negative", "trach", "no-trach"
]
"""Situation tags a user may give; passages tagged with them rank first for that user."""

SITUATIONS: tuple[str, ...] = Situation.__args__  # type: ignore[attr-defined]
TOPICS: tuple[str, ...] = Topic.__args__  # type: ignore[attr-defined]

_SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False)


class SourceSection(_Frozen):
    id: str = Field(pattern=_SLUG)
    name: str = Field(min_length=3)
    lines: tuple[int, int]
    """First and last line (1-based, inclusive) of the section in the review's text file."""


class Source(_Frozen):
    id: str = Field(pattern=_SLUG)
    short: str
    title: str
    reference: str
    file: str
    sections: tuple[SourceSection, ...] = Field(min_length=1)

    def section(self, section_id: str) -> SourceSection | None:
        return next((s for s in self.sections if s.id == section_id), None)


class CitationRef(_Frozen):
    source: str = Field(pattern=_SLUG)
    section: str = Field(pattern=_SLUG)


class Passage(_Frozen):
    """One approved-or-pending unit of patient education, shown verbatim."""

    id: str = Field(pattern=_SLUG, max_length=80)
    title: str = Field(min_length=8, max_length=120)
    """Phrased the way a person would ask it (usually ends with '?')."""
    topic: Topic
    audience: Audience = "patient"
    situations: tuple[Situation, ...] = ()
    cites: tuple[CitationRef, ...] = Field(min_length=1)
    text: str = Field(min_length=80, max_length=1400)
    asked_as: tuple[str, ...] = ()
    """Other ways people ask for this passage. Used for retrieval only, never shown."""
    guided_step: int | None = Field(default=None, ge=1)
    """Position in its topic's guided journey; None = reachable by questions only."""

    @field_validator("text")
    @classmethod
    def _plain_text(cls, v: str) -> str:
        if any(ord(c) < 32 and c not in "\n" for c in v):
            raise ValueError("text must not contain control characters")
        if re.search(r"\s{3,}", v.replace("\n\n", " ")):
            raise ValueError("text has runs of blank space; check the YAML folding")
        return v


class GlossaryTerm(_Frozen):
    id: str = Field(pattern=_SLUG)
    term: str = Field(min_length=2)
    definition: str = Field(min_length=20, max_length=600)
    lay_terms: tuple[str, ...] = ()
    """Words families use for the same thing ("trach", "breathing tube"); used to
    expand queries and to mark terms in passages."""


PacketSection = Literal["understanding", "options", "airway", "what-matters", "planning"]
"""The parts of a goals-of-care conversation, in the order they are usually taken."""

PACKET_SECTIONS: tuple[str, ...] = PacketSection.__args__  # type: ignore[attr-defined]


class Prompt(_Frozen):
    """An approved conversation prompt (words a nurse may use) or a question families
    often ask, for the care team's preparation packet (``corpus/prompts.yaml``)."""

    id: str = Field(pattern=_SLUG, max_length=80)
    kind: Literal["conversation", "family-question"]
    section: PacketSection
    text: str = Field(min_length=10, max_length=400)
    cites: tuple[CitationRef, ...] = Field(min_length=1)
    situations: tuple[Situation, ...] = ()
    """Only for these situations (every tagged dimension must match); empty = any."""
    hospice_discussed: bool | None = None
    """Only when hospice has (True) or has not yet (False) been discussed; None = either."""

    @field_validator("text")
    @classmethod
    def _one_line(cls, v: str) -> str:
        if any(ord(c) < 32 for c in v):
            raise ValueError("text must be one line without control characters")
        return v


MessageKind = Literal[
    "emergency", "urgent", "crisis", "fallback", "out-of-scope", "weak-evidence", "related",
    "redirect", "language", "empty", "disclaimer", "approval-label", "emergency-card",
]


class Message(_Frozen):
    """Fixed text the system shows (emergency, refusal, redirect...). Approved like
    passages: a patient reads every word of it."""

    id: str = Field(pattern=_SLUG)
    kind: MessageKind
    text: str = Field(min_length=10, max_length=1200)


class Approval(BaseModel):
    """One line of the append-only approvals ledger (``corpus/approvals.jsonl``).

    ``item`` is namespaced: ``passage:<id>``, ``glossary:<id>``, ``message:<id>``,
    ``prompt:<id>``, ``lexicon:triage``. ``sha256`` binds the decision to the exact text: any
    edit makes the text's hash differ and so withdraws the approval.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    item: str = Field(pattern=r"^(passage|glossary|message|lexicon|prompt):[a-z0-9-]+$")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    """sha256 of the exact text shown (a passage's ``text``, a message's ``text``...)."""
    meta_sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    """sha256 of what else is shown with it (a passage's title, audience and citations):
    editing those withdraws the approval too."""
    decision: Literal["approved", "rejected"]
    reviewer: str = Field(min_length=2, max_length=120)
    role: str = Field(min_length=2, max_length=80)
    meaning: Literal["patient-facing", "nurse-only"] = "patient-facing"
    at: datetime
    note: str = Field(default="", max_length=1000)
    prev: str = Field(default="", pattern=r"^([0-9a-f]{64})?$")
    """sha256 of the previous ledger line's bytes: a hash chain, so that an edited or
    deleted record anywhere in the ledger is detected by the verifier."""
    demonstration: bool = False
    """True for the bundled approvals: nobody clinical signed them, and every screen
    that shows such a passage says so."""
