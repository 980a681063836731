"""Search math as pure functions of arrays, tested against brute force.

Dense scores are cosine similarities per *view* (a passage is embedded as its title,
its text and each way people ask for it); a passage's dense score is the best of its
views. BM25 scores are per passage. The two rankings are fused by reciprocal rank
fusion, because BM25 scores and cosines are not on a common, calibrated scale.
"""

from __future__ import annotations

import numpy as np


def max_by_group(view_scores: np.ndarray, view_group: np.ndarray, n_groups: int) -> np.ndarray:
    """Best score of each group (passage) over its views; ``-inf`` for a group with none.

    NaN scores are treated as missing (never as a match): ``nan > x`` is False, so a
    naive maximum would silently keep them.
    """
    out = np.full(n_groups, -np.inf, dtype=np.float64)
    clean = np.where(np.isfinite(view_scores), view_scores, -np.inf)
    np.maximum.at(out, view_group, clean)
    return out


def ranks(scores: np.ndarray) -> np.ndarray:
    """1-based rank of every item by descending score (ties: lower index first).
    Items with a non-finite score get rank 0, meaning 'not retrieved'."""
    finite = np.nan_to_num(scores, nan=-np.inf, neginf=-np.inf)
    order = np.lexsort((np.arange(len(scores)), -finite))
    out = np.zeros(len(scores), dtype=np.int64)
    out[order] = np.arange(1, len(scores) + 1)
    out[~np.isfinite(scores)] = 0
    return out


def rrf(rank_lists: list[np.ndarray], k: int, weights: list[float] | None = None,
        depth: int | None = None) -> np.ndarray:
    """Reciprocal rank fusion: ``sum_r w_r / (k + rank_r)`` over the rankings in which an
    item appears (rank 0 = absent) within the first ``depth`` ranks."""
    if not rank_lists:
        raise ValueError("rrf needs at least one ranking")
    weights = weights or [1.0] * len(rank_lists)
    fused = np.zeros(len(rank_lists[0]), dtype=np.float64)
    for weight, r in zip(weights, rank_lists, strict=True):
        present = r > 0
        if depth is not None:
            present &= r <= depth
        fused[present] += weight / (k + r[present])
    return fused


def top_k(scores: np.ndarray, k: int) -> list[int]:
    """Indices of the ``k`` best finite, positive-evidence scores, best first."""
    finite = np.isfinite(scores)
    idx = [int(i) for i in np.argsort(-np.where(finite, scores, -np.inf), kind="stable")]
    return [i for i in idx if finite[i]][:k]
