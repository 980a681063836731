"""Round 7 of following the conversation (issue 11): what a follow-up is searched with
and what it leaves for the next turn. Pure logic on a small glossary (no model)."""

from __future__ import annotations

from botcore.answer import Session, Turn
from botcore.asks import asked_kinds, holds
from botcore.conversation import Conversation, asks_a_detail
from botcore.retrieve import without_disease_name
from botcore.textproc import LayTerms

LAY = LayTerms([
    ("NTRK", ["ntrk fusion"]),
    ("Checkpoint inhibitor", ["checkpoint drug"]),
    ("Stage IVA", ["stage 4a"]),
    ("Anaplastic thyroid cancer (ATC)", ["anaplastic", "anaplastic thyroid"]),
])
TITLES = {
    "fusions": "What are NTRK changes?",
    "curable": "Can ATC be cured?",
}
TEXTS = {
    "fusions": "NTRK fusions are rare. Larotrectinib is a drug for them.",
    "curable": "Only stage IVA can sometimes be cured with surgery.",
}


def conversation() -> Conversation:
    return Conversation(LAY, {"Anaplastic thyroid cancer (ATC)"}, TITLES.get,
                        without_disease_name)


def after(question: str, terms: tuple[str, ...], shown: tuple[str, ...]) -> Session:
    return Session(turns=[Turn(question=question, status="answered", terms=terms,
                               considered=shown, passage_ids=shown, query=question)])


def test_a_follow_up_is_searched_with_its_subject_and_without_the_disease_name() -> None:
    """Every passage is about ATC: "why would that work for anaplastic thyroid" after a
    question on checkpoint drugs is searched as "why would that work" with the subject."""
    session = after("whats a checkpoint drug", ("Checkpoint inhibitor",), ("fusions",))
    r = conversation().resolve("why would that work for anaplastic thyroid", session)
    assert r.kind == "follow-up"
    assert r.queries[0] == "why would that work Checkpoint inhibitor"
    assert r.question == "why would that work for anaplastic thyroid"  # coverage reads this
    plain = conversation().resolve("can we say no to it?", session)
    assert plain.queries[0] == "can we say no to it? Checkpoint inhibitor"


def test_a_follow_up_answered_by_a_passage_about_something_else_keeps_its_subject() -> None:
    """A passage shown first that names none of the carried subject (the cure passage
    for a question on the NTRK drug) does not become the subject: the next turn is still
    searched with NTRK. One that names it moves the conversation on as before."""
    conv = conversation()
    session = after("the report says ntrk fusion, is there a drug", ("NTRK",), ("fusions",))
    r = conv.resolve("how did it do", session)
    assert r.kind == "follow-up" and r.subject == ("NTRK",)
    assert conv.subject_after(r, ["curable"], TEXTS.__getitem__) == ("NTRK",)
    moved = conv.subject_after(r, ["fusions"], TEXTS.__getitem__)
    assert moved[-1] == "NTRK" and "NTRK" in moved


def test_words_that_only_stress_a_detail_do_not_make_a_subject() -> None:
    """"actual", "exact", "real" add no subject: "what were the actual response numbers"
    asks a detail of the last answer."""
    assert asks_a_detail("what were the actual response numbers", ())
    assert asks_a_detail("what are the exact numbers", ())
    assert not asks_a_detail("what were the actual response numbers", ("NTRK",))


def test_a_passage_on_how_things_change_over_time_holds_an_answer_to_forever() -> None:
    assert asked_kinds("does it keep working forever?") == ["recovery"]
    assert holds("recovery", "The cancer finds a way around these drugs in time.")
    assert holds("recovery", "Over time the pills stop working for most people.")
    assert not holds("recovery", "The tumor can shrink quickly and a lot.")


def test_heredity_and_sex_are_asks_a_passage_must_speak_to() -> None:
    """Neither review speaks of inheritance or of women and men: "does it run in
    families" or "is it more common in women" is not answered by a passage on where ATC
    comes from; a passage that spoke of them would hold the answer."""
    assert asked_kinds("is it passed down in families?") == ["heredity"]
    assert asked_kinds("different question, does it run in the family") == ["heredity"]
    assert asked_kinds("could he have got it from me") == ["heredity"]
    assert asked_kinds("is it more common in women or men") == ["sex"]
    assert asked_kinds("how can we prepare our family for what may come") == []
    assert asked_kinds("my wife has atc, what now") == []
    where_from = "Most ATC grows from an older thyroid cancer or a goiter."
    assert not holds("heredity", where_from) and not holds("sex", where_from)
    assert holds("heredity", "It is not inherited.") and holds("sex", "It is rarer in men.")


def test_is_a_thing_permanent_asks_whether_it_lasts() -> None:
    """"is a trach permanent", "is his voice change permanent" ask the same as "is it
    permanent": a passage that says nothing of lasting or going away does not answer."""
    for question in ("is a trach permanent or can it come out later",
                     "is his voice change permanent", "is it permanent"):
        assert asked_kinds(question) == ["recovery"]
    assert not holds("recovery", "A tracheostomy is an opening made in the neck.")


def test_the_disease_named_in_either_order_is_left_out_round_14() -> None:
    """Typed terse, "zelboraf thyroid anaplastic" is searched as "zelboraf" too (the brand
    then read as vemurafenib); "thyroid" alone is a gland the passages speak of."""
    assert without_disease_name("zelboraf thyroid anaplastic", 1) == "zelboraf"
    assert without_disease_name("is keytruda used for thyroid cancer", 1) == "is keytruda used"
    assert without_disease_name("what does the thyroid do", 1) == "what does the thyroid do"
    assert without_disease_name("nexavar thyroid carcinoma", 1) == "nexavar"
