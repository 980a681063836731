"""Figures of issue 11: conversations, answerability and the public set on its own
(``report.json``: ``conversation``).

- the conversation suite (``evals/cases/conversation/``, judged by
  :mod:`evals.conversations`), by split, in the issue's shape: first and follow-up
  turns, conversations right from start to end, typed, answerable answered right,
  unanswerable declined (or "related, not an answer"), off-topic declined, wrong answer
  shown;
- "wrong answer shown": questions answered with passages that do not answer them (or
  that should not have been answered), over every eval case that expects a passage or a
  decline and every suite turn, by split (a ceiling gate reads the heldout figure);
- the public consumer set on its own: answered right (reviewer-judged answerable ones),
  declined right (should-decline ones), wrong answer shown;
- the risk-coverage curve of the decision actually used: the answerability model's
  probability (``Answer.gate_score``) swept as a threshold over the same questions.
"""

from __future__ import annotations

from collections.abc import Sequence

from evals import metrics as M
from evals.conversations import TurnResult
from evals.conversations import figures as suite_figures
from evals.figures.abstention import CurvePoint, curve_point
from evals.figures.splits import SPLITS, Figures
from evals.results import Result

REACHES = ("weak-evidence", "out-of-scope", "related")
"""Abstentions the answer decision made (not triage or a scope rule)."""
CASE_KINDS = ("answerable", "near_miss", "off_topic", "multi_turn")


class SuiteSplit(Figures):
    rates: dict[str, M.Rate]
    """One rate per :data:`evals.conversations.FIGURES` key."""
    items: int
    turns: int
    related_share_of_declines: M.Rate
    aurc: float | None
    curve: list[CurvePoint]


class DecisionCurve(Figures):
    curve: list[CurvePoint]
    aurc: float | None


class PublicFigures(Figures):
    n: int
    answered_right: M.Rate
    declined_right: M.Rate
    wrong_answer_shown: M.Rate
    related: M.Rate


class FailingTurn(Figures):
    split: str
    item: str
    turn: int
    expect: str
    text: str
    why: str


class ConversationFigures(Figures):
    decision: str
    """What decided whether to answer (the answerability model and its hash prefix)."""
    suite: dict[str, SuiteSplit]
    wrong_answer_shown: dict[str, M.Rate]
    decision_curve: dict[str, DecisionCurve]
    public: PublicFigures
    failing_turns: list[FailingTurn]


def _case_wrong(r: Result) -> bool:
    """An eval case answered with a passage that does not answer it (or not to be answered)."""
    if not r.answered:
        return False
    if r.should_abstain or "answered" not in r.expected:
        return True
    return bool(r.passages) and not r.top_ok


def _case_item(r: Result) -> M.GateItem:
    reaches = r.answered or (r.status == "abstained" and r.reason in REACHES)
    correct = (not r.should_abstain) and bool(r.passages) and r.top_candidate in r.passages
    return M.GateItem(r.gate_score, reaches and r.gate_score is not None, correct)


def _turn_item(t: TurnResult) -> M.GateItem:
    right = bool(t.would_be_right) and t.expect == "answer"
    return M.GateItem(t.score, t.reaches_gate and t.score is not None, right)


def _suite_split(turns: Sequence[TurnResult]) -> SuiteSplit:
    figs = suite_figures(turns)
    curve = [M.RiskPoint(**p) for p in figs["risk_coverage"]]
    return SuiteSplit(
        rates={k: M.Rate(**v) for k, v in figs["rates"].items()},
        items=figs["items"], turns=figs["turns"],
        related_share_of_declines=M.Rate(**figs["related_share_of_declines"]),
        aurc=figs["aurc"], curve=[curve_point(p) for p in curve],
    )


def _public(external: Sequence[Result]) -> PublicFigures:
    judged = [r for r in external if r.judged == "answer"]
    should = [r for r in external if r.should_abstain]
    return PublicFigures(
        n=len(external),
        answered_right=M.rate_of(r.answered and r.top_ok for r in judged),
        declined_right=M.rate_of(not r.answered for r in should),
        wrong_answer_shown=M.rate_of(
            r.answered and (r.should_abstain or (r.judged == "answer" and not r.top_ok))
            for r in external
        ),
        related=M.rate_of(r.reason == "related" for r in external),
    )


def conversation_section(decision: str, turns: Sequence[TurnResult],
                         results: Sequence[Result],
                         external: Sequence[Result]) -> ConversationFigures:
    """The section from the suite's turns, the eval cases and the public set."""
    cases = [r for r in results if r.kind in CASE_KINDS and (r.passages or r.should_abstain)]
    wrong: dict[str, M.Rate] = {}
    curves: dict[str, DecisionCurve] = {}
    for split in SPLITS:
        cs = [r for r in cases if r.split == split]
        ts = [t for t in turns if t.split == split and t.expect != "escalate"]
        wrong[split] = M.rate_of([_case_wrong(r) for r in cs] + [t.wrong_answer_shown for t in ts])
        curve = M.risk_coverage([_case_item(r) for r in cs] + [_turn_item(t) for t in ts])
        curves[split] = DecisionCurve(curve=[curve_point(p) for p in curve], aurc=M.aurc(curve))
    splits = sorted({t.split for t in turns})
    return ConversationFigures(
        decision=decision,
        suite={s: _suite_split([t for t in turns if t.split == s]) for s in splits},
        wrong_answer_shown=wrong,
        decision_curve=curves,
        public=_public(external),
        failing_turns=[
            FailingTurn(split=t.split, item=t.item, turn=t.index + 1, expect=t.expect,
                        text=t.text, why=t.why)
            for t in turns if not t.ok
        ],
    )
