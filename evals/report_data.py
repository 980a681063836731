"""The report as typed data: what :func:`evals.evaluate.evaluate` returns, what the HTML
and Markdown renderers read, and, dumped, exactly what ``report.json`` holds (the gates'
dotted paths are paths into that dump).

Every section is a model with ``extra="forbid"``, so a misspelt field fails when the
report is built (and in mypy), not when a page is rendered.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from evals.figures import (
    Abstention,
    Content,
    ConversationFigures,
    External,
    HeldOut,
    Integrity,
    Meta,
    Retrieval,
    Safety,
    Speed,
    Summary,
)
from evals.gates import GateResult
from evals.results import CaseRow


class Verdict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    passed: bool
    """True when every gate that blocks CI passed (what ``--gate`` and ``make test`` use)."""
    failed: list[str]
    """The ids of the CI gates that did not."""
    ready_for_patients: bool = False
    """True only when every gate passed, readiness gates included (clinical approval,
    sealed held-out figures)."""
    not_ready: list[str] = Field(default_factory=list)
    """The ids of the readiness gates that did not pass."""


class Report(BaseModel):
    """One run of the eval suite. Fields appear in ``report.json`` in this order."""

    model_config = ConfigDict(extra="forbid")

    meta: Meta
    retrieval: Retrieval
    abstention: Abstention
    safety: Safety
    integrity: Integrity
    content: Content
    speed: Speed
    external: External
    conversation: ConversationFigures | None = None
    """Issue 11's figures (None when the conversation suite was not run: its gate fails)."""
    held_out: HeldOut = Field(default_factory=HeldOut)
    cases: list[CaseRow]
    external_cases: list[CaseRow]
    summary: Summary
    gates: list[GateResult] = Field(default_factory=list)
    verdict: Verdict = Field(default_factory=lambda: Verdict(passed=False, failed=[]))
    """Until the gates are checked (:func:`evals.evaluate.check_gates`) a report has not
    passed."""

    def as_json_dict(self) -> dict[str, Any]:
        """The report as ``report.json`` holds it (JSON has no NaN or infinity: null)."""
        return dict(_clean_floats(self.model_dump(mode="python")))


def _clean_floats(obj: Any) -> Any:
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _clean_floats(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean_floats(v) for v in obj]
    return obj
