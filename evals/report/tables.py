# ruff: noqa: E501 - HTML templates read better unwrapped
"""The report's HTML tables: release gates, cases, and the retrieval, abstention and
safety figures. Each takes typed report data and returns one HTML fragment."""

from __future__ import annotations

from collections.abc import Sequence

from evals.figures import Abstention, Retrieval, Safety
from evals.gates import GateResult
from evals.metrics import Rate
from evals.report.escape import esc
from evals.report.fmt import num, rate_text
from evals.report.labels import CASE_KIND_LABELS, MEASURES, MODE_LABELS, RANKED_MODES
from evals.results import CaseRow

ABSTENTION_ROWS = (
    ("Off-topic questions refused", "off_topic_refusal"),
    ("Near-miss questions refused (other cancers, doses, personal decisions)", "near_miss_refusal"),
    ("Answerable questions wrongly refused (false refusals)", "false_refusal"),
    ("Answerable questions answered with a right passage first", "answered_correct"),
    ("Wrong passage first, among answered in-scope questions", "wrong_among_answered"),
    ("Any wrong answer among all answers given (selective risk)", "risk_among_all_answered"),
    ("Answerable questions escalated instead of answered", "answerable_escalated"),
)
"""(label, field of ``AbstentionSplit``): one table row each, dev and heldout."""
SAFETY_ROWS = (
    ("Emergencies escalated with the emergency message", "emergency_recall"),
    ("Crisis language answered with the crisis resources", "crisis_recall"),
    ("Escalation held under pushback on a later turn", "multi_turn_escalation_held"),
    ("Contrast set wrongly escalated (false escalations)", "contrast_false_escalation"),
    ("Contrast set handled as expected", "contrast_passed"),
    ("Ordinary questions wrongly escalated", "other_false_escalation"),
)
"""(label, field of ``SafetySplit``): one table row each, dev, heldout and all."""
SOURCE_ROWS = (
    ("Emergencies escalated", "emergency_recall"),
    ("Crisis language escalated", "crisis_recall"),
    ("Contrast set wrongly escalated", "contrast_false_escalation"),
)


def gate_failures(gate: GateResult, cases: Sequence[CaseRow]) -> list[CaseRow]:
    """The failing cases behind a failed gate (by the case kinds it names and its split)."""
    if gate.passed or not gate.kinds:
        return []
    split = gate.split.split()[0]

    def named(c: CaseRow) -> bool:
        for spec in gate.kinds:
            kind, _, status = spec.partition(":")
            if c.kind == kind and (not status or status in c.expected or c.status == status):
                return True
        return False

    return [
        c
        for c in cases
        if named(c) and not c.passed and (split not in ("dev", "heldout") or c.split == split)
    ]


def gate_rows(gates: Sequence[GateResult], cases: Sequence[CaseRow]) -> str:
    rows = []
    for g in gates:
        cls = "pass" if g.passed else "fail"
        missed = gate_failures(g, cases)
        names = ""
        if missed:
            shown = "; ".join(f"{c.id} \u201c{' / '.join(c.turns)}\u201d" for c in missed[:4])
            more = f" and {len(missed) - 4} more" if len(missed) > 4 else ""
            names = f"<br><span class=ci>Failed: {esc(shown)}{esc(more)} (see failing cases)</span>"
        rows.append(
            f'<tr class="{cls}"><td><span class="pill {cls}">{"PASS" if g.passed else "FAIL"}'
            f'</span>{"" if g.blocks_ci else "<br><span class=ci>readiness</span>"}</td>'
            f'<td title="{esc(g.why or "")}">{esc(g.title)}{names}</td>'
            f"<td>{esc(g.measured_text)}</td>"
            f"<td>{esc(g.required_text)}</td><td>{esc(g.split)}</td></tr>"
        )
    return "".join(rows)


def severity(c: CaseRow) -> int:
    """Order of the failing-case list: safety first, then answers that should not have been
    given, then over-escalation, then wrong or missing answers."""
    if "escalated" in c.expected:
        return 0
    if c.kind in ("near_miss", "off_topic") and c.status == "answered":
        return 1
    if c.status == "escalated":
        return 2
    return 3


def _passage_list(ids: Sequence[str], titles: dict[str, str]) -> str:
    """Passages as a clinician reads them: the title, with the id in small print."""
    return "<br>".join(
        f"{esc(titles.get(pid, pid))} <span class=ci>({esc(pid)})</span>" for pid in ids
    )


def _served_cell(c: CaseRow, titles: dict[str, str]) -> str:
    bits = [f"<b>{esc(c.status or '-')}</b>"]
    if c.tier:
        bits.append(f"tier {esc(c.tier)}")
    if c.message_id:
        bits.append(f"message {esc(c.message_id)}")
    if c.reason and c.reason not in (c.status, "answered", "escalated"):
        bits.append(f"reason {esc(c.reason)}")
    if c.gate_score is not None:
        bits.append(f"gate {c.gate_score:.3f}")
    head = ", ".join(bits)
    if c.served:
        return head + "<br>" + _passage_list(c.served, titles)
    return head


def _expected_cell(c: CaseRow, titles: dict[str, str]) -> str:
    if not c.expected:
        return "not judged (coverage only)"
    head = f"<b>{esc(' or '.join(c.expected))}</b>"
    if c.tier_expected:
        head += f", tier {esc(' or '.join(c.tier_expected))}"
    if c.message_expected:
        head += f", message {esc(c.message_expected)}"
    if c.passages:
        return head + "; first passage one of:<br>" + _passage_list(c.passages, titles)
    return head


def _question_cell(c: CaseRow) -> str:
    turns = c.turns or [c.question]
    if len(turns) > 1:
        text = "<br>".join(f'<span class="q">{i}. {esc(t)}</span>' for i, t in enumerate(turns, 1))
    else:
        text = f'<span class="q">{esc(turns[0])}</span>'
    extra = [CASE_KIND_LABELS.get(c.kind, c.kind), c.split, c.id]
    if c.situations:
        extra.append("situation: " + ", ".join(c.situations))
    return f"{text}<br><span class=ci>{esc(' · '.join(extra))}</span>"


def case_table(
    cases: Sequence[CaseRow],
    titles: dict[str, str],
    table_id: str | None = None,
    why: bool = True,
) -> str:
    tid = f' id="{table_id}"' if table_id else ""
    head = (
        "<tr><th>result</th><th>question (what was typed)</th><th>expected</th><th>served</th>"
        + ("<th>why it failed</th>" if why else "")
        + "</tr>"
    )
    rows = []
    for c in cases:
        cls = "pass" if c.passed else "fail"
        rows.append(
            f'<tr class="{cls}" data-kind="{esc(c.kind)}" data-split="{esc(c.split)}" '
            f'data-result="{cls}"><td><span class="pill {cls}">{"PASS" if c.passed else "FAIL"}</span></td>'
            f"<td class=qcell>{_question_cell(c)}</td><td>{_expected_cell(c, titles)}</td>"
            f"<td>{_served_cell(c, titles)}</td>"
            + (f"<td>{'<br>'.join(esc(w) for w in c.why) or '-'}</td>" if why else "")
            + "</tr>"
        )
    return f"<table class=cases{tid}><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"


def retrieval_table(ret: Retrieval, split: str) -> str:
    r = getattr(ret, split)
    head = "<tr><th>retriever</th>" + "".join(f"<th>{m}</th>" for m in MEASURES) + "</tr>"
    rows = []
    for mode in RANKED_MODES:
        cells = []
        for m in MEASURES:
            e = r.mode(mode).get(m, {})
            ci = (
                f" <span class=ci>({100 * e['lo']:.0f}\u2013{100 * e['hi']:.0f} %)</span>"
                if e.get("lo") is not None
                else ""
            )
            cells.append(f"<td>{num(e.get('value'))}{ci}</td>")
        rows.append(f"<tr><td>{esc(MODE_LABELS[mode])}</td>{''.join(cells)}</tr>")
    return (
        f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"
        f"<p class=small>{esc(split)} split, {r.n_queries} questions. Intervals are Wilson 95 % "
        "for the yes/no measures.</p>"
    )


def _rate(model: object, field: str) -> Rate | None:
    value = getattr(model, field)
    return value if isinstance(value, Rate) else None


def abstention_table(ab: Abstention) -> str:
    head = "<tr><th>figure</th><th>dev</th><th>heldout</th></tr>"
    body = "".join(
        f"<tr><td>{esc(label)}</td><td>{rate_text(_rate(ab.dev, key))}</td>"
        f"<td>{rate_text(_rate(ab.heldout, key))}</td></tr>"
        for label, key in ABSTENTION_ROWS
    )
    body += (
        f"<tr><td>AUROC of the gate score (answerable vs. should-decline; 1 = perfect, 0.5 = chance)"
        f"</td><td>{num(ab.dev.gate_auroc)}</td>"
        f"<td>{num(ab.heldout.gate_auroc)}</td></tr>"
    )
    body += (
        f"<tr><td>Area under the risk-coverage curve (lower is better)</td>"
        f"<td>{num(ab.dev.aurc)}</td><td>{num(ab.heldout.aurc)}</td></tr>"
    )
    return f"<table><thead>{head}</thead><tbody>{body}</tbody></table>"


def safety_table(sf: Safety) -> str:
    head = "<tr><th>figure</th><th>dev</th><th>heldout</th><th>all</th></tr>"
    body = "".join(
        f"<tr><td>{esc(label)}</td>"
        + "".join(f"<td>{rate_text(_rate(split, key))}</td>" for split in (sf.dev, sf.heldout, sf.all))
        + "</tr>"
        for label, key in SAFETY_ROWS
    )
    src = sf.all.by_source
    if src:
        own, fixtures = src.get("own"), src.get("fixtures")
        body += "".join(
            f"<tr><td>{esc(label)}, by source: new eval phrasings / reused safety fixtures</td><td colspan=3>"
            f"{rate_text(_rate(own, key) if own else None)} / {rate_text(_rate(fixtures, key) if fixtures else None)}</td></tr>"
            for label, key in SOURCE_ROWS
        )
    return f"<table><thead>{head}</thead><tbody>{body}</tbody></table>"
