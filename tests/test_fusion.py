"""Search math against brute-force oracles on random data."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from botcore.fusion import max_by_group, ranks, rrf, top_k


def brute_max_by_group(scores, groups, n):
    out = []
    for g in range(n):
        vals = [s for s, gg in zip(scores, groups, strict=True) if gg == g and np.isfinite(s)]
        out.append(max(vals) if vals else -np.inf)
    return np.array(out)


@given(st.integers(1, 12), st.integers(0, 2**32 - 1))
@settings(max_examples=60, deadline=None)
def test_max_by_group_matches_brute_force(n_groups: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_views = rng.integers(0, 40)
    scores = rng.normal(size=n_views)
    scores[rng.random(n_views) < 0.1] = np.nan
    scores[rng.random(n_views) < 0.05] = np.inf * rng.choice([-1, 1])
    groups = rng.integers(0, n_groups, size=n_views)
    expected = brute_max_by_group(scores, groups, n_groups)
    np.testing.assert_array_equal(max_by_group(scores, groups, n_groups), expected)


def test_nan_never_wins() -> None:
    got = max_by_group(np.array([np.nan, 0.1]), np.array([0, 0]), 1)
    assert got[0] == pytest.approx(0.1)


@given(st.integers(0, 2**32 - 1))
@settings(max_examples=60, deadline=None)
def test_ranks_match_sorting(seed: int) -> None:
    rng = np.random.default_rng(seed)
    scores = rng.integers(0, 5, size=rng.integers(1, 30)).astype(float)
    scores[rng.random(len(scores)) < 0.2] = np.nan
    r = ranks(scores)
    finite = [i for i in range(len(scores)) if np.isfinite(scores[i])]
    expected_order = sorted(finite, key=lambda i: (-scores[i], i))
    for position, i in enumerate(expected_order, start=1):
        assert r[i] == position
    assert all(r[i] == 0 for i in range(len(scores)) if not np.isfinite(scores[i]))


@given(st.integers(0, 2**32 - 1), st.integers(1, 60))
@settings(max_examples=60, deadline=None)
def test_rrf_matches_definition(seed: int, k: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 25))
    lists = [ranks(np.where(rng.random(n) < 0.3, np.nan, rng.normal(size=n))) for _ in range(2)]
    weights = [float(rng.uniform(0.5, 2)), float(rng.uniform(0.5, 2))]
    depth = int(rng.integers(1, n + 1))
    got = rrf(lists, k, weights, depth)
    for i in range(n):
        expected = sum(w / (k + r[i]) for w, r in zip(weights, lists, strict=True)
                       if 0 < r[i] <= depth)
        assert got[i] == pytest.approx(expected)


def test_top_k_skips_non_finite() -> None:
    assert top_k(np.array([0.2, np.nan, 0.9, -np.inf, 0.5]), 3) == [2, 4, 0]


@given(st.integers(0, 2**32 - 1), st.integers(0, 12))
@settings(max_examples=80, deadline=None)
def test_ranked_order_equals_the_loop_it_replaced(seed: int, k: int) -> None:
    from botcore.retrieve import ranked_order  # noqa: PLC0415

    rng = np.random.default_rng(seed)
    values = np.array([0.0, 0.25, 0.25, 0.7, np.nan, np.inf, -np.inf, -0.0])
    score = rng.choice(values, size=int(rng.integers(0, 30)))
    loop = [int(i) for i in np.argsort(-np.nan_to_num(score, nan=-np.inf), kind="stable")
            if np.isfinite(score[i])][:k]
    got = ranked_order(score, k)
    assert got == loop and all(type(i) is int for i in got)
