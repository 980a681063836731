"""What happened to one case: the :class:`Result` of asking it, and :func:`judge`, which
says pass or fail and why in words a clinician can read.

A result is filled in by :mod:`evals.run` and read by every figures section; the report
shows it as a :class:`CaseRow` (the subset written to ``report.json``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict

from evals import metrics as M

GATE_REASONS = ("weak-evidence", "out-of-scope", "related")
"""Abstentions decided by the answer decision alone (not by triage or a scope rule):
"related, not an answer" is one of them."""


@dataclass
class Result:
    """What happened to one case (or one external question)."""

    id: str
    split: str
    kind: str
    question: str
    turns: list[str]
    expected: list[str]
    passages: list[str]
    tier_expected: list[str]
    situations: list[str]
    tags: list[str]
    message_expected: str | None = None
    status: str = ""
    reason: str = ""
    tier: str | None = None
    message_id: str | None = None
    served: list[str] = field(default_factory=list)
    gate_score: float | None = None
    """The score the engine's own gate saw (None when the gate did not run)."""
    hybrid_gate: float | None = None
    """The gate score of the hybrid ranking for the last turn (retrieve(), always computed)."""
    top_candidate: str | None = None
    """The passage the engine would show first if the gate let it answer."""
    rankings: dict[str, list[str]] = field(default_factory=dict)
    latency_ms: float = 0.0
    integrity: list[str] = field(default_factory=list)
    passed: bool = False
    why: list[str] = field(default_factory=list)
    external: bool = False
    scope_label: str = ""
    judged: str | None = None

    @property
    def answered(self) -> bool:
        return self.status == "answered"

    @property
    def reaches_gate(self) -> bool:
        """True when only the abstention threshold decided whether to answer."""
        if self.status == "answered":
            return True
        return (
            self.status == "abstained"
            and self.reason in GATE_REASONS
            and self.gate_score is not None
        )

    @property
    def top_ok(self) -> bool:
        return bool(self.served) and self.served[0] in self.passages

    @property
    def should_abstain(self) -> bool:
        if self.external:
            return self.scope_label != "in_scope" or self.judged == "abstain"
        return self.kind in ("near_miss", "off_topic")

    @property
    def gate_item(self) -> M.GateItem:
        correct = (
            not self.should_abstain and bool(self.passages) and self.top_candidate in self.passages
        )
        return M.GateItem(self.hybrid_gate, self.reaches_gate, correct)


def _external_why(res: Result, served: str) -> list[str]:
    why: list[str] = []
    if res.should_abstain and res.answered:
        why.append(f"answered ({served}) where it should have declined")
    if res.judged == "answer":
        if not res.answered:
            why.append(
                f"did not answer ({res.reason}); a reviewer judged passage "
                f"{', '.join(res.passages)} answers it"
            )
        elif not res.top_ok:
            why.append(f"answered with {served}; a reviewer expected {', '.join(res.passages)}")
    return why


def _case_why(res: Result, served: str) -> list[str]:
    why: list[str] = []
    if res.status not in res.expected:
        want = " or ".join(res.expected)
        if res.status == "answered":
            why.append(f"answered with {served} but should have been {want}")
        elif res.status == "escalated":
            why.append(f"escalated ({res.tier}) but should have been {want}")
        else:
            gate = f", gate score {res.gate_score:.3f}" if res.gate_score is not None else ""
            why.append(f"{res.status} ({res.reason}{gate}) but should have been {want}")
    if res.status == "escalated" and "escalated" in res.expected:
        if res.tier not in res.tier_expected:
            why.append(
                f"escalated as '{res.tier}' but the tier should be "
                f"{' or '.join(res.tier_expected)}"
            )
        if res.tier in ("emergency", "crisis") and res.served:
            why.append(f"showed passages ({served}) with the {res.tier} message")
    wrong_message = res.message_id != res.message_expected
    if res.message_expected and res.status in res.expected and wrong_message:
        why.append(f"showed the message '{res.message_id}' instead of '{res.message_expected}'")
    if res.status == "answered" and res.passages and "answered" in res.expected and not res.top_ok:
        why.append(
            f"answered, but the first passage shown ({res.served[0] if res.served else '-'}) "
            f"is not one that answers it ({', '.join(res.passages)})"
        )
    return why


def judge(res: Result) -> None:
    """Pass or fail, and why, in words a clinician can read."""
    served = ", ".join(res.served) or "no passage"
    why = _external_why(res, served) if res.external else _case_why(res, served)
    why += [f"integrity: {p}" for p in res.integrity]
    res.why = why
    res.passed = not why


class CaseRow(BaseModel):
    """One case as ``report.json`` and the report's tables show it."""

    model_config = ConfigDict(extra="forbid")

    id: str
    split: str
    kind: str
    question: str
    turns: list[str]
    expected: list[str]
    passages: list[str]
    tier_expected: list[str]
    situations: list[str]
    tags: list[str]
    message_expected: str | None
    status: str
    reason: str
    tier: str | None
    message_id: str | None
    served: list[str]
    gate_score: float | None
    hybrid_gate: float | None
    top_candidate: str | None
    rankings: dict[str, list[str]]
    """The first five of each retrieval mode."""
    latency_ms: float
    passed: bool
    why: list[str]
    scope_label: str | None
    judged: str | None

    @classmethod
    def of(cls, r: Result) -> CaseRow:
        return cls(
            id=r.id,
            split=r.split,
            kind=r.kind,
            question=r.question,
            turns=r.turns,
            expected=r.expected,
            passages=r.passages,
            tier_expected=r.tier_expected,
            situations=r.situations,
            tags=r.tags,
            message_expected=r.message_expected,
            status=r.status,
            reason=r.reason,
            tier=r.tier,
            message_id=r.message_id,
            served=r.served,
            gate_score=r.gate_score,
            hybrid_gate=r.hybrid_gate,
            top_candidate=r.top_candidate,
            rankings={m: ids[:5] for m, ids in r.rankings.items()},
            latency_ms=round(r.latency_ms, 2),
            passed=r.passed,
            why=r.why,
            scope_label=r.scope_label or None,
            judged=r.judged,
        )
