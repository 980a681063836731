"""The whole suite on one loaded engine: ask every case (:mod:`evals.run`), compute every
figures section (:mod:`evals.figures`), check the release gates (:mod:`evals.gates`) and
write ``report.json``, ``report.html`` and ``summary.md``.

``atc-guide eval --out DIR [--gate]`` calls :func:`run_and_write`; tests and the
calibration helper call :func:`evaluate` or :func:`evals.run.run_cases` directly.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from botcore.decide import ANSWER_THRESHOLD
from botcore.storage import write_atomic
from evals.cases import Case, ExternalCase, default_external_path, load_cases, load_external
from evals.conversations import TurnResult, run_suite
from evals.figures import (
    abstention_section,
    content_section,
    conversation_section,
    external_section,
    held_out_section,
    integrity_section,
    meta_section,
    retrieval_section,
    safety_section,
    speed_section,
    summary_section,
)
from evals.figures.held_out import SetInfo
from evals.gates import Gate, evaluate_gates, load_gates
from evals.report_data import Report, Verdict
from evals.results import CaseRow
from evals.run import Progress, RunOutput, run_cases
from evals.suite_cases import load_suite

if TYPE_CHECKING:
    from botcore import Engine

REPORT_FILE_MODE = 0o644
"""The report holds no user data (only the eval questions), and clinicians must be able
to open it."""


def answer_threshold(engine: Engine) -> float:
    """The threshold in force: the settings' override, else the calibrated default."""
    chosen = engine.settings.min_relevance
    return chosen if chosen is not None else ANSWER_THRESHOLD


def build_report(engine: Engine, cases: Sequence[Case], run: RunOutput,
                 turns: Sequence[TurnResult] | None = None,
                 held_out: Sequence[SetInfo] | None = None) -> Report:
    """Every figures section of one run (gates not yet checked); ``turns``: the
    conversation suite's judged turns (without them there is no conversation section);
    ``held_out``: the sealed and tuned sets to run (None: every set in
    ``evals/cases/sealed/sets.yaml``)."""
    threshold = answer_threshold(engine)
    results, ext = run.results, run.external
    conversation = (None if turns is None else
                    conversation_section(engine.report.decision, turns, results, ext))
    return Report(
        meta=meta_section(engine, cases, len(ext), threshold),
        retrieval=retrieval_section(results),
        abstention=abstention_section(results, threshold),
        safety=safety_section(results),
        integrity=integrity_section(run.checker),
        content=content_section(engine.corpus, results + ext),
        speed=speed_section(run),
        external=external_section(ext),
        conversation=conversation,
        held_out=held_out_section(engine, held_out),
        cases=[CaseRow.of(r) for r in results],
        external_cases=[CaseRow.of(r) for r in ext],
        summary=summary_section(results),
    )


def check_gates(report: Report, gates: Sequence[Gate]) -> Report:
    """The report with every gate checked against its figures, and the verdict."""
    checked = evaluate_gates(list(gates), report.as_json_dict())
    failed = [g.id for g in checked if g.blocks_ci and not g.passed]
    not_ready = [g.id for g in checked if not g.blocks_ci and not g.passed]
    verdict = Verdict(passed=not failed, failed=failed,
                      ready_for_patients=not failed and not not_ready, not_ready=not_ready)
    return report.model_copy(update={"gates": checked, "verdict": verdict})


def evaluate(
    engine: Engine,
    cases: Sequence[Case] | None = None,
    external: Sequence[ExternalCase] | None = None,
    progress: Progress | None = None,
    held_out: Sequence[SetInfo] | None = None,
) -> Report:
    """Run everything on a loaded engine: by default every case file, the public set and
    the held-out sets (pass ``[]`` to skip any of them)."""
    ids = set(engine.corpus.passages)
    cases = list(cases) if cases is not None else load_cases(passage_ids=ids)
    external = (
        list(external)
        if external is not None
        else load_external(default_external_path(), passage_ids=ids)
    )
    run = run_cases(engine, cases, external, progress)
    turns = run_suite(engine, load_suite(passage_ids=ids))  # one session per conversation
    return check_gates(build_report(engine, cases, run, turns, held_out), load_gates())


def write_outputs(report: Report, out_dir: Path) -> dict[str, Path]:
    """``report.json``, ``report.html`` and ``summary.md`` in ``out_dir``, each written
    atomically."""
    from evals.report import render_html, render_markdown  # noqa: PLC0415 - only when writing

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "json": out_dir / "report.json",
        "html": out_dir / "report.html",
        "md": out_dir / "summary.md",
    }
    data = json.dumps(
        report.as_json_dict(), indent=1, ensure_ascii=True, default=_json_default, allow_nan=False
    )
    write_atomic(paths["json"], data + "\n", mode=REPORT_FILE_MODE)
    write_atomic(paths["html"], render_html(report), mode=REPORT_FILE_MODE)
    write_atomic(paths["md"], render_markdown(report), mode=REPORT_FILE_MODE)
    return paths


def _json_default(obj: object) -> object:
    if isinstance(obj, set | tuple):
        return list(obj)
    return str(obj)


def run_and_write(
    engine: Engine,
    out_dir: Path,
    gate: bool = False,
    progress: Progress | None = None,
    cases: Sequence[Case] | None = None,
    external: Sequence[ExternalCase] | None = None,
    held_out: Sequence[SetInfo] | None = None,
) -> tuple[Report, int]:
    """The whole suite on an already-loaded engine. Returns the report and the exit code
    (1 when ``gate`` is set and a gate is missed). ``held_out``: as for ``evaluate``."""
    report = evaluate(engine, cases, external, progress, held_out)
    write_outputs(report, out_dir)
    code = 1 if gate and not report.verdict.passed else 0
    return report, code


def progress_printer(label: str) -> Progress:
    """Progress on stderr in tenths: enough to see a long run move, never a flood."""
    last = [-1]

    def show(done: int, total: int) -> None:
        step = int(10 * done / max(total, 1))
        if step != last[0]:
            last[0] = step
            print(f"{label}: {done}/{total}", file=sys.stderr, flush=True)

    return show


def summary_lines(report: Report) -> list[str]:
    """The verdict and one line per gate, for the terminal."""
    v = report.verdict
    lines = [
        "READY FOR PATIENTS: yes" if v.ready_for_patients
        else f"READY FOR PATIENTS: NO (not met: {', '.join(v.not_ready or v.failed)})",
        "QUALITY GATES (CI): all passed" if v.passed
        else f"QUALITY GATES (CI): {len(v.failed)} FAILED: {', '.join(v.failed)}",
    ]
    for g in report.gates:
        lines.append(
            f"  [{'PASS' if g.passed else 'FAIL'}]{'' if g.blocks_ci else ' [readiness]'} "
            f"{g.title}: {g.measured_text} (required {g.required_text}; {g.split})"
        )
    return lines
