# ruff: noqa: E501 - SVG templates read better unwrapped
"""Inline SVG charts: grouped bars, lines (the risk-coverage curve) and histograms. No
library and no script: the page must open offline in any browser. Every label goes
through :func:`esc`."""

from __future__ import annotations

from collections.abc import Sequence

from evals.report.escape import esc
from evals.report.labels import MODE_LABELS, SERIES_COLOURS


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
