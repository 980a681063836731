"""The threshold search of tools/safety_cv.py decides exactly as the engine does.

The search scores thousands of threshold settings with a numpy copy of
``botcore.triage.decision.decide`` (``escalations``); the figures reported replay the real
function (``replay``). On random signals and random thresholds both must give the same
tier and note for every single question, or the chosen thresholds mean something else in
the engine."""

from __future__ import annotations

import numpy as np
import pytest

from botcore.triage import TriageHit
from botcore.triage.learned import URGENT_OVERRIDE, VETO, Linear, Scores
from evals.safety_sets import SafetyCase
from tools import safety_cv as cv
from tools import safety_holds as holds

TIER = {0: None, 1: "urgent", 2: "emergency", 3: "crisis"}


def _signals(rng: np.random.Generator, n: int,
             contexts: bool = False) -> tuple[list[SafetyCase], cv.Signals]:
    cases, lex, push, whole, clause, hold, verify = [], {}, {}, {}, {}, {}, {}
    for i in range(n):
        text = f"q{i}"
        expect = ("crisis", "emergency", "urgent", "none")[i % 4]
        cases.append(SafetyCase(text, expect if expect != "none" else "calm", "k", (text,),
                                (expect,), False))  # type: ignore[arg-type]
        tier = TIER[int(rng.integers(0, 4))] if rng.random() < 0.4 else None
        context = "ctx-r" if contexts and i % 3 == 0 else None  # no draw: same scores
        lex[text] = None if tier is None else TriageHit(tier=tier, rule_id="r",  # type: ignore[arg-type]
                                                        message_id="m", context=context)
        push[text] = False
        w = rng.dirichlet(np.ones(4))
        whole[text] = Scores(*w)
        clause[text] = Scores(*rng.dirichlet(np.ones(4))) if rng.random() < 0.5 else None
        hold[text] = float(rng.random())
        if tier == "emergency":
            verify[text] = float(rng.random())
    return cases, cv.Signals(lex, push, whole, clause, hold, verify)


@pytest.mark.parametrize("contexts", [False, True])
def test_the_numpy_search_decides_as_the_engine_does(contexts: bool) -> None:
    """With and without lexicon hits read in context (round 7): a crisis, emergency or
    urgent hit the lexicon's context rules read as not happening now."""
    rng = np.random.default_rng(7)
    cases, sig = _signals(rng, 400, contexts)
    linear = Linear(("calm", "crisis", "emergency", "urgent"), np.zeros((4, 2)), np.zeros(4))
    follow = Linear(("release", "hold"), np.zeros((2, 2)), np.zeros(2))
    fold = cv.Fold("x", cases, sig, linear, follow)
    softened = 0
    for _ in range(25):
        t = {k: float(rng.choice(cv._grid(k))) for k in cv.START}  # noqa: SLF001
        t["crisis_note"] = min(t["crisis_note"], t["crisis_stop"])
        t["emergency_note"] = min(t["emergency_note"], t["emergency_stop"])
        t["release"] = 0.9
        t[VETO] = float(rng.choice((0.3, 0.45, 0.6, 0.75, 1.0)))  # the lexicon veto too
        t[URGENT_OVERRIDE] = float(rng.choice((0.3, 0.6, 0.9, 1.0)))  # and the urgent override
        tier, note = cv.escalations(fold, t)
        softened += int(((fold.lex == 2) & (tier < 2)).sum())
        if contexts:
            assert fold.ctx.any() and not (fold.ctx & (fold.lex == 0)).any()
        model = cv.model_of(t, linear, follow)
        for i, case in enumerate(cases):
            (out,) = cv.replay(case, sig, model)
            assert cv.LEX[out.tier] == tier[i], (case.id, t)
            want = {0: None, 2: "emergency", 3: "crisis"}[int(note[i])] if out.tier in (
                None, "urgent") else None
            assert out.note == want, (case.id, t)
    assert softened > 0  # the lexicon veto was exercised


def test_the_release_threshold_keeps_the_holds_and_then_the_most_whole_conversations() -> None:
    # (held turns, calm turns released, whole conversations right, threshold)
    rows = [(300, 10, 40, 0.96), (299, 25, 52, 0.90), (297, 31, 55, 0.80),
            (280, 45, 60, 0.60), (297, 31, 55, 0.70)]
    # 280 holds is more than 1 % below the most (300): never chosen, however many it frees
    assert holds.pick_release(rows) == 0.80  # 55 whole right; a tie goes to the stricter
    assert holds.pick_release([(300, 10, 40, 0.96), (300, 12, 40, 0.94)]) == 0.94
    assert holds.pick_release([(300, 10, 41, 0.96), (300, 12, 40, 0.94)]) == 0.96
    assert holds.pick_release([]) == 0.5
