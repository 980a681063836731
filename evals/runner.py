"""Kept so that existing imports keep working: the runner was split into one-job modules.

New code imports from the module that owns the name:

| name | module |
| --- | --- |
| ``Result``, ``judge``, ``CaseRow`` | :mod:`evals.results` |
| ``IntegrityChecker`` | :mod:`evals.integrity` |
| ``ask_case``, ``run_cases``, ``RunOutput``, ``MODES`` | :mod:`evals.run` |
| the figures sections | :mod:`evals.figures` |
| ``evaluate``, ``run_and_write``, ``summary_lines``, ... | :mod:`evals.evaluate` |
"""

from __future__ import annotations

from evals.evaluate import evaluate, progress_printer, run_and_write, summary_lines, write_outputs
from evals.integrity import IntegrityChecker
from evals.results import CaseRow, Result, judge
from evals.run import MODES, RunOutput, ask_case, run_cases

__all__ = [
    "MODES",
    "CaseRow",
    "IntegrityChecker",
    "Result",
    "RunOutput",
    "ask_case",
    "evaluate",
    "judge",
    "progress_printer",
    "run_and_write",
    "run_cases",
    "summary_lines",
    "write_outputs",
]
