"""Clause-level scoring of the learned stage (botcore/triage/clauses.py, issue 10 round 3):
how a question is split, that one question is one batched encode, and that a red-flag
clause is not averaged away by the ordinary clauses around it."""

from __future__ import annotations

import numpy as np
import pytest

from botcore.triage.clauses import MAX_CLAUSES, clauses, screen_texts, screen_vectors
from botcore.triage.learned import Linear, SafetyModel


@pytest.mark.parametrize("question", [
    "what is hospice",
    "how is radiation given for thyroid cancer in the neck",
    "can he still eat cake",
    "help",
])
def test_a_one_clause_question_costs_no_extra_encode(question: str) -> None:
    assert clauses(question) == []
    assert screen_texts(question) == [question]


def test_sentences_and_joined_clauses_are_split() -> None:
    q = ("we have been reading about radiation and the diet sheets, "
         "also his lips are blue now. what should we ask the team")
    got = clauses(q)
    assert "his lips are blue now" in got
    assert "what should we ask the team" in got
    assert all(len(c.split()) >= 3 for c in got)


def test_short_fragments_join_their_neighbour() -> None:
    got = clauses("help. he pulled the trach out and it wont go back in")
    assert got and all(len(c.split()) >= 3 for c in got)
    assert not any(c == "help" for c in got)


def test_line_breaks_split_and_the_clause_count_is_bounded() -> None:
    q = "\n".join(f"line number {i} of my long note" for i in range(20))
    got = clauses(q)
    assert len(got) == MAX_CLAUSES
    assert "line number 0 of my long note" in got
    assert got[-1].endswith("line number 19 of my long note")  # the rest is kept, joined


def test_one_question_is_one_batched_encode() -> None:
    calls: list[list[str]] = []

    def encode(texts: list[str]) -> np.ndarray:
        calls.append(list(texts))
        return np.eye(len(texts), 4, dtype=np.float32)

    question = "she is fine most days. but now she cant breathe at all"
    rows = screen_vectors(encode, question)
    assert len(calls) == 1 and calls[0][0] == question
    assert rows.shape == (len(calls[0]), 4)


def test_the_highest_clause_score_counts_less_its_offset() -> None:
    """A toy model whose 'emergency' weight reads dimension 1: a question whose whole
    vector is calm but one of whose clause vectors is not scores as that clause, less the
    class's clause offset (1 switches clauses off for the class)."""
    w = np.zeros((4, 3))
    w[2, 1] = 10.0  # emergency
    w[0, 0] = 10.0  # calm
    screen = Linear(("calm", "crisis", "emergency", "urgent"), w, np.zeros(4))
    follow = Linear(("release", "hold"), np.zeros((2, 3)), np.zeros(2))
    whole = np.array([1.0, 0.0, 0.0])
    clause = np.array([0.0, 1.0, 0.0])

    def model(offset: float) -> SafetyModel:
        return SafetyModel("toy", 3, screen, follow, {
            "clause_crisis": offset, "clause_emergency": offset, "clause_urgent": offset})

    alone, part = model(0.0).scores(whole), model(0.0).scores(clause)
    assert model(0.0).scores_of(np.stack([whole, clause])).emergency == part.emergency
    assert part.emergency > alone.emergency
    discounted = model(0.3).scores_of(np.stack([whole, clause]))
    assert discounted.emergency == pytest.approx(part.emergency - 0.3)
    assert discounted.calm == min(alone.calm, part.calm)
    assert model(1.0).scores_of(np.stack([whole, clause])).emergency == alone.emergency
    assert model(0.0).scores_of(whole) == alone  # one row: the whole question's scores
