"""``botcore.anchor.subject_bonus`` against a brute-force loop on random data."""

from __future__ import annotations

import math

import numpy as np
import pytest

from botcore.anchor import previous_bonus, subject_bonus

TERMS = ("NTRK", "ALK", "RET", "BRAF", "Tracheostomy")


def brute(named: list[frozenset[str]], subject: list[str], dense: np.ndarray,
          first: float, weight: float, decay: float, reach: float) -> list[float]:
    finite = [float(d) for d in dense if math.isfinite(d)]
    out = []
    for terms, cosine in zip(named, dense, strict=True):
        best = None
        for position, term in enumerate(subject):
            if term in terms and best is None:
                best = position
        near = bool(finite) and math.isfinite(cosine) and cosine >= max(finite) - reach
        out.append(weight * first * decay ** best if best is not None and near else 0.0)
    return out


@pytest.mark.parametrize("seed", range(40))
def test_matches_a_brute_force_loop(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 30))
    named = [frozenset(t for t in TERMS if rng.random() < 0.3) for _ in range(n)]
    dense = rng.uniform(0.0, 1.0, n)
    dense[rng.random(n) < 0.2] = np.nan
    subject = [str(t) for t in rng.permutation(TERMS)[: int(rng.integers(0, 4))]]
    weight, decay, reach = float(rng.uniform(0.1, 2)), float(rng.uniform(0.2, 1)), 0.1
    got = subject_bonus(named, subject, dense, 1 / 21, weight, decay, reach)
    want = brute(named, subject, dense, 1 / 21, weight, decay, reach)
    assert np.allclose(got, want)


def test_no_subject_or_no_evidence_gives_nothing() -> None:
    named = [frozenset({"NTRK"})]
    assert subject_bonus(named, [], np.array([0.9]), 0.05).tolist() == [0.0]
    assert subject_bonus(named, ["NTRK"], np.array([np.nan]), 0.05).tolist() == [0.0]


def test_the_latest_subject_weighs_most_and_far_passages_get_none() -> None:
    named = [frozenset({"ALK"}), frozenset({"NTRK"}), frozenset({"NTRK"})]
    dense = np.array([0.70, 0.69, 0.40])
    got = subject_bonus(named, ["NTRK", "ALK"], dense, 1.0, weight=1.0, decay=0.5, reach=0.1)
    assert got.tolist() == [0.5, 1.0, 0.0]


@pytest.mark.parametrize("seed", range(20))
def test_previous_bonus_matches_a_brute_force_rule(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    n = int(rng.integers(1, 20))
    dense = rng.uniform(0.0, 1.0, n)
    dense[rng.random(n) < 0.2] = np.nan
    row = int(rng.integers(0, n))
    got = previous_bonus(dense, row, 0.05, weight=0.5, reach=0.1)
    finite = [float(d) for d in dense if math.isfinite(d)]
    near = bool(finite) and math.isfinite(dense[row]) and dense[row] >= max(finite) - 0.1
    want = [0.025 if (i == row and near) else 0.0 for i in range(n)]
    assert np.allclose(got, want)


def test_previous_bonus_without_a_passage_is_nothing() -> None:
    assert previous_bonus(np.array([0.5, 0.6]), None, 0.05).tolist() == [0.0, 0.0]
    assert previous_bonus(np.array([0.5, 0.6]), 7, 0.05).tolist() == [0.0, 0.0]
