"""Per-question work done once (issue 13): every text a question needs reaches the model
in ONE call, whether or not the screen escalates, and the answers stay the same."""

from __future__ import annotations

import pytest

from botcore.answer import Session
from botcore.engine import Engine
from evals.cases import load_cases

pytestmark = pytest.mark.model


def _calls(engine: Engine, question: str, session: Session | None = None) -> int:
    before, _ = engine.model_usage()
    engine.ask(question, session)
    after, _ = engine.model_usage()
    return after - before


def test_every_eval_question_reaches_the_model_at_most_once(real_engine: Engine) -> None:
    questions = list(dict.fromkeys(c.final_question for c in load_cases()))[::4]
    counts = {q: _calls(real_engine, q) for q in questions}
    assert max(counts.values()) <= 1, [q for q, n in counts.items() if n > 1][:5]
    assert sum(counts.values()) > len(questions) // 2  # and most of them do reach it


def test_a_question_with_variants_is_one_batch_of_several_texts(real_engine: Engine) -> None:
    question = "could the tumour press on my mum's windpipe"  # British: a second search text
    real_engine.index.embedder.clear()  # type: ignore[attr-defined]  # the memo of vectors
    assert [t for t in real_engine.retriever.query_texts(question) if t != question]
    _, texts_before = real_engine.model_usage()
    assert _calls(real_engine, question) == 1
    _, texts_after = real_engine.model_usage()
    assert texts_after - texts_before >= 2


def test_a_follow_up_is_one_call_too(real_engine: Engine) -> None:
    session = Session()
    real_engine.ask("what is lenvatinib", session)
    assert _calls(real_engine, "does it have side effects", session) <= 1
