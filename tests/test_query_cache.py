"""``Engine.query_cache()``: a per-run memo of query embeddings and spelling repair that
changes no answer, no ranking and no score, only how often the model is asked, and
that is always removed again."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from botcore.answer import Session
from botcore.config import Settings
from botcore.embedder import HashingEmbedder
from botcore.engine import Engine

QUESTIONS = ("what is a tracheostomy", "wat is braf", "can my dad eat normally",
             "what about side effects")


class CountingEmbedder(HashingEmbedder):
    """The hashing embedder, counting the single questions it encodes."""

    def __init__(self) -> None:
        super().__init__()
        self.single = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        self.single += len(texts) == 1
        return super().encode(texts)


@pytest.fixture
def counted(tmp_path: Path) -> tuple[Engine, CountingEmbedder]:
    embedder = CountingEmbedder()
    settings = Settings(cache_dir=tmp_path / "cache", data_dir=tmp_path / "data")
    return Engine.load(settings, embedder=embedder), embedder


def _everything(engine: Engine) -> list[object]:
    out: list[object] = []
    for q in QUESTIONS:
        session = Session()
        out.append(engine.ask(q, session).model_dump())
        for mode in ("bm25", "dense", "hybrid"):
            r = engine.retrieve(q, session=session, mode=mode, k=10)
            out.append((r.passage_ids, r.scores, r.dense, repr(r.gate), r.query))
    return out


def test_the_cache_changes_no_answer_ranking_or_score(fake_engine: Engine) -> None:
    plain = _everything(fake_engine)
    with fake_engine.query_cache():
        cached = _everything(fake_engine)
        again = _everything(fake_engine)  # now every question is served from the memo
    assert cached == plain and again == plain


def test_the_cache_saves_encodings_until_cleared(
    counted: tuple[Engine, CountingEmbedder],
) -> None:
    engine, embedder = counted
    engine.ask("what is a tracheostomy")
    uncached = embedder.single
    assert uncached >= 1
    with engine.query_cache() as cache:
        embedder.single = 0
        engine.ask("what is a tracheostomy")
        first = embedder.single
        assert first == uncached  # the first ask pays for the real encoding
        for mode in ("bm25", "dense", "hybrid"):
            engine.retrieve("what is a tracheostomy", mode=mode)
        assert embedder.single == first  # the ranking modes reuse it
        cache.clear()
        engine.ask("what is a tracheostomy")
        assert embedder.single == 2 * first  # nothing carries over a clear()
    assert not engine.query_cache_active  # the run's memo is gone after the block
    embedder.single = 0
    engine.ask("what does hospice do")  # the engine's own memo keeps only recent questions
    assert embedder.single >= 1


def test_the_cache_is_removed_even_when_the_run_fails(fake_engine: Engine) -> None:
    assert not fake_engine.query_cache_active
    with pytest.raises(RuntimeError), fake_engine.query_cache():
        assert fake_engine.query_cache_active
        raise RuntimeError("a case blew up")
    assert not fake_engine.query_cache_active


def test_a_nested_block_shares_the_cache_and_leaves_removal_to_the_outer(
    fake_engine: Engine,
) -> None:
    with fake_engine.query_cache():
        with fake_engine.query_cache() as inner:
            inner.clear()
        assert fake_engine.query_cache_active
    assert not fake_engine.query_cache_active
