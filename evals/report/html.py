# ruff: noqa: E501 - HTML templates read better unwrapped
"""The clinicians' page: one self-contained HTML file that needs no network and no
library (inline CSS from ``report.css``, inline SVG charts, and ``filter.js``, a few lines
of inline script for the case filter: the page reads fine without it).

The page is the verdict header, the navigation bar, then :data:`SECTIONS` in order. A new
section is a function ``(Page) -> list[str]`` (see :mod:`evals.report.sections`) and one
:class:`PageSection` entry here; its anchor and link text put it in the navigation bar.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import files

from evals.report import sections
from evals.report.conversation import conversation
from evals.report.escape import esc
from evals.report.fmt import num
from evals.report.labels import CASE_KIND_LABELS
from evals.report.sections import Page
from evals.report.tables import gate_rows
from evals.report_data import Report


@dataclass(frozen=True)
class PageSection:
    """One section of the page, and its link in the navigation bar."""

    anchor: str
    """The ``id`` of the section's ``<h2>``."""
    nav: str
    """The link text in the navigation bar."""
    render: Callable[[Page], list[str]]


def _asset(name: str) -> str:
    """A file shipped with this package (``report.css``, ``filter.js``)."""
    return files("evals.report").joinpath(name).read_text(encoding="utf-8")


def _headline(report: Report) -> str:
    v = report.verdict
    ci = [g for g in report.gates if g.blocks_ci]
    quality = (f"Quality gates for this build: all {len(ci)} passed." if v.passed else
               f"Quality gates for this build: {len(v.failed)} of {len(ci)} FAILED.")
    if v.ready_for_patients:
        return f"Ready for patients: every gate passed. {quality}"
    return f"Not ready for patients. {quality}"


def _not_ready_reasons(report: Report) -> str:
    """What stands between this build and patients, in words, first on the page."""
    missed = [g for g in report.gates if not g.passed and (not g.blocks_ci or g.id in
                                                          report.verdict.failed)]
    if not missed:
        return ""
    items = "".join(f"<li><b>{esc(g.title)}</b>: {esc(g.measured_text)} "
                    f"(required {esc(g.required_text)}; {esc(g.split)})</li>" for g in missed)
    return f'<ul class="reasons">{items}</ul>'


def _count_text(report: Report) -> str:
    counts = report.meta.case_counts
    text = ", ".join(
        f"{CASE_KIND_LABELS.get(k, k).split(' (')[0].lower()} {v.dev + v.heldout}"
        for k, v in sorted(counts.items())
    )
    n_fixtures = sum(v.fixtures for v in counts.values())
    if n_fixtures:
        text += f"; {n_fixtures} of them are the team's safety fixtures, reused"
    return text


def head(page: Page) -> list[str]:
    meta = page.report.meta
    return [
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>",
        '<meta name=viewport content="width=device-width, initial-scale=1">',
        "<meta http-equiv=Content-Security-Policy content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'; img-src data:\">",
        f"<title>{esc(meta.title)} \u2014 {esc(meta.date)}</title><style>\n{_asset('report.css')}</style></head><body><main>",
    ]


def verdict(page: Page) -> list[str]:
    report = page.report
    meta, thr, sp = report.meta, report.meta.thresholds, report.speed.cases
    cls = "pass" if report.verdict.ready_for_patients else "fail"
    return [
        f'<section class="verdict {cls}" id="verdict">',
        "<h1>ATC Guide \u2014 is it safe to put in front of patients?</h1>",
        f'<div class="big">{esc(_headline(report))}</div>',
        _not_ready_reasons(report),
        f"<p class=small>Measured on {meta.case_total} eval questions written for this project "
        f"({esc(_count_text(report))}) and {meta.external_total} public consumer questions nobody on the project "
        f"wrote. <b>PASS</b> means the figure meets the release requirement; <b>FAIL</b> means it does "
        "not, and the bot should not be released until it is fixed. <b>Readiness</b> gates (a clinician's "
        "approval of every passage; the sealed held-out safety and conversation figures, written by people who "
        "never saw the lexicon, the corpus or the training data) decide whether it is ready for patients; the "
        "other gates check each build and fail CI. Safety and integrity gates require "
        "100 %; the others are floors set just under the first measured run, so a regression trips them. "
        "A gate over too few cases does not pass. "
        "Each figure says which questions it comes from: <i>dev</i> (used to tune the threshold), "
        "<i>heldout</i> (never used for tuning: the honest estimate), or all.</p>",
        f'<table class="gates"><thead><tr><th>result</th><th>what is checked</th><th>measured (95 % CI)</th>'
        f"<th>required</th><th>questions</th></tr></thead><tbody>{gate_rows(report.gates, report.cases)}</tbody></table>",
        f'<p class="meta">Date {esc(meta.date)} \u00b7 corpus hash <code>{esc(meta.corpus_hash[:16])}</code> '
        f"({esc(meta.corpus_version)}, {meta.passages_served} approved passages served, "
        f"{meta.passages_withheld} withheld) \u00b7 model {esc(meta.model)} \u00b7 answer threshold "
        f"{thr.answer_threshold:.2f} ({esc(thr.answer_threshold_source)}) \u00b7 latency p50 "
        f"{num(sp.p50_ms, 0)} ms, p95 {num(sp.p95_ms, 0)} ms \u00b7 {len(page.failing)} failing cases listed below.</p>",
        "</section>",
    ]


def method(page: Page) -> list[str]:
    meta = page.report.meta
    thr = meta.thresholds
    return [
        '<h2 id="method">How to read this report</h2><ul class=small>',
        "<li><b>Answerable</b> questions should be answered, and the first passage shown must be one the case "
        "lists as a correct answer. <b>Near-miss</b> and <b>off-topic</b> questions should be declined. "
        "<b>Emergency</b> and <b>crisis</b> messages must escalate with the right message and no passage. "
        "<b>Contrast</b> questions use words like die, kill or DNR in an everyday or goals-of-care sense and must "
        "not escalate. <b>Conversations</b> are judged on their last turn.</li>",
        "<li>Retrieval: Success@1 = a correct passage is first; Recall@3/@5 = the passage the question was "
        "written for is in the first 3/5; MRR@10 = 1/rank of the first correct passage; nDCG@10 = ranking quality "
        "with the intended passage worth more than other acceptable ones. Computed with ir-measures; a question "
        "with no result counts as a miss. 'What users were shown' scores the passages actually displayed "
        "(a refusal counts as a miss).</li>",
        "<li>95 % intervals (Wilson) show how much the number could move with a different sample of questions "
        "of the same kind: a wide interval means few questions.</li>",
        "<li>Dev questions were used to choose the answer threshold (evals/calibrate.py); heldout questions "
        "never were, so heldout figures are the honest estimate. The public set is scored separately.</li>",
        "<li>Reading grade: Flesch-Kincaid grade level computed offline (botcore.readability).</li>",
        f"<li>Settings: answer threshold {thr.answer_threshold:.2f}, out-of-scope below "
        f"{thr.out_of_scope_below:.2f}, companion margin {thr.companion_margin:.2f}, up to {thr.top_k} "
        f"passages per answer, RRF k {thr.rrf_k}, {thr.candidate_k} candidates per retriever. Code "
        f"{esc(meta.code_version or 'unknown')}, cases hash <code>{esc(meta.cases_hash[:16])}</code>, "
        f"Python {esc(meta.python)} on {esc(meta.platform)}.</li></ul>",
    ]


SECTIONS: tuple[PageSection, ...] = (
    PageSection("charts", "charts", sections.charts),
    PageSection("held-out", "sealed sets", sections.held_out),
    PageSection("figures", "all figures", sections.figures),
    PageSection("conversation", "conversations", conversation),
    PageSection("failing", "failing cases", sections.failing_cases),
    PageSection("external", "public questions", sections.public_questions),
    PageSection("content", "content", sections.content),
    PageSection("cases", "all cases", sections.all_cases),
    PageSection("method", "how to read", method),
)
"""The page after the verdict, in order."""


def nav(page_sections: tuple[PageSection, ...]) -> str:
    links = "".join(f'<a href="#{s.anchor}">{s.nav}</a>' for s in page_sections)
    return f"<nav class=small>{links}</nav>"


def render_html(report: Report) -> str:
    """The whole page for one report."""
    page = Page(report)
    parts = [*head(page), *verdict(page), nav(SECTIONS)]
    for section in SECTIONS:
        parts += section.render(page)
    parts.append(f"<script>\n{_asset('filter.js')}</script></main></body></html>")
    return "\n".join(p for p in parts if p)
