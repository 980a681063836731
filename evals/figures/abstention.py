"""Answer or decline, as selective prediction: refusal of off-topic and near-miss
questions, false refusals, wrong answers among answers, how well the gate score
separates answerable from should-decline questions (AUROC), and the risk-coverage curve
with the threshold in use marked on it."""

from __future__ import annotations

import math
from collections.abc import Sequence

from evals import metrics as M
from evals.figures.splits import BySplit, Figures, by_split
from evals.results import Result

GATE_EDGES = tuple(round(0.05 * i, 2) for i in range(0, 21))
"""Gate-score histogram bins: 0.00-0.05, ..., 0.95-1.00."""


class CurvePoint(Figures):
    threshold: float | None
    """None for the strictest point (answer nothing: an infinite threshold)."""
    coverage: float
    risk: float | None
    answered: int
    wrong: int


class OperatingPoint(Figures):
    """Where the threshold in use sits on the curve."""

    threshold: float
    coverage: float | None
    risk: float | None


class GateHistogram(Figures):
    edges: list[float]
    answerable: list[int]
    should_abstain: list[int]


class AbstentionCounts(Figures):
    answerable: int
    near_miss: int
    off_topic: int


class AbstentionSplit(Figures):
    off_topic_refusal: M.Rate
    near_miss_refusal: M.Rate
    false_refusal: M.Rate
    answerable_escalated: M.Rate
    answered_correct: M.Rate
    wrong_among_answered: M.Rate
    risk_among_all_answered: M.Rate
    """Any wrong answer among all answers given: a should-decline question answered, or
    an answerable one answered with a wrong first passage."""
    coverage: M.Rate
    gate_auroc: float | None
    aurc: float | None
    curve: list[CurvePoint]
    operating_point: OperatingPoint
    gate_hist: GateHistogram
    n: AbstentionCounts


Abstention = BySplit[AbstentionSplit]


def curve_point(p: M.RiskPoint) -> CurvePoint:
    threshold = None if math.isinf(p.threshold) else p.threshold
    return CurvePoint(
        threshold=threshold, coverage=p.coverage, risk=p.risk, answered=p.answered, wrong=p.wrong
    )


def _split(rs: Sequence[Result], threshold: float) -> AbstentionSplit:
    off = [r for r in rs if r.kind == "off_topic"]
    near = [r for r in rs if r.kind == "near_miss"]
    ans = [r for r in rs if r.kind == "answerable"]
    answered_ans = [r for r in ans if r.answered]
    should = off + near
    answered_all = [r for r in ans + should if r.answered]
    curve_items = [r.gate_item for r in ans + should]
    curve = M.risk_coverage(curve_items)
    at = [r for r in curve_items if M.answers_at(r, threshold)]
    return AbstentionSplit(
        off_topic_refusal=M.rate_of(not r.answered for r in off),
        near_miss_refusal=M.rate_of(not r.answered for r in near),
        false_refusal=M.rate_of(r.status == "abstained" for r in ans),
        answerable_escalated=M.rate_of(r.status == "escalated" for r in ans),
        answered_correct=M.rate_of(r.answered and r.top_ok for r in ans),
        wrong_among_answered=M.rate_of(not r.top_ok for r in answered_ans),
        risk_among_all_answered=M.rate_of(
            (not r.top_ok) or r.should_abstain for r in answered_all
        ),
        coverage=M.rate_of(r.answered for r in ans + should),
        gate_auroc=M.auroc([r.hybrid_gate for r in ans], [r.hybrid_gate for r in should]),
        aurc=M.aurc(curve),
        curve=[curve_point(p) for p in curve],
        operating_point=OperatingPoint(
            threshold=threshold,
            coverage=len(at) / len(curve_items) if curve_items else None,
            risk=(sum(1 for r in at if not r.correct) / len(at)) if at else None,
        ),
        gate_hist=GateHistogram(
            edges=list(GATE_EDGES),
            answerable=M.histogram(
                [r.hybrid_gate for r in ans if r.hybrid_gate is not None], GATE_EDGES
            ),
            should_abstain=M.histogram(
                [r.hybrid_gate for r in should if r.hybrid_gate is not None], GATE_EDGES
            ),
        ),
        n=AbstentionCounts(answerable=len(ans), near_miss=len(near), off_topic=len(off)),
    )


def abstention_section(results: Sequence[Result], threshold: float) -> Abstention:
    splits = {split: _split(rs, threshold) for split, rs in by_split(results).items()}
    return Abstention(dev=splits["dev"], heldout=splits["heldout"], all=splits["all"])
