"""The report's section on issue 11: conversations, answerability and the public set.

``section(engine, results, external)`` is what ``atc-guide eval`` adds to report.json as
``conversation``; ``render_html`` and ``markdown_lines`` show it. Figures:

- the conversation suite (``evals/cases/conversation/``), by split, in the issue's shape:
  follow-up turns, conversations right from start to end, typed, answerable, unanswerable
  declined or related, off-topic declined;
- "wrong answer shown": questions answered with passages that do not answer them (or that
  should not have been answered), over every eval case that expects a passage or a
  decline and every suite turn, by split (a ceiling gate reads the heldout figure);
- the public consumer set on its own: answered right (reviewer-judged answerable ones),
  declined right (should-decline ones), wrong answer shown;
- the risk-coverage curve of the decision actually used: the answerability model's
  probability (``Answer.gate_score``) swept as a threshold over the same questions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from evals import metrics as M
from evals.conversations import FIGURES, TurnResult, by_split, run_suite
from evals.report import esc, line_chart, rate_text
from evals.suite_cases import load_suite

GATE_REASONS = ("answered", "weak-evidence", "out-of-scope", "related")
CASE_KINDS = ("answerable", "near_miss", "off_topic", "multi_turn")


def _case_wrong(r: Any) -> bool:
    """An eval case answered with a passage that does not answer it (or not to be answered)."""
    if not r.answered:
        return False
    if r.should_abstain or "answered" not in r.expected:
        return True
    return bool(r.passages) and not r.top_ok


def _case_item(r: Any) -> M.GateItem:
    reaches = r.answered or (r.status == "abstained" and r.reason in GATE_REASONS)
    correct = (not r.should_abstain) and bool(r.passages) and r.top_candidate in r.passages
    return M.GateItem(r.gate_score, reaches and r.gate_score is not None, correct)


def _turn_item(t: TurnResult) -> M.GateItem:
    return M.GateItem(
        t.score,
        t.reaches_gate and t.score is not None,
        bool(t.would_be_right) and t.expect == "answer",
    )


def section(engine: Any, results: Sequence[Any], external: Sequence[Any]) -> dict[str, Any]:
    """Run the conversation suite and put the figures of this section together."""
    turns = run_suite(engine, load_suite(passage_ids=set(engine.corpus.passages)))
    cases = [r for r in results if r.kind in CASE_KINDS and (r.passages or r.should_abstain)]
    out: dict[str, Any] = {
        "decision": getattr(engine.report, "decision", ""),
        "suite": by_split(turns),
    }
    wrong: dict[str, Any] = {}
    curves: dict[str, Any] = {}
    for split in ("dev", "heldout"):
        cs = [r for r in cases if r.split == split]
        ts = [t for t in turns if t.split == split and t.expect != "escalate"]
        wrong[split] = M.rate_of(
            [_case_wrong(r) for r in cs] + [t.wrong_answer_shown for t in ts]
        ).as_dict()
        curve = M.risk_coverage([_case_item(r) for r in cs] + [_turn_item(t) for t in ts])
        curves[split] = {"points": [asdict(p) for p in curve], "aurc": M.aurc(curve)}
    out["wrong_answer_shown"] = wrong
    out["decision_curve"] = curves
    judged = [r for r in external if r.judged == "answer"]
    should = [r for r in external if r.should_abstain]
    out["public"] = {
        "n": len(external),
        "answered_right": M.rate_of(r.answered and r.top_ok for r in judged).as_dict(),
        "declined_right": M.rate_of(not r.answered for r in should).as_dict(),
        "wrong_answer_shown": M.rate_of(
            (r.answered and (r.should_abstain or (r.judged == "answer" and not r.top_ok)))
            for r in external
        ).as_dict(),
        "related": M.rate_of(r.reason == "related" for r in external).as_dict(),
    }
    out["failing_turns"] = [
        {
            "split": t.split,
            "item": t.item,
            "turn": t.index + 1,
            "expect": t.expect,
            "text": t.text,
            "why": t.why,
        }
        for t in turns
        if not t.ok
    ]
    return out


def render_html(conv: dict[str, Any] | None) -> str:
    """The section as HTML (every text escaped)."""
    if not conv:
        return ""
    splits = list(conv["suite"])
    head = "".join(f"<th>{esc(s)}</th>" for s in splits)
    rows = "".join(
        f"<tr><td>{esc(label)}</td>"
        + "".join(f"<td>{rate_text(conv['suite'][s]['rates'][key])}</td>" for s in splits)
        + "</tr>"
        for key, label in FIGURES
    )
    lines = {
        s: [(p["coverage"], p["risk"]) for p in c["points"] if p["risk"] is not None]
        for s, c in conv["decision_curve"].items()
    }
    pub = conv["public"]
    fails = "".join(
        f"<tr><td>{esc(f['split'])}</td><td><code>{esc(f['item'])}</code> turn {f['turn']}</td>"
        f"<td>{esc(f['text'])}</td><td>{esc(f['expect'])}</td><td>{esc(f['why'])}</td></tr>"
        for f in conv["failing_turns"]
    )
    wrong, n_fail = conv["wrong_answer_shown"], len(conv["failing_turns"])
    chart = line_chart(
        lines, {"dev": "#4a7ab5", "heldout": "#2e7d32"},
        "Risk vs. coverage of the answerability decision",
        "coverage (share answered)", "risk (share of answers wrong)",
    )
    return "".join([
        '<h2 id="conversation">Conversations and answerability</h2>',
        f"<p class=small>Decision: {esc(conv['decision'])}. Conversations are asked turn by "
        "turn in one session; a conversation is right only if every turn is. Questions the "
        "reviews do not answer count as right when declined or offered as \u201crelated, not an "
        "answer\u201d.</p>",
        f"<table><thead><tr><th>figure</th>{head}</tr></thead><tbody>{rows}</tbody></table>",
        "<p>Wrong answer shown (answered with passages that do not answer, over every eval "
        f"question and suite turn): dev {rate_text(wrong['dev'])}, heldout "
        f"{rate_text(wrong['heldout'])}.</p>",
        "<p>Public consumer set, on its own: answered right "
        f"{rate_text(pub['answered_right'])} (reviewer-judged answerable); declined right "
        f"{rate_text(pub['declined_right'])} (should decline); wrong answer shown "
        f"{rate_text(pub['wrong_answer_shown'])}.</p>",
        f"<figure>{chart}<figcaption>The model's probability swept as a threshold over the eval "
        "questions and suite turns.</figcaption></figure>",
        f"<details><summary>Suite turns that failed ({n_fail})</summary><table><thead><tr>"
        "<th>split</th><th>case</th><th>typed</th><th>expected</th><th>why</th></tr></thead>"
        f"<tbody>{fails}</tbody></table></details>",
    ])


def markdown_lines(conv: dict[str, Any] | None) -> list[str]:
    if not conv:
        return []
    out = ["", "## Conversations and answerability", "", f"- Decision: {conv['decision']}"]
    for split, figs in conv["suite"].items():
        out.append(
            f"- Suite, {split}: "
            + "; ".join(f"{label} {M.Rate(**figs['rates'][key]).text()}" for key, label in FIGURES)
        )
    w, pub = conv["wrong_answer_shown"], conv["public"]

    def text(r: dict[str, Any]) -> str:
        return M.Rate(**r).text()

    out.append(f"- Wrong answer shown: dev {text(w['dev'])}, heldout {text(w['heldout'])}")
    out.append(
        f"- Public set: answered right {text(pub['answered_right'])}; declined right "
        f"{text(pub['declined_right'])}; wrong answer shown {text(pub['wrong_answer_shown'])}"
    )
    return out
