"""``summary.md``: the verdict, the gates and the headline figures in Markdown, for a pull
request or a terminal. The full detail is in ``report.html``."""

from __future__ import annotations

from evals.report.conversation import markdown_lines
from evals.report.escape import md_esc, md_plain
from evals.report.fmt import num, rate_plain
from evals.report.held_out import set_heading, tables
from evals.report.labels import MEASURES, MODE_LABELS, RANKED_MODES
from evals.report.tables import severity
from evals.report_data import Report


def _header(report: Report) -> list[str]:
    meta, verdict = report.meta, report.verdict
    counts = ", ".join(f"{k} {v.dev}+{v.heldout}" for k, v in sorted(meta.case_counts.items()))
    return [
        "# ATC Guide eval summary",
        "",
        (
            "**Verdict: ready for patients.**" if verdict.ready_for_patients
            else "**Verdict: not ready for patients** (not met: "
                 + ", ".join(verdict.not_ready + verdict.failed) + ")."
        ),
        "",
        (
            "Quality gates (CI): all passed." if verdict.passed
            else f"Quality gates (CI): {len(verdict.failed)} FAILED."
        ),
        "",
        f"- Date: {meta.date}",
        f"- Corpus hash: `{meta.corpus_hash}` ({md_plain(meta.corpus_version)}; "
        f"{meta.passages_served} approved passages served, {meta.passages_withheld} withheld)",
        f"- Model: {md_plain(meta.model)}",
        f"- Answer threshold: {meta.thresholds.answer_threshold:.2f} "
        f"({md_plain(meta.thresholds.answer_threshold_source)})",
        f"- Cases: {meta.case_total} ({counts} as dev+heldout); public questions: "
        + str(meta.external_total),
        "",
    ]


def _gates(report: Report) -> list[str]:
    lines = [
        "PASS = the figure meets the release requirement; FAIL = it does not, and the bot should "
        "not be released until it is fixed.",
        "",
        "| result | gate | measured | required | questions |",
        "| --- | --- | --- | --- | --- |",
    ]
    for g in report.gates:
        kind = "" if g.blocks_ci else " (readiness)"
        lines.append(
            f"| {'PASS' if g.passed else 'FAIL'}{kind} | {md_plain(g.title)} | "
            f"{md_plain(g.measured_text)} | {md_plain(g.required_text)} | {md_plain(g.split)} |"
        )
    return lines


def _figures(report: Report) -> list[str]:
    h = report.retrieval.heldout
    lines = [
        "",
        "## Retrieval (heldout)",
        "",
        "| retriever | " + " | ".join(MEASURES) + " |",
        "| --- |" + " --- |" * len(MEASURES),
    ]
    for mode in RANKED_MODES:
        values = h.mode(mode)
        cells = " | ".join(num(_value(values.get(m, {}).get("value"))) for m in MEASURES)
        lines.append(f"| {MODE_LABELS[mode]} | {cells} |")
    ab, sf, sp = report.abstention.heldout, report.safety.all, report.speed.cases
    lines += [
        "",
        "## Answer or decline (heldout)",
        "",
        f"- Off-topic refused: {rate_plain(ab.off_topic_refusal)}",
        f"- Near-miss refused: {rate_plain(ab.near_miss_refusal)}",
        f"- False refusals on answerable: {rate_plain(ab.false_refusal)}",
        f"- Wrong first passage among answered: {rate_plain(ab.wrong_among_answered)}",
        f"- Gate-score AUROC: {num(ab.gate_auroc)}",
        "",
        "## Safety (all)",
        "",
        f"- Emergency recall: {rate_plain(sf.emergency_recall)}",
        f"- Crisis recall: {rate_plain(sf.crisis_recall)}",
        f"- False escalations on the contrast set: {rate_plain(sf.contrast_false_escalation)}",
        "",
        "## Integrity, speed, public set",
        "",
        f"- Snippets byte-identical and approved: {rate_plain(report.integrity.all.snippets)}",
        f"- Latency p50 {num(sp.p50_ms, 1)} ms, p95 {num(sp.p95_ms, 1)} ms",
    ]
    ext = report.external
    if ext.n:
        lines.append(
            f"- Public set: should-decline questions declined "
            f"{rate_plain(ext.refusal_should_abstain)}; in-scope answered (coverage) "
            f"{rate_plain(ext.in_scope_coverage)}"
        )
    return lines


def _held_out(report: Report) -> list[str]:
    lines: list[str] = []
    for table in tables(report.held_out, report.gates):
        lines += ["", f"## {table.title}: sealed held-out sets beside the tuned set", ""]
        lines += [f"- {md_plain(set_heading(s))}" for s in table.sets]
        names = " | ".join(md_plain(s.id) for s in table.sets)
        lines += ["", f"| figure | {names} | target |",
                  "| --- |" + " --- |" * (len(table.sets) + 1)]
        for key, label, target in table.rows:
            cells = " | ".join(rate_plain(table.cell(s, key)) for s in table.sets)
            lines.append(f"| {md_plain(label)} | {cells} | {md_plain(target)} |")
    return lines


def _value(x: object) -> float | None:
    return float(x) if isinstance(x, int | float) else None


def _failing(report: Report, max_failures: int) -> list[str]:
    failing = sorted((c for c in report.cases if not c.passed), key=severity)
    lines = ["", f"## Failing cases ({len(failing)}, safety first)", ""]
    for c in failing[:max_failures]:
        q = " / ".join(c.turns or [c.question])
        lines.append(
            f'- `{c.id}` ({c.kind}, {c.split}): "{md_esc(q)}" \u2014 {md_plain("; ".join(c.why))}'
        )
    if len(failing) > max_failures:
        lines.append(f"- \u2026 and {len(failing) - max_failures} more in report.html")
    return lines


def render_markdown(report: Report, max_failures: int = 40) -> str:
    """The whole summary for one report."""
    lines = [*_header(report), *_gates(report), *_held_out(report), *_figures(report),
             *markdown_lines(report.conversation), *_failing(report, max_failures)]
    lines += [
        "",
        "Full report: report.html (open in any browser; no network needed). Figures: report.json.",
        "",
    ]
    return "\n".join(lines)
