"""Round 8 of following the conversation (issue 11). Pure logic (no model)."""

from __future__ import annotations

import pytest

from botcore.interactions import is_interaction_question


@pytest.mark.parametrize("question", [
    "can he take it with his warfarin",
    "Can she take them with her blood pressure pills?",
    "is it ok to have those with his cholesterol meds",
    "is there anything he shouldn't eat while he's on it?",
    "what foods should she stick to while she's taking them",
    "any drinks to avoid when he is on it",
])
def test_the_treatment_pointed_back_to_first_is_an_interaction_in_context(question: str) -> None:
    """The treatment pointed back to first ("take it with his warfarin"), or eating and
    drinking while on it: an interaction question when the conversation is about a
    treatment, and not one out of context (nothing to be taken with)."""
    assert is_interaction_question(question, treatment_in_context=True)
    assert not is_interaction_question(question, treatment_in_context=False)


def test_st_johns_wort_as_the_glossary_reading_spells_it() -> None:
    """The glossary's reading of a question splits "John's" into "john s"."""
    assert is_interaction_question("is it safe to take st john s wort with pembrolizumab")
    assert is_interaction_question("Is it safe to take St. John's wort with pembrolizumab?")


@pytest.mark.parametrize("question", [
    "can he take it easy after surgery",
    "what foods are easiest to swallow",
    "can she still eat normally",
    "will it make eating hard",
    "can they take it out later and put in a smaller one",
])
def test_not_every_take_it_or_eating_question_is_an_interaction(question: str) -> None:
    assert not is_interaction_question(question, treatment_in_context=True)
