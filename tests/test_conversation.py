"""Conversation state, situations said in passing, drug-food questions and lay terms:
pure logic, no model (botcore/conversation.py, situations.py, interactions.py, textproc)."""

from __future__ import annotations

import pytest

from botcore.answer import Session, Turn
from botcore.conversation import Conversation, leans_back
from botcore.dialogue import Interactions
from botcore.interactions import is_interaction_question, names_a_treatment
from botcore.situations import HOSPICE, recognise
from botcore.textproc import LayTerms, term_names
from botcore.turn_kinds import is_insisting, is_switch

LAY = LayTerms(
    [
        ("Tracheostomy", ["trach", "breathing tube in the neck"]),
        ("BRAF", ["b-raf"]),
        ("BRAF V600E", ["braf positive", "braf mutation"]),
        ("Dabrafenib", ["Tafinlar"]),
        ("Anaplastic thyroid cancer (ATC)", ["anaplastic"]),
        ("Mutation", ["gene change"]),
        ("Hospice", ["comfort care"]),
    ]
)
TITLES = {
    "trach-what-is": "What is a tracheostomy?",
    "braf-test": "Why is the BRAF test so important?",
}
DRUGS = Interactions(LayTerms([
    ("Dabrafenib", ["Tafinlar", "BRAF pill"]), ("Pembrolizumab", ["Keytruda", "pembro"]),
    ("Lenvatinib", ["Lenvima"]), ("Chemotherapy", ["chemo"]),
]))


def conversation() -> Conversation:
    return Conversation(LAY, {"Anaplastic thyroid cancer (ATC)"}, TITLES.get)


def after(*turns: tuple[str, tuple[str, ...], tuple[str, ...]]) -> Session:
    """A session whose turns were about these (question, terms, considered passages)."""
    return Session(
        turns=[
            Turn(question=q, status="answered", terms=t, considered=c, query=q) for q, t, c in turns
        ]
    )


# -- situations said in passing -----------------------------------------------------------------
@pytest.mark.parametrize(
    "text, noted",
    [
        (
            "mom has stage IVC and no BRAF mutation. what treatments are there for her",
            ["stage-ivc", "braf-negative"],
        ),
        ("my brother was told hes stage 4b and they cant remove it", ["stage-ivb"]),
        ("grandma is stage iva, what usually happens next", ["stage-iva"]),
        ("hes braf positive, does that change anything", ["braf-v600e"]),
        ("her braf test came back negative", ["braf-negative"]),
        ("he has a trach now, can the tumor block it", ["trach"]),
        ("the trach came out", ["trach"]),
        ("she doesn't want a trach", ["no-trach"]),
        ("dad is on hospice at home now", [HOSPICE]),
        ("stage 4c and braf neg, whats left", ["stage-ivc"]),
    ],
)
def test_statements_are_recognised(text: str, noted: list[str]) -> None:
    assert recognise(text).noted == noted


@pytest.mark.parametrize(
    "text",
    [
        "what is stage ivc",
        "what does stage 4c mean",
        "what if i dont have braf",
        "what happens without a trach",
        "what is a trach",
        "what would hospice look like for her",
        "how long would she live on hospice",
        "is immunotherapy an option if theres no braf change",
        "spread atc without braf",
    ],
)
def test_questions_and_hypotheticals_state_nothing(text: str) -> None:
    update = recognise(text)
    assert update.noted == [] and update.hospice is None


def test_a_new_statement_replaces_the_old_one_on_its_dimension() -> None:
    situations, hospice = recognise("mom is stage ivb, braf positive").apply(set(), None)
    assert situations == {"stage-ivb", "braf-v600e"} and hospice is None
    situations, hospice = recognise("now they say she is stage ivc").apply(situations, hospice)
    assert situations == {"stage-ivc", "braf-v600e"}
    situations, hospice = recognise("she is not ready for hospice").apply(situations, True)
    assert hospice is False and situations == {"stage-ivc", "braf-v600e"}


# -- drug-food, drug-drink, "can I take X with Y" -----------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "can i eat grapefruit with lenvatinib",
        "is it ok to drink beer while on dabrafenib",
        "can he take ibuprofen with his braf pills",
        "is coffee ok with chemo",
        "can she take tylenol together with keytruda",
        "does turmeric interfere with immunotherapy",
        "what foods should i avoid on lenvima",
        "can i have a glass of wine during radiation",
        "does she need to stop her aspirin before the chemo starts",
        "should he skip his vitamins on radiation days",
    ],
)
def test_interaction_questions(text: str) -> None:
    assert DRUGS.is_interaction(text, Session())


@pytest.mark.parametrize(
    "text",
    [
        "he also coughs every time he drinks water",
        "food gets stuck who do we see",
        "can immunotherapy be combined with targeted drugs",
        "does lenvatinib with immunotherapy work",
        "what is lenvima",
        "side effects of dabrafenib",
        "chemo and radiation together",
        "can the kids visit during chemo",
        "does cannabis oil cure anaplastic",
        "can he stop the chemo if it gets too hard",
        "should we stop the braf pills before surgery",
    ],
)
def test_not_interaction_questions(text: str) -> None:
    assert not is_interaction_question(text, treatment_in_context=True)
    assert not DRUGS.is_interaction(text, Session())


def test_the_persons_own_other_medicine_is_a_substance() -> None:
    assert is_interaction_question("is it ok to take pazopanib with his cholesterol pill")
    assert is_interaction_question("can she take her blood pressure meds with dabrafenib")
    assert not is_interaction_question("is it safe to take lenvatinib with his old cancer pills")
    assert not is_interaction_question("what are his braf pills called")


def test_a_pointer_back_to_a_drug_needs_the_drug_in_the_conversation() -> None:
    assert is_interaction_question("can i eat grapefruit with it", treatment_in_context=True)
    assert is_interaction_question(
        "can he have a beer while hes taking them", treatment_in_context=True
    )
    assert not is_interaction_question("can i eat grapefruit with it", treatment_in_context=False)
    assert names_a_treatment("what is dabrafenib") and not names_a_treatment("what is a trach")


def test_brand_names_come_from_the_glossary_not_from_code() -> None:
    assert not names_a_treatment("what is tafinlar")  # no brand list in the word lists
    assert DRUGS.names_a_treatment("what is tafinlar")  # the glossary's lay term
    assert not DRUGS.names_a_treatment("what is a trach")
    assert DRUGS.is_interaction("can he have grapefruit with his Tafinlar", None)
    assert not Interactions(LayTerms([])).is_interaction("grapefruit with tafinlar ok", None)
    talked = Session(turns=[Turn(question="what is keytruda", status="answered",
                                terms=("Pembrolizumab",))])
    assert DRUGS.is_interaction("can i eat grapefruit with it", talked)


# -- lay terms and brand names ------------------------------------------------------------------
def test_terms_in_names_terms_by_their_names_and_lay_phrases_longest_first() -> None:
    assert LAY.terms_in("is a trach like a tafinlar") == ["Tracheostomy", "Dabrafenib"]
    assert LAY.terms_in("hes braf positive") == ["BRAF V600E"]  # not BRAF inside it
    assert LAY.terms_in("what gene changes") == ["Mutation"]  # plural of the last word
    assert term_names("Do not resuscitate (DNR)") == ["Do not resuscitate", "DNR"]
    assert term_names("Stage IV (for ATC)") == ["Stage IV"]


def test_brand_names_the_passages_never_use_are_replaced_by_the_generic() -> None:
    known = {"dad", "takes", "daily", "trach", "his"}
    assert LAY.canonical("Dad takes Tafinlar daily", known) == "dad takes dabrafenib daily"
    assert LAY.canonical("his trach", known) == "his trach"  # a lay word the passages use stays


def test_short_abbreviations_are_never_read_as_a_term() -> None:
    lay = LayTerms([("Overall survival", ["OS"]), ("Dabrafenib", ["Tafinlar"])])
    assert lay.canonical("__import__('os')", set()) == "__import__('os')"
    assert lay.canonical("tafinlar and os", set()) == "dabrafenib and os"


# -- following the conversation -----------------------------------------------------------------
def test_a_first_question_is_searched_alone() -> None:
    r = conversation().resolve("what is a trach", Session())
    assert (
        r.kind == "first" and r.queries == ("what is a trach",) and r.subject == ("Tracheostomy",)
    )


def test_a_pronoun_follow_up_carries_the_subject_and_the_previous_question() -> None:
    session = after(("what is a tracheostomy", ("Tracheostomy",), ("trach-what-is",)))
    r = conversation().resolve("can we say no to it?", session)
    assert r.kind == "follow-up" and r.carried
    assert r.queries[0] == "can we say no to it? Tracheostomy"
    assert "what is a tracheostomy can we say no to it?" in r.queries
    assert r.subject == ("Tracheostomy",)


@pytest.mark.parametrize(
    "text",
    [
        "and after that?",
        "how long does it take?",
        "why not?",
        "what about side effects",
        "for whom",
    ],
)
def test_ellipses_and_detail_questions_lean_back(text: str) -> None:
    assert leans_back(text)


def test_without_terms_a_follow_up_leans_on_the_passage_just_shown() -> None:
    session = after(("how do they check", (), ("braf-test",)))
    r = conversation().resolve("how long does it take?", session)
    assert r.queries[0] == "how long does it take? Why is the BRAF test so important?"


def test_a_question_of_its_own_or_a_switch_drops_the_old_context() -> None:
    session = after(("what is a tracheostomy", ("Tracheostomy",), ("trach-what-is",)))
    new = conversation().resolve("what is tafinlar", session)
    assert new.kind == "new" and new.subject == ("Dabrafenib",) and len(new.queries) == 1
    switch = conversation().resolve("different question, how rare is this cancer", session)
    assert switch.kind == "switch" and not switch.carried
    assert is_switch("ok back to the cancer, why is it an emergency")
    assert not leans_back("whats the weather going to be like in houston this week")


def test_push_back_on_a_redirect_is_read_in_context() -> None:
    assert is_insisting("come on just tell me the usual dose")
    assert is_insisting("please i just need to know")
    assert not is_insisting("ok, what is it for then")
    session = after(("how much tafinlar a day", ("Dabrafenib",), ()))
    r = conversation().resolve("come on just tell me the usual dose", session)
    assert r.kind == "follow-up" and r.subject == ("Dabrafenib",)


def test_escalated_turns_lend_no_subject() -> None:
    session = after(("what is a tracheostomy", ("Tracheostomy",), ("trach-what-is",)))
    session.turns.append(
        Turn(
            question="he cant breathe", status="escalated", tier="emergency", terms=("Dabrafenib",)
        )
    )
    r = conversation().resolve("can we say no to it?", session)
    assert r.subject == ("Tracheostomy",)


def test_the_subject_a_turn_leaves_comes_from_its_passage_when_it_named_none() -> None:
    conv = conversation()
    r = conv.resolve("how do they know for sure", Session())
    assert conv.subject_after(r, ["trach-what-is"], lambda pid: "") == ("Tracheostomy",)
    assert conv.subject_after(r, ["braf-test"], lambda pid: "") == ("BRAF",)


def test_a_question_with_no_words_never_leans_back() -> None:
    assert not leans_back("[/]") and not leans_back("\U0001f600")
    for garbage in ("null", "0", "-1", "${HOME}", "--help", "=1+1", "%s%n%x", "&a [*a, *a]"):
        assert not leans_back(garbage), garbage
    assert leans_back("why?") and leans_back("and after that?")


def test_something_else_is_a_switch_only_when_it_opens_the_question() -> None:
    assert is_switch("something else, how rare is this cancer")
    assert is_switch("can i ask you something else")
    assert not is_switch("is it taken alone or with something else")
    assert not is_switch("could it be something else instead")


def test_unrelated_and_switching_as_markers_change_the_topic() -> None:
    assert is_switch("thanks. unrelated, what does the palliative team do")
    assert is_switch("totally unrelated but can you name a good book")
    assert is_switch("ok switching gears, who pays for a trach")
    assert is_switch("random question, how is the biopsy done")
    assert not is_switch("is his cough unrelated to the cancer")
    assert not is_switch("was the trial randomized")
    assert not is_switch("does it spread in a random way")



def test_a_switch_marker_may_open_any_sentence() -> None:
    """Round 10: "he is being seen now. unrelated, ..." changes the topic in its second
    sentence; the marker inside a sentence is still not one."""
    assert is_switch("the nurse came and he is being seen. unrelated, how do i get a parking pass")
    assert is_switch("we are at the hospital now! totally separate, what foods help mouth sores")
    assert is_switch("ya estamos en el hospital. aparte, what is palliative care")
    assert not is_switch("he is at the hospital. is his cough unrelated to the cancer")
    assert not is_switch("we keep the spare in a separate bag. is that ok")


@pytest.mark.parametrize(
    "text",
    ["can she change her mind later", "can she still have treatment at the same time",
     "what else could he try instead", "does radiation help as well"],
)
def test_words_that_go_on_from_the_last_turn_lean_back(text: str) -> None:
    assert leans_back(text)


def test_a_detail_asked_with_another_form_of_its_word_leans_back() -> None:
    from botcore.conversation import asks_a_detail  # noqa: PLC0415

    assert asks_a_detail("what percent responded", ())
    assert not asks_a_detail("what percent responded", ("Dabrafenib",))


def test_an_answered_follow_up_leaves_the_passage_it_was_answered_with_as_subject() -> None:
    conv = conversation()
    session = after(("what is tafinlar", ("Dabrafenib",), ("braf-test",)))
    r = conv.resolve("and how is that done", session)
    assert r.kind == "follow-up" and r.subject == ("Dabrafenib",)
    moved = conv.subject_after(r, ["trach-what-is"], lambda pid: "Tafinlar is taken with it.",
                               answered=True)
    assert moved == ("Tracheostomy", "Dabrafenib")
    # a passage that names nothing of the carried subject does not become it (round 7)
    fresh = conversation()  # (a passage's terms are read once: approved texts do not change)
    assert fresh.subject_after(r, ["trach-what-is"], lambda pid: "", answered=True) == (
        "Dabrafenib",)
    kept = conv.subject_after(r, ["trach-what-is"], lambda pid: "", answered=False)
    assert kept == ("Dabrafenib",)  # a declined turn does not move the conversation
    own = conv.resolve("and the trach?", session)
    assert conv.subject_after(own, ["braf-test"], lambda pid: "") == own.subject


@pytest.mark.parametrize(
    "text", ["is it normal that i feel angry all the time", "is it ok to cry in front of him"])
def test_an_it_that_points_at_nothing_does_not_lean_back(text: str) -> None:
    assert not leans_back(text)


def test_a_pronoun_it_still_leans_back() -> None:
    assert leans_back("is it painful?") and leans_back("is it worth it")


def test_things_as_the_subject_of_the_talk_lean_back() -> None:
    assert leans_back("have things gotten any better lately")
    assert not leans_back("what things should we bring to the clinic")


def test_a_question_naming_the_disease_and_one_word_is_also_searched_without_the_name() -> None:
    from botcore.retrieve import without_disease_name  # noqa: PLC0415

    conv = Conversation(LAY, {"Anaplastic thyroid cancer (ATC)"}, TITLES.get,
                        without_disease_name)
    r = conv.resolve("How is anaplastic thyroid cancer diagnosed?", None)
    assert r.queries == ("How is anaplastic thyroid cancer diagnosed?", "how is diagnosed")
    assert conv.resolve("what is anaplastic thyroid cancer", None).queries == (
        "what is anaplastic thyroid cancer",)  # nothing left to search on


def test_a_turn_off_the_subject_lends_none_and_the_one_before_it_still_does() -> None:
    session = after(("what is a tracheostomy", ("Tracheostomy",), ("trach-what-is",)))
    session.turns.append(Turn(question="who won the game last night", status="abstained",
                              reason="out-of-scope", considered=("braf-test",)))
    r = conversation().resolve("can we say no to it?", session)
    assert r.kind == "follow-up" and r.subject == ("Tracheostomy",)


# -- round 14: interaction follow-ups (the retired conversation sets G-L) -----------------------
def test_a_substance_with_an_interaction_word_needs_only_the_drug_in_the_conversation() -> None:
    said = "he takes warfarin too, is there an interaction"
    assert is_interaction_question(said, treatment_in_context=True)
    assert not is_interaction_question(said, treatment_in_context=False)
    assert is_interaction_question("is her fish oil ok too", treatment_in_context=True)
    assert not is_interaction_question("is her trach ok", treatment_in_context=True)
    assert not is_interaction_question("does cannabis oil cure anaplastic",
                                       treatment_in_context=True)


def _after(question: str, message_id: str | None, reason: str = "redirect") -> Session:
    return Session(turns=[Turn(question=question, status="abstained", reason=reason,
                               message_id=message_id, terms=("Dabrafenib",))])


def test_an_ellipsis_after_an_interaction_redirect_is_one_too() -> None:
    redirected = _after("can he take warfarin with tafinlar", "redirect-interaction")
    assert DRUGS.is_interaction("and st johns wort?", redirected)
    assert DRUGS.is_interaction("what about alcohol", redirected)
    assert not DRUGS.is_interaction("how well does it work", redirected)
    other = _after("what dose of tafinlar", "redirect-dosing")
    assert not DRUGS.is_interaction("and st johns wort?", other)
    assert not DRUGS.is_interaction("and st johns wort?", Session())
