"""The dense scan (every view's inner product without faiss's sort) gives the search's
numbers exactly, and steps aside for any index it was not proved equal on."""

from __future__ import annotations

import numpy as np

from botcore.dense_scan import ViewScan
from botcore.index import _build_faiss


def _searched(index: object, q: np.ndarray) -> np.ndarray:
    n = index.ntotal  # type: ignore[attr-defined]
    sims, ids = index.search(q.reshape(1, -1).astype(np.float32), n)  # type: ignore[attr-defined]
    out = np.full(n, np.nan, dtype=np.float32)
    out[ids[0][ids[0] >= 0]] = sims[0][ids[0] >= 0]
    return out


def _unit_rows(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    x = rng.standard_normal((n, d)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_the_scan_equals_the_search_bit_for_bit() -> None:
    rng = np.random.default_rng(7)
    for n, d in ((1, 8), (5, 64), (759, 384), (1000, 100)):
        index = _build_faiss(_unit_rows(rng, n, d))
        scan = ViewScan(index)
        assert scan.active
        for q in _unit_rows(rng, 25, d):
            assert np.array_equal(scan.scores(q), _searched(index, q))


def test_an_index_it_cannot_read_is_left_to_the_search() -> None:
    class NotFaiss:
        def search(self, q, k):  # noqa: ANN001, ANN202
            return np.zeros((1, k), np.float32), np.full((1, k), -1, np.int64)

    assert not ViewScan(NotFaiss()).active

    import faiss

    ids_shuffled = faiss.IndexIDMap(faiss.IndexFlatIP(4))
    ids_shuffled.add_with_ids(np.eye(4, dtype=np.float32), np.array([3, 2, 1, 0], np.int64))
    assert not ViewScan(ids_shuffled).active  # scores in id order would be the wrong rows


def test_the_index_uses_whatever_faiss_index_it_holds(fake_engine) -> None:  # noqa: ANN001
    index = fake_engine.index
    q = _unit_rows(np.random.default_rng(1), 1, index.embedder.dim)[0]
    fast = index.dense_view_scores(q)
    assert np.array_equal(fast, _searched(index.dense.faiss_index, q).astype(np.float64))

    class MinusOnes:
        def search(self, q, k):  # noqa: ANN001, ANN202
            return np.full((1, k), 0.99, np.float32), np.full((1, k), -1, np.int64)

    real = index.dense.faiss_index
    try:
        index.dense.faiss_index = MinusOnes()
        assert np.isnan(index.dense_view_scores(q)).all()  # the search's answer, not the scan's
    finally:
        index.dense.faiss_index = real
    assert np.array_equal(index.dense_view_scores(q), fast)


def test_eval_question_vectors_score_the_same_as_with_the_search(real_engine) -> None:  # noqa: ANN001
    from evals.cases import load_cases

    index = real_engine.index
    assert index._scan.active
    questions = list(dict.fromkeys(c.final_question for c in load_cases()))
    vectors = np.vstack([real_engine.model.encode(questions[i : i + 8])
                         for i in range(0, len(questions), 8)])
    for q in vectors:
        assert np.array_equal(index.dense_view_scores(q),
                              _searched(index.dense.faiss_index, q).astype(np.float64),
                              equal_nan=True)
