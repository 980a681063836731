"""Query vectors remembered by text, so one question is never encoded twice.

The safety screen encodes the question first; retrieval then encodes all its query
variants in one call, the question among them: the memo hands back the vector it already
has and sends only the texts it has not seen to the model, in one call. The eval suite
puts a larger memo in front for a whole run (``Engine.query_cache()``). A vector is a
pure function of its text and the model, so a remembered vector is the vector.

Large batches (index builds) pass straight through and are not remembered.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from botcore.embedder import Embedder

QUERY_BATCH_MAX = 8
"""Calls with more texts than this are index builds: not remembered."""


class VectorMemo:
    """An embedder that remembers the vectors of the last ``size`` texts it encoded."""

    def __init__(self, inner: Embedder, size: int) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self._size = size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self.model_calls = 0
        """Calls that reached the model (the benchmark reports encodes per question)."""
        self.model_texts = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        if len(texts) > QUERY_BATCH_MAX:
            return self._model(texts)
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            rows = self._model(missing)
            for text, row in zip(missing, rows, strict=True):
                self._vectors[text] = np.array(row, copy=True)
        for text in texts:
            self._vectors.move_to_end(text)
        out = np.stack([self._vectors[t] for t in texts]) if texts else \
            np.zeros((0, self.dim), dtype=np.float32)
        while len(self._vectors) > self._size:
            self._vectors.popitem(last=False)
        return out  # a fresh array: a caller may write into its rows

    def _model(self, texts: list[str]) -> np.ndarray:
        self.model_calls += 1
        self.model_texts += len(texts)
        return self.inner.encode(texts)

    def remembers(self, text: str) -> bool:
        return text in self._vectors

    def clear(self) -> None:
        self._vectors.clear()
