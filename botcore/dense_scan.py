"""Every view's cosine with one query: faiss's exact inner products, without its sort.

Retrieval needs the score of every view (``PassageIndex.dense_view_scores``), not the
nearest few. ``IndexIDMap.search(q, k=all)`` computes those inner products and then
heap-sorts all ~760 of them and maps the ids back, which is most of its ~0.12-0.2 ms a
call. ``faiss.fvec_inner_products_ny`` is the same library's SIMD inner-product kernel run
over the same stored vectors; on the 1,116 query vectors of the eval questions its
scores were equal to the search's, bit for bit, at about a fifth of the time. So that
nothing can change if a faiss build ever computed them differently, the scan is used
only after it has matched the search exactly on probe queries when the index is loaded;
else the search is used, as before.
"""

from __future__ import annotations

import logging

import numpy as np

log = logging.getLogger("atc_guide.index")


class ViewScan:
    """The inner product of a query with every stored vector of an exact faiss index
    (``IndexIDMap`` over ``IndexFlatIP`` with ids 0..n-1), in id order, as float32."""

    def __init__(self, faiss_index: object) -> None:
        self._index = faiss_index  # owns the vectors the view below points into
        self._vectors: np.ndarray | None = None
        try:
            self._vectors = _stored_vectors(faiss_index)
        except (AttributeError, TypeError, ValueError, RuntimeError):
            self._vectors = None
        if self._vectors is not None and not self._matches_search():
            log.info("dense scan differs from faiss search here: using the search")
            self._vectors = None

    @property
    def index(self) -> object:
        """The faiss index this scan reads (and was checked against)."""
        return self._index

    @property
    def active(self) -> bool:
        """False: the caller must use the faiss search (the scan was not proved equal)."""
        return self._vectors is not None

    def scores(self, query: np.ndarray) -> np.ndarray:
        """float32 inner products of ``query`` (finite, ``d`` values) with every vector."""
        import faiss  # noqa: PLC0415 - already imported by the index that made this scan

        vectors = self._vectors
        if vectors is None:
            raise RuntimeError("ViewScan used while inactive")
        q = np.ascontiguousarray(query, dtype=np.float32).reshape(-1)
        if q.shape[0] != vectors.shape[1]:
            raise ValueError("query dimension does not match the index")
        out = np.empty(vectors.shape[0], dtype=np.float32)
        faiss.fvec_inner_products_ny(  # type: ignore[attr-defined]
            faiss.swig_ptr(out), faiss.swig_ptr(q), faiss.swig_ptr(vectors),
            vectors.shape[1], vectors.shape[0])
        return out

    def _matches_search(self) -> bool:
        """The scan equals ``search(q, k=all)`` on a few stored vectors and mixtures."""
        vectors = self._vectors
        assert vectors is not None
        n = vectors.shape[0]
        picks = sorted({0, n // 3, n // 2, n - 1})
        probes = [vectors[i] for i in picks]
        mixed = vectors[picks].sum(axis=0)
        probes.append(mixed / max(float(np.linalg.norm(mixed)), 1e-6))
        for probe in probes:
            q = np.ascontiguousarray(probe, dtype=np.float32).reshape(1, -1)
            sims, ids = self._index.search(q, n)  # type: ignore[attr-defined]
            want = np.full(n, np.nan, dtype=np.float32)
            keep = ids[0] >= 0
            want[ids[0][keep]] = sims[0][keep]
            if not np.array_equal(want, self.scores(q[0]), equal_nan=True):
                return False
        return True


def _stored_vectors(faiss_index: object) -> np.ndarray | None:
    """A read-only view of the index's vectors, or None when it is not the exact
    inner-product index with ids 0..n-1 that ``botcore.index`` builds."""
    import faiss  # noqa: PLC0415

    inner = faiss.downcast_index(faiss_index.index)  # type: ignore[attr-defined]
    if not isinstance(inner, faiss.IndexFlatIP) or inner.ntotal == 0:
        return None
    ids = faiss.vector_to_array(faiss_index.id_map)  # type: ignore[attr-defined]
    if not np.array_equal(ids, np.arange(inner.ntotal, dtype=ids.dtype)):
        return None
    flat = faiss.rev_swig_ptr(inner.get_xb(), inner.ntotal * inner.d)
    vectors = np.asarray(flat).reshape(inner.ntotal, inner.d)
    vectors.flags.writeable = False
    return vectors
