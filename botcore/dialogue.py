"""The engine's conversation steps around one question, kept out of ``engine.py`` so the
pipeline there reads as its stages: situations said in passing noted in the session,
push-back on a redirect held, drug-food and drug-drink questions recognised, and what a
turn leaves for the next (its subject, the passages it weighed, the searched text).

The brand names of the drugs are read from ONE place, the approved glossary's lay terms
(``corpus/glossary.yaml``: "Tafinlar" under Dabrafenib): an interaction question is also
checked with every lay phrase read as its glossary term, so "grapefruit with Lenvima" is
seen as naming lenvatinib without a second list of brand names in code.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from botcore.answer import Session, Turn
from botcore.conversation import LOOK_BACK, Conversation, leans_back, subject_turn
from botcore.decide import Decision
from botcore.general_asks import asks_about_planning, general_reading
from botcore.interactions import is_interaction_question, names_a_substance, names_a_treatment
from botcore.retrieve import Ranking
from botcore.sanitize import clean_input, truncate
from botcore.situations import recognise
from botcore.textproc import LayTerms
from botcore.triage.screen import ScopeHit
from botcore.turn_kinds import is_insisting

Context = dict[str, object]
"""Fields of ``Answer`` that carry a turn's conversation state (``subject``,
``considered``, ``searched``) and the decision's ``gate_score``."""


def note_situations(question: str, session: Session | None) -> list[str]:
    """Situations stated in passing ("mom has stage IVC and no BRAF mutation") kept in the
    session; returns what was noted, so the app can show it and let the user correct it."""
    if session is None:
        return []
    update = recognise(truncate(clean_input(question)))  # read as much as retrieval reads
    if update.noted or update.hospice is not None:
        session.situations, session.hospice = update.apply(session.situations, session.hospice)
    return update.noted


def held_redirect(question: str, session: Session | None) -> tuple[str, Context] | None:
    """Push-back on a redirect ("just give me a number") gets the same redirect again, with
    the conversation state of the turn it holds."""
    if session is None or not session.turns:
        return None
    last = session.turns[-1]
    if last.reason != "redirect" or last.message_id is None or not is_insisting(question):
        return None
    return last.message_id, {"subject": list(last.terms), "considered": list(last.considered),
                             "searched": last.query}


class Interactions:
    """Recognises "can I take X with Y" questions, brand names read through the glossary."""

    def __init__(self, lay_terms: LayTerms) -> None:
        self.lay_terms = lay_terms

    def _readings(self, text: str) -> list[str]:
        as_terms = self.lay_terms.canonical(text, ())  # every lay phrase as its term
        return [text] if as_terms == text else [text, as_terms]

    def names_a_treatment(self, text: str) -> bool:
        return any(names_a_treatment(t) for t in self._readings(text))

    def is_interaction(self, question: str, session: Session | None) -> bool:
        """True for a drug-food, drug-drink or drug-drug question; "with it" counts when
        the conversation is about a treatment (one of the last few turns named one:
        "what are tafinlar and mekinist", "how well do they work", "wine with them?")."""
        in_context = previous_is_a_treatment(session, self.names_a_treatment)
        if any(is_interaction_question(t, in_context) for t in self._readings(question)):
            return True
        return after_an_interaction(session) and names_a_substance(question)


def after_an_interaction(session: Session | None) -> bool:
    """True when the last turn got the interaction redirect: "and st johns wort?" then asks
    the same of something else (round 14)."""
    if session is None or not session.turns:
        return False
    last = session.turns[-1]
    return last.reason == "redirect" and last.message_id == "redirect-interaction"


def previous_is_a_treatment(session: Session | None, names: Callable[[str], bool]) -> bool:
    """True when one of the recent turns (``LOOK_BACK``, escalations skipped) named a
    treatment in its question or its subject."""
    if session is None or subject_turn(session) is None:
        return False
    recent = [t for t in session.turns[-LOOK_BACK:] if t.status != "escalated"]
    return any(names(t.question) or any(names(term) for term in t.terms) for t in recent)


def turn_context(conversation: Conversation, ranking: Ranking, decision: Decision,
                 text_of: Callable[[str], str]) -> Context:
    """What the conversation keeps from this turn, and the decision's score (None when it
    is not finite). ``text_of``: passage id -> its text."""
    resolution = ranking.resolution
    subject: tuple[str, ...] = ()
    if resolution is not None:
        subject = conversation.subject_after(resolution, decision.considered, text_of,
                                             answered=decision.verdict == "answer")
    score = decision.score if math.isfinite(decision.score) else None
    return {"subject": list(subject), "considered": list(decision.considered),
            "gate_score": score, "searched": ranking.query}


CONTEXT_SCOPED = frozenset({"oos-other-cancer", "oos-other-thyroid"})
"""The out-of-scope rules a conversation about ATC overrides (round 6)."""


def scope_in_conversation(found: ScopeHit | None, session: Session | None) -> ScopeHit | None:
    """The scope screen's finding, read in its conversation. A question that names ATC is
    in scope whatever else it names (``in_scope`` in the lexicon); a follow-up right after
    an answered turn is about what that turn was about, so another thyroid condition or
    cancer named in passing ("and if it is lymphoma?", "she had papillary before") does
    not make it off topic: it is searched, and the answerability decision says whether the
    passages answer it. So does one right after a redirect (``about_atc_care``). A first
    question, or one after a decline, is read as it is."""
    if found is None or found.rule_id not in CONTEXT_SCOPED or session is None \
            or not session.turns or not about_atc_care(session.turns[-1]):
        return found
    return None


def about_atc_care(turn: Turn) -> bool:
    """The turn was about ATC and its care: answered, or redirected to the care team (a
    personal decision about ATC care, "should her sisters get their thyroids checked", is
    still the conversation about ATC the next turn goes on with; round 7)."""
    return turn.status == "answered" or (turn.status == "abstained" and turn.reason == "redirect")


def read_scope(found: ScopeHit | None, question: str, session: Session | None,
               title_of: Callable[[str], str | None] = lambda pid: None) -> ScopeHit | None:
    """The scope screen's finding read in the whole question (``general_reading``: "when
    should we have it" is not a treatment choice) and in its conversation: "is it better
    to do it now or wait" right after a passage on goals-of-care talks asks about planning
    (``asks_about_planning``; ``title_of``: passage id -> its title)."""
    if found is None:
        return None
    planning = False
    if found.rule_id == "redirect-decision":  # the only finding planning can lift
        previous = subject_turn(session)
        before = "" if previous is None else " ".join(
            [previous.question, *(title_of(pid) or "" for pid in previous.considered)])
        planning = asks_about_planning(question, before,
                                       previous is not None and leans_back(question))
    return scope_in_conversation(general_reading(found, question, planning), session)
