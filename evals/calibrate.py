"""Calibrate the abstention threshold on the DEV split only (plus the public set, shown
separately and marked as such). Heldout cases are never read here.

    python -m evals.calibrate [--min-off-topic-refusal 0.95] [--no-public]

Prints the gate-score distributions of answerable and should-decline questions, then the
threshold that maximises the answer-correct rate (answerable dev questions answered with
a right first passage) subject to off-topic refusal >= 95 % (dev off-topic questions,
plus the public set's out-of-scope questions unless --no-public). The lead sets the value
in ``botcore/decide.py`` (ANSWER_THRESHOLD) with a comment.

Questions refused by the scope rules or escalated by triage are refused whatever the
threshold; the sweep only moves the gate.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from botcore import CorpusError, Settings
from botcore.config import force_offline
from botcore.decide import ANSWER_THRESHOLD
from evals import metrics as M
from evals.cases import Case, default_external_path, load_cases, load_external
from evals.results import Result
from evals.run import RunOutput, run_cases

if TYPE_CHECKING:
    from botcore import Engine


@dataclass(frozen=True)
class Sweep:
    threshold: float
    answer_correct: float
    off_topic_refusal: float
    near_miss_refusal: float
    false_refusal: float
    wrong_among_answered: float | None


def _answers(r: Result, t: float) -> bool:
    return M.answers_at(r.gate_item, t)


def sweep(
    answerable: Sequence[Result],
    off_topic: Sequence[Result],
    near_miss: Sequence[Result],
    thresholds: Sequence[float],
) -> list[Sweep]:
    out = []
    for t in thresholds:
        ans = [r for r in answerable if _answers(r, t)]
        correct = sum(1 for r in ans if r.gate_item.correct)
        out.append(
            Sweep(
                threshold=t,
                answer_correct=correct / len(answerable) if answerable else 0.0,
                off_topic_refusal=(sum(1 for r in off_topic if not _answers(r, t)) / len(off_topic))
                if off_topic
                else 1.0,
                near_miss_refusal=(sum(1 for r in near_miss if not _answers(r, t)) / len(near_miss))
                if near_miss
                else 1.0,
                false_refusal=1 - len(ans) / len(answerable) if answerable else 0.0,
                wrong_among_answered=(1 - correct / len(ans)) if ans else None,
            )
        )
    return out


def choose(
    rows: Sequence[Sweep], min_off_topic: float
) -> tuple[Sweep | None, tuple[float, float] | None]:
    """The best feasible threshold: highest answer-correct rate with off-topic refusal at
    least ``min_off_topic``. Among thresholds with the same best rate, the middle of that
    range is returned (a value at the edge of a plateau flips with the next question)."""
    feasible = [r for r in rows if r.off_topic_refusal >= min_off_topic - 1e-12]
    if not feasible:
        return None, None
    best = max(r.answer_correct for r in feasible)
    plateau = sorted(r.threshold for r in feasible if abs(r.answer_correct - best) < 1e-12)
    lo, hi = plateau[0], plateau[-1]
    mid = round((lo + hi) / 2, 2)
    pick = min(
        feasible, key=lambda r: (abs(r.answer_correct - best) > 1e-12, abs(r.threshold - mid))
    )
    return pick, (lo, hi)


def text_histogram(
    label: str, values: Sequence[float | None], edges: Sequence[float], width: int = 40
) -> list[str]:
    finite = [v for v in values if v is not None and math.isfinite(v)]
    counts = M.histogram(finite, edges)
    peak = max(counts + [1])
    lines = [
        f"{label}: n={len(values)} (no gate score: {len(values) - len(finite)}); "
        f"p10 {fmt(M.percentile(finite, 10))}  median {fmt(M.percentile(finite, 50))}  "
        f"p90 {fmt(M.percentile(finite, 90))}"
    ]
    for i, c in enumerate(counts):
        if i == 0:
            label = f"     < {edges[1]:.2f}"
        elif i == len(counts) - 1:
            label = f"    >= {edges[i]:.2f}"
        else:
            label = f"{edges[i]:.2f}-{edges[i + 1]:.2f}"
        lines.append(f"  {label} | {'#' * round(width * c / peak):<{width}} {c}")
    return lines


def fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


@dataclass(frozen=True)
class Groups:
    """The dev cases and the public questions, grouped as the sweep needs them."""

    dev_all: list[Result]
    answerable: list[Result]
    off: list[Result]
    near: list[Result]
    pub_all: list[Result]
    pub_off: list[Result]
    pub_near: list[Result]
    pub_ans: list[Result]

    @classmethod
    def of(cls, run: RunOutput) -> Groups:
        res, pub = run.results, run.external
        return cls(
            dev_all=res,
            answerable=[r for r in res if r.kind == "answerable"],
            off=[r for r in res if r.kind == "off_topic"],
            near=[r for r in res if r.kind == "near_miss"],
            pub_all=pub,
            pub_off=[r for r in pub if r.scope_label == "out_of_scope"],
            pub_near=[
                r for r in pub if r.scope_label == "near_miss_out_of_scope" or r.judged == "abstain"
            ],
            pub_ans=[r for r in pub if r.judged == "answer"],
        )


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m evals.calibrate", description=(__doc__ or "").split("\n\n")[0]
    )
    parser.add_argument("--min-off-topic-refusal", type=float, default=0.95)
    parser.add_argument(
        "--no-public",
        action="store_true",
        help="leave the public set out of the off-topic constraint",
    )
    return parser.parse_args(argv)


def _load_engine() -> Engine | None:
    force_offline()
    from botcore import Engine  # noqa: PLC0415 - after force_offline: loads the model

    try:
        return Engine.load(Settings())
    except CorpusError as exc:
        print(f"calibrate: corpus problem: {exc}", file=sys.stderr)
        return None


def _print_distributions(g: Groups) -> None:
    print(
        f"DEV split only: {len(g.answerable)} answerable, {len(g.off)} off-topic, "
        f"{len(g.near)} near-miss (heldout not read). "
        f"PUBLIC set (marked [public]): {len(g.pub_all)} questions."
    )
    print("Gate score = the best dense cosine among the first three hybrid results.")
    print("Questions refused by the scope rules or escalated are refused at any threshold.\n")

    def reach(rs: Sequence[Result]) -> list[Result]:
        return [r for r in rs if r.reaches_gate]

    edges = [round(0.05 * i, 2) for i in range(4, 21)]
    for label, rs in (
        ("answerable (dev), reaching the gate", reach(g.answerable)),
        ("  of which the top passage is right", [
            r for r in reach(g.answerable) if r.gate_item.correct
        ]),
        ("should decline: off-topic + near-miss (dev), reaching the gate", reach(g.off + g.near)),
        ("[public] judged answerable, reaching the gate", reach(g.pub_ans)),
        ("[public] out-of-scope + near-miss, reaching the gate", reach(g.pub_off + g.pub_near)),
    ):
        for line in text_histogram(label, [r.hybrid_gate for r in rs], edges):
            print(line)
        print()
    dev_auroc = M.auroc(
        [r.hybrid_gate for r in g.answerable], [r.hybrid_gate for r in g.off + g.near]
    )
    pub_auroc = M.auroc(
        [r.hybrid_gate for r in g.pub_ans], [r.hybrid_gate for r in g.pub_off + g.pub_near]
    )
    print(f"AUROC of the gate score, dev (answerable vs should-decline): {fmt(dev_auroc)}")
    print(f"AUROC [public] (judged answerable vs should-decline): {fmt(pub_auroc)}\n")


def _print_table(rows: Sequence[Sweep], pick: Sweep | None, current: Sweep) -> None:
    print(
        "threshold  answer-correct  off-topic refused  near-miss refused  false refusals"
        "  wrong among answered"
    )
    shown = [
        r
        for r in rows
        if abs(r.threshold * 100 - round(r.threshold * 100)) < 1e-9
        and round(r.threshold * 100) % 5 == 0
    ]
    for r in sorted(set(shown + ([pick] if pick else []) + [current]), key=lambda r: r.threshold):
        mark = " <- recommended" if pick and r == pick else ""
        mark += " <- current" if abs(r.threshold - ANSWER_THRESHOLD) < 1e-12 else ""
        wrong = "n/a" if r.wrong_among_answered is None else f"{r.wrong_among_answered:.1%}"
        print(
            f"  {r.threshold:7.3f}  {r.answer_correct:14.1%}  {r.off_topic_refusal:17.1%}  "
            f"{r.near_miss_refusal:17.1%}  {r.false_refusal:14.1%}  "
            f"{wrong:>20}{mark}"
        )
    print()


def _print_recommendation(
    g: Groups, args: argparse.Namespace, pick: Sweep, plateau: tuple[float, float], current: Sweep
) -> None:
    public_note = "" if args.no_public else f" + {len(g.pub_off)} [public] out-of-scope"
    print(
        f"Recommended ANSWER_THRESHOLD = {pick.threshold:.2f} (best answer-correct rate "
        f"{pick.answer_correct:.1%} on {len(g.answerable)} dev answerable questions, "
        "reached for thresholds "
        f"{plateau[0]:.3f}-{plateau[1]:.3f}; off-topic refusal {pick.off_topic_refusal:.1%} on "
        f"{len(g.off)} dev off-topic{public_note}; near-miss refusal {pick.near_miss_refusal:.1%})."
    )
    pub_at = sweep(g.pub_ans, g.pub_off, g.pub_near, [pick.threshold])[0]
    print(
        "[public] at that threshold: judged-answerable answered right "
        f"{pub_at.answer_correct:.1%}, out-of-scope refused {pub_at.off_topic_refusal:.1%}, "
        f"near-miss refused {pub_at.near_miss_refusal:.1%}."
    )
    print(
        f"Current ANSWER_THRESHOLD = {ANSWER_THRESHOLD:.2f}: "
        f"answer-correct {current.answer_correct:.1%}, "
        f"off-topic refusal {current.off_topic_refusal:.1%}."
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    engine = _load_engine()
    if engine is None:
        return 2
    ids = set(engine.corpus.passages)
    dev: list[Case] = [c for c in load_cases(passage_ids=ids) if c.split == "dev"]
    public = load_external(default_external_path(), passage_ids=ids)
    g = Groups.of(run_cases(engine, dev, public, modes=("hybrid",)))
    _print_distributions(g)

    constraint = g.off if args.no_public else g.off + g.pub_off
    values = sorted({r.hybrid_gate for r in g.dev_all + g.pub_all if r.hybrid_gate is not None})
    grid = sorted(set([round(0.01 * i, 2) for i in range(20, 81)] + values))
    rows = sweep(g.answerable, constraint, g.near, grid)
    pick, plateau = choose(rows, args.min_off_topic_refusal)
    current = sweep(g.answerable, constraint, g.near, [ANSWER_THRESHOLD])[0]
    _print_table(rows, pick, current)
    if pick is None or plateau is None:
        public_note = "" if args.no_public else f" + {len(g.pub_off)} [public] out-of-scope"
        print(
            f"No threshold reaches {args.min_off_topic_refusal:.0%} off-topic refusal "
            f"({len(g.off)} dev off-topic{public_note})."
        )
        return 1
    _print_recommendation(g, args, pick, plateau, current)
    return 0


if __name__ == "__main__":
    sys.exit(main())
