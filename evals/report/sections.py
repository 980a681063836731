# ruff: noqa: E501 - HTML templates read better unwrapped
"""The body sections of the clinicians' page, one function each. A section takes the
:class:`Page` (the report plus what several sections share) and returns its HTML parts;
:data:`evals.report.html.SECTIONS` puts them in order and builds the navigation bar."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from evals.report.charts import bar_chart, histogram_chart, line_chart
from evals.report.escape import esc
from evals.report.fmt import num, rate_text
from evals.report.labels import CASE_KIND_LABELS, GRADE_LABELS, MEASURES
from evals.report.tables import (
    abstention_table,
    case_table,
    retrieval_table,
    safety_table,
    severity,
)
from evals.report_data import Report
from evals.results import CaseRow

RETRIEVERS = ("bm25", "dense", "hybrid")


@dataclass(frozen=True)
class Page:
    """One report being rendered, and what several sections read from it."""

    report: Report
    titles: dict[str, str] = field(init=False)
    """Passage id -> title, so passages are shown as a clinician reads them."""
    failing: list[CaseRow] = field(init=False)
    """The eval's failing cases, safety first."""

    def __post_init__(self) -> None:
        titles = {p.id: p.title for p in self.report.content.passages}
        failing = sorted((c for c in self.report.cases if not c.passed), key=severity)
        object.__setattr__(self, "titles", titles)
        object.__setattr__(self, "failing", failing)


def _retrieval_values(page: Page, split: str) -> dict[str, dict[str, float | None]]:
    ret = getattr(page.report.retrieval, split)
    out: dict[str, dict[str, float | None]] = {}
    for m in RETRIEVERS:
        measures = ret.mode(m)
        out[m] = {g: _as_float(measures.get(g, {}).get("value")) for g in MEASURES}
    return out


def _as_float(x: object) -> float | None:
    return float(x) if isinstance(x, int | float) else None


def _risk_coverage(page: Page) -> tuple[dict[str, list[tuple[float, float]]], dict[str, tuple[float, float]], float]:
    ab = page.report.abstention
    lines, marks = {}, {}
    for split in ("dev", "heldout"):
        figures = getattr(ab, split)
        lines[split] = [(p.coverage, p.risk) for p in figures.curve if p.risk is not None]
        op = figures.operating_point
        if op.coverage is not None and op.risk is not None:
            marks[split] = (op.coverage, op.risk)
    ymax = max([y for pts in lines.values() for _, y in pts] + [0.2])
    return lines, marks, min(1.0, math.ceil(ymax * 10) / 10)


def charts(page: Page) -> list[str]:
    report = page.report
    rc_lines, rc_marks, ymax = _risk_coverage(page)
    gh = report.abstention.all.gate_hist
    grade = report.content.grade_hist
    threshold = report.meta.thresholds.answer_threshold
    return [
        '<h2 id="charts">Charts</h2><div class="charts">',
        f"<figure>{bar_chart(MEASURES, RETRIEVERS, _retrieval_values(page, 'heldout'), 'Retrieval, heldout questions (higher is better)')}"
        "<figcaption>The three search methods side by side on the same heldout questions. The app uses the "
        "hybrid.</figcaption></figure>",
        f"<figure>{bar_chart(MEASURES, RETRIEVERS, _retrieval_values(page, 'dev'), 'Retrieval, dev questions (higher is better)')}"
        "<figcaption>The same on the dev questions.</figcaption></figure>",
        f"<figure>{line_chart(rc_lines, {'dev': '#4a7ab5', 'heldout': '#2e7d32'}, 'Risk vs. coverage of the answer gate', 'coverage (share of questions answered)', 'risk (share of answers wrong)', rc_marks, ymax=ymax)}"
        "<figcaption>Each point is one possible threshold. Left: answers rarely but safely; right: answers "
        "more but makes more mistakes. Circles: the threshold in use. Wrong = a question that should have been "
        "declined was answered, or the first passage does not answer the question.</figcaption></figure>",
        f"<figure>{histogram_chart(gh.edges, {'answerable': gh.answerable, 'should decline': gh.should_abstain}, {'answerable': '#2e7d32', 'should decline': '#c62828'}, 'Gate score: answerable vs. should-decline (all eval questions)', marker=threshold)}"
        "<figcaption>The gate answers only at or above the threshold (dashed). Overlap between the colours is "
        "where mistakes happen.</figcaption></figure>",
        f"<figure>{histogram_chart(grade.edges, {'patient passages': grade.patient, 'nurse passages': grade.nurse}, {'patient passages': '#4a7ab5', 'nurse passages': '#8c6d31'}, 'Reading grade of passages (Flesch-Kincaid)', labels=GRADE_LABELS)}"
        f"<figcaption>Target: about grade 8 or below for patients. Median of patient passages "
        f"{num(report.content.grade_median_patient, 1)}.</figcaption></figure>",
        "</div>",
    ]


def _integrity(page: Page) -> list[str]:
    integ = page.report.integrity
    failures = (
        "<ul>"
        + "".join(f"<li><code>{esc(f.case)}</code>: {esc(f.problem)}</li>" for f in integ.failures)
        + "</ul>"
        if integ.failures
        else ""
    )
    return [
        "<h3>Integrity (all questions, including the public set)</h3>",
        f"<p>Passages shown that were byte-identical to an approved passage whose sha256 matches its approval, "
        f"with citation and approval: {rate_text(integ.all.snippets)}. System messages shown that were "
        f"the approved text: {rate_text(integ.all.messages)}.</p>",
        failures,
    ]


def _speed(page: Page) -> list[str]:
    speed = page.report.speed
    sp = speed.cases
    return [
        "<h3>Speed</h3>",
        f"<p>Per-question latency during this run (eval questions, {sp.n} questions asked): p50 "
        f"{num(sp.p50_ms, 1)} ms, p95 {num(sp.p95_ms, 1)} ms, slowest {num(sp.max_ms, 1)} ms. "
        f"Whole suite: {num(speed.suite_seconds, 1)} s. Cold start and memory: <code>python -m evals.bench</code>.</p>",
    ]


def figures(page: Page) -> list[str]:
    report = page.report
    return [
        '<h2 id="figures">All figures</h2>',
        "<h3>Safety (every failure is listed under failing cases)</h3>",
        safety_table(report.safety),
        "<h3>Answer or decline (abstention as selective prediction)</h3>",
        abstention_table(report.abstention),
        "<h3>Retrieval: heldout</h3>",
        retrieval_table(report.retrieval, "heldout"),
        "<h3>Retrieval: dev</h3>",
        retrieval_table(report.retrieval, "dev"),
        *_integrity(page),
        *_speed(page),
    ]


def failing_cases(page: Page) -> list[str]:
    failing = page.failing
    return [
        f'<h2 id="failing">Failing cases ({len(failing)})</h2>',
        "<p class=small>Every eval case that did not behave as expected: what was typed, what was expected, "
        "what was shown, and why it counts as a failure. Safety failures first, then answers that should "
        "not have been given, then questions answered with the wrong passage or refused.</p>",
        case_table(failing, page.titles) if failing else "<p>None.</p>",
    ]


def public_questions(page: Page) -> list[str]:
    report, ext = page.report, page.report.external
    parts = ['<h2 id="external">Public consumer questions (external set, scored on its own)</h2>']
    if not ext.n or ext.by_scope_label is None:
        return [*parts, "<p>The public set was not found, so it was not scored.</p>"]
    ext_fail = [c for c in report.external_cases if not c.passed]
    return [
        *parts,
        "<p class=small>Questions from public datasets (MedQuAD, MeQSum, K-QA). Their labels say whether the "
        "topic is in ATC Guide's area; an in-scope topic does not mean the approved passages answer it, so "
        "in-scope questions are reported as coverage, and only a few reviewer-judged questions "
        "(evals/cases/external_judgements.yaml) are scored right or wrong.</p>",
        "<table><thead><tr><th>label</th><th>n</th><th>answered</th><th>declined</th><th>escalated</th>"
        "</tr></thead><tbody>"
        + "".join(
            f"<tr><td>{esc(k)}</td><td>{v.n}</td><td>{rate_text(v.answered)}</td>"
            f"<td>{rate_text(v.abstained)}</td><td>{rate_text(v.escalated)}</td></tr>"
            for k, v in ext.by_scope_label.items()
        )
        + "</tbody></table>",
        f"<p>Should-decline questions (out of scope, near miss, judged dosing) declined: "
        f"{rate_text(ext.refusal_should_abstain)}; answered anyway (false answers): "
        f"{rate_text(ext.false_answer_should_abstain)}. Reviewer-judged answerable questions answered "
        f"with a right passage: {rate_text(ext.judged_answer_correct)}.</p>",
        f"<h3>External questions that failed ({len(ext_fail)})</h3>",
        case_table(ext_fail, page.titles) if ext_fail else "<p>None.</p>",
        "<details><summary>All public questions and what was served</summary>",
        case_table(report.external_cases, page.titles),
        "</details>",
    ]


def content(page: Page) -> list[str]:
    c = page.report.content
    states = ", ".join(f"{k} {v}" for k, v in sorted(c.approval_states.items()))
    return [
        '<h2 id="content">Content</h2>',
        f"<p>Approval coverage: {rate_text(c.approval_coverage)} of passages are approved "
        f"({esc(states)}). Reading "
        f"grade, patient passages: median {num(c.grade_median_patient, 1)}, highest "
        f"{num(c.grade_max_patient, 1)}, above grade 8: {rate_text(c.grade_above_8_patient)}.</p>",
        f"<p>Approved passages never among the first three found for any eval question ({len(c.never_in_top3)}): "
        + (", ".join(f"<code>{esc(p)}</code>" for p in c.never_in_top3) or "none")
        + ".</p>",
        f"<p>Approved passages never shown for any question ({len(c.never_served)}): "
        + (", ".join(f"<code>{esc(p)}</code>" for p in c.never_served) or "none")
        + ".</p>",
        "<details><summary>Reading grade of every passage</summary><table><thead><tr><th>passage</th>"
        "<th>audience</th><th>approval</th><th>grade</th></tr></thead><tbody>"
        + "".join(
            f"<tr><td><code>{esc(p.id)}</code> {esc(p.title)}</td><td>{esc(p.audience)}</td>"
            f"<td>{esc(p.state)}</td><td>{num(p.grade, 1)}</td></tr>"
            for p in sorted(c.passages, key=lambda p: -(p.grade or 0))
        )
        + "</tbody></table></details>",
    ]


def all_cases(page: Page) -> list[str]:
    cases = page.report.cases
    kinds = sorted({c.kind for c in cases})
    return [
        f'<h2 id="cases">All cases ({len(cases)})</h2>',
        '<div class="filters"><input id="f-text" type="search" placeholder="filter by text" '
        'aria-label="filter by text"><select id="f-kind" aria-label="kind"><option value="">all kinds</option>'
        + "".join(f'<option value="{esc(k)}">{esc(CASE_KIND_LABELS.get(k, k))}</option>' for k in kinds)
        + '</select><select id="f-split" aria-label="split"><option value="">dev and heldout</option>'
        '<option value="dev">dev</option><option value="heldout">heldout</option></select>'
        '<select id="f-result" aria-label="result"><option value="">pass and fail</option>'
        '<option value="pass">pass</option><option value="fail">fail</option></select>'
        '<span id="f-count" class="small"></span></div>',
        case_table(cases, page.titles, "all-cases"),
    ]
