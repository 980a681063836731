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

from botcore.vector_memo import VectorMemo

if TYPE_CHECKING:
    from botcore.index import PassageIndex
    from botcore.retrieve import Retriever

MEMO_SIZE = 4096
"""Distinct queries kept before the embedding memo starts again (a safety valve only: the
eval suite empties it before every question)."""


class _RunMemo(VectorMemo):
    """The run's memo of query vectors, in front of the engine's own small one (a type of
    its own, so ``is_installed`` can tell the two apart). Clearing it clears the engine's
    too, so a question asked after ``clear()`` pays for its real encoding."""

    def clear(self) -> None:
        super().clear()
        if isinstance(self.inner, VectorMemo):
            self.inner.clear()


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

    def __init__(self, embedder: _RunMemo, speller: _MemoSpeller) -> None:
        self._embedder = embedder
        self._speller = speller

    def clear(self) -> None:
        self._embedder.clear()
        self._speller.clear()


def is_installed(index: PassageIndex, retriever: Retriever) -> bool:
    """True while a memo sits in front of the embedder or the speller."""
    return isinstance(index.embedder, _RunMemo) or isinstance(retriever.speller, _MemoSpeller)


@contextmanager
def installed(index: PassageIndex, retriever: Retriever) -> Iterator[QueryCache]:
    """Put the memo in front of ``index.embedder`` and ``retriever.speller`` and always
    put the originals back. Nested use shares the memo already installed (and leaves its
    removal to the outer block)."""
    embedder, speller = index.embedder, retriever.speller
    if isinstance(embedder, _RunMemo) and isinstance(speller, _MemoSpeller):
        yield QueryCache(embedder, speller)
        return
    memo_embedder, memo_speller = _RunMemo(embedder, MEMO_SIZE), _MemoSpeller(speller)
    memo_embedder.clear()  # the first question of the run pays for its encoding too
    index.embedder = memo_embedder
    retriever.speller = memo_speller  # type: ignore[assignment]  # same interface, memoised
    try:
        yield QueryCache(memo_embedder, memo_speller)
    finally:
        index.embedder = embedder
        retriever.speller = speller
