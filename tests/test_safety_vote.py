"""The exemplar vote of the safety screen (botcore.triage.neighbours, issue 10 round 4):
the arithmetic against a plain oracle, the file section refused when broken, and the
bundled vote blended into the screen's probabilities."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from botcore.errors import CorpusError
from botcore.triage import neighbours as nn
from botcore.triage.learned import SCREEN_CLASSES, load_model, parse_model

MODEL_PATH = Path(__file__).resolve().parent.parent / "corpus" / "safety" / "classifier.json"


def _units(n: int, dim: int, seed: int) -> np.ndarray:
    x = np.random.default_rng(seed).normal(size=(n, dim))
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def _oracle(query: np.ndarray, vectors: np.ndarray, labels: np.ndarray, k: int,
            temperature: float) -> list[float]:
    """The vote written plainly: per class, the mean of the k best cosines, then softmax."""
    means = []
    for c in range(len(SCREEN_CLASSES)):
        sims = sorted((float(np.dot(query, v)) for v, y in zip(vectors, labels, strict=True)
                       if y == c), reverse=True)
        means.append(sum(sims[:k]) / len(sims[:k]))
    top = max(means)
    e = [math.exp(temperature * (m - top)) for m in means]
    return [v / sum(e) for v in e]


def _space(vote: nn.Neighbours, x: np.ndarray) -> np.ndarray:
    """The oracle's own projection: centre, project, make unit length."""
    assert vote.mean is not None and vote.projection is not None
    y = (np.asarray(x, dtype=np.float64) - vote.mean) @ vote.projection
    return y / np.linalg.norm(y, axis=1, keepdims=True)


@pytest.mark.parametrize("dims", [16, 6])
def test_the_vote_matches_the_oracle(dims: int) -> None:
    vectors, labels = _units(60, 16, 1), np.repeat(np.arange(4), 15)
    vote = nn.from_vectors(SCREEN_CLASSES, vectors, labels, 5, 30.0, 0.5, dims)
    queries = _units(12, 16, 2)
    got = vote.probabilities(queries)
    order = np.argsort(labels, kind="stable")
    exemplars = _space(vote, vectors[order])
    _, scale = nn.quantise(exemplars)
    decoded = np.concatenate(vote.by_class)  # rows by class, as the file stores them
    assert np.abs(decoded - exemplars).max() <= scale / 2 + 1e-6
    for row, q in zip(got, _space(vote, queries), strict=True):
        assert np.allclose(row, _oracle(q, decoded, labels[order], 5, 30.0), atol=1e-4)
        assert abs(row.sum() - 1.0) < 1e-9


def test_the_projection_is_the_principal_directions_with_a_fixed_sign() -> None:
    x = _units(200, 12, 7)
    mean, p = nn.principal(x, 4)
    flipped_mean, flipped = nn.principal(-x, 4)  # the same directions, signs fixed alike
    assert np.allclose(p, flipped, atol=1e-5) and np.allclose(mean, -flipped_mean, atol=1e-6)
    assert np.allclose(p.T @ p, np.eye(4), atol=1e-5)  # orthonormal directions
    assert all(col[np.abs(col).argmax()] > 0 for col in p.T)
    centred = x - x.mean(axis=0)
    variances = [float(np.var(centred @ col)) for col in p.T]
    assert variances == sorted(variances, reverse=True)


def test_the_vote_is_deterministic_and_k_is_capped_by_the_class_size() -> None:
    vectors, labels = _units(10, 8, 3), np.array([0, 0, 0, 0, 1, 1, 2, 2, 3, 3])
    vote = nn.from_vectors(SCREEN_CLASSES, vectors, labels, 15, 10.0, 1.0, 8)
    q = _units(5, 8, 4)
    assert np.array_equal(vote.probabilities(q), vote.probabilities(q.copy()))
    assert np.allclose(vote.probabilities(q)[0], _oracle(
        _space(vote, q)[0], np.concatenate(vote.by_class), np.sort(labels), 15, 10.0),
        atol=1e-4)


@pytest.mark.parametrize(("change", "says"), [
    (lambda d: d["neighbours"].update(int8_base64="***"), "neighbours|base64|Non-base64"),
    (lambda d: d["neighbours"].update(counts=[1, 1, 1, 1]), "counts x dim"),
    (lambda d: d["neighbours"].update(k=0), "out of range"),
    (lambda d: d["neighbours"].update(classes=["calm", "crisis"]), "neighbours.classes"),
    (lambda d: d.pop("neighbours"), "neighbours"),
])
def test_a_broken_vote_section_is_refused_in_one_line(change, says: str) -> None:  # noqa: ANN001
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    change(data)
    with pytest.raises(CorpusError, match=says):
        parse_model(json.dumps(data))


def test_the_bundled_screen_blends_the_vote() -> None:
    model = load_model(MODEL_PATH)
    vote = model.neighbours
    assert vote is not None and 0.0 < vote.weight < 1.0
    assert sum(len(m) for m in vote.by_class) > 5000
    rows = _units(6, model.dim, 5)
    blended = model.scores_of_rows(rows)
    z = rows @ model.screen.weights.T + model.screen.bias
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    expected = (1 - vote.weight) * p + vote.weight * vote.probabilities(rows)
    for s, e in zip(blended, expected, strict=True):
        assert np.allclose([s.calm, s.crisis, s.emergency, s.urgent], e, atol=1e-12)
    assert model.scores(rows[0]) == blended[0]
