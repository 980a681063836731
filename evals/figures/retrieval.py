"""Retrieval figures: how well each retriever ranks the passages the answerable cases
were written for (ir-measures; a query with no result scores 0), for BM25 only, dense
only, the hybrid the app uses, and what users were actually shown."""

from __future__ import annotations

from collections.abc import Sequence

from evals import metrics as M
from evals.figures.splits import BySplit, Figures, by_split
from evals.results import Result
from evals.run import MODES

Measure = dict[str, float | int | None]
"""One measure's summary: ``n``, ``value`` (the mean) and, for the yes/no measures, the
Wilson interval ``lo``/``hi`` and the count ``k``."""


class RetrievalSplit(Figures):
    bm25: dict[str, Measure]
    dense: dict[str, Measure]
    hybrid: dict[str, Measure]
    served: dict[str, Measure]
    """What users got: the passages actually shown (an abstention is an empty list)."""
    n_queries: int

    def mode(self, name: str) -> dict[str, Measure]:
        """The measures of one mode by name (``bm25``, ``dense``, ``hybrid``, ``served``)."""
        return dict(getattr(self, name))


class Retrieval(BySplit[RetrievalSplit]):
    per_query: dict[str, dict[str, dict[str, float]]]
    """{mode: {measure: {case id: value}}}, for drilling into one case."""


def retrieval_section(results: Sequence[Result]) -> Retrieval:
    queries = [r for r in results if r.expected == ["answered"] and r.passages]
    acceptable = {r.id: r.passages for r in queries}
    per_mode = {
        mode: M.retrieval_scores(acceptable, {r.id: r.rankings.get(mode, []) for r in queries})
        for mode in MODES
    }
    per_mode["served"] = M.retrieval_scores(
        acceptable, {r.id: r.served if r.answered else [] for r in queries}
    )
    splits = {}
    for split, rs in by_split(queries).items():
        ids = [r.id for r in rs]
        summaries = {mode: M.summarise_retrieval(per_mode[mode], ids) for mode in per_mode}
        splits[split] = RetrievalSplit.model_validate(summaries | {"n_queries": len(ids)})
    return Retrieval(
        dev=splits["dev"], heldout=splits["heldout"], all=splits["all"], per_query=per_mode
    )
