"""The numbers: pure functions, tested against hand-worked examples.

Retrieval measures come from ``ir-measures`` (pytrec_eval underneath), not hand-rolled.
Every rate carries a Wilson 95 % interval so a reader sees what the sample size allows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass

Z95 = 1.959963984540054
NO_RESULT = "__no_result__"
"""The one document of an empty run: never relevant, so an unanswered query scores 0
instead of silently dropping out of the average (pytrec_eval skips absent queries)."""


# -- rates ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rate:
    k: int
    n: int
    rate: float | None
    lo: float | None
    hi: float | None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    def text(self, digits: int = 0) -> str:
        """'97 % (95 % CI 91-99 %, 58/60)'; 'n/a (0 cases)' when there is nothing to count."""
        if self.n == 0 or self.rate is None:
            return "n/a (0 cases)"
        f = f"{{:.{digits}f}}"
        return (
            f"{f.format(100 * self.rate)} % (95 % CI {f.format(100 * (self.lo or 0))}"
            f"\u2013{f.format(100 * (self.hi or 0))} %, {self.k}/{self.n})"
        )


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for k successes out of n (n > 0)."""
    if n <= 0:
        raise ValueError("wilson needs n > 0")
    if not 0 <= k <= n:
        raise ValueError("k must be between 0 and n")
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def rate(k: int, n: int) -> Rate:
    if n == 0:
        return Rate(0, 0, None, None, None)
    lo, hi = wilson(k, n)
    return Rate(k, n, k / n, lo, hi)


def rate_of(flags: Iterable[bool]) -> Rate:
    values = list(flags)
    return rate(sum(1 for v in values if v), len(values))


# -- ranking quality of a score -------------------------------------------------------------------
def _finite_or_low(x: float | None) -> float:
    return x if x is not None and math.isfinite(x) else -math.inf


def auroc(positives: Sequence[float | None], negatives: Sequence[float | None]) -> float | None:
    """Probability that a random positive scores above a random negative (ties count half).

    Missing or non-finite scores rank lowest (the gate treats them as 'abstain').
    """
    if not positives or not negatives:
        return None
    pos = [_finite_or_low(x) for x in positives]
    neg = [_finite_or_low(x) for x in negatives]
    wins = 0.0
    for p in pos:
        for q in neg:
            wins += 1.0 if p > q else 0.5 if p == q else 0.0
    return wins / (len(pos) * len(neg))


@dataclass(frozen=True)
class RiskPoint:
    threshold: float
    coverage: float
    risk: float | None
    answered: int
    wrong: int


@dataclass(frozen=True)
class GateItem:
    """One question for the risk-coverage curve.

    ``score``: the gate score; ``reaches_gate``: False when an earlier stage (triage,
    scope rules) already decided, whatever the threshold; ``correct``: True when an answer
    at this question would be right (its top passage is acceptable); always False for a
    question that should be refused.
    """

    score: float | None
    reaches_gate: bool
    correct: bool


def answers_at(item: GateItem, threshold: float) -> bool:
    s = item.score
    return item.reaches_gate and s is not None and math.isfinite(s) and s >= threshold


def risk_coverage(items: Sequence[GateItem]) -> list[RiskPoint]:
    """Selective-prediction curve: for every threshold at which the set of answered
    questions changes, the share answered (coverage) and the share of those answers
    that are wrong (risk). Ordered from the strictest threshold to the loosest."""
    n = len(items)
    if n == 0:
        return []
    scores = sorted(
        {
            i.score
            for i in items
            if i.reaches_gate and i.score is not None and math.isfinite(i.score)
        },
        reverse=True,
    )
    points = [RiskPoint(math.inf, 0.0, None, 0, 0)]
    for t in scores:
        answered = [i for i in items if answers_at(i, t)]
        wrong = sum(1 for i in answered if not i.correct)
        points.append(
            RiskPoint(
                t,
                len(answered) / n,
                wrong / len(answered) if answered else None,
                len(answered),
                wrong,
            )
        )
    return points


def aurc(points: Sequence[RiskPoint]) -> float | None:
    """Area under the risk-coverage curve (trapezoids over coverage; lower is better)."""
    pts = [(p.coverage, p.risk) for p in points if p.risk is not None]
    if len(pts) < 2:
        return pts[0][1] if pts else None
    area = 0.0
    for (c0, r0), (c1, r1) in zip(pts, pts[1:], strict=False):
        area += (c1 - c0) * (r0 + r1) / 2
    span = pts[-1][0] - pts[0][0]
    return area / span if span > 0 else pts[-1][1]


# -- distributions --------------------------------------------------------------------------------
def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (numpy's default), q in 0..100."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def histogram(values: Sequence[float], edges: Sequence[float]) -> list[int]:
    """Counts per bin [edges[i], edges[i+1]); the last bin also holds values >= its start,
    the first also those below its start."""
    counts = [0] * (len(edges) - 1)
    for v in values:
        i = 0
        while i < len(counts) - 1 and v >= edges[i + 1]:
            i += 1
        counts[i] += 1
    return counts


# -- retrieval (ir-measures) ----------------------------------------------------------------------
RETRIEVAL_MEASURES: dict[str, str] = {
    "Success@1": "Success@1",
    "Recall@3": "R(rel=2)@3",
    "Recall@5": "R(rel=2)@5",
    "MRR@10": "RR@10",
    "nDCG@10": "nDCG@10",
}
"""Report name -> ir-measures measure. Relevance: the passage a question was written for
is graded 2, the other acceptable passages 1. Success@1 and MRR@10 count any acceptable
passage (rel >= 1); Recall@k counts the intended passage (rel 2); nDCG@10 uses both grades."""
BINARY_MEASURES = ("Success@1", "Recall@3", "Recall@5")


def qrels_for(acceptable: Mapping[str, Sequence[str]]) -> list[object]:
    """Qrels from {query id: [intended passage, other acceptable passages...]}."""
    from ir_measures import Qrel  # noqa: PLC0415

    out: list[object] = []
    for qid, pids in acceptable.items():
        for i, pid in enumerate(pids):
            out.append(Qrel(qid, pid, 2 if i == 0 else 1))
    return out


def run_for(rankings: Mapping[str, Sequence[str]]) -> list[object]:
    """A run from {query id: ranked passage ids}; scores are rank-derived so pytrec_eval's
    sort (score, then doc id) keeps our order exactly. An empty ranking becomes the one
    never-relevant ``NO_RESULT`` document: a miss, not a dropped query."""
    from ir_measures import ScoredDoc  # noqa: PLC0415

    out: list[object] = []
    for qid, ids in rankings.items():
        if not ids:
            out.append(ScoredDoc(qid, NO_RESULT, 0.0))
            continue
        seen: set[str] = set()
        n = len(ids)
        for rank, pid in enumerate(ids):
            if pid in seen:
                continue
            seen.add(pid)
            out.append(ScoredDoc(qid, pid, float(n - rank)))
    return out


def retrieval_scores(
    acceptable: Mapping[str, Sequence[str]], rankings: Mapping[str, Sequence[str]]
) -> dict[str, dict[str, float]]:
    """Per-query values of every measure: {report name: {query id: value}}. Every query in
    ``acceptable`` gets a value (0 when it has no ranking at all)."""
    import ir_measures  # noqa: PLC0415

    if not acceptable:
        return {name: {} for name in RETRIEVAL_MEASURES}
    parsed = {name: ir_measures.parse_measure(spec) for name, spec in RETRIEVAL_MEASURES.items()}
    by_measure = {str(m): name for name, m in parsed.items()}
    full = {qid: list(rankings.get(qid, [])) for qid in acceptable}
    per: dict[str, dict[str, float]] = {name: {qid: 0.0 for qid in acceptable} for name in parsed}
    for metric in ir_measures.iter_calc(
        list(parsed.values()), qrels_for(acceptable), run_for(full)
    ):
        per[by_measure[str(metric.measure)]][metric.query_id] = float(metric.value)
    return per


def summarise_retrieval(
    per_query: Mapping[str, Mapping[str, float]], qids: Iterable[str]
) -> dict[str, dict[str, object]]:
    """Mean of each measure over ``qids``; binary measures also get a Wilson interval."""
    ids = list(qids)
    out: dict[str, dict[str, object]] = {}
    for name, values in per_query.items():
        vals = [values[q] for q in ids if q in values]
        entry: dict[str, object] = {
            "n": len(vals),
            "value": (sum(vals) / len(vals)) if vals else None,
        }
        if name in BINARY_MEASURES and vals:
            r = rate(sum(1 for v in vals if v >= 0.5), len(vals))
            entry["lo"], entry["hi"], entry["k"] = r.lo, r.hi, r.k
        out[name] = entry
    return out
