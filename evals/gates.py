"""Release gates: read ``evals/gates.yaml``, check each against the report.

A gate names one figure of ``report.json`` by a dotted path, a comparison and a required
value (or "at least as good as the best of these other figures"). Safety and integrity
gates are absolute (100 %); the others are floors set a few points under the first
measured run, so that a regression trips them. A new gate is one entry in ``gates.yaml``
over a figure some section already writes; a path that names no figure never passes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, model_validator

from botcore.yamlio import read_yaml

GATES_FILE = Path(__file__).resolve().parent / "gates.yaml"


class Gate(BaseModel):
    """One release requirement, as written in ``gates.yaml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    title: str
    """What the gate protects, in words for a clinician."""
    metric: str
    """Dotted path into report.json; a Rate dict is read at its 'rate', a retrieval
    figure at its 'value'."""
    op: Literal[">=", "<="]
    value: float | None = None
    at_least_best_of: tuple[str, ...] = ()
    """Instead of a fixed value: at least the best of these other figures."""
    split: str
    unit: Literal["percent", "score"] = "percent"
    why: str = ""
    kinds: tuple[str, ...] = ()
    """Case kinds behind the figure: when the gate fails, the report names their failures."""
    min_cases: int = 0
    """A rate over fewer cases than this does not pass: too few to judge."""
    blocks_ci: bool = True
    """False for a readiness gate (clinical approval, sealed held-out figures): shown in
    the verdict, and it decides "ready for patients", but ``--gate`` (CI) does not fail on
    it, because no code change can make it pass."""

    @model_validator(mode="after")
    def _one_target(self) -> Gate:
        if (self.value is None) == (not self.at_least_best_of):
            raise ValueError(f"gate '{self.id}': give exactly one of 'value' or 'at_least_best_of'")
        return self


class GateResult(BaseModel):
    """A gate checked against one run (``report.json``: ``gates[]``)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    metric: str
    split: str
    op: Literal[">=", "<="]
    required: float | None
    value: float | None
    passed: bool
    measured_text: str
    required_text: str
    why: str
    kinds: list[str]
    min_cases: int = 0
    cases: int | None = None
    """How many cases the figure rests on (None when it is not a rate)."""
    blocks_ci: bool = True


def load_gates(path: Path = GATES_FILE) -> list[Gate]:
    data = read_yaml(path) or []
    gates = [Gate.model_validate(entry) for entry in data]
    ids = [g.id for g in gates]
    if len(set(ids)) != len(ids):
        raise ValueError("gates.yaml: a gate id is used twice")
    return gates


def lookup(report: dict[str, Any], path: str) -> tuple[float | None, dict[str, Any] | None]:
    """The number at ``path`` in the report as ``report.json`` holds it (and the Rate dict
    it came from, if any)."""
    node: Any = report
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None, None
        node = node[part]
    if isinstance(node, dict):
        if "rate" in node:
            return node["rate"], node
        if "value" in node:
            return node["value"], node
        return None, None
    if isinstance(node, int | float) and not isinstance(node, bool):
        return float(node), None
    return None, None


def _fmt(x: float | None, unit: str) -> str:
    if x is None:
        return "not measured"
    return f"{100 * x:.1f} %" if unit == "percent" else f"{x:.3f}"


def evaluate_gates(gates: list[Gate], report: dict[str, Any]) -> list[GateResult]:
    """Every gate checked against ``report`` (a figure that is missing fails its gate)."""
    out = []
    for g in gates:
        value, rate = lookup(report, g.metric)
        if g.at_least_best_of:
            others = [lookup(report, p)[0] for p in g.at_least_best_of]
            known = [o for o in others if o is not None]
            required = max(known) if known else None
            required_text = f"at least the best baseline ({_fmt(required, g.unit)})"
        else:
            required = g.value
            word = "at least" if g.op == ">=" else "at most"
            required_text = f"{word} {_fmt(required, g.unit)}"
        n = rate.get("n") if rate else None
        if value is None or required is None:
            passed = False  # a figure that could not be measured never passes
        elif g.min_cases and (n is None or n < g.min_cases):
            passed = False  # too few cases to judge
        elif g.op == ">=":
            passed = value >= required - 1e-12
        else:
            passed = value <= required + 1e-12
        measured = _fmt(value, g.unit)
        if (
            rate
            and rate.get("n") is not None
            and rate.get("lo") is not None
            and g.unit == "percent"
        ):
            measured += (
                f" ({rate['k']}/{rate['n']}, CI {100 * rate['lo']:.0f}"
                f"\u2013{100 * rate['hi']:.0f} %)"
            )
        elif rate and rate.get("n") is not None:
            measured += f" (n = {rate['n']})"
        if g.min_cases and (n is None or n < g.min_cases):
            measured += f"; too few cases to judge (at least {g.min_cases} needed)"
        out.append(
            GateResult(
                id=g.id,
                title=g.title,
                metric=g.metric,
                split=g.split,
                op=g.op,
                required=required,
                value=value,
                passed=passed,
                measured_text=measured,
                required_text=required_text,
                why=g.why,
                kinds=list(g.kinds),
                min_cases=g.min_cases,
                cases=n,
                blocks_ci=g.blocks_ci,
            )
        )
    return out
