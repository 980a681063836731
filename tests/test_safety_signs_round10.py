"""Round 10 (issue 10): red flags the new writers told by their signs and the lexicon did
not name: slurred speech in either word order, words that will not come, the worst
headache of a life, a very high blood pressure with headache or blurred sight on
lenvatinib, and a child or a pet who swallowed or chewed an opioid, a patch or someone's
pills; and "we just got home from the ER" as push-back. Each with the same words said
calmly, which must not escalate at the emergency tier. Our phrasings, not the writers'."""

from __future__ import annotations

import pytest

from botcore.triage import Triage


@pytest.mark.parametrize("text", [
    "dad's speech is suddenly slurred and his left hand is weak",
    "all of a sudden she can't find her words, she just stares",
    "he says it's the worst headache of his life and he threw up",
    "bp is 210 over 125 and she has a pounding headache, she takes lenvatinib",
    "blurry vision and a bad headache, his blood pressure reading was 190/118",
    "my 3 year old chewed on grandpa's fentanyl patch",
    "the dog ate some of mom's oxycodone off the floor",
    "our grandson got into the morphine bottle and drank some",
])
def test_signs_of_an_emergency_escalate(triage: Triage, text: str) -> None:
    hit = triage.screen(text)
    assert hit is not None and hit.tier == "emergency" and hit.context is None, (text, hit)


@pytest.mark.parametrize("text", [
    "the puppy chewed through the oxygen tubing, where can we get more",
    "my toddler ate all his dinner for once",
    "her blood pressure was 185 over 100 this morning, no headache or vision changes",
    "what does slurring words mean for his swallowing",
])
def test_the_same_words_said_calmly_are_not_an_emergency(triage: Triage, text: str) -> None:
    hit = triage.screen(text)
    assert hit is None or hit.tier != "emergency" or hit.context is not None, (text, hit)


@pytest.mark.parametrize("text", [
    "we just got home from the er, i am not going back",
    "we were already at the er today, they sent us home",
])
def test_back_from_the_er_is_push_back(triage: Triage, text: str) -> None:
    assert triage.is_pushback(text)


def test_a_new_question_is_not_push_back(triage: Triage) -> None:
    assert not triage.is_pushback("we got home from the clinic, what foods help with mouth sores")


@pytest.mark.parametrize("text", [
    "how much of his oxycodone would make a person never wake up",
    "is there enough of the fentanyl here that he dies tonight",
    "i keep picturing holding a pillow over her face so it is over",
    "can you tie a plastic bag over your head and just sleep",
])
def test_method_questions_without_the_word_suicide_are_crisis(triage: Triage, text: str) -> None:
    hit = triage.screen(text)
    assert hit is not None and hit.tier == "crisis", (text, hit)


@pytest.mark.parametrize("text", [
    "is there enough morphine that he goes to sleep comfortably",
    "how much morphine makes the pain stop",
    "she likes a pillow under her head and one behind her back",
    "can we put a plastic bag over the dressing when he showers",
])
def test_comfort_and_care_questions_are_not_crisis(triage: Triage, text: str) -> None:
    hit = triage.screen(text)
    assert hit is None or hit.tier != "crisis", (text, hit)


def test_refusing_the_crisis_line_is_push_back(triage: Triage) -> None:
    assert triage.is_pushback("it's for me and i don't want crisis numbers")
    assert not triage.is_pushback("what number is the hospice line")


@pytest.mark.parametrize("text", [
    "the oxycodone isn't keeping up with her pain anymore",
    "his pain keeps getting ahead of the pills at night",
    "she is grimacing even after the breakthrough dose",
    "we can't get him to drink, he turns his head away",
    "mom has barely touched her meals since sunday",
    "she's had the runs since the new tablets, every couple hours",
])
def test_call_today_problems_in_new_words_are_urgent(triage: Triage, text: str) -> None:
    hit = triage.screen(text)
    assert hit is not None and hit.tier == "urgent", (text, hit)


@pytest.mark.parametrize("text", [
    "is the new patch keeping up better than the old pills did",
    "what drinks help someone with the runs",
    "he's only sipping a smoothie for breakfast because he likes it",
    "the runs on our ski trip were great",
])
def test_the_same_words_in_questions_or_other_senses_do_not_stop(triage: Triage, text: str) -> None:
    hit = triage.screen(text)
    assert hit is None or hit.context is not None, (text, hit)
