"""Fit the answerability model on DEV cases only and write ``corpus/answerability.json``.

    python -m evals.fit_answerability [--check]

Reproducible and deterministic: the same corpus, cases and model give the same file, byte
for byte (coefficients rounded to 6 decimals; no dates in it). ``--check`` fits and
compares with the file on disk instead of writing (exit 1 when they differ).

What it learns from. Every DEV case that reaches the decision, asked through the engine
exactly as a user asks it (conversations turn by turn in one session): the eval cases
(``evals/cases/*.yaml``: answerable, near-miss, off-topic, multi-turn) and the
conversation suite (``evals/cases/conversation/``). Heldout cases, the public set and the
sealed set are never read here. A question is a positive when it should be answered and
the passage the decision would show first answers it; a negative when it should be
declined; an answerable question whose retrieval went wrong is left out (it says nothing
about whether the question can be answered).

How. Logistic regression on standardised signals (``botcore.answerability.FEATURES``),
L2-penalised, by Newton's method (exact and deterministic, no random start); a signal
whose weight comes out against its expected direction is dropped and the rest refitted
(``botcore.answerability.EXPECTED_SIGN``). The
examples a rule declines whatever the probability (``left_to_the_model``) are left out. The
threshold is chosen on out-of-fold probabilities (5 folds by a hash of the case id) as
the middle of the range that handles the most dev questions right, with at most
``MAX_FALSE_DECLINE`` of the positives declined (the release gate on false refusals is
7 %); the final model is then fitted on all of them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from botcore.answerability import (
    EXPECTED_SIGN,
    FEATURES,
    MODEL_FILE,
    MODEL_FORMAT,
    model_payload_hash,
)
from botcore.decide import misses_the_ask, thin_question
from evals.cases import load_cases
from evals.conversations import snippet_matches
from evals.suite_cases import load_suite

L2 = 1.0
"""Penalty on the standardised coefficients (not the intercept)."""
FOLDS = 5
MAX_FALSE_DECLINE = 0.03
RELATED_FLOOR = 0.40
"""Best cosine among the first three at or above which a declined question is offered
"related, not an answer" rather than a plain decline. A fixed design value (not fitted):
on topic enough that the titles may help; off-topic questions score far below it."""
GATE_REASONS = ("answered", "weak-evidence", "out-of-scope", "related")
FLOOR_GRID = tuple(round(0.30 + 0.01 * i, 2) for i in range(16))
MAX_FLOOR_LOSS = 0.01
"""The cosine floor is the highest on FLOOR_GRID that declines at most this share of the
dev questions to answer: below it, no question is answered whatever the model says."""


@dataclass
class Example:
    key: str
    signals: dict[str, float]
    label: int | None
    """1: answer (and the first passage answers it); 0: decline; None: should be answered
    but the retrieval went wrong (not learned from; counted when the threshold is chosen,
    because declining it is still a false refusal)."""


def _label_case(case: Any, answer: Any) -> int | None:
    if case.should_abstain:
        return 0
    if case.expected == ("answered",) and case.passages:
        considered = answer.considered
        if considered and considered[0] in case.passages:
            return 1
    return None


def _collect_cases(engine: Any) -> list[Example]:
    from botcore.answer import Session  # noqa: PLC0415

    out = []
    for case in load_cases(safety_dir=None):
        if case.split != "dev" or case.kind not in (
            "answerable",
            "near_miss",
            "off_topic",
            "multi_turn",
        ):
            continue
        session = Session(situations=set(case.situations))  # type: ignore[arg-type]
        for turn in case.earlier_turns:
            engine.ask(turn, session)
        answer = engine.ask(case.final_question, session)
        label = _label_case(case, answer)
        if (
            answer.reason in GATE_REASONS
            and answer.evidence
            and (label is not None or case.retrieval_query)
        ):
            out.append(Example(f"case:{case.id}", dict(answer.evidence), label))
    return out


def _collect_suite(engine: Any) -> list[Example]:
    from botcore.answer import Session  # noqa: PLC0415

    out = []
    for item in load_suite():
        if item.split != "dev":
            continue
        session = Session()
        for index, turn in enumerate(item.as_turns()):
            answer = engine.ask(turn.text, session)
            if (
                answer.reason not in GATE_REASONS
                or not answer.evidence
                or turn.expect == "escalate"
            ):
                continue
            label: int | None = 0
            if turn.expect == "answer":
                triples = [
                    (p, engine.snippet(p).title, engine.snippet(p).text) for p in answer.considered
                ]
                label = 1 if snippet_matches(turn, triples) else None
            out.append(Example(f"suite:{item.id}:{index}", dict(answer.evidence), label))
    return out


def fit_logistic(
    x: np.ndarray, y: np.ndarray, l2: float = L2, steps: int = 50
) -> tuple[np.ndarray, float]:
    """Newton's method on the L2-penalised log-likelihood; returns (coef, intercept).
    Pure and deterministic (tested against a hand-worked example)."""
    n, d = x.shape
    design = np.hstack([np.ones((n, 1)), x])
    w = np.zeros(d + 1)
    penalty = np.full(d + 1, l2)
    penalty[0] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(design @ w, -60, 60)))
        grad = design.T @ (p - y) + penalty * w
        hess = design.T @ (design * (p * (1 - p))[:, None]) + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.max(np.abs(step))) < 1e-10:
            break
    return w[1:], float(w[0])


def _fold(key: str) -> int:
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % FOLDS


def choose_threshold(probs: Sequence[float], labels: Sequence[int]) -> float:
    """The middle of the best-scoring range of thresholds (see the module docstring).
    ``labels``: 1 answer, 0 decline, -1 should be answered but retrieval went wrong (only
    counted as a false refusal when declined)."""
    p, y = np.asarray(probs), np.asarray(labels)
    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    should_answer = max(1, int(np.sum(y != 0)))
    scores = []
    for t in grid:
        answer = p >= t
        false_decline = float(np.sum((~answer) & (y != 0))) / should_answer
        right = int(np.sum(answer & (y == 1)) + np.sum((~answer) & (y == 0)))
        scores.append(right if false_decline <= MAX_FALSE_DECLINE else -1)
    best = max(scores)
    if best < 0:  # no threshold keeps false declines low enough: answer more, never less
        return float(grid[0])
    plateau = [float(t) for t, s in zip(grid, scores, strict=True) if s == best]
    return round(plateau[len(plateau) // 2], 2)


def choose_floor(positive_dense: np.ndarray) -> float:
    """The highest cosine floor that loses at most ``MAX_FLOOR_LOSS`` of the positives."""
    allowed = MAX_FLOOR_LOSS * max(1, len(positive_dense))
    ok = [f for f in FLOOR_GRID if float(np.sum(positive_dense < f)) <= allowed]
    return max(ok) if ok else FLOOR_GRID[0]


def left_to_the_model(examples: list[Example]) -> list[Example]:
    """The examples the model decides: not those a rule of ``botcore.decide`` holds back
    whatever the probability (a thin question, an aspect or an ask the passage misses).
    Fitted on those too, the model spent its weight on what the rules already decline
    (the aspect word list took the largest weight of all) and learned too little from
    the signals that must catch what no list names, such as a word no passage uses."""
    return [e for e in examples
            if not (thin_question(e.signals) or misses_the_ask(e.signals))]


def signed_features(examples: list[Example]) -> list[str]:
    """FEATURES, less those whose weight comes out against its expected sign (dropped one
    at a time, the worst first, refitting each time): see ``EXPECTED_SIGN``."""
    learn = [e for e in examples if e.label is not None]
    names = [f for f in FEATURES  # a signal that never varies here says nothing
             if len({e.signals.get(f, 0.0) for e in learn}) > 1]
    y = np.array([e.label for e in learn], dtype=np.float64)
    while names:
        x = np.array([[e.signals.get(f, 0.0) for f in names] for e in learn], dtype=np.float64)
        scale = x.std(axis=0)
        scale[scale < 1e-9] = 1.0
        coef, _ = fit_logistic((x - x.mean(axis=0)) / scale, y)
        wrong = [(abs(c), f) for f, c in zip(names, coef, strict=True) if c * EXPECTED_SIGN[f] < 0]
        if not wrong:
            break
        names.remove(max(wrong)[1])
    return names


def fit(examples: list[Example]) -> dict[str, Any]:
    names = signed_features(examples)
    x_all = np.array([[e.signals.get(f, 0.0) for f in names] for e in examples], dtype=np.float64)
    learn = np.array([e.label is not None for e in examples])
    labels = np.array([-1 if e.label is None else e.label for e in examples])
    x, y = x_all[learn], labels[learn].astype(np.float64)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z_all = (x_all - mean) / scale
    z = z_all[learn]
    oof = np.zeros(len(examples))
    folds = np.array([_fold(e.key) for e in examples])
    for k in range(FOLDS):
        train = (folds != k) & learn
        coef, intercept = fit_logistic(z_all[train], labels[train].astype(np.float64))
        test = folds == k
        oof[test] = 1.0 / (1.0 + np.exp(-(z_all[test] @ coef + intercept)))
    dense = x_all[:, names.index("dense")]
    floor = choose_floor(dense[labels == 1])
    oof[dense < floor] = 0.0  # below the floor nothing is answered
    threshold = choose_threshold(oof.tolist(), labels.tolist())
    curve = [
        (
            t,
            int(np.sum((oof >= t) & (labels == 1))),
            int(np.sum((oof < t) & (labels == 0))),
            int(np.sum((oof < t) & (labels != 0))),
        )
        for t in np.round(np.arange(0.1, 0.91, 0.05), 2)
    ]
    coef, intercept = fit_logistic(z, y)
    examples = [e for e, keep in zip(examples, learn, strict=True) if keep]
    oof_learn = oof[learn]
    training = hashlib.sha256(
        json.dumps(
            [[e.key, e.label, [round(e.signals.get(f, 0.0), 6) for f in names]] for e in examples]
        ).encode()
    ).hexdigest()
    payload: dict[str, Any] = {
        "format": MODEL_FORMAT,
        "what": "ATC Guide answerability model: logistic regression over retrieval signals "
        "(botcore/answerability.py), fitted by `python -m evals.fit_answerability` on dev "
        "cases only",
        "features": names,
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "coef": [round(float(v), 6) for v in coef],
        "intercept": round(intercept, 6),
        "threshold": threshold,
        "answer_floor": floor,
        "related_floor": RELATED_FLOOR,
        "l2": L2,
        "fitted_on": {
            "examples": len(examples),
            "positives": int(y.sum()),
            "negatives": int(len(y) - y.sum()),
            "training_sha256": training,
            "retrieval_missed": int(np.sum(labels == -1)),
            "out_of_fold_right": _right(oof_learn, y, threshold),
        },
        "out_of_fold_curve": [
            {
                "threshold": float(t),
                "answered_right": a,
                "declined_right": d,
                "declined_should_answer": f,
            }
            for t, a, d, f in curve
        ],
    }
    payload["sha256"] = model_payload_hash(payload)
    return payload


def _right(probs: np.ndarray, y: np.ndarray, threshold: float) -> float:
    answer = probs >= threshold
    return round(float(np.mean(np.where(answer, y == 1, y == 0))), 4)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.fit_answerability")
    parser.add_argument("--check", action="store_true", help="compare with the file, do not write")
    args = parser.parse_args(argv)
    from botcore.config import Settings, force_offline  # noqa: PLC0415

    force_offline()
    from botcore.engine import Engine  # noqa: PLC0415
    from botcore.storage import write_atomic  # noqa: PLC0415

    settings = Settings()
    engine = Engine.load(settings, answerability_model=False)  # the signals, not the old fit
    examples = left_to_the_model(_collect_cases(engine) + _collect_suite(engine))
    payload = fit(examples)
    text = json.dumps(payload, indent=2, sort_keys=True) + "\n"
    path = Path(settings.corpus_dir) / MODEL_FILE
    fitted = payload["fitted_on"]
    print(
        f"fitted on {fitted['examples']} dev examples ({fitted['positives']} to answer, "
        f"{fitted['negatives']} to decline); threshold {payload['threshold']}, cosine floor "
        f"{payload['answer_floor']}; out-of-fold right "
        f"{100 * fitted['out_of_fold_right']:.1f} %"
    )
    for name, w in zip(payload["features"], payload["coef"], strict=True):
        print(f"  {name:<16} {w:+.3f}")
    should = fitted["positives"] + fitted["retrieval_missed"]
    print(
        "  out of fold: threshold, to-answer answered, to-decline declined, should-answer declined"
    )
    for point in payload["out_of_fold_curve"]:
        print(
            f"    {point['threshold']:.2f}  {point['answered_right']:>4}/{fitted['positives']}"
            f"  {point['declined_right']:>4}/{fitted['negatives']}"
            f"  {point['declined_should_answer']:>4}/{should}"
        )
    if args.check:
        same = path.is_file() and path.read_text(encoding="utf-8") == text
        print(f"{path}: {'matches' if same else 'DIFFERS from'} a fresh fit")
        return 0 if same else 1
    write_atomic(path, text, mode=0o644)  # corpus data, readable like the rest of corpus/
    print(f"wrote {path} (sha256 {payload['sha256'][:12]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
