"""The "does the passage answer the specific ask" rules (issue 11, third round): the kind
of answer a question asks for (``botcore.asks``), practical aspects said as phrases
(``botcore.aspects``), the hard rule that keeps such a passage from being shown as the
answer (``botcore.decide.misses_the_ask``), a follow-up with ordinary words not being
"thin", interaction questions leaning on a treatment named a few turns back, and the
carried vector of a follow-up (``botcore.carry``)."""

from __future__ import annotations

import numpy as np
import pytest

from botcore.answer import Session, Turn
from botcore.answerability import Model
from botcore.asks import asked_kinds, compares, holds
from botcore.aspects import aspect_phrases
from botcore.carry import Carry
from botcore.decide import decide_answerable, misses_the_ask, thin_question
from botcore.dialogue import previous_is_a_treatment
from botcore.engine import Engine
from botcore.interactions import names_a_treatment
from botcore.retrieve import Ranking


@pytest.mark.parametrize(("question", "kinds"), [
    ("how long does an immunotherapy infusion take", ["duration"]),
    ("how many weeks off work will she need", ["duration"]),
    ("how soon does radiation start after surgery", ["speed"]),
    ("will her voice come back", ["recovery"]),
    ("is the hoarseness permanent", ["recovery"]),
    ("is it permanent", ["recovery"]),
    ("how often do you change the trach tube", ["frequency", "schedule"]),
    ("how often does atc spread to the lungs", ["frequency"]),
    ("how much do the pills cost a month", ["price"]),
    ("does hospice cost anything", ["price"]),
    ("do the newer drugs cost a lot", []),
    ("will she need thyroid pills for life", ["recovery"]),
    ("what number counts as a high pd-l1 score", ["figure"]),
    ("whats the success rate", ["figure"]),
    ("how accurate is that", ["figure"]),
    ("what is a trach", []),
    ("how well does it work", []),
])
def test_the_kind_of_answer_asked_for(question: str, kinds: list[str]) -> None:
    assert asked_kinds(question) == kinds


def test_a_passage_holds_a_kind_only_with_words_of_that_kind() -> None:
    assert holds("duration", "Results may come in 24 to 72 hours.")
    assert not holds("duration", "Immunotherapy helps the immune system attack cancer.")
    assert holds("figure", "In one trial 19% of people responded.")
    assert holds("frequency", "It is given twice a day.")
    assert not holds("frequency", "A trach is an opening in the neck.")
    assert not holds("nonsense", "24 hours")
    assert holds("schedule", "The nurse visits once a week.")
    assert not holds("schedule", "In one study 3 of 10 people needed it.")
    assert holds("price", "Hospice is covered by Medicare.")
    assert not holds("price", "These drugs can be expensive and hard to get.")


def test_phrase_aspects_and_what_they_do_not_catch() -> None:
    assert [a for a, _ in aspect_phrases("when can he go back to work")] == ["work@"]
    assert [a for a, _ in aspect_phrases("can i take time off for this")] == ["work@"]
    assert [a for a, _ in aspect_phrases("which hospital in ohio is best")] == ["place@"]
    assert [a for a, _ in aspect_phrases("we want a nursing home near us")] == ["nursing-home@"]
    for plain in ("will they keep working", "does immunotherapy work", "the dr said stage 4",
                  "which hospital is best for atc"):
        assert aspect_phrases(plain) == []


def _model() -> Model:
    return Model(features=("dense",), mean=(0.5,), scale=(0.1,), coef=(4.0,), intercept=0.0,
                 threshold=0.5, answer_floor=0.35, related_floor=0.40, sha256="x")


def _ranking() -> Ranking:
    dense = {"a": 0.9, "b": 0.8}
    return Ranking(list(dense), [1.0, 0.5], dense, 0.9)


def test_a_missed_ask_is_never_shown_as_the_answer() -> None:
    base = {"dense": 0.9, "salient_words": 3.0, "terms_named": 1.0}
    assert decide_answerable(_ranking(), _model(), base).verdict == "answer"
    for missed in ({"aspect": 0.5}, {"ask_unmet": 1.0}):
        assert misses_the_ask({**base, **missed})
        decision = decide_answerable(_ranking(), _model(), {**base, **missed})
        assert decision.verdict == "related" and decision.passage_ids == ["a", "b"]
    assert not misses_the_ask(base)  # missing signals: the model and the floor decide


def test_a_follow_up_of_ordinary_words_is_not_thin_but_a_lone_unknown_word_is() -> None:
    who_comes = {"follow_up": 1.0, "unknown": 1.0, "salient_words": 1.0, "terms_named": 0.0,
                 "plain_words": 3.0}  # "who comes to the house"
    assert not thin_question(who_comes)
    null = {**who_comes, "plain_words": 0.0}  # "null" after a real question
    assert thin_question(null)


def test_an_interaction_leans_on_a_treatment_named_a_few_turns_back() -> None:
    session = Session(turns=[
        Turn(question="what are dabrafenib and trametinib", status="answered",
             considered=("p",)),
        Turn(question="how well do they work", status="answered", considered=("p",)),
    ])
    assert previous_is_a_treatment(session, names_a_treatment)
    assert not previous_is_a_treatment(Session(), names_a_treatment)
    about_hospice = Session(turns=[Turn(question="what is hospice", status="answered",
                                        considered=("p",))])
    assert not previous_is_a_treatment(about_hospice, names_a_treatment)


def test_the_carried_vector_moves_a_follow_up_toward_the_passage_just_shown(
        fake_engine) -> None:  # noqa: ANN001 - the conftest fixture
    carry = Carry(fake_engine.index)
    vectors = carry._passage_vectors()
    assert vectors is not None
    sims = vectors @ vectors.T
    i, j = np.unravel_index(int(np.argmin(sims)), sims.shape)  # the two least alike
    first, other = fake_engine.index.passages[i].id, fake_engine.index.passages[j].id
    vector = fake_engine.index.encode_queries(["how long does it take"])[0]
    toward_first = carry.scores(vector, first)
    toward_other = carry.scores(vector, other)
    assert toward_first is not None and toward_other is not None
    assert toward_first[i] > toward_other[i] and toward_other[j] > toward_first[j]
    assert carry.scores(vector, "no-such-passage") is None
    assert carry.scores(np.full_like(vector, np.nan), first) is None


def test_a_short_question_asking_only_a_detail_leans_back() -> None:
    from botcore.conversation import asks_a_detail  # noqa: PLC0415

    for detail in ("whats the success rate", "what was the response rate",
                   "when will we hear back", "any side effects"):
        assert asks_a_detail(detail, ()), detail
    assert not asks_a_detail("whats the success rate", ("Immunotherapy",))  # its own subject
    assert not asks_a_detail("we also cant afford her pills", ())  # a subject of its own
    for garbage in ("null", "0", "${HOME}", "--help"):
        assert not asks_a_detail(garbage, ()), garbage


def test_a_will_is_a_practical_aspect_and_a_living_will_is_not() -> None:
    assert [a for a, _ in aspect_phrases("should we update his will now")] == ["will@"]
    assert aspect_phrases("is a living will the same as an advance directive") == []
    assert aspect_phrases("will it hurt") == []


def test_a_follow_up_of_one_unknown_word_after_a_plain_one_is_not_thin() -> None:
    afterwards = {"follow_up": 1.0, "unknown": 1.0, "salient_words": 1.0, "terms_named": 0.0,
                  "plain_words": 1.0}  # "and afterwards?"
    assert not thin_question(afterwards)
    assert thin_question({**afterwards, "follow_up": 0.0})  # alone it says nothing


def test_an_aspect_word_whose_stem_is_an_ordinary_word_is_matched_as_typed() -> None:
    from botcore.aspects import aspect_phrases, aspect_stems  # noqa: PLC0415
    from botcore.textproc import stem  # noqa: PLC0415

    for ordinary in ("how fast does it work", "so they are not trying to get rid of it"):
        stems = [stem(w) for w in ordinary.split()]
        assert not aspect_stems(stems) and not aspect_phrases(ordinary), ordinary
    assert aspect_phrases("is fasting needed before the scan")
    assert aspect_phrases("who gives her rides to radiation")


def test_an_aspect_word_is_matched_as_typed_never_by_a_stem_it_shares() -> None:
    from botcore.aspects import aspect_words  # noqa: PLC0415
    from botcore.conversation import salient  # noqa: PLC0415

    def found(question: str) -> list[str]:
        return [a for a, _ in aspect_words(salient(question))]

    assert found("who is caring for him at home") == []  # "caring" is not "car"
    assert found("what are the benefits of surgery") == []
    assert found("what does the braf protein do") == []
    assert found("can he drive his car") == ["drive", "car"]
    assert found("can we bring food from home") == ["food"]  # "foods" listed: its singular
    assert found("does insurance cover it") == ["insurance", "cover"]


def test_how_soon_is_answered_by_soon_or_quickly_as_well_as_by_a_time() -> None:
    assert holds("speed", "Doctors try to start radiation soon.")
    assert holds("speed", "Results may come in 24 to 72 hours.")
    assert not holds("speed", "A trach is an opening in the neck.")
    assert not holds("duration", "Doctors try to start radiation soon.")  # how long: a time


def test_will_it_get_better_is_answered_only_by_a_passage_that_speaks_of_it() -> None:
    assert holds("recovery", "ATC can also come back quickly after surgery.")
    assert holds("recovery", "A trach may not solve breathing problems for good.")
    assert not holds("recovery", "The voice can then sound hoarse, breathy or weak.")


def test_a_comparison_is_recognised_by_its_words() -> None:
    assert compares("is sorafenib better than lenvatinib for her")
    assert compares("should he get the pill instead of the infusion")
    assert compares("surgery vs radiation for stage iva")
    assert not compares("what is better for her now")
    assert not compares("does chemo work as well with radiation")


def test_a_comparison_needs_a_passage_naming_both_sides(real_engine: Engine) -> None:
    """"is X better than Y" is not answered by a passage that names only one of them: the
    passage on spartalizumab alone cannot say whether pembrolizumab does better."""
    signals = real_engine.signals
    alone = "immuno-alone-results"
    assert signals._compared_unmet("does pembrolizumab do better than spartalizumab", alone)
    assert not signals._compared_unmet("does spartalizumab do better than nivolumab", alone)
    assert not signals._compared_unmet("how well does spartalizumab work", alone)


def test_daily_life_is_not_a_frequency() -> None:
    """"How often is the tube changed" is not answered by a passage on changes to daily
    life; "taken daily" does say how often."""
    for kind in ("frequency", "schedule"):
        assert not holds(kind, "a trach brings real changes to daily life")
        assert not holds(kind, "help with daily activities at home")
        assert holds(kind, "the pills are taken daily with food")


# -- round 14: practical aspects several independent writers asked (retired sets G-L) ---------
def test_a_young_childs_age_is_an_aspect_and_an_adults_is_not() -> None:
    for said in ("how do i tell my 6 year old that grandma is dying",
                 "How should I tell my 8-year-old that grandpa has cancer?",
                 "how do I explain it to my six year old", "what do we say to our toddler"):
        assert [a for a, _ in aspect_phrases(said)] == ["young-child@"], said
    for adult in ("would my 81 year old grandpa qualify", "my 45 year old husband has atc",
                  "is a 70-year-old too old for surgery"):
        assert aspect_phrases(adult) == [], adult


def test_everyday_things_the_reviews_never_name_are_aspects() -> None:
    from botcore.aspects import aspect_words  # noqa: PLC0415

    for word in ("calcium", "cannula", "syrup", "proton", "seaweed", "overactive", "eggs",
                 "county", "packing"):
        assert aspect_words([word]), word


def test_more_everyday_aspects_from_the_retired_sets() -> None:
    from botcore.aspects import aspect_words  # noqa: PLC0415

    for word in ("coffee", "brand", "offending", "pocket", "breast", "sleepy", "siblings",
                 "novartis", "prescribe"):
        assert aspect_words([word]), word
    for said in ("how do i find atc trials near toledo", "how do we find one near tulsa",
                 "is there a trial site in nairobi",
                 "how do i sign her up for the one at vanderbilt"):
        assert [a for a, _ in aspect_phrases(said)] == ["place@"], said
    for plain in ("is there a trial near the end of treatment", "are there trials in atc",
                  "trials for people with braf", "is the tumor near his windpipe",
                  "what did the trial in people with braf show",
                  "what do experts suggest for doctors in smaller hospitals"):
        assert aspect_phrases(plain) == [], plain
    (label, covers), = aspect_phrases("what did the study in japan show")
    assert label == "place@" and "japan" in covers  # a passage naming japan covers it
    assert [a for a, _ in aspect_phrases("he wants to keep working while on it")] == ["work@"]
