"""Integrity figures: the share of snippets and messages shown that were the approved
text byte for byte (checked by :class:`evals.integrity.IntegrityChecker`), and every
problem found."""

from __future__ import annotations

from evals import metrics as M
from evals.figures.splits import Figures
from evals.integrity import IntegrityChecker


class IntegrityFailure(Figures):
    case: str
    problem: str


class IntegrityAll(Figures):
    snippets: M.Rate
    messages: M.Rate
    rate: float
    """Both together; 1.0 when nothing was shown at all (nothing unapproved was shown)."""
    combined: M.Rate


class Integrity(Figures):
    all: IntegrityAll
    failures: list[IntegrityFailure]


def integrity_section(checker: IntegrityChecker) -> Integrity:
    both = M.rate(
        checker.snippets_ok + checker.messages_ok,
        checker.snippets_checked + checker.messages_checked,
    )
    return Integrity(
        all=IntegrityAll(
            snippets=M.rate(checker.snippets_ok, checker.snippets_checked),
            messages=M.rate(checker.messages_ok, checker.messages_checked),
            rate=both.rate if both.n and both.rate is not None else 1.0,
            combined=both,
        ),
        failures=[IntegrityFailure.model_validate(f) for f in checker.failures],
    )
