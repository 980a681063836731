"""Round 10 of following the conversation (issue 11). Pure logic (no model), except where
the ``real_engine`` fixture is named. Every rule has a case it must not fire on."""

from __future__ import annotations

import pytest

from botcore.asks import asked_kinds
from botcore.aspects import aspect_phrases, aspect_words
from botcore.conversation import salient
from botcore.general_asks import asks_about_planning, general_reading
from botcore.triage.screen import ScopeHit

DECISION = ScopeHit(kind="redirect", rule_id="redirect-decision", message_id="redirect-decision")
GOALS_TURN = "we were told to have a goals of care talk What is a goals-of-care conversation?"
SURGERY_TURN = "what is surgery for it Why is surgery alone rarely enough for ATC?"


# -- advance care planning is not a treatment choice ------------------------------------------
@pytest.mark.parametrize("question", [
    "should we still do the advance directive paperwork?",
    "should we still do the advance directive paperwork if her treatment is going well",
    "should my mom fill in a living will now",
    "should he name a health care proxy",
])
def test_a_should_about_a_planning_act_is_education(question: str) -> None:
    assert asks_about_planning(question)
    assert general_reading(DECISION, question, planning=True) is None


@pytest.mark.parametrize("question", [
    "is it better to do it now, or wait until he is sicker?",
    "should we do it now or wait",
])
def test_pointing_back_at_a_planning_talk_is_education(question: str) -> None:
    assert asks_about_planning(question, GOALS_TURN, points_back=True)


@pytest.mark.parametrize("question,before", [
    ("is it better to do it now, or wait until he is sicker?", SURGERY_TURN),  # a treatment
    ("should we sign the dnr paperwork", ""),  # code status is a personal decision
    ("should we stop chemo and do the advance directive", ""),
    ("should she go on hospice now or wait", GOALS_TURN),
    ("should we do it now or wait", ""),  # points back at nothing
])
def test_a_treatment_hospice_or_dnr_choice_stays_redirected(question: str, before: str) -> None:
    assert not asks_about_planning(question, before, points_back=bool(before))
    assert general_reading(DECISION, question, planning=False) is DECISION


def test_a_planning_talk_before_does_not_count_when_the_question_points_at_nothing() -> None:
    """A question with its own subject is not read through the turn before."""
    assert not asks_about_planning("should he get the trach", GOALS_TURN, points_back=False)


# -- "how long does it work" asks how long the effect lasts -----------------------------------
@pytest.mark.parametrize("question", [
    "how long does it work", "how long will the pills last", "how long did it work for them?",
    "how long do these drugs keep working", "how long will the response last",
])
def test_how_long_it_works_asks_for_a_lasting_effect(question: str) -> None:
    assert asked_kinds(question) == ["lasting"]


@pytest.mark.parametrize("question", [
    "how long does it take to work", "how long does the test take",
    "how long does an infusion last", "how long did they live", "how long can he hold out",
])
def test_other_how_longs_stay_a_duration(question: str) -> None:
    assert "duration" in asked_kinds(question)
    assert "lasting" not in asked_kinds(question)


# -- the everyday side of care is an aspect the reviews do not cover --------------------------
@pytest.mark.parametrize("question,aspect", [
    ("how do we clean it at home", "clean"),
    ("will it make his psoriasis flare up?", "psoriasis"),
    ("can we do it over zoom with my sister", "zoom"),
    ("would the surgery be done robotically?", "robot"),
    ("does immunotherapy mess up the thyroid hormone levels?", "hormon"),
    ("will he need a feeding tube", "feed"),
    ("how do we get his prescription refilled", "prescript"),
])
def test_everyday_care_words_are_aspects(question: str, aspect: str) -> None:
    assert any(label.startswith(aspect) for label, _ in aspect_words(salient(question)))


@pytest.mark.parametrize("question", [
    "how long will she be in the hospital after the operation?",
    "how long is the hospital stay after surgery",
    "does he need to fast before it?",
])
def test_hospital_stays_and_fasting_are_phrase_aspects(question: str) -> None:
    assert aspect_phrases(question)


@pytest.mark.parametrize("question", [
    "why is he in the hospital", "how fast does it grow", "why did they act so fast",
    "what does the hospital team do", "what is a tracheostomy",
])
def test_ordinary_hospital_and_fast_words_are_not_aspects(question: str) -> None:
    assert not aspect_phrases(question)
    assert not aspect_words(salient(question))


# -- with the engine --------------------------------------------------------------------------
def _conversation(engine, turns: list[str]):  # noqa: ANN001, ANN202
    from botcore.answer import Session  # noqa: PLC0415

    session = Session()
    return [engine.ask(t, session) for t in turns]


def test_planning_questions_in_a_conversation_are_answered(real_engine) -> None:  # noqa: ANN001
    answers = _conversation(real_engine, [
        "my aunt says we should sort out dad's living will, what is that",
        "should we still do the advance directive paperwork?",
    ])
    assert answers[1].status == "answered"
    assert "plan-advance-directive" in [s.passage_id for s in answers[1].snippets]


def test_a_treatment_timing_question_stays_redirected(real_engine) -> None:  # noqa: ANN001
    answers = _conversation(real_engine, [
        "what is surgery for atc", "is it better to do it now, or wait until he is sicker?"])
    assert answers[1].status == "abstained" and answers[1].reason == "redirect"


def test_cleaning_a_trach_mid_conversation_is_not_answered(real_engine) -> None:  # noqa: ANN001
    answers = _conversation(real_engine, [
        "what is a trach and why would my husband need one", "how do we clean it at home",
        "can the tumour grow into it"])
    assert answers[1].status == "abstained" and not answers[1].snippets
    assert answers[2].status == "answered"  # the conversation goes on


# -- a term named only by a lay phrase of ordinary words is searched by its name too ----------
def _lay_terms():  # noqa: ANN202
    from botcore.textproc import LayTerms  # noqa: PLC0415

    return LayTerms([("Surrogate decision maker", ["who decides", "speak for her", "proxy"]),
                     ("Tracheostomy", ["trach", "breathing tube in the neck"])])


@pytest.mark.parametrize("question,term", [
    ("who decides for him if he cant talk anymore", "Surrogate decision maker"),
    ("who can she name to speak for her", "Surrogate decision maker"),
    ("what is a breathing tube in the neck", "Tracheostomy"),
])
def test_a_term_named_by_a_phrase_of_ordinary_words_is_found(question: str, term: str) -> None:
    assert _lay_terms().named_by_phrase(question) == [term]


@pytest.mark.parametrize("question", [
    "what does a proxy do",  # a one-word lay term names the thing itself
    "what is a trach",
    "is a surrogate decision maker the one who decides",  # the term's own name is said
    "what is a tracheostomy",
])
def test_a_term_named_by_itself_or_one_word_needs_no_name(question: str) -> None:
    assert _lay_terms().named_by_phrase(question) == []


def test_a_new_question_is_searched_with_the_terms_name() -> None:
    from botcore.conversation import Conversation  # noqa: PLC0415

    conversation = Conversation(_lay_terms(), set(), lambda pid: None)
    assert conversation.resolve("who decides for him", None).queries == (
        "who decides for him", "who decides for him Surrogate decision maker")
    assert conversation.resolve("what is a trach", None).queries == ("what is a trach",)


# -- "... surgery after" goes on from the last answer -----------------------------------------
@pytest.mark.parametrize("question", [
    "how many people got to have surgery after",
    "how many were able to have surgery after it?",
    "and how did they do afterwards",
])
def test_a_question_ending_on_after_points_at_the_last_answer(question: str) -> None:
    from botcore.follow_on import asks_what_came_after  # noqa: PLC0415

    assert asks_what_came_after(question)


@pytest.mark.parametrize("question", [
    "what happens after surgery", "is there treatment after the operation for stage ivb",
    "how many people have surgery", "what does aftercare look like",
])
def test_after_inside_the_question_is_not_pointing_back(question: str) -> None:
    from botcore.follow_on import asks_what_came_after  # noqa: PLC0415

    assert not asks_what_came_after(question)


def test_a_follow_up_ending_on_after_is_searched_after_the_earlier_question() -> None:
    from botcore.answer import Session, Turn  # noqa: PLC0415
    from botcore.conversation import Conversation  # noqa: PLC0415
    from botcore.textproc import LayTerms  # noqa: PLC0415

    conversation = Conversation(LayTerms([("Surgery (resection)", ["operation"])]), set(),
                                lambda pid: "Can drugs shrink it before surgery?")
    before = Turn(question="could the pills shrink it first", status="answered",
                  passage_ids=("p",), terms=(), considered=("p",))
    session = Session(turns=[before])
    after = conversation.resolve("how many people got to have surgery after", session)
    assert any(q.startswith("could the pills shrink it first") for q in after.queries)
    own = conversation.resolve("how many people have surgery in general", session)
    assert not any(q.startswith("could the pills") for q in own.queries)


# -- a passage covers an aspect by its own words, never by a body part's name -----------------
def test_body_part_names_are_not_the_everyday_thing() -> None:
    from botcore.aspects import without_body_part_names  # noqa: PLC0415

    assert "food" not in without_body_part_names("Radiation can reach the food pipe.")
    assert "food" not in without_body_part_names("pressing on his Food Pipe")
    # must not fire: food itself, and a pipe that is not a body part
    assert "food" in without_body_part_names("Soft food can be easier to swallow.")
    assert "pipe" in without_body_part_names("the pipe under the sink")


def test_foods_are_an_aspect_the_swallowing_check_passage_does_not_cover(  # noqa: ANN001
        real_engine) -> None:
    from botcore.answer import Session  # noqa: PLC0415

    session = Session()
    real_engine.ask("how do they check his swallowing around chemoradiation", session)
    foods = real_engine.ask("what foods are easiest to swallow then?", session)
    assert foods.status == "abstained" and not foods.snippets
    pipe = real_engine.ask("the tumor is pressing on his food pipe, can radiation help", Session())
    assert pipe.status == "answered"  # the food pipe asks nothing about food


# -- handling the medicines, a fever, the family's other illnesses ----------------------------
@pytest.mark.parametrize("question", [
    "should trametinib be kept in the fridge?", "how should i store the capsules",
    "does dabrafenib cause fevers", "is a pet scan safe for him, hes diabetic",
    "what time of day is best to take it", "what do i do if i miss a dose",
    "will lenvatinib raise my blood pressure", "can he wear his hearing aids during radiation",
])
def test_medicine_handling_and_other_illness_are_aspects(question: str) -> None:
    assert aspect_words(salient(question)) or aspect_phrases(question)


@pytest.mark.parametrize("question", [
    "how do the braf pills work", "what is the dose schedule of radiation",
    "why does the tumor press on the windpipe", "what is the best time to talk about hospice",
])
def test_ordinary_medicine_and_time_words_are_not_aspects(question: str) -> None:
    assert not aspect_words(salient(question)) and not aspect_phrases(question)


# -- "and if it's positive?" after a test asks what is done then ------------------------------
@pytest.mark.parametrize("question", [
    "and if its positive?", "and if it's positive", "what if it comes back negative instead",
    "and if it turns out she doesn't have it?",
])
def test_a_supposed_result_asks_what_is_done_then(question: str) -> None:
    from botcore.follow_on import asks_about_a_result  # noqa: PLC0415

    assert asks_about_a_result(question)


@pytest.mark.parametrize("question", [
    "is a positive result good", "what does negative mean", "how long till the results",
    "what if she wants to stop",
])
def test_a_result_not_supposed_is_not_one(question: str) -> None:
    from botcore.follow_on import asks_about_a_result  # noqa: PLC0415

    assert not asks_about_a_result(question)


def test_a_supposed_result_is_searched_for_its_treatment_not_after_the_test() -> None:
    from botcore.answer import Session, Turn  # noqa: PLC0415
    from botcore.conversation import Conversation  # noqa: PLC0415
    from botcore.textproc import LayTerms  # noqa: PLC0415

    conversation = Conversation(LayTerms([("BRAF", [])]), set(), lambda pid: None)
    test = Turn(question="how long till the braf results", status="answered",
                passage_ids=("p",), terms=("BRAF",), considered=("p",))
    queries = conversation.resolve("and if its positive?", Session(turns=[test])).queries
    assert all("treatment" in q and "how long" not in q for q in queries)
    plain = conversation.resolve("and is it accurate?", Session(turns=[test])).queries
    assert not any("treatment" in q for q in plain)


@pytest.mark.parametrize("question", [
    "who should she pick to speak for her", "should he name someone to make decisions for him",
])
def test_choosing_who_speaks_for_her_is_planning(question: str) -> None:
    assert asks_about_planning(question)


def test_choosing_a_treatment_for_her_is_not_planning() -> None:
    assert not asks_about_planning("should she pick chemo or radiation")
    assert not asks_about_planning("should he speak to the surgeon about the trach")


# -- survival years ahead is held only by a figure in years -----------------------------------
@pytest.mark.parametrize("question", [
    "what's the 5 year survival then?", "what about 10 years out, does anyone make it that long",
    "What is the 5-year survival rate?", "is anyone alive after five years",
])
def test_survival_years_ahead_is_its_own_ask(question: str) -> None:
    from botcore.asks import holds  # noqa: PLC0415

    assert "horizon" in asked_kinds(question)
    assert not holds("horizon", "Median survival is about 5 months; 20% are alive at a year.")
    assert holds("horizon", "Survival at 1, 2 or 3 years was higher.")


@pytest.mark.parametrize("question", [
    "my dad is 70 years old, how long do people live", "what about six month survival",
    "she had a goiter for twenty years, could that be related", "how long do people live",
])
def test_ages_months_and_past_years_are_not_a_horizon(question: str) -> None:
    assert "horizon" not in asked_kinds(question)


def test_a_lasting_ask_is_held_by_words_of_lasting_not_by_test_results_coming_back() -> None:
    from botcore.asks import holds  # noqa: PLC0415

    assert holds("lasting", "Over time, cancer cells find ways around the drugs.")
    assert holds("lasting", "The responses lasted only a few months.")
    assert not holds("lasting", "Results usually come back within two weeks.")


# -- a question that states the situation, then asks in its last sentence ---------------------
def _story_conversation():  # noqa: ANN202
    from botcore.conversation import Conversation  # noqa: PLC0415
    from botcore.textproc import LayTerms  # noqa: PLC0415

    lay = LayTerms([("Anaplastic thyroid cancer (ATC)", ["anaplastic thyroid cancer"]),
                    ("Tracheostomy", ["trach"]), ("Surgery (resection)", ["surgeon"])])
    return Conversation(lay, {"Anaplastic thyroid cancer (ATC)"}, lambda pid: None)


def test_the_last_sentence_is_searched_with_what_the_story_named() -> None:
    conversation = _story_conversation()
    read = conversation.resolve(
        "my dad was just told he has anaplastic thyroid cancer. what is that exactly?", None)
    assert "what is that exactly? Anaplastic thyroid cancer" in read.queries
    read = conversation.resolve("he got a trach last week. how long does it stay in?", None)
    assert "how long does it stay in? Tracheostomy" in read.queries


@pytest.mark.parametrize("question", [
    "what is a trach and how long does it stay in",  # one sentence
    "he has a trach. what is a tracheostomy?",  # the last sentence names its own subject
    "my mom was just diagnosed with anaplastic thyroid cancer. what stage is that?",
    "we are so scared. what happens now?",  # the story names nothing
])
def test_other_questions_are_searched_whole(question: str) -> None:
    read = _story_conversation().resolve(question, None)
    last = question.split(". ")[-1]
    assert read.queries[0] == question
    assert not any(q.startswith(last) for q in read.queries if last != question)


# -- a misspelt medical word is searched put right by the dense model too ---------------------
def test_the_glossary_vocabulary_holds_its_terms_and_lay_words() -> None:
    vocabulary = _lay_terms().vocabulary()
    assert {"tracheostomy", "surrogate", "breathing", "proxy"} <= vocabulary
    assert "hospital" not in vocabulary


def test_a_misspelt_medical_word_is_repaired_for_the_dense_search(real_engine) -> None:  # noqa: ANN001
    retriever = real_engine.retriever
    assert retriever._repaired("what is hosipce for atc pts") == "what is hospice for atc pts"
    assert "what is hospice for atc pts" in retriever.query_texts("what is hosipce for atc pts")
    for question in ("does medicare cover hospice at home",  # a real word, two letters off
                     "is calcitonin a tumor marker for anaplastic",  # never by dropping one
                     "recommend a good movie for family night",  # not a medical word
                     "what is hospice"):  # nothing to repair
        assert retriever._repaired(question) is None, question
