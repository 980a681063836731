"""The engine follows the conversation and answers only what the passages answer (issue
11), on the bundled corpus and the real model."""

from __future__ import annotations

from botcore.answer import Answer, Session
from botcore.engine import Engine
from botcore.triage.clauses import screen_texts


def ids(answer: Answer) -> list[str]:
    return [s.passage_id for s in answer.snippets]


def test_the_answerability_model_decides(real_engine: Engine) -> None:
    assert real_engine.report.decision.startswith("answerability model")
    answer = real_engine.ask("what is a tracheostomy")
    assert answer.status == "answered" and 0.0 <= (answer.gate_score or -1) <= 1.0
    assert answer.evidence and answer.considered[0] == ids(answer)[0]


def test_a_pronoun_follow_up_stays_on_the_subject(real_engine: Engine) -> None:
    session = Session()
    real_engine.ask("my husbands doctor brought up a tracheostomy, what is that exactly", session)
    answer = real_engine.ask("can we say no to it?", session)
    assert answer.status == "answered" and "trach-choosing-not" in ids(answer)
    assert "Tracheostomy" in answer.subject
    assert session.turns[-1].terms and session.turns[-1].considered


def test_a_detail_follow_up_stays_on_the_subject(real_engine: Engine) -> None:
    session = Session()
    real_engine.ask("the oncologist ordered a braf test, what is it for", session)
    answer = real_engine.ask("how long does it take?", session)
    assert answer.status == "answered"
    assert {
        "braf-test-tissue",
        "braf-test-why-urgent",
        "braf-test-blood",
        "braf-test-nurse-workup",
    } & set(ids(answer))


def test_a_follow_up_is_also_ranked_by_its_own_words(real_engine: Engine) -> None:
    """"What happens if they stop working" after the BRAF pills asks about resistance: the
    searches mixed with the subject's names alone keep it on the passage just shown."""
    session = Session()
    real_engine.ask("my husband takes dabrafenib and trametinib now", session)
    question = "what happens if they stop working"
    searched = real_engine.retriever.query_texts(question, session)
    assert searched[-1] == question and len(searched) > 1  # its own reading, last
    assert question in screen_texts(question)  # already encoded for the screen: no extra text
    answer = real_engine.ask(question, session)
    assert answer.status == "answered" and "braf-resistance" in ids(answer)


def test_a_topic_switch_drops_the_old_context(real_engine: Engine) -> None:
    session = Session()
    real_engine.ask("does palliative care mean we are giving up on her", session)
    answer = real_engine.ask("ok different question, how rare is this cancer", session)
    assert answer.status == "answered" and ids(answer)[0] == "about-how-rare"


def test_a_situation_said_in_passing_is_kept_and_shown(real_engine: Engine) -> None:
    session = Session()
    answer = real_engine.ask(
        "mom has stage IVC and no BRAF mutation. what treatments are there", session
    )
    assert answer.noted == ["stage-ivc", "braf-negative"]
    assert session.situations == {"stage-ivc", "braf-negative"}
    assert ids(answer)[0] == "treat-stage-ivc-no-braf"
    later = real_engine.ask("dad is on hospice at home now, what does the nurse do", session)
    assert later.noted == ["hospice"] and session.hospice is True
    assert session.situations == {"stage-ivc", "braf-negative"}  # kept across turns


def test_brand_names_find_the_generic_drug(real_engine: Engine) -> None:
    answer = real_engine.ask("dad was just started on tafinlar and mekinist, what are those")
    assert answer.status == "answered" and ids(answer)[0] == "braf-dabrafenib-trametinib"


def test_drug_food_questions_get_the_pharmacist_redirect(real_engine: Engine) -> None:
    answer = real_engine.ask("can i eat grapefruit with lenvatinib")
    assert answer.status == "abstained" and answer.reason == "redirect"
    assert answer.message_id == "redirect-interaction" and not answer.snippets
    session = Session()
    real_engine.ask("what is lenvima", session)
    follow = real_engine.ask("can i eat grapefruit with it", session)
    assert follow.message_id == "redirect-interaction"


def test_related_not_an_answer_offers_titles_never_passages(real_engine: Engine) -> None:
    answer = real_engine.ask("does medicare pay for hospice at home")
    assert answer.status == "abstained" and answer.reason == "related" and not answer.snippets
    assert answer.message_id == "related-not-an-answer"
    titles = {p.title for p in real_engine.corpus.passages.values()}
    assert answer.suggestions and set(answer.suggestions) <= titles
    assert "hospice-what-is" in answer.considered
    contract = answer.contract_dict()
    assert contract["status"] == "abstained" and contract["snippets"] == []


def test_push_back_on_a_redirect_holds_it(real_engine: Engine) -> None:
    session = Session()
    first = real_engine.ask("so how long does my dad have left", session)
    assert first.reason == "redirect"
    again = real_engine.ask("just give me a number please", session)
    assert again.status == "abstained" and again.message_id == first.message_id


def test_escalation_still_comes_first_in_a_conversation(real_engine: Engine) -> None:
    session = Session()
    real_engine.ask("he has a trach now, can the tumor end up blocking it", session)
    answer = real_engine.ask("the tube just came out and he cant breathe", session)
    assert answer.status == "escalated" and not answer.snippets
    assert "trach" in session.situations


def test_a_stated_situation_does_not_outrank_what_the_question_asks(real_engine: Engine) -> None:
    """The situation bonus lifts a close second only: a definition stays first."""
    session = Session(situations={"stage-ivc", "braf-negative"})
    assert real_engine.retrieve("what is immunotherapy", session).passage_ids[0] == "immuno-what-is"


def test_who_decides_names_the_surrogate_decision_maker(real_engine: Engine) -> None:
    """A family's words for the proxy are the glossary's lay terms for it."""
    assert "Surrogate decision maker" in real_engine.retriever.lay_terms.terms_in(
        "who decides for her if she cannot say")


def test_a_carried_follow_up_is_answered_by_a_passage_on_its_subject(real_engine: Engine) -> None:
    """"how long do the results hold up" after a question on a fusion drug is about that drug, not
    about a BRAF test's wait: the passages that name the subject the person named win a
    close call (``botcore.anchor``)."""
    session = Session()
    real_engine.ask("the lab found an ntrk fusion in my wifes tumor, any medicine for it", session)
    answer = real_engine.ask("how long do the results hold up", session)
    first = real_engine.corpus.passages[answer.considered[0]]
    assert "NTRK" in real_engine.retriever.conversation.own_terms(f"{first.title} {first.text}")


def test_a_short_follow_up_stays_on_the_study_just_described(real_engine: Engine) -> None:
    """"were the results good" after the largest randomised trial is about that trial: the
    passage just shown wins a close call (``botcore.anchor.previous_bonus``)."""
    session = Session()
    first = real_engine.ask("tell me about the largest randomized trial in atc", session)
    answer = real_engine.ask("were the results good", session)
    assert answer.considered[:1] == first.considered[:1] == ["trial-fosbretabulin"]


def test_a_definition_of_a_rare_long_word_is_not_thin(real_engine: Engine) -> None:
    """"what is efatutazone" names one passage by one word the glossary does not list: it
    is answered; "what is home" (a short ordinary word) gets no such exemption."""
    answer = real_engine.ask("what is efatutazone")
    assert answer.status == "answered" and ids(answer)[0] == "treat-crolibulin-efatutazone"
    assert (answer.evidence or {}).get("rare_definition") == 1.0
    assert (real_engine.ask("what is home").evidence or {}).get("rare_definition") == 0.0
    alone = real_engine.ask("efatutazone")  # round 14: the rare word typed alone
    assert alone.status == "answered" and ids(alone)[0] == "treat-crolibulin-efatutazone"
    assert real_engine.ask("home").status != "answered"
