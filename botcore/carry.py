"""Carrying the subject of a conversation by its vector.

A detail follow-up ("whats the success rate", "what are the pills called", "how accurate
is that") must stay on the passage just shown or its neighbours: the words of the
question alone pull it to whatever passage speaks of rates or names in general. Besides
the searched texts (question with its subject, previous question with it), a follow-up is
ranked once more by the cosine of every view with the question's vector moved toward the
vector of the passage the previous turn was answered with (the mean of its views, read
from the dense index, never encoded again). That ranking joins the fusion only: the
cosines the answer decision reads stay those of the question's own texts, so a follow-up
is not made to look answerable by its own past.
"""

from __future__ import annotations

import numpy as np

from botcore.fusion import max_by_group
from botcore.index import PassageIndex

CARRY_WEIGHT = 0.6
"""How far the question's vector is moved toward the passage just shown (1 = as far as
the question itself; both unit length)."""


class Carry:
    """The passage vectors (mean of each passage's views), read lazily from the index."""

    def __init__(self, index: PassageIndex) -> None:
        self.index = index
        self._vectors: np.ndarray | None = None
        self._failed = False
        self._row = {p.id: i for i, p in enumerate(index.passages)}

    def _passage_vectors(self) -> np.ndarray | None:
        if self._vectors is None and not self._failed:
            try:  # the exact inner-product index keeps its vectors, in view order
                import faiss  # noqa: PLC0415 - already loaded by the index

                flat = faiss.downcast_index(self.index.dense.faiss_index.index)  # type: ignore[attr-defined]
                views = np.asarray(flat.reconstruct_n(0, flat.ntotal), dtype=np.float64)
            except (AttributeError, RuntimeError, TypeError, ImportError):
                self._failed = True  # another index kind: no carried vector, nothing else lost
                return None
            owners = self.index.dense.view_passage
            n = len(self.index.passages)
            sums = np.zeros((n, views.shape[1]))
            np.add.at(sums, owners, views)
            norms = np.linalg.norm(sums, axis=1, keepdims=True)
            self._vectors = sums / np.where(norms > 0, norms, 1.0)
        return self._vectors

    def scores(self, query_vector: np.ndarray, passage_id: str) -> np.ndarray | None:
        """Best view cosine of each passage with the query vector moved toward the passage
        ``passage_id``; None when there is nothing to carry."""
        vectors = self._passage_vectors()
        row = self._row.get(passage_id)
        if vectors is None or row is None or not np.all(np.isfinite(query_vector)):
            return None
        moved = query_vector / max(float(np.linalg.norm(query_vector)), 1e-9)
        moved = moved + CARRY_WEIGHT * vectors[row]
        norm = float(np.linalg.norm(moved))
        if norm < 1e-6:
            return None
        view_scores = self.index.dense_view_scores((moved / norm).astype(np.float32))
        best = max_by_group(view_scores, self.index.dense.view_passage, len(self.index.passages))
        best[~np.isfinite(best)] = np.nan
        return best
