"""The nearest-neighbour vote of the safety screen's learned stage (issue 10, round 4).

A linear model over sentence vectors draws one flat boundary per class; crisis language
comes in many unlike shapes (a plan, a goodbye, a dose question, a burden), and a flat
boundary that takes them all in also takes in calm questions. Leave-one-writer-out on the
six writers' cases showed it: at 2 % calm false escalations the linear model alone found
66 % of the held-out writer's crisis questions, a vote of the 15 nearest exemplars of
each class 80 %, and the two averaged 81 % (emergency: 86, 90 and 93 %; SAFETY.md, round
4). So the screen's probabilities are the average of the two.

The vote: for each class, the mean cosine of the question to that class's ``k`` most
similar approved exemplars; a softmax of those means (times ``temperature``) gives one
probability per class. Cosines are taken in the exemplars' first principal directions
(``projection``, 96 of the 384): reading ~17,000 full vectors per question costs several
milliseconds, the projected ones about a quarter of that, for about two points of the
vote's own recall. The exemplars' vectors, the mean and the projection are DATA, stored
in the classifier file (vectors as int8 with one scale, all base64) with the weights, so
they are approved and hashed with them; ``tools.train_safety`` writes them from the
approved exemplar files. Arithmetic is fixed (float32 products in one thread, a sort per
class): the same text always gets the same scores.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Neighbours:
    """Exemplar vectors by class, and how their vote is read."""

    classes: tuple[str, ...]
    indexes: tuple[Any, ...]
    """One exact inner-product index (faiss ``IndexFlatIP``) of the exemplar vectors per
    class, in ``classes`` order: its SIMD products and top-k heap read a class in about
    half the time of numpy's own loop and partition (0.44 against 0.94 ms a vector,
    session 18), with no BLAS thread to spin on the other core. The index holds the only
    copy of the vectors: a second float32 copy beside it cost 17 MB of peak memory."""
    k: int
    temperature: float
    weight: float
    """The vote's share of the screen's probabilities (the linear model has the rest)."""
    mean: np.ndarray | None = None
    projection: np.ndarray | None = None
    """dim x d (float32): exemplars and questions are compared as ``(v - mean) @ P``,
    made unit length; None: in the full space."""

    @property
    def by_class(self) -> tuple[np.ndarray, ...]:
        """The exemplar vectors, one float32 matrix (exemplars x dim) per class, copied
        out of the indexes (for tests and tools; the vote reads the indexes)."""
        return tuple(index.reconstruct_n(0, index.ntotal) for index in self.indexes)

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """Vote probabilities, one row per vector of ``rows`` (n x dim), columns in
        ``classes`` order."""
        x = np.atleast_2d(np.asarray(rows, dtype=np.float32))
        means = np.empty((len(x), len(self.classes)), dtype=np.float64)
        for r in range(len(x)):  # one row at a time: digits that do not depend on the batch
            row = np.ascontiguousarray(project(x[r : r + 1], self.mean, self.projection))
            for c, index in enumerate(self.indexes):
                top, _ = index.search(row, min(self.k, index.ntotal))
                means[r, c] = float(np.sort(top[0]).astype(np.float64).mean())
        z = self.temperature * means
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=1, keepdims=True)


def project(x: np.ndarray, mean: np.ndarray | None, projection: np.ndarray | None) -> np.ndarray:
    """Rows in the vote's space, unit length (a zero row stays zero)."""
    if projection is None or mean is None:
        return x
    y = ((x - mean) @ projection).astype(np.float32)
    norms = np.linalg.norm(y, axis=1, keepdims=True)
    return np.divide(y, norms, out=np.zeros_like(y), where=norms > 0)


def principal(vectors: np.ndarray, dims: int) -> tuple[np.ndarray, np.ndarray]:
    """The exemplars' mean and first ``dims`` principal directions (dim x dims), float32."""
    x = np.asarray(vectors, dtype=np.float64)
    mean = x.mean(axis=0)
    _, _, vt = np.linalg.svd(x - mean, full_matrices=False)
    top = vt[:dims]
    # A direction and its negative are the same direction: fix the sign (largest entry
    # positive) so that a retrain elsewhere writes the same numbers.
    signs = np.sign(top[np.arange(len(top)), np.abs(top).argmax(axis=1)])
    top = top * np.where(signs == 0, 1.0, signs)[:, None]
    return mean.astype(np.float32), np.ascontiguousarray(top.T, dtype=np.float32)


def _b64(a: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(a).tobytes()).decode("ascii")


def quantise(matrix: np.ndarray) -> tuple[np.ndarray, float]:
    """int8 codes and the one scale that maps them back (code * scale)."""
    peak = float(np.abs(matrix).max()) if matrix.size else 1.0
    scale = (peak or 1.0) / 127.0
    return np.clip(np.rint(matrix / scale), -127, 127).astype(np.int8), scale


def as_json(classes: tuple[str, ...], vectors: np.ndarray, labels: np.ndarray, k: int,
            temperature: float, weight: float, dims: int) -> dict[str, object]:
    """The classifier file's ``neighbours`` section for these exemplars (rows sorted by
    class, then as given), compared in their first ``dims`` principal directions."""
    order = np.argsort(labels, kind="stable")
    mean, projection = principal(vectors, dims)
    space = project(np.asarray(vectors, dtype=np.float32)[order], mean, projection)
    codes, scale = quantise(space.astype(np.float64))
    counts = np.bincount(labels, minlength=len(classes)).tolist()
    return {"classes": list(classes), "k": k, "temperature": temperature, "weight": weight,
            "dim": int(np.asarray(vectors).shape[1]), "dims": dims,
            "mean_float32_base64": _b64(mean), "projection_float32_base64": _b64(projection),
            "scale": scale, "counts": counts, "int8_base64": _b64(codes)}


def from_vectors(classes: tuple[str, ...], vectors: np.ndarray, labels: np.ndarray, k: int,
                 temperature: float, weight: float, dims: int) -> Neighbours:
    """The vote as the engine will read it from the file (same projection and
    quantisation), for training and cross-validation."""
    return parse(as_json(classes, vectors, labels, k, temperature, weight, dims), classes,
                 int(np.asarray(vectors).shape[1]))


def _floats(data: Any, key: str, count: int) -> np.ndarray:
    raw = base64.b64decode(str(data[key]), validate=True)
    values = np.frombuffer(raw, dtype=np.float32)
    if values.size != count or not np.all(np.isfinite(values)):
        raise ValueError(f"neighbours.{key}: expected {count} finite numbers")
    return values


def parse(data: Any, classes: tuple[str, ...], dim: int) -> Neighbours:
    """Check and load the section; a problem raises ValueError (the caller names the file)."""
    if tuple(data["classes"]) != classes:
        raise ValueError(f"neighbours.classes must be {list(classes)}")
    counts = [int(n) for n in data["counts"]]
    dims = int(data["dims"])
    if len(counts) != len(classes) or min(counts) < 1 or int(data["dim"]) != dim \
            or not 0 < dims <= dim:
        raise ValueError("neighbours: counts must name every class and dim must match")
    mean = _floats(data, "mean_float32_base64", dim)
    projection = _floats(data, "projection_float32_base64", dim * dims).reshape(dim, dims)
    k, temperature, weight = int(data["k"]), float(data["temperature"]), float(data["weight"])
    scale = float(data["scale"])
    if k < 1 or not 0.0 < temperature < 1000.0 or not 0.0 <= weight <= 1.0 \
            or not 0.0 < scale < 1.0:
        raise ValueError("neighbours: k, temperature, weight or scale out of range")
    raw = base64.b64decode(str(data["int8_base64"]), validate=True)
    if len(raw) != sum(counts) * dims:
        raise ValueError("neighbours: the vectors do not match counts x dims")
    matrix = np.frombuffer(raw, dtype=np.int8).reshape(sum(counts), dims)
    bounds = np.cumsum([0, *counts])
    indexes = tuple(flat_index(matrix[a:b].astype(np.float32) * np.float32(scale))
                    for a, b in zip(bounds[:-1], bounds[1:], strict=True))
    return Neighbours(classes, indexes, k, temperature, weight, mean, projection)


def flat_index(matrix: np.ndarray) -> Any:  # noqa: ANN401 - faiss.IndexFlatIP
    """An exact inner-product index holding ``matrix``'s rows (faiss is loaded with the
    passage index anyway; imported here so that tools that never search do not pay)."""
    import faiss  # noqa: PLC0415

    index = faiss.IndexFlatIP(matrix.shape[1])
    index.add(np.ascontiguousarray(matrix, dtype=np.float32))
    return index
