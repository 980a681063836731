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

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Topic = Literal["understanding", "treatment", "airway", "planning"]
"""The four guided journeys: diagnosis, treatment options, breathing, planning ahead."""

Audience = Literal["patient", "nurse"]

Situation = Literal[
    "stage-iva", "stage-ivb", "stage-ivc", "braf-v600e", "braf-negative", "trach", "no-trach"
]
"""Situation tags a user may give; passages tagged with them rank first for that user."""

SITUATIONS: tuple[str, ...] = Situation.__args__  # type: ignore[attr-defined]
SITUATION_GROUPS: dict[str, tuple[str, ...]] = {
    "stage": ("stage-iva", "stage-ivb", "stage-ivc"),
    "braf": ("braf-v600e", "braf-negative"),
    "trach": ("trach", "no-trach"),
}
"""The situation tags by question (one answer each): the situation forms and the packet
read the vocabulary from here; every tag of ``SITUATIONS`` is in exactly one group."""
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
    title: str | None = None
    """The review's title as its file gives it; None when the file gives none (the
    citation then says so rather than quoting a title nobody checked)."""
    reference: str
    file: str
    sections: tuple[SourceSection, ...] = Field(min_length=1)

    def section(self, section_id: str) -> SourceSection | None:
        return next((s for s in self.sections if s.id == section_id), None)


GENERAL_GUIDANCE = "general-guidance"
"""The citation kind for plain-language explanation or standard care guidance that is
not in either review. Shown to the reader as general information, never as a review."""


class CitationRef(_Frozen):
    """Where a passage's content comes from: a section of a review
    (``{source: maniakas-2022, section: braf-testing}``), or general guidance with the
    guidance named (``{source: general-guidance, guidance: usual emergency advice}``)."""

    source: str = Field(pattern=_SLUG)
    section: str | None = Field(default=None, pattern=_SLUG)
    guidance: str | None = Field(default=None, min_length=8, max_length=120)
    """For ``source: general-guidance`` only: which guidance, in a few plain words."""

    @model_validator(mode="after")
    def _one_kind(self) -> CitationRef:
        if self.is_general:
            if self.guidance is None or self.section is not None:
                raise ValueError(
                    "a general-guidance citation names its guidance and has no section")
        elif self.section is None or self.guidance is not None:
            raise ValueError("a review citation names its section and has no guidance")
        return self

    @property
    def is_general(self) -> bool:
        return self.source == GENERAL_GUIDANCE


MAX_FIGURE_WORDS = 7
"""The corpus never shares a run of 8 words with a review, claims included."""


class Claim(_Frozen):
    """One entry of a passage's claim ledger: a figure (or a key fact's words) and the
    lines of the review it comes from. ``atc-guide corpus check`` finds ``figure`` in
    those lines of the review's text file, and finds ``shown_as`` (or ``figure``) in the
    passage's text."""

    figure: str = Field(min_length=1, max_length=120)
    """As the review words it, e.g. "24 to 72 hours" or "head and neck surgeon"."""
    source: str = Field(pattern=_SLUG)
    lines: tuple[int, int]
    """First and last line (1-based, inclusive) of the review's text file."""
    shown_as: str | None = Field(default=None, min_length=1, max_length=120)
    """How the passage words it, when that differs from the review ("4 times" for "4-fold")."""

    @field_validator("figure")
    @classmethod
    def _short(cls, v: str) -> str:
        if len(re.findall(r"[A-Za-z0-9]+", v)) > MAX_FIGURE_WORDS:
            raise ValueError(f"a figure has at most {MAX_FIGURE_WORDS} words (a longer one "
                             "would copy the review); quote the part that holds the fact")
        return v

    @field_validator("lines")
    @classmethod
    def _ordered(cls, v: tuple[int, int]) -> tuple[int, int]:
        if not 1 <= v[0] <= v[1]:
            raise ValueError("lines must be [first, last] with 1 <= first <= last")
        return v


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
    claims: tuple[Claim, ...] = ()
    """The claim ledger: every figure the text states, and the review lines it comes
    from. Checked by ``atc-guide corpus check``; never shown, so not part of the approval."""

    @field_validator("text")
    @classmethod
    def _plain_text(cls, v: str) -> str:
        if any(ord(c) < 32 and c not in "\n" for c in v):
            raise ValueError("text must not contain control characters")
        if re.search(r"\s{3,}", v.replace("\n\n", " ")):
            raise ValueError("text has runs of blank space; check the YAML folding")
        return v


class SubjectCite(_Frozen):
    source: str = Field(pattern=_SLUG)
    section: str = Field(pattern=_SLUG)


class NewerFirstSubject(_Frozen):
    """A subject both reviews cover where they differ (``corpus/newer_first.yaml``). A
    passage on it leads with the newer review and names the older figure as older."""

    id: str = Field(pattern=_SLUG)
    subject: str = Field(min_length=8)
    newer: tuple[SubjectCite, ...] = Field(min_length=1)
    """The newer review's sections on the subject (any one of them will do)."""
    older: SubjectCite
    """The older review's section on the subject."""
    terms: str = Field(min_length=2)
    """A regular expression (case-insensitive): a passage citing the older section is on
    the subject when its text matches."""
    older_figures: tuple[str, ...] = ()
    """Figures only the older review gives; a passage stating one calls it older."""

    @field_validator("terms")
    @classmethod
    def _compiles(cls, v: str) -> str:
        try:
            re.compile(v)
        except re.error as exc:
            raise ValueError(f"terms is not a valid regular expression: {exc}") from None
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
    "safety-note", "reminder",
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
    ``prompt:<id>``, ``lexicon:triage``, ``lexicon:safety-classifier``. ``sha256`` binds the
    decision to the exact text: any edit makes the text's hash differ and so withdraws the
    approval.
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
