"""A per-run memo of the work one query costs: its embedding and its spelling repair.

Used through :meth:`botcore.engine.Engine.query_cache`, never directly: the eval suite
asks every question once with ``Engine.ask`` and then ranks the same question again in
three retrieval modes, so without a memo the model would encode each question four times
and the speller would repair it four times. Both are pure functions of the query text
(same model, same vocabulary), so a memoised result is the result: answers, rankings and
scores do not change, only the time spent. The memo is emptied by its owner between
questions, so a question's first ``ask`` still pays for the real encoding.

This module is the only place that swaps the engine's embedder and speller; front doors
call ``Engine.query_cache()`` and never touch those attributes themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from botcore.embedder import Embedder
    from botcore.index import PassageIndex
    from botcore.retrieve import Retriever

MEMO_SIZE = 4096
"""Distinct queries kept before the embedding memo starts again (a safety valve only: the
eval suite empties it before every question)."""


class _MemoEmbedder:
    """The engine's embedder, with single-text encodings kept (batches pass straight
    through: index builds are never memoised)."""

    def __init__(self, inner: Embedder, size: int = MEMO_SIZE) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self._vectors: dict[str, np.ndarray] = {}
        self._size = size

    def encode(self, texts: list[str]) -> np.ndarray:
        if len(texts) != 1:
            return self.inner.encode(texts)
        hit = self._vectors.get(texts[0])
        if hit is None:
            hit = self.inner.encode(texts)
            if len(self._vectors) >= self._size:
                self._vectors.clear()
            self._vectors[texts[0]] = hit
        return np.array(hit, copy=True)  # a caller may write into its vector

    def clear(self) -> None:
        self._vectors.clear()


class _MemoSpeller:
    """The retriever's typo repair, with each repaired text kept. Everything else the
    speller offers is passed through unchanged."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self._fixed: dict[str, str] = {}

    def fix_text(self, text: str) -> str:
        hit = self._fixed.get(text)
        if hit is None:
            hit = self._fixed[text] = self.inner.fix_text(text)
        return hit

    def clear(self) -> None:
        self._fixed.clear()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class QueryCache:
    """What ``Engine.query_cache()`` yields: call :meth:`clear` between questions so
    nothing carries over from one question to the next."""

    def __init__(self, embedder: _MemoEmbedder, speller: _MemoSpeller) -> None:
        self._embedder = embedder
        self._speller = speller

    def clear(self) -> None:
        self._embedder.clear()
        self._speller.clear()


def is_installed(index: PassageIndex, retriever: Retriever) -> bool:
    """True while a memo sits in front of the embedder or the speller."""
    return isinstance(index.embedder, _MemoEmbedder) or isinstance(retriever.speller, _MemoSpeller)


@contextmanager
def installed(index: PassageIndex, retriever: Retriever) -> Iterator[QueryCache]:
    """Put the memo in front of ``index.embedder`` and ``retriever.speller`` and always
    put the originals back. Nested use shares the memo already installed (and leaves its
    removal to the outer block)."""
    embedder, speller = index.embedder, retriever.speller
    if isinstance(embedder, _MemoEmbedder) and isinstance(speller, _MemoSpeller):
        yield QueryCache(embedder, speller)
        return
    memo_embedder, memo_speller = _MemoEmbedder(embedder), _MemoSpeller(speller)
    index.embedder = memo_embedder
    retriever.speller = memo_speller  # type: ignore[assignment]  # same interface, memoised
    try:
        yield QueryCache(memo_embedder, memo_speller)
    finally:
        index.embedder = embedder
        retriever.speller = speller
