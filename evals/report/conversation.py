# ruff: noqa: E501 - HTML templates read better unwrapped
"""The page's and the summary's section on issue 11 (``report.conversation``): the
conversation suite by split in the issue's shape, wrong answer shown, the public set on
its own, and the risk-coverage curve of the answerability decision. Every text escaped."""

from __future__ import annotations

from evals.conversations import FIGURES
from evals.figures.conversation import ConversationFigures
from evals.report.charts import line_chart
from evals.report.escape import esc
from evals.report.fmt import rate_plain, rate_text
from evals.report.sections import Page


def _suite_table(conv: ConversationFigures) -> str:
    splits = list(conv.suite)
    head = "".join(f"<th>{esc(s)}</th>" for s in splits)
    rows = "".join(
        f"<tr><td>{esc(label)}</td>"
        + "".join(f"<td>{rate_text(conv.suite[s].rates.get(key))}</td>" for s in splits)
        + "</tr>"
        for key, label in FIGURES
    )
    return f"<table><thead><tr><th>figure</th>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _failing(conv: ConversationFigures) -> str:
    rows = "".join(
        f"<tr><td>{esc(f.split)}</td><td><code>{esc(f.item)}</code> turn {f.turn}</td>"
        f"<td>{esc(f.text)}</td><td>{esc(f.expect)}</td><td>{esc(f.why)}</td></tr>"
        for f in conv.failing_turns
    )
    return (
        f"<details><summary>Suite turns that failed ({len(conv.failing_turns)})</summary><table><thead><tr>"
        "<th>split</th><th>case</th><th>typed</th><th>expected</th><th>why</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></details>"
    )


def conversation(page: Page) -> list[str]:
    conv = page.report.conversation
    parts = ['<h2 id="conversation">Conversations and answerability</h2>']
    if conv is None:
        return [*parts, "<p>The conversation suite was not run.</p>"]
    lines = {
        s: [(p.coverage, p.risk) for p in c.curve if p.risk is not None]
        for s, c in conv.decision_curve.items()
    }
    chart = line_chart(
        lines, {"dev": "#4a7ab5", "heldout": "#2e7d32"},
        "Risk vs. coverage of the answerability decision",
        "coverage (share answered)", "risk (share of answers wrong)",
    )
    wrong, pub = conv.wrong_answer_shown, conv.public
    return [
        *parts,
        f"<p class=small>Decision: {esc(conv.decision)}. Conversations are asked turn by turn in one session; a "
        "conversation is right only if every turn is. Questions the reviews do not answer count as right when "
        "declined or offered as \u201crelated, not an answer\u201d (titles to pick from, never passages).</p>",
        _suite_table(conv),
        "<p>Wrong answer shown (answered with passages that do not answer, over every eval question and suite "
        f"turn): dev {rate_text(wrong.get('dev'))}, heldout {rate_text(wrong.get('heldout'))}.</p>",
        f"<p>Public consumer set, on its own: answered right {rate_text(pub.answered_right)} (reviewer-judged "
        f"answerable); declined right {rate_text(pub.declined_right)} (should decline); wrong answer shown "
        f"{rate_text(pub.wrong_answer_shown)}.</p>",
        f"<figure>{chart}<figcaption>The model's probability swept as a threshold over the eval questions and "
        "suite turns.</figcaption></figure>",
        _failing(conv),
    ]


def markdown_lines(conv: ConversationFigures | None) -> list[str]:
    """The section for ``summary.md``."""
    if conv is None:
        return []
    out = ["", "## Conversations and answerability", "", f"- Decision: {conv.decision}"]
    for split, figs in conv.suite.items():
        out.append(f"- Suite, {split}: " + "; ".join(
            f"{label} {rate_plain(figs.rates.get(key))}" for key, label in FIGURES))
    w, pub = conv.wrong_answer_shown, conv.public
    out.append(f"- Wrong answer shown: dev {rate_plain(w.get('dev'))}, heldout "
               f"{rate_plain(w.get('heldout'))}")
    out.append(f"- Public set: answered right {rate_plain(pub.answered_right)}; declined right "
               f"{rate_plain(pub.declined_right)}; wrong answer shown "
               f"{rate_plain(pub.wrong_answer_shown)}")
    return out
