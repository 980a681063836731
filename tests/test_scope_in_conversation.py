"""A follow-up in an ATC conversation that names another thyroid condition or cancer in
passing is about ATC (round 6): the scope screen's other-cancer and other-thyroid rules
read the question in its conversation."""

from __future__ import annotations

import pytest

from botcore.answer import Session, Turn
from botcore.dialogue import scope_in_conversation
from botcore.triage.screen import ScopeHit

OTHER = ScopeHit(kind="out-of-scope", rule_id="oos-other-cancer", message_id="out-of-scope")
THYROID = ScopeHit(kind="out-of-scope", rule_id="oos-other-thyroid", message_id="out-of-scope")
JOKE = ScopeHit(kind="out-of-scope", rule_id="oos-off-topic", message_id="out-of-scope")
REDIRECT = ScopeHit(kind="redirect", rule_id="redirect-personal", message_id="redirect-x")


def _after(status: str, reason: str = "answered") -> Session:
    return Session(turns=[Turn(question="q", status=status, reason=reason)])  # type: ignore[arg-type]


def test_only_the_other_condition_rules_after_an_answered_turn_are_lifted() -> None:
    answered = _after("answered")
    assert scope_in_conversation(OTHER, answered) is None
    assert scope_in_conversation(THYROID, answered) is None
    for kept in (JOKE, REDIRECT):  # off topic and personal decisions stay as they are
        assert scope_in_conversation(kept, answered) == kept
    for status, reason in (("abstained", "weak-evidence"), ("abstained", "out-of-scope"),
                           ("abstained", "related"), ("escalated", "escalated")):
        # after a decline or a stop: read as it is
        assert scope_in_conversation(OTHER, _after(status, reason)) == OTHER
    assert scope_in_conversation(OTHER, Session()) == OTHER  # a first question
    assert scope_in_conversation(OTHER, None) == OTHER
    assert scope_in_conversation(None, answered) is None


def test_after_a_redirect_the_conversation_is_still_about_atc() -> None:
    """A personal decision redirected to the care team ("should her sisters get checked")
    was about ATC care: "is it the same as the papillary she had" right after it is read
    as about ATC too (round 7)."""
    redirected = _after("abstained", "redirect")
    assert scope_in_conversation(THYROID, redirected) is None
    assert scope_in_conversation(OTHER, redirected) is None
    assert scope_in_conversation(JOKE, redirected) == JOKE


@pytest.mark.model
def test_a_follow_up_naming_lymphoma_is_searched_not_refused(real_engine) -> None:  # noqa: ANN001
    alone = real_engine.ask("could it be lymphoma and not that")
    assert alone.status == "abstained" and alone.reason == "out-of-scope"
    session = Session()
    first = real_engine.ask("how do doctors confirm anaplastic thyroid cancer", session)
    assert first.status == "answered"
    follow = real_engine.ask("could it be lymphoma and not that", session)
    assert follow.reason != "out-of-scope"
