"""The held-out sets as a table per capability: one row per figure, the tuned set first,
then each sealed set, and the target a readiness gate holds it to. Used by the HTML
page and ``summary.md`` alike, so both say the same thing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from evals.figures.held_out import HeldOut, HeldOutSet
from evals.gates import GateResult
from evals.metrics import Rate

CAPABILITY_TITLES = {
    "safety": "Safety screen",
    "conversation": "Conversations and answer-or-decline",
}


@dataclass(frozen=True)
class HeldOutTable:
    capability: str
    title: str
    sets: list[HeldOutSet]
    rows: list[tuple[str, str, str]]
    """(row key, what it measures, the target or "")."""

    def cell(self, s: HeldOutSet, row: str) -> Rate | None:
        return s.rows.get(row)


def set_heading(s: HeldOutSet) -> str:
    """'sealed-b: sealed, 630 cases, written by ...; first look' in words."""
    look = ("first look" if s.looks_before == 0
            else f"seen {s.looks_before} time{'s' if s.looks_before != 1 else ''} before")
    role = "tuned on (dev)" if s.role == "tuned" else f"sealed, {look}"
    return f"{s.id}: {role}; {s.cases} cases; written by {s.written_by}"


def targets(gates: Sequence[GateResult]) -> dict[tuple[str, str], str]:
    """(set id, row) -> the readiness gate's requirement, from the gates that read it."""
    out: dict[tuple[str, str], str] = {}
    for g in gates:
        parts = g.metric.split(".")
        if len(parts) == 5 and parts[:2] == ["held_out", "sets"] and parts[3] == "rows":
            out[(parts[2], parts[4])] = g.required_text
    return out


def tables(held: HeldOut, gates: Sequence[GateResult]) -> list[HeldOutTable]:
    wanted = targets(gates)
    out = []
    for capability, labels in held.labels.items():
        sets = sorted((s for s in held.sets.values() if s.capability == capability),
                      key=lambda s: (s.role != "tuned", s.id))
        rows = []
        for key, label in labels.items():
            target = next((wanted[(s.id, key)] for s in sets if (s.id, key) in wanted), "")
            rows.append((key, label, target))
        out.append(HeldOutTable(capability, CAPABILITY_TITLES.get(capability, capability),
                                sets, rows))
    return out
