"""What the engine returns, and the session state it reads.

These are the only types a front door (CLI, TUI, eval runner) needs. ``Answer`` is
serialised exactly as the command-line contract in the README says.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from botcore.schema import Situation, Topic

Status = Literal["answered", "abstained", "escalated"]
Tier = Literal["emergency", "urgent", "crisis"]
SafetyNote = Literal["emergency", "crisis"]
"""A weaker safety signal: the approved resources shown first, above the answer."""
Reason = Literal[
    "answered",       # passages served
    "escalated",      # red flag or crisis language (see Answer.tier)
    "empty",          # nothing was asked
    "out-of-scope",   # not about ATC and its care
    "weak-evidence",  # in scope, but no approved passage answers it well enough
    "related",        # no approved answer to exactly that; related passage titles offered
    "redirect",       # a personal medical decision (dose, treatment choice, time left)
    "language",       # not English
    "fault",          # a stage failed: fail closed with the approved fallback
]


class Snippet(BaseModel):
    """One approved passage, verbatim, with where it came from and who approved it."""

    model_config = ConfigDict(frozen=True)

    passage_id: str
    title: str
    text: str
    citation: str
    score: float
    approved_by: str
    approved_on: str
    approval_label: str
    """Shown beside the passage, e.g. 'Demonstration approval - not reviewed by a clinician'."""
    topic: Topic
    audience: Literal["patient", "nurse"]


class Answer(BaseModel):
    model_config = ConfigDict(frozen=True, hide_input_in_errors=True)

    question: str
    status: Status
    message: str | None = None
    """The refusal, redirect or emergency text; shown before any snippet."""
    snippets: list[Snippet] = Field(default_factory=list)
    suggestions: list[str] = Field(default_factory=list)
    reason: Reason = "answered"
    tier: Tier | None = None
    """The escalation tier (status "escalated" only)."""
    safety_note: SafetyNote | None = None
    """Set when a weaker crisis or emergency signal shows ``safety_message`` first, above
    an answer that is not blocked."""
    safety_message: str | None = None
    """The approved crisis or emergency resources for ``safety_note``."""
    reminder: str | None = None
    """The approved one-line safety reminder (911 / 988) ending a message that declines."""
    message_id: str | None = None
    gate_score: float | None = None
    """The score the decision compared with its threshold (None when it did not run): the
    answerability model's probability that the passages answer the question (or, with the
    similarity gate, the best cosine). Reported by the evals; not shown to users."""
    considered: list[str] = Field(default_factory=list)
    """The passages the decision weighed, best first (shown, or offered as "related").
    Not part of the ``ask --json`` contract; the evals and the conversation read it."""
    subject: list[str] = Field(default_factory=list)
    """The glossary terms this turn was about (its own, or carried from earlier turns)."""
    searched: str = ""
    """The question as it was searched (with its subject, for a follow-up)."""
    noted: list[str] = Field(default_factory=list)
    """Situations recognised in this question and now kept in the session (situation tags,
    and "hospice"): the app shows them so the user can correct them."""
    evidence: dict[str, float] = Field(default_factory=dict)
    """The answerability signals the decision read (evals and the fitting script)."""

    def shown_message(self) -> str | None:
        """What is shown before any passage, as one text: the safety note's resources
        (answers that are not blocked), else the message, ending with the safety reminder
        when it declines. Each part is an approved text, verbatim, joined by a blank line."""
        parts = [p for p in (self.safety_message, self.message, self.reminder) if p]
        return "\n\n".join(parts) if parts else None

    def contract_dict(self) -> dict[str, object]:
        """The JSON object of the ``atc-guide ask --json`` contract."""
        return {
            "question": self.question,
            "status": self.status,
            "tier": self.tier,
            "safety_note": self.safety_note,
            "message": self.shown_message(),
            "snippets": [
                {
                    "passage_id": s.passage_id,
                    "title": s.title,
                    "text": s.text,
                    "citation": s.citation,
                    "score": round(s.score, 4),
                    "approved_by": s.approved_by,
                    "approved_on": s.approved_on,
                }
                for s in self.snippets
            ],
            "suggestions": list(self.suggestions),
        }


class Turn(BaseModel):
    model_config = ConfigDict(frozen=True, hide_input_in_errors=True)

    question: str
    status: Status
    tier: Tier | None = None
    message_id: str | None = None
    """The approved message shown (an escalation held under push-back repeats it)."""
    safety_note: SafetyNote | None = None
    """The resources shown above an answer (push-back right after one holds, round 6)."""
    topic: Topic | None = None
    passage_ids: tuple[str, ...] = ()
    reason: Reason | None = None
    query: str = ""
    """The question as searched: for a follow-up, with its subject (a later follow-up
    leans on this rather than on the bare "what about that?")."""
    terms: tuple[str, ...] = ()
    """The glossary terms the turn was about (what a follow-up inherits)."""
    considered: tuple[str, ...] = ()
    """The passages the decision weighed (a follow-up's subject when no term was named)."""


class Session(BaseModel):
    """What the engine may know about the conversation so far. Kept in memory by the
    caller; the engine never stores it."""

    model_config = ConfigDict(hide_input_in_errors=True)

    situations: set[Situation] = Field(default_factory=set)
    """The person's situation: set by the app, and by the engine when a question states
    it in passing ("mom has stage IVC and no BRAF mutation"); the user may correct it."""
    hospice: bool | None = None
    """In hospice care (True), said not to be (False), or not known (None). Set like
    ``situations``; shown by the app, not used for ranking."""
    topic: Topic | None = None
    """A guided-topic context ("ask about this"): biases retrieval towards the topic."""
    turns: list[Turn] = Field(default_factory=list)

    def last_escalation(self, within: int = 3) -> Turn | None:
        """The most recent escalated turn among the last ``within`` turns, if any."""
        for turn in reversed(self.turns[-within:]):
            if turn.status == "escalated" and turn.tier in ("emergency", "crisis"):
                return turn
        return None
