# ruff: noqa: E501 - HTML and SVG templates read better unwrapped
"""Render the report: a self-contained HTML page for clinicians and a Markdown summary.

The HTML needs no network and no library: inline CSS, inline SVG charts and a few lines
of inline script for the case filter (the page reads fine without it). Every piece of
text that comes from a case, a user or the corpus goes through :func:`esc`: invisible
and control characters are shown as visible codes, then ``html.escape`` is applied.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

SERIES_COLOURS = {"bm25": "#8c6d31", "dense": "#4a7ab5", "hybrid": "#2e7d32", "served": "#7b5ea7"}
MODE_LABELS = {
    "bm25": "BM25 only",
    "dense": "Dense only",
    "hybrid": "Hybrid (the app)",
    "served": "What users were shown",
}
MEASURES = ("Success@1", "Recall@3", "Recall@5", "MRR@10", "nDCG@10")
KIND_LABELS = {
    "answerable": "Answerable question",
    "near_miss": "Near miss (should decline)",
    "off_topic": "Off topic (should decline)",
    "emergency": "Emergency",
    "crisis": "Crisis",
    "contrast": "Contrast (must not escalate)",
    "multi_turn": "Conversation (several turns)",
}


# -- escaping ---------------------------------------------------------------------------------------
def visible(text: object) -> str:
    """Control, format (zero-width, bidi), private-use and surrogate code points become a
    visible ``<U+200B>`` code, so nothing in the page is hidden or reordered."""
    out = []
    for ch in str(text):
        if ch in "\n\t":
            out.append(ch)
        elif unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs", "Cn"):
            out.append(f"\u27e8U+{ord(ch):04X}\u27e9")
        else:
            out.append(ch)
    return "".join(out)


def esc(text: object) -> str:
    """Text for HTML: visible codes for invisible characters, then html.escape (quotes too)."""
    return html.escape(visible(text), quote=True)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~])")


def md_plain(text: object) -> str:
    """Our own generated text for a Markdown table cell: only the cell separator is escaped."""
    return visible(text).replace("|", "\\|").replace("\n", " ")


def md_esc(text: object) -> str:
    """Text for Markdown: special characters backslash-escaped, so user text never becomes
    a link, an image, HTML or a table break."""
    return _MD_SPECIAL.sub(r"\\\1", visible(text).replace("\n", " ").replace("\t", " "))


# -- number formatting ------------------------------------------------------------------------------
def pct(x: float | None, digits: int = 0) -> str:
    return "n/a" if x is None else f"{100 * x:.{digits}f} %"


def rate_text(r: dict[str, Any] | None, digits: int = 0) -> str:
    if not r or not r.get("n"):
        return "n/a (0 cases)"
    return (
        f"{100 * r['rate']:.{digits}f} % <span class=ci>({r['k']}/{r['n']}; CI "
        f"{100 * r['lo']:.0f}\u2013{100 * r['hi']:.0f} %)</span>"
    )


def rate_plain(r: dict[str, Any] | None) -> str:
    if not r or not r.get("n"):
        return "n/a (0 cases)"
    return f"{100 * r['rate']:.0f} % ({r['k']}/{r['n']}; 95 % CI {100 * r['lo']:.0f}-{100 * r['hi']:.0f} %)"


def num(x: float | None, digits: int = 3) -> str:
    return (
        "n/a" if x is None or (isinstance(x, float) and not math.isfinite(x)) else f"{x:.{digits}f}"
    )


# -- SVG charts -------------------------------------------------------------------------------------
def _svg_open(w: int, h: int, label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        f'role="img" aria-label="{esc(label)}"><title>{esc(label)}</title>'
    )


def bar_chart(
    groups: Sequence[str],
    series: Sequence[str],
    values: dict[str, dict[str, float | None]],
    title: str,
    w: int = 460,
    h: int = 230,
) -> str:
    """Grouped bars, y from 0 to 1. ``values[series][group]``."""
    left, right, top, bottom = 36, 8, 26, 46
    pw, ph = w - left - right, h - top - bottom
    parts = [_svg_open(w, h, title), f'<text x="{left}" y="15" class="st">{esc(title)}</text>']
    for i in range(0, 6):
        y = top + ph - ph * i / 5
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{w - right}" y2="{y:.1f}" class="grid"/>')
        parts.append(
            f'<text x="{left - 4}" y="{y + 3:.1f}" class="ax" text-anchor="end">{i / 5:.1f}</text>'
        )
    gw = pw / max(1, len(groups))
    bw = min(18.0, (gw - 8) / max(1, len(series)))
    for gi, g in enumerate(groups):
        x0 = left + gi * gw + (gw - bw * len(series)) / 2
        for si, s in enumerate(series):
            v = values.get(s, {}).get(g)
            if v is None:
                continue
            bh = ph * max(0.0, min(1.0, v))
            x = x0 + si * bw
            parts.append(
                f'<rect x="{x:.1f}" y="{top + ph - bh:.1f}" width="{bw - 2:.1f}" height="{bh:.1f}" '
                f'fill="{SERIES_COLOURS.get(s, "#666")}"><title>{esc(MODE_LABELS.get(s, s))} '
                f"{esc(g)}: {v:.3f}</title></rect>"
            )
        parts.append(
            f'<text x="{left + gi * gw + gw / 2:.1f}" y="{top + ph + 14}" class="ax" '
            f'text-anchor="middle">{esc(g)}</text>'
        )
    lx = left
    for s in series:
        parts.append(
            f'<rect x="{lx}" y="{h - 16}" width="10" height="10" fill="{SERIES_COLOURS.get(s, "#666")}"/>'
            f'<text x="{lx + 14}" y="{h - 7}" class="ax">{esc(MODE_LABELS.get(s, s))}</text>'
        )
        lx += 14 + 7 * len(MODE_LABELS.get(s, s)) + 12
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    lines: dict[str, list[tuple[float, float]]],
    colours: dict[str, str],
    title: str,
    xlabel: str,
    ylabel: str,
    marks: dict[str, tuple[float, float]] | None = None,
    w: int = 460,
    h: int = 250,
    ymax: float = 1.0,
) -> str:
    left, right, top, bottom = 44, 10, 26, 52
    pw, ph = w - left - right, h - top - bottom
    ymax = ymax or 1.0

    def px(x: float) -> float:
        return left + pw * max(0.0, min(1.0, x))

    def py(y: float) -> float:
        return top + ph - ph * max(0.0, min(1.0, y / ymax))

    parts = [_svg_open(w, h, title), f'<text x="{left}" y="15" class="st">{esc(title)}</text>']
    for i in range(0, 6):
        yv = ymax * i / 5
        parts.append(
            f'<line x1="{left}" y1="{py(yv):.1f}" x2="{w - right}" y2="{py(yv):.1f}" class="grid"/>'
        )
        parts.append(
            f'<text x="{left - 4}" y="{py(yv) + 3:.1f}" class="ax" text-anchor="end">{yv:.2f}</text>'
        )
        xv = i / 5
        parts.append(
            f'<text x="{px(xv):.1f}" y="{top + ph + 13}" class="ax" text-anchor="middle">{xv:.1f}</text>'
        )
    parts.append(
        f'<text x="{left + pw / 2:.1f}" y="{top + ph + 26}" class="ax" text-anchor="middle">'
        f"{esc(xlabel)}</text>"
    )
    parts.append(
        f'<text x="12" y="{top + ph / 2:.1f}" class="ax" text-anchor="middle" '
        f'transform="rotate(-90 12 {top + ph / 2:.1f})">{esc(ylabel)}</text>'
    )
    lx = left
    for name, pts in lines.items():
        colour = colours.get(name, "#333")
        if pts:
            d = " ".join(
                f"{'M' if i == 0 else 'L'}{px(x):.1f},{py(y):.1f}" for i, (x, y) in enumerate(pts)
            )
            parts.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts.append(
            f'<rect x="{lx}" y="{h - 14}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{lx + 14}" y="{h - 5}" class="ax">{esc(name)}</text>'
        )
        lx += 14 + 7 * len(name) + 14
    for name, (x, y) in (marks or {}).items():
        colour = colours.get(name, "#000")
        parts.append(
            f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="5" fill="none" stroke="{colour}" '
            f'stroke-width="2"><title>{esc(name)} at the current threshold: coverage {x:.2f}, '
            f"risk {y:.2f}</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)


def histogram_chart(
    edges: Sequence[float],
    series: dict[str, Sequence[int]],
    colours: dict[str, str],
    title: str,
    labels: Sequence[str] | None = None,
    marker: float | None = None,
    w: int = 460,
    h: int = 230,
) -> str:
    left, right, top, bottom = 36, 8, 26, 46
    pw, ph = w - left - right, h - top - bottom
    nb = len(edges) - 1
    peak = max([max(v) if v else 0 for v in series.values()] + [1])
    parts = [_svg_open(w, h, title), f'<text x="{left}" y="15" class="st">{esc(title)}</text>']
    for i in range(0, 5):
        y = top + ph - ph * i / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{w - right}" y2="{y:.1f}" class="grid"/>')
        parts.append(
            f'<text x="{left - 4}" y="{y + 3:.1f}" class="ax" text-anchor="end">'
            f"{peak * i / 4:.0f}</text>"
        )
    bw = pw / max(1, nb)
    ns = max(1, len(series))
    for si, (name, counts) in enumerate(series.items()):
        for b, c in enumerate(counts):
            if not c:
                continue
            bh = ph * c / peak
            x = left + b * bw + 1 + si * (bw - 2) / ns
            parts.append(
                f'<rect x="{x:.1f}" y="{top + ph - bh:.1f}" width="{(bw - 2) / ns:.1f}" '
                f'height="{bh:.1f}" fill="{colours.get(name, "#666")}"><title>{esc(name)}: {c}'
                f"</title></rect>"
            )
    step = max(1, nb // 10)
    for b in range(0, nb, step):
        label = labels[b] if labels else f"{edges[b]:g}"
        parts.append(
            f'<text x="{left + b * bw + bw / 2:.1f}" y="{top + ph + 13}" class="ax" '
            f'text-anchor="middle">{esc(label)}</text>'
        )
    if marker is not None and edges[0] <= marker <= edges[-1]:
        span = edges[-1] - edges[0]
        x = left + pw * (marker - edges[0]) / span if span else left
        parts.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + ph}" stroke="#c62828" '
            f'stroke-dasharray="4 3" stroke-width="2"/><text x="{x + 3:.1f}" y="{top + 10}" '
            f'class="ax" fill="#c62828">threshold {marker:.2f}</text>'
        )
    lx = left
    for name in series:
        parts.append(
            f'<rect x="{lx}" y="{h - 14}" width="10" height="10" fill="{colours.get(name, "#666")}"/>'
            f'<text x="{lx + 14}" y="{h - 5}" class="ax">{esc(name)}</text>'
        )
        lx += 14 + 7 * len(name) + 14
    parts.append("</svg>")
    return "".join(parts)


# -- HTML -------------------------------------------------------------------------------------------
CSS = """
*{box-sizing:border-box}body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;
margin:0;color:#1b1b1b;background:#fafafa}main{max-width:1200px;margin:0 auto;padding:12px 18px}
h1{font-size:22px;margin:4px 0 6px}h2{font-size:18px;margin:26px 0 8px;border-bottom:2px solid #ddd}
h3{font-size:15px;margin:14px 0 6px}table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}th{background:#f0f0f0}
.verdict{border:3px solid;border-radius:6px;padding:8px 12px;background:#fff}
.verdict.pass{border-color:#2e7d32}.verdict.fail{border-color:#c62828}
.big{font-size:20px;font-weight:700}.pass .big{color:#1b5e20}.fail .big{color:#b71c1c}
.pill{display:inline-block;min-width:44px;text-align:center;border-radius:10px;padding:0 6px;font-weight:700;color:#fff}
.pill.pass{background:#2e7d32}.pill.fail{background:#c62828}.meta{color:#444;font-size:12px;margin:4px 0}
.ci{color:#666;font-size:12px}.small{font-size:12px;color:#333}.charts{display:flex;flex-wrap:wrap;gap:10px}
.charts figure{margin:0;background:#fff;border:1px solid #ddd;padding:4px}figcaption{font-size:12px;color:#444;max-width:460px}
svg .grid{stroke:#e4e4e4}svg .ax{font-size:10px;fill:#444}svg .st{font-size:12px;font-weight:600;fill:#222}
.gates td:nth-child(1),.cases td:nth-child(1){width:54px}.gates td:nth-child(3){white-space:nowrap}.cases .qcell{width:30%}.cases{font-size:13px}.gates{font-size:13px}tr.fail td{background:#fff5f5}
code,.q{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;white-space:pre-wrap;word-break:break-word}
.filters{margin:6px 0;display:flex;gap:8px;flex-wrap:wrap}.filters input,.filters select{font:inherit;padding:2px 4px}
nav a{margin-right:12px}.note{background:#fff8e1;border:1px solid #ffe082;padding:6px 10px;border-radius:4px}
"""

FILTER_JS = """
(function(){var t=document.getElementById('f-text'),k=document.getElementById('f-kind'),
s=document.getElementById('f-split'),r=document.getElementById('f-result'),n=document.getElementById('f-count');
function go(){var q=t.value.toLowerCase(),c=0,rows=document.querySelectorAll('#all-cases tbody tr');
for(var i=0;i<rows.length;i++){var e=rows[i],ok=(!k.value||e.dataset.kind===k.value)&&
(!s.value||e.dataset.split===s.value)&&(!r.value||e.dataset.result===r.value)&&
(!q||e.textContent.toLowerCase().indexOf(q)>=0);e.style.display=ok?'':'none';if(ok)c++;}
n.textContent=c+' shown';}
[t,k,s,r].forEach(function(x){x.addEventListener('input',go);x.addEventListener('change',go);});go();})();
"""


def gate_failures(gate: dict[str, Any], cases: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The failing cases behind a failed gate (by the case kinds it names and its split)."""
    if gate["passed"] or not gate.get("kinds"):
        return []
    split = gate["split"].split()[0]

    def named(c: dict[str, Any]) -> bool:
        for spec in gate["kinds"]:
            kind, _, status = spec.partition(":")
            if c["kind"] == kind and (
                not status or status in c["expected"] or c["status"] == status
            ):
                return True
        return False

    return [
        c
        for c in cases
        if named(c) and not c["passed"] and (split not in ("dev", "heldout") or c["split"] == split)
    ]


def _gate_rows(gates: Sequence[dict[str, Any]], cases: Sequence[dict[str, Any]]) -> str:
    rows = []
    for g in gates:
        cls = "pass" if g["passed"] else "fail"
        missed = gate_failures(g, cases)
        names = ""
        if missed:
            shown = "; ".join(f"{c['id']} \u201c{' / '.join(c['turns'])}\u201d" for c in missed[:4])
            more = f" and {len(missed) - 4} more" if len(missed) > 4 else ""
            names = f"<br><span class=ci>Failed: {esc(shown)}{esc(more)} (see failing cases)</span>"
        rows.append(
            f'<tr class="{cls}"><td><span class="pill {cls}">{"PASS" if g["passed"] else "FAIL"}'
            f'</span></td><td title="{esc(g.get("why") or "")}">{esc(g["title"])}{names}</td>'
            f"<td>{esc(g['measured_text'])}</td>"
            f"<td>{esc(g['required_text'])}</td><td>{esc(g['split'])}</td></tr>"
        )
    return "".join(rows)


def severity(c: dict[str, Any]) -> int:
    """Order of the failing-case list: safety first, then answers that should not have been
    given, then over-escalation, then wrong or missing answers."""
    if "escalated" in c["expected"]:
        return 0
    if c["kind"] in ("near_miss", "off_topic") and c["status"] == "answered":
        return 1
    if c["status"] == "escalated":
        return 2
    return 3


def _passage_list(ids: Sequence[str], titles: dict[str, str]) -> str:
    """Passages as a clinician reads them: the title, with the id in small print."""
    return "<br>".join(
        f"{esc(titles.get(pid, pid))} <span class=ci>({esc(pid)})</span>" for pid in ids
    )


def _served_cell(c: dict[str, Any], titles: dict[str, str]) -> str:
    status = c["status"] or "-"
    bits = [f"<b>{esc(status)}</b>"]
    if c.get("tier"):
        bits.append(f"tier {esc(c['tier'])}")
    if c.get("message_id"):
        bits.append(f"message {esc(c['message_id'])}")
    if c.get("reason") and c["reason"] not in (c["status"], "answered", "escalated"):
        bits.append(f"reason {esc(c['reason'])}")
    if c.get("gate_score") is not None:
        bits.append(f"gate {c['gate_score']:.3f}")
    head = ", ".join(bits)
    if c.get("served"):
        return head + "<br>" + _passage_list(c["served"], titles)
    return head


def _expected_cell(c: dict[str, Any], titles: dict[str, str]) -> str:
    if not c["expected"]:
        return "not judged (coverage only)"
    head = f"<b>{esc(' or '.join(c['expected']))}</b>"
    if c.get("tier_expected"):
        head += f", tier {esc(' or '.join(c['tier_expected']))}"
    if c.get("message_expected"):
        head += f", message {esc(c['message_expected'])}"
    if c.get("passages"):
        return head + "; first passage one of:<br>" + _passage_list(c["passages"], titles)
    return head


def _question_cell(c: dict[str, Any]) -> str:
    turns = c.get("turns") or [c["question"]]
    if len(turns) > 1:
        text = "<br>".join(f'<span class="q">{i}. {esc(t)}</span>' for i, t in enumerate(turns, 1))
    else:
        text = f'<span class="q">{esc(turns[0])}</span>'
    extra = [KIND_LABELS.get(c["kind"], c["kind"]), c["split"], c["id"]]
    if c.get("situations"):
        extra.append("situation: " + ", ".join(c["situations"]))
    return f"{text}<br><span class=ci>{esc(' · '.join(extra))}</span>"


def _case_table(
    cases: Sequence[dict[str, Any]],
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
        cls = "pass" if c["passed"] else "fail"
        rows.append(
            f'<tr class="{cls}" data-kind="{esc(c["kind"])}" data-split="{esc(c["split"])}" '
            f'data-result="{cls}"><td><span class="pill {cls}">{"PASS" if c["passed"] else "FAIL"}</span></td>'
            f"<td class=qcell>{_question_cell(c)}</td><td>{_expected_cell(c, titles)}</td>"
            f"<td>{_served_cell(c, titles)}</td>"
            + (f"<td>{'<br>'.join(esc(w) for w in c['why']) or '-'}</td>" if why else "")
            + "</tr>"
        )
    return f"<table class=cases{tid}><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"


def _retrieval_table(ret: dict[str, Any], split: str) -> str:
    r = ret.get(split, {})
    head = "<tr><th>retriever</th>" + "".join(f"<th>{m}</th>" for m in MEASURES) + "</tr>"
    rows = []
    for mode in ("bm25", "dense", "hybrid", "served"):
        cells = []
        for m in MEASURES:
            e = r.get(mode, {}).get(m, {})
            v = e.get("value")
            ci = (
                f" <span class=ci>({100 * e['lo']:.0f}\u2013{100 * e['hi']:.0f} %)</span>"
                if e.get("lo") is not None
                else ""
            )
            cells.append(f"<td>{num(v)}{ci}</td>")
        rows.append(f"<tr><td>{esc(MODE_LABELS[mode])}</td>{''.join(cells)}</tr>")
    return (
        f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"
        f"<p class=small>{esc(split)} split, {r.get('n_queries', 0)} questions. Intervals are Wilson 95 % "
        "for the yes/no measures.</p>"
    )


def _abst_table(ab: dict[str, Any]) -> str:
    rows = [
        ("Off-topic questions refused", "off_topic_refusal"),
        (
            "Near-miss questions refused (other cancers, doses, personal decisions)",
            "near_miss_refusal",
        ),
        ("Answerable questions wrongly refused (false refusals)", "false_refusal"),
        ("Answerable questions answered with a right passage first", "answered_correct"),
        ("Wrong passage first, among answered in-scope questions", "wrong_among_answered"),
        ("Any wrong answer among all answers given (selective risk)", "risk_among_all_answered"),
        ("Answerable questions escalated instead of answered", "answerable_escalated"),
    ]
    head = "<tr><th>figure</th><th>dev</th><th>heldout</th></tr>"
    body = "".join(
        f"<tr><td>{esc(label)}</td><td>{rate_text(ab.get('dev', {}).get(key))}</td>"
        f"<td>{rate_text(ab.get('heldout', {}).get(key))}</td></tr>"
        for label, key in rows
    )
    body += (
        f"<tr><td>AUROC of the gate score (answerable vs. should-decline; 1 = perfect, 0.5 = chance)"
        f"</td><td>{num(ab.get('dev', {}).get('gate_auroc'))}</td>"
        f"<td>{num(ab.get('heldout', {}).get('gate_auroc'))}</td></tr>"
    )
    body += (
        f"<tr><td>Area under the risk-coverage curve (lower is better)</td>"
        f"<td>{num(ab.get('dev', {}).get('aurc'))}</td><td>{num(ab.get('heldout', {}).get('aurc'))}</td></tr>"
    )
    return f"<table><thead>{head}</thead><tbody>{body}</tbody></table>"


def _safety_table(sf: dict[str, Any]) -> str:
    rows = [
        ("Emergencies escalated with the emergency message", "emergency_recall"),
        ("Crisis language answered with the crisis resources", "crisis_recall"),
        ("Escalation held under pushback on a later turn", "multi_turn_escalation_held"),
        ("Contrast set wrongly escalated (false escalations)", "contrast_false_escalation"),
        ("Contrast set handled as expected", "contrast_passed"),
        ("Ordinary questions wrongly escalated", "other_false_escalation"),
    ]
    head = "<tr><th>figure</th><th>dev</th><th>heldout</th><th>all</th></tr>"
    body = "".join(
        f"<tr><td>{esc(label)}</td>"
        + "".join(
            f"<td>{rate_text(sf.get(s, {}).get(key))}</td>" for s in ("dev", "heldout", "all")
        )
        + "</tr>"
        for label, key in rows
    )
    src = sf.get("all", {}).get("by_source", {})
    if src:
        body += "".join(
            f"<tr><td>{esc(label)}, by source: new eval phrasings / reused safety fixtures</td><td colspan=3>"
            f"{rate_text(src.get('own', {}).get(key))} / {rate_text(src.get('fixtures', {}).get(key))}</td></tr>"
            for label, key in (
                ("Emergencies escalated", "emergency_recall"),
                ("Crisis language escalated", "crisis_recall"),
                ("Contrast set wrongly escalated", "contrast_false_escalation"),
            )
        )
    return f"<table><thead>{head}</thead><tbody>{body}</tbody></table>"


def render_html(report: dict[str, Any]) -> str:
    meta, gates, verdict = report["meta"], report["gates"], report["verdict"]
    ab, sf, ret = report["abstention"], report["safety"], report["retrieval"]
    integ, content, speed, ext = (
        report["integrity"],
        report["content"],
        report["speed"],
        report["external"],
    )
    cases = report["cases"]
    titles = {p["id"]: p["title"] for p in content.get("passages", [])}
    failing = sorted((c for c in cases if not c["passed"]), key=severity)
    ext_fail = [c for c in report.get("external_cases", []) if not c["passed"]]
    n_fail = len(verdict["failed"])
    cls = "pass" if verdict["passed"] else "fail"
    headline = (
        "All release gates passed."
        if verdict["passed"]
        else f"{n_fail} of {len(gates)} release gates FAILED \u2014 not ready for patients as measured."
    )
    thr = meta["thresholds"]
    counts = meta["case_counts"]
    count_text = ", ".join(
        f"{KIND_LABELS.get(k, k).split(' (')[0].lower()} {v['dev'] + v['heldout']}"
        for k, v in sorted(counts.items())
    )
    n_fixtures = sum(v.get("fixtures", 0) for v in counts.values())
    if n_fixtures:
        count_text += f"; {n_fixtures} of them are the team's safety fixtures, reused"
    sp = speed["cases"]

    parts = [
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>",
        '<meta name=viewport content="width=device-width, initial-scale=1">',
        "<meta http-equiv=Content-Security-Policy content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'; img-src data:\">",
        f"<title>{esc(meta['title'])} \u2014 {esc(meta['date'])}</title><style>{CSS}</style></head><body><main>",
        f'<section class="verdict {cls}" id="verdict">',
        "<h1>ATC Guide \u2014 is it safe to put in front of patients?</h1>",
        f'<div class="big">{esc(headline)}</div>',
        f"<p class=small>Measured on {meta['case_total']} eval questions written for this project "
        f"({esc(count_text)}) and {meta['external_total']} public consumer questions nobody on the project "
        f"wrote. <b>PASS</b> means the figure meets the release requirement; <b>FAIL</b> means it does "
        "not, and the bot should not be released until it is fixed. Safety and integrity gates require "
        "100 %; the others are floors set just under the first measured run, so a regression trips them. "
        "Each figure says which questions it comes from: <i>dev</i> (used to tune the threshold), "
        "<i>heldout</i> (never used for tuning: the honest estimate), or all.</p>",
        f'<table class="gates"><thead><tr><th>result</th><th>what is checked</th><th>measured (95 % CI)</th>'
        f"<th>required</th><th>questions</th></tr></thead><tbody>{_gate_rows(gates, cases)}</tbody></table>",
        f'<p class="meta">Date {esc(meta["date"])} \u00b7 corpus hash <code>{esc(meta["corpus_hash"][:16])}</code> '
        f"({esc(meta['corpus_version'])}, {meta['passages_served']} approved passages served, "
        f"{meta['passages_withheld']} withheld) \u00b7 model {esc(meta['model'])} \u00b7 answer threshold "
        f"{thr['answer_threshold']:.2f} ({esc(thr['answer_threshold_source'])}) \u00b7 latency p50 "
        f"{num(sp['p50_ms'], 0)} ms, p95 {num(sp['p95_ms'], 0)} ms \u00b7 {len(failing)} failing cases listed below.</p>",
        "</section>",
        '<nav class=small><a href="#charts">charts</a><a href="#figures">all figures</a>'
        '<a href="#conversation">conversations</a>'
        '<a href="#failing">failing cases</a><a href="#external">public questions</a>'
        '<a href="#content">content</a><a href="#cases">all cases</a><a href="#method">how to read</a></nav>',
    ]

    # charts
    ret_vals = {
        m: {g: ret.get("heldout", {}).get(m, {}).get(g, {}).get("value") for g in MEASURES}
        for m in ("bm25", "dense", "hybrid")
    }
    ret_dev = {
        m: {g: ret.get("dev", {}).get(m, {}).get(g, {}).get("value") for g in MEASURES}
        for m in ("bm25", "dense", "hybrid")
    }
    rc_lines, rc_marks = {}, {}
    for split in ("dev", "heldout"):
        pts = [
            (p["coverage"], p["risk"])
            for p in ab.get(split, {}).get("curve", [])
            if p["risk"] is not None
        ]
        rc_lines[split] = pts
        op = ab.get(split, {}).get("operating_point", {})
        if op.get("coverage") is not None and op.get("risk") is not None:
            rc_marks[split] = (op["coverage"], op["risk"])
    ymax = max([y for pts in rc_lines.values() for _, y in pts] + [0.2])
    ymax = min(1.0, math.ceil(ymax * 10) / 10)
    gh = ab.get("all", {}).get("gate_hist", {})
    grade = content["grade_hist"]
    grade_labels = ["<4", "4\u20136", "6\u20138", "8\u201310", "10\u201312", "12\u201314", "14+"]
    parts += [
        '<h2 id="charts">Charts</h2><div class="charts">',
        f"<figure>{bar_chart(MEASURES, ('bm25', 'dense', 'hybrid'), ret_vals, 'Retrieval, heldout questions (higher is better)')}"
        "<figcaption>The three search methods side by side on the same heldout questions. The app uses the "
        "hybrid.</figcaption></figure>",
        f"<figure>{bar_chart(MEASURES, ('bm25', 'dense', 'hybrid'), ret_dev, 'Retrieval, dev questions (higher is better)')}"
        "<figcaption>The same on the dev questions.</figcaption></figure>",
        f"<figure>{line_chart(rc_lines, {'dev': '#4a7ab5', 'heldout': '#2e7d32'}, 'Risk vs. coverage of the answer gate', 'coverage (share of questions answered)', 'risk (share of answers wrong)', rc_marks, ymax=ymax)}"
        "<figcaption>Each point is one possible threshold. Left: answers rarely but safely; right: answers "
        "more but makes more mistakes. Circles: the threshold in use. Wrong = a question that should have been "
        "declined was answered, or the first passage does not answer the question.</figcaption></figure>",
        f"<figure>{histogram_chart(gh.get('edges', [0, 1]), {'answerable': gh.get('answerable', []), 'should decline': gh.get('should_abstain', [])}, {'answerable': '#2e7d32', 'should decline': '#c62828'}, 'Gate score: answerable vs. should-decline (all eval questions)', marker=thr['answer_threshold'])}"
        "<figcaption>The gate answers only at or above the threshold (dashed). Overlap between the colours is "
        "where mistakes happen.</figcaption></figure>",
        f"<figure>{histogram_chart(grade['edges'], {'patient passages': grade['patient'], 'nurse passages': grade['nurse']}, {'patient passages': '#4a7ab5', 'nurse passages': '#8c6d31'}, 'Reading grade of passages (Flesch-Kincaid)', labels=grade_labels)}"
        f"<figcaption>Target: about grade 8 or below for patients. Median of patient passages "
        f"{num(content['grade_median_patient'], 1)}.</figcaption></figure>",
        "</div>",
    ]

    # figures
    parts += [
        '<h2 id="figures">All figures</h2>',
        "<h3>Safety (every failure is listed under failing cases)</h3>",
        _safety_table(sf),
        "<h3>Answer or decline (abstention as selective prediction)</h3>",
        _abst_table(ab),
        "<h3>Retrieval: heldout</h3>",
        _retrieval_table(ret, "heldout"),
        "<h3>Retrieval: dev</h3>",
        _retrieval_table(ret, "dev"),
        "<h3>Integrity (all questions, including the public set)</h3>",
        f"<p>Passages shown that were byte-identical to an approved passage whose sha256 matches its approval, "
        f"with citation and approval: {rate_text(integ['all']['snippets'])}. System messages shown that were "
        f"the approved text: {rate_text(integ['all']['messages'])}.</p>",
        (
            "<ul>"
            + "".join(
                f"<li><code>{esc(f['case'])}</code>: {esc(f['problem'])}</li>"
                for f in integ["failures"]
            )
            + "</ul>"
        )
        if integ["failures"]
        else "",
        "<h3>Speed</h3>",
        f"<p>Per-question latency during this run (eval questions, {sp['n']} questions asked): p50 "
        f"{num(sp['p50_ms'], 1)} ms, p95 {num(sp['p95_ms'], 1)} ms, slowest {num(sp['max_ms'], 1)} ms. "
        f"Whole suite: {num(speed['suite_seconds'], 1)} s. Cold start and memory: <code>python -m evals.bench</code>.</p>",
    ]

    # conversations and answerability (issue 11)
    from evals.conversation_report import render_html as conversation_html  # noqa: PLC0415

    parts.append(conversation_html(report.get("conversation")))

    # failing cases
    parts += [
        f'<h2 id="failing">Failing cases ({len(failing)})</h2>',
        "<p class=small>Every eval case that did not behave as expected: what was typed, what was expected, "
        "what was shown, and why it counts as a failure. Safety failures first, then answers that should "
        "not have been given, then questions answered with the wrong passage or refused.</p>",
        _case_table(failing, titles) if failing else "<p>None.</p>",
    ]

    # external
    parts.append(
        '<h2 id="external">Public consumer questions (external set, scored on its own)</h2>'
    )
    if ext.get("n"):
        bl = ext["by_scope_label"]
        parts += [
            "<p class=small>Questions from public datasets (MedQuAD, MeQSum, K-QA). Their labels say whether the "
            "topic is in ATC Guide's area; an in-scope topic does not mean the approved passages answer it, so "
            "in-scope questions are reported as coverage, and only a few reviewer-judged questions "
            "(evals/cases/external_judgements.yaml) are scored right or wrong.</p>",
            "<table><thead><tr><th>label</th><th>n</th><th>answered</th><th>declined</th><th>escalated</th>"
            "</tr></thead><tbody>"
            + "".join(
                f"<tr><td>{esc(k)}</td><td>{v['n']}</td><td>{rate_text(v['answered'])}</td>"
                f"<td>{rate_text(v['abstained'])}</td><td>{rate_text(v['escalated'])}</td></tr>"
                for k, v in bl.items()
            )
            + "</tbody></table>",
            f"<p>Should-decline questions (out of scope, near miss, judged dosing) declined: "
            f"{rate_text(ext['refusal_should_abstain'])}; answered anyway (false answers): "
            f"{rate_text(ext['false_answer_should_abstain'])}. Reviewer-judged answerable questions answered "
            f"with a right passage: {rate_text(ext['judged_answer_correct'])}.</p>",
            f"<h3>External questions that failed ({len(ext_fail)})</h3>",
            _case_table(ext_fail, titles) if ext_fail else "<p>None.</p>",
            "<details><summary>All public questions and what was served</summary>",
            _case_table(report.get("external_cases", []), titles),
            "</details>",
        ]
    else:
        parts.append("<p>The public set was not found, so it was not scored.</p>")

    # content
    never = content["never_in_top3"]
    parts += [
        '<h2 id="content">Content</h2>',
        f"<p>Approval coverage: {rate_text(content['approval_coverage'])} of passages are approved "
        f"({esc(', '.join(f'{k} {v}' for k, v in sorted(content['approval_states'].items())))}). Reading "
        f"grade, patient passages: median {num(content['grade_median_patient'], 1)}, highest "
        f"{num(content['grade_max_patient'], 1)}, above grade 8: {rate_text(content['grade_above_8_patient'])}.</p>",
        f"<p>Approved passages never among the first three found for any eval question ({len(never)}): "
        + (", ".join(f"<code>{esc(p)}</code>" for p in never) or "none")
        + ".</p>",
        f"<p>Approved passages never shown for any question ({len(content['never_served'])}): "
        + (", ".join(f"<code>{esc(p)}</code>" for p in content["never_served"]) or "none")
        + ".</p>",
        "<details><summary>Reading grade of every passage</summary><table><thead><tr><th>passage</th>"
        "<th>audience</th><th>approval</th><th>grade</th></tr></thead><tbody>"
        + "".join(
            f"<tr><td><code>{esc(p['id'])}</code> {esc(p['title'])}</td><td>{esc(p['audience'])}</td>"
            f"<td>{esc(p['state'])}</td><td>{num(p['grade'], 1)}</td></tr>"
            for p in sorted(content["passages"], key=lambda p: -(p["grade"] or 0))
        )
        + "</tbody></table></details>",
    ]

    # all cases
    kinds = sorted({c["kind"] for c in cases})
    parts += [
        f'<h2 id="cases">All cases ({len(cases)})</h2>',
        '<div class="filters"><input id="f-text" type="search" placeholder="filter by text" '
        'aria-label="filter by text"><select id="f-kind" aria-label="kind"><option value="">all kinds</option>'
        + "".join(f'<option value="{esc(k)}">{esc(KIND_LABELS.get(k, k))}</option>' for k in kinds)
        + '</select><select id="f-split" aria-label="split"><option value="">dev and heldout</option>'
        '<option value="dev">dev</option><option value="heldout">heldout</option></select>'
        '<select id="f-result" aria-label="result"><option value="">pass and fail</option>'
        '<option value="pass">pass</option><option value="fail">fail</option></select>'
        '<span id="f-count" class="small"></span></div>',
        _case_table(cases, titles, "all-cases"),
    ]

    parts += [
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
        f"<li>Settings: answer threshold {thr['answer_threshold']:.2f}, out-of-scope below "
        f"{thr['out_of_scope_below']:.2f}, companion margin {thr['companion_margin']:.2f}, up to {thr['top_k']} "
        f"passages per answer, RRF k {thr['rrf_k']}, {thr['candidate_k']} candidates per retriever. Code "
        f"{esc(meta.get('code_version') or 'unknown')}, cases hash <code>{esc(meta['cases_hash'][:16])}</code>, "
        f"Python {esc(meta['python'])} on {esc(meta['platform'])}.</li></ul>",
        f"<script>{FILTER_JS}</script></main></body></html>",
    ]
    return "\n".join(p for p in parts if p)


# -- Markdown ---------------------------------------------------------------------------------------
def render_markdown(report: dict[str, Any], max_failures: int = 40) -> str:
    meta, gates, verdict = report["meta"], report["gates"], report["verdict"]
    ab, sf, ret, ext = (
        report["abstention"],
        report["safety"],
        report["retrieval"],
        report["external"],
    )
    sp = report["speed"]["cases"]
    lines = [
        "# ATC Guide eval summary",
        "",
        (
            "**Verdict: all release gates passed.**"
            if verdict["passed"]
            else f"**Verdict: {len(verdict['failed'])} of {len(gates)} release gates FAILED.**"
        ),
        "",
        f"- Date: {meta['date']}",
        f"- Corpus hash: `{meta['corpus_hash']}` ({md_plain(meta['corpus_version'])}; "
        f"{meta['passages_served']} approved passages served, {meta['passages_withheld']} withheld)",
        f"- Model: {md_plain(meta['model'])}",
        f"- Answer threshold: {meta['thresholds']['answer_threshold']:.2f} "
        f"({md_plain(meta['thresholds']['answer_threshold_source'])})",
        f"- Cases: {meta['case_total']} ("
        + ", ".join(
            f"{k} {v['dev']}+{v['heldout']}" for k, v in sorted(meta["case_counts"].items())
        )
        + " as dev+heldout); public questions: "
        + str(meta["external_total"]),
        "",
        "PASS = the figure meets the release requirement; FAIL = it does not, and the bot should not be "
        "released until it is fixed.",
        "",
        "| result | gate | measured | required | questions |",
        "| --- | --- | --- | --- | --- |",
    ]
    for g in gates:
        lines.append(
            f"| {'PASS' if g['passed'] else 'FAIL'} | {md_plain(g['title'])} | "
            f"{md_plain(g['measured_text'])} | {md_plain(g['required_text'])} | {md_plain(g['split'])} |"
        )
    h = ret.get("heldout", {})
    lines += [
        "",
        "## Retrieval (heldout)",
        "",
        "| retriever | " + " | ".join(MEASURES) + " |",
        "| --- |" + " --- |" * len(MEASURES),
    ]
    for mode in ("bm25", "dense", "hybrid", "served"):
        lines.append(
            f"| {MODE_LABELS[mode]} | "
            + " | ".join(num(h.get(mode, {}).get(m, {}).get("value")) for m in MEASURES)
            + " |"
        )
    lines += [
        "",
        "## Answer or decline (heldout)",
        "",
        f"- Off-topic refused: {rate_plain(ab['heldout']['off_topic_refusal'])}",
        f"- Near-miss refused: {rate_plain(ab['heldout']['near_miss_refusal'])}",
        f"- False refusals on answerable: {rate_plain(ab['heldout']['false_refusal'])}",
        f"- Wrong first passage among answered: {rate_plain(ab['heldout']['wrong_among_answered'])}",
        f"- Gate-score AUROC: {num(ab['heldout']['gate_auroc'])}",
        "",
        "## Safety (all)",
        "",
        f"- Emergency recall: {rate_plain(sf['all']['emergency_recall'])}",
        f"- Crisis recall: {rate_plain(sf['all']['crisis_recall'])}",
        f"- False escalations on the contrast set: {rate_plain(sf['all']['contrast_false_escalation'])}",
        "",
        "## Integrity, speed, public set",
        "",
        f"- Snippets byte-identical and approved: {rate_plain(report['integrity']['all']['snippets'])}",
        f"- Latency p50 {num(sp['p50_ms'], 1)} ms, p95 {num(sp['p95_ms'], 1)} ms",
    ]
    if ext.get("n"):
        lines.append(
            f"- Public set: should-decline questions declined "
            f"{rate_plain(ext['refusal_should_abstain'])}; in-scope answered (coverage) "
            f"{rate_plain(ext['in_scope_coverage'])}"
        )
    from evals.conversation_report import markdown_lines  # noqa: PLC0415

    lines += markdown_lines(report.get("conversation"))
    failing = sorted((c for c in report["cases"] if not c["passed"]), key=severity)
    lines += ["", f"## Failing cases ({len(failing)}, safety first)", ""]
    for c in failing[:max_failures]:
        q = " / ".join(c.get("turns") or [c["question"]])
        lines.append(
            f'- `{c["id"]}` ({c["kind"]}, {c["split"]}): "{md_esc(q)}" \u2014 '
            f"{md_plain('; '.join(c['why']))}"
        )
    if len(failing) > max_failures:
        lines.append(f"- \u2026 and {len(failing) - max_failures} more in report.html")
    lines += [
        "",
        "Full report: report.html (open in any browser; no network needed). Figures: report.json.",
        "",
    ]
    return "\n".join(lines)
