"""The abstention gate: answer only when the evidence is strong enough.

The gate score is the best dense cosine (query vs. a passage's title, text or one of
its asked-as phrasings) among the first three fused results. NaN or infinite scores,
zero-norm query vectors and faiss ``-1`` ids all arrive here as NaN, and NaN never
passes the gate (``nan < t`` is False, so the comparison is written the safe way round).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from botcore.retrieve import Ranking

# Calibrated with `python -m evals.calibrate` on the DEV split of evals/cases only (the
# held-out split is never used for tuning): the share of dev questions handled right
# (answerable -> right passage in the top 3, should-decline -> declined) is highest and
# flat for thresholds 0.450-0.479 while off-topic refusal stays >= 95 %; 0.46 is the
# middle of that plateau (at 0.45 one public out-of-scope question slipped through).
ANSWER_THRESHOLD = 0.46
"""Below this the bot abstains ("weak evidence" or "out of scope")."""
OUT_OF_SCOPE_BELOW = 0.30
"""Far below the gate the question is almost surely not about ATC care at all."""
COMPANION_MARGIN = 0.12
"""A second or third passage is shown only if its own cosine is within this margin of
the gate threshold: close enough to help, never padding."""

Verdict = Literal["answer", "weak-evidence", "out-of-scope"]


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    passage_ids: list[str]


def passes(score: float, threshold: float) -> bool:
    """True only for a finite score at or above the threshold."""
    return math.isfinite(score) and score >= threshold


def decide(ranking: Ranking, threshold: float | None = None, top_k: int = 3) -> Decision:
    threshold = ANSWER_THRESHOLD if threshold is None else threshold
    if not ranking.passage_ids or not passes(ranking.gate, threshold):
        far = not math.isfinite(ranking.gate) or ranking.gate < OUT_OF_SCOPE_BELOW
        return Decision("out-of-scope" if far else "weak-evidence", [])
    chosen: list[str] = []
    for pid in ranking.passage_ids:
        if len(chosen) == top_k:
            break
        score = ranking.dense.get(pid, math.nan)
        if not chosen or passes(score, threshold - COMPANION_MARGIN):
            if not math.isfinite(score):
                continue
            chosen.append(pid)
    if not chosen:
        return Decision("weak-evidence", [])
    return Decision("answer", chosen)
