"""Round 9 of following the conversation (issue 11). Pure logic (no model), except where
the engine fixture is named."""

from __future__ import annotations

import pytest

from botcore.general_asks import asks_a_study_figure, asks_when_where_why, general_reading
from botcore.triage.screen import ScopeHit

DECISION = ScopeHit(kind="redirect", rule_id="redirect-decision", message_id="redirect-decision")
PROGNOSIS = ScopeHit(kind="redirect", rule_id="redirect-prognosis",
                     message_id="redirect-prognosis")


@pytest.mark.parametrize("question", [
    "when should we have it",
    "When should we have it done?",
    "where should he get it done, our local hospital?",
    "Why should my dad consider a clinical trial?",
    "If things go badly, when should we start talking about what she wants?",
    "when should she fill one out",
])
def test_a_when_where_or_why_should_is_not_a_treatment_choice(question: str) -> None:
    """Asking when, where or why is general education: the decision redirect is dropped
    and the question is searched like any other."""
    assert asks_when_where_why(question)
    assert general_reading(DECISION, question) is None


@pytest.mark.parametrize("question", [
    "should we have it",
    "should she get the trach",
    "when should we stop chemo",
    "when should he quit treatment and go to hospice",
    "should we have it now or wait until later?",
    "why should he refuse it",
])
def test_a_choice_stays_redirected(question: str) -> None:
    """A yes-or-no choice, or a when about stopping, refusing or switching a treatment,
    is still a personal treatment decision."""
    assert not asks_when_where_why(question)
    assert general_reading(DECISION, question) is DECISION


@pytest.mark.parametrize("question", [
    "and how long did they live",
    "how long did people live with that?",
    "how long did the patients live in that trial",
])
def test_a_study_figure_in_the_past_tense_is_not_a_prognosis(question: str) -> None:
    assert asks_a_study_figure(question)
    assert general_reading(PROGNOSIS, question) is None


@pytest.mark.parametrize("question", [
    "how long will he live",
    "how long does she have",
    "how long did the doctor say she has left",
    "how long do people live with it",
])
def test_a_personal_or_present_prognosis_stays_redirected(question: str) -> None:
    assert not asks_a_study_figure(question)
    assert general_reading(PROGNOSIS, question) is PROGNOSIS


def test_the_reading_never_drops_other_rules() -> None:
    """Only the two redirects are read so: an out-of-scope finding is kept, and so is the
    dosing redirect, whatever the words."""
    off = ScopeHit(kind="out-of-scope", rule_id="oos-off-topic", message_id="out-of-scope")
    dosing = ScopeHit(kind="redirect", rule_id="redirect-dosing", message_id="redirect-dosing")
    assert general_reading(off, "when should we have it") is off
    assert general_reading(dosing, "when should we have it") is dosing
    assert general_reading(None, "when should we have it") is None


def test_a_follow_ups_ask_puts_the_passages_that_hold_it_first_among_the_shown() -> None:
    """Among the first three, the rows that hold the ask go first, each group in its
    order; a row outside the first three is never lifted."""
    from botcore.anchor import ask_first  # noqa: PLC0415

    holding = {2, 5}
    assert ask_first([1, 2, 3, 5, 6], holding.__contains__) == [2, 1, 3, 5, 6]
    assert ask_first([5, 2, 3], holding.__contains__) == [5, 2, 3]


def test_no_passage_holding_the_ask_leaves_the_order_as_it_was() -> None:
    from botcore.anchor import ask_first  # noqa: PLC0415

    assert ask_first([4, 1, 3, 2], lambda row: False) == [4, 1, 3, 2]
    assert ask_first([], lambda row: True) == []


def test_an_urgent_escalation_shown_with_passages_lends_its_subject() -> None:
    from botcore.answer import Session, Turn  # noqa: PLC0415
    from botcore.conversation import subject_turn  # noqa: PLC0415

    urgent = Turn(question="will she have trouble swallowing", status="escalated",
                  tier="urgent", passage_ids=("airway-swallowing-help",),
                  terms=("Dysphagia",), considered=("airway-swallowing-help",))
    assert subject_turn(Session(turns=[urgent])) == urgent


@pytest.mark.parametrize("tier,shown", [("urgent", ()), ("emergency", ("x",)), ("crisis", ())])
def test_other_escalations_lend_no_subject(tier: str, shown: tuple[str, ...]) -> None:
    """An emergency or crisis turn, or an urgent one shown no passage, is not what a
    follow-up is about."""
    from botcore.answer import Session, Turn  # noqa: PLC0415
    from botcore.conversation import subject_turn  # noqa: PLC0415

    turn = Turn(question="he cant breathe", status="escalated", tier=tier,  # type: ignore[arg-type]
                passage_ids=shown, terms=("Airway",), considered=("airway-why-at-risk",))
    assert subject_turn(Session(turns=[turn])) is None


@pytest.mark.parametrize("question", ["what drug was used?", "which medicine was given",
                                      "what was studied", "who was included"])
def test_which_drug_was_used_asks_a_detail_of_the_last_answer(question: str) -> None:
    from botcore.conversation import asks_a_detail  # noqa: PLC0415

    assert asks_a_detail(question, own_terms=[])


@pytest.mark.parametrize("question,own", [
    ("what is lenvatinib used for", ["Lenvatinib"]),
    ("is radiation used to treat the pain in his back", []),
    ("used", []),
])
def test_used_with_a_subject_of_its_own_is_not_a_detail(question: str, own: list[str]) -> None:
    """A question that names its own subject, a long one, or a lone word is not a detail
    of the last answer."""
    from botcore.conversation import asks_a_detail  # noqa: PLC0415

    assert not asks_a_detail(question, own_terms=own)


def _trial_conversation():  # noqa: ANN202
    from botcore.conversation import Conversation  # noqa: PLC0415
    from botcore.textproc import LayTerms  # noqa: PLC0415

    lay = LayTerms([("Clinical trial", ["trial", "study"]), ("Pembrolizumab", ["Keytruda"]),
                    ("BRAF", ["braf pills"])])
    return Conversation(lay, set(), {"immuno-with-targeted": "Combined"}.get)


@pytest.mark.parametrize("question", ["what's the goal of that trial?",
                                      "what did the bigger trial show?",
                                      "how many people were in that study?"])
def test_a_trial_pointed_back_to_is_the_one_just_described(question: str) -> None:
    """"That trial" is the study the last answer described: not a subject of its own, so
    the follow-up carries the conversation's subject (Keytruda with the BRAF pills)."""
    from botcore.answer import Session, Turn  # noqa: PLC0415

    conv = _trial_conversation()
    first = Turn(question="is there a trial combining keytruda with the braf pills",
                 status="answered", terms=("Pembrolizumab", "BRAF"),
                 considered=("immuno-with-targeted",), passage_ids=("immuno-with-targeted",))
    assert conv.named_terms(question) == []
    resolution = conv.resolve(question, Session(turns=[first]))
    assert resolution.kind == "follow-up"
    assert resolution.subject[:2] == ("Pembrolizumab", "BRAF")


@pytest.mark.parametrize("question", ["what is a clinical trial", "are there trials for her",
                                      "what did that trial of keytruda show"])
def test_a_trial_named_as_such_is_still_its_own_subject(question: str) -> None:
    """A trial named in its own right, or beside another term, still counts."""
    assert _trial_conversation().named_terms(question)
