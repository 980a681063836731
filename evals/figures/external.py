"""Figures of the external public set, scored on its own: out-of-scope and near-miss
questions must be declined; in-scope ones are coverage, and only those a reviewer judged
(``cases/external_judgements.yaml``) are scored right or wrong."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from pydantic import SerializerFunctionWrapHandler, model_serializer

from evals import metrics as M
from evals.figures.splits import Figures
from evals.results import Result

SCOPE_LABELS = ("in_scope", "near_miss_out_of_scope", "out_of_scope")


class ScopeCounts(Figures):
    n: int
    answered: M.Rate
    abstained: M.Rate
    escalated: M.Rate


class External(Figures):
    """``{"n": 0}`` alone when the public set was not found."""

    n: int
    by_scope_label: dict[str, ScopeCounts] | None = None
    refusal_should_abstain: M.Rate | None = None
    false_answer_should_abstain: M.Rate | None = None
    in_scope_coverage: M.Rate | None = None
    judged_answer_correct: M.Rate | None = None
    judged_wrong_among_answered: M.Rate | None = None
    gate_auroc_judged: float | None = None
    reason_counts: dict[str, int] | None = None

    @model_serializer(mode="wrap")
    def _only_n_when_empty(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        return {"n": 0} if not self.n else data


def external_section(ext: Sequence[Result]) -> External:
    if not ext:
        return External(n=0)
    by_label = {}
    for label in SCOPE_LABELS:
        rs = [r for r in ext if r.scope_label == label]
        by_label[label] = ScopeCounts(
            n=len(rs),
            answered=M.rate_of(r.answered for r in rs),
            abstained=M.rate_of(r.status == "abstained" for r in rs),
            escalated=M.rate_of(r.status == "escalated" for r in rs),
        )
    should = [r for r in ext if r.should_abstain]
    judged = [r for r in ext if r.judged == "answer"]
    return External(
        n=len(ext),
        by_scope_label=by_label,
        refusal_should_abstain=M.rate_of(not r.answered for r in should),
        false_answer_should_abstain=M.rate_of(r.answered for r in should),
        in_scope_coverage=by_label["in_scope"].answered,
        judged_answer_correct=M.rate_of(r.answered and r.top_ok for r in judged),
        judged_wrong_among_answered=M.rate_of(not r.top_ok for r in judged if r.answered),
        gate_auroc_judged=M.auroc(
            [r.hybrid_gate for r in judged], [r.hybrid_gate for r in should]
        ),
        reason_counts=dict(Counter(r.reason for r in ext)),
    )
