"""The run in three numbers: cases passed (overall and by kind), and a sanity check that
the top candidate the runner saw is the passage users were shown first."""

from __future__ import annotations

from collections.abc import Sequence

from evals import metrics as M
from evals.figures.splits import Figures
from evals.results import Result


class Summary(Figures):
    cases_passed: M.Rate
    by_kind: dict[str, M.Rate]
    sanity_top_matches_served: M.Rate


def summary_section(results: Sequence[Result]) -> Summary:
    return Summary(
        cases_passed=M.rate_of(r.passed for r in results),
        by_kind={
            k: M.rate_of(r.passed for r in results if r.kind == k)
            for k in sorted({r.kind for r in results})
        },
        sanity_top_matches_served=M.rate_of(
            r.top_candidate == r.served[0] for r in results if r.answered and r.served
        ),
    )
