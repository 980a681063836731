"""Content figures: the reading grade of every passage, approval coverage, and the
approved passages no eval question ever found, was shown, or expects."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from botcore.corpus import Corpus
from botcore.readability import flesch_kincaid_grade
from evals import metrics as M
from evals.figures.splits import Figures
from evals.results import Result

GRADE_EDGES = (0.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 99.0)
"""Reading-grade histogram bins: below 4, 4-6, 6-8, 8-10, 10-12, 12-14, 14 and above."""


class PassageRow(Figures):
    id: str
    title: str
    topic: str
    audience: str
    state: str
    """Approval state: approved, pending, stale or rejected."""
    grade: float | None
    """Flesch-Kincaid grade; None when it cannot be computed."""


class GradeHistogram(Figures):
    edges: list[float]
    patient: list[int]
    nurse: list[int]


class Content(Figures):
    passages: list[PassageRow]
    grade_median_all: float | None
    grade_median_patient: float | None
    grade_max_patient: float | None
    grade_above_8_patient: M.Rate
    grade_hist: GradeHistogram
    approval_states: dict[str, int]
    approval_coverage: M.Rate
    clinical_approval: M.Rate
    """Approved passages whose approval is a clinician's, not a demonstration approval:
    until this is 100 % the bot is not ready for patients, whatever else passes."""
    never_in_top3: list[str]
    never_served: list[str]
    no_case_expects: list[str]


def _grade(text: str) -> float | None:
    try:
        grade = float(flesch_kincaid_grade(text))
    except Exception:  # noqa: BLE001 - a grade we cannot compute is shown as missing
        return None
    return grade if math.isfinite(grade) else None


def _rows(corpus: Corpus) -> list[PassageRow]:
    return [
        PassageRow(
            id=pid,
            title=p.title,
            topic=p.topic,
            audience=p.audience,
            state=corpus.passage_status(p).state,
            grade=_grade(p.text),
        )
        for pid, p in corpus.passages.items()
    ]


def _clinically_approved(corpus: Corpus, approved: set[str]) -> int:
    count = 0
    for pid in approved:
        record = corpus.passage_status(corpus.passages[pid]).record
        count += record is not None and not record.demonstration
    return count


def content_section(corpus: Corpus, results: Sequence[Result]) -> Content:
    rows = _rows(corpus)
    grades = [r.grade for r in rows if r.grade is not None]
    patient = [r.grade for r in rows if r.grade is not None and r.audience == "patient"]
    nurse = [r.grade for r in rows if r.grade is not None and r.audience == "nurse"]
    approved = {r.id for r in rows if r.state == "approved"}
    top3 = {pid for r in results for pid in r.rankings.get("hybrid", [])[:3]}
    served = {pid for r in results for pid in r.served}
    expected = {pid for r in results for pid in r.passages}
    return Content(
        passages=rows,
        grade_median_all=M.percentile(grades, 50),
        grade_median_patient=M.percentile(patient, 50),
        grade_max_patient=max(patient) if patient else None,
        grade_above_8_patient=M.rate_of(g > 8.0 for g in patient),
        grade_hist=GradeHistogram(
            edges=list(GRADE_EDGES),
            patient=M.histogram(patient, GRADE_EDGES),
            nurse=M.histogram(nurse, GRADE_EDGES),
        ),
        approval_states=dict(Counter(r.state for r in rows)),
        approval_coverage=M.rate(len(approved), len(rows)),
        clinical_approval=M.rate(_clinically_approved(corpus, approved), len(approved)),
        never_in_top3=sorted(approved - top3),
        never_served=sorted(approved - served),
        no_case_expects=sorted(approved - expected),
    )
