"""The safety decision: lexicon (exact and typo-tolerant) first, then the learned stage.

Tiers that fit the evidence (issue 10):

* a **hard stop** (status "escalated": the approved crisis or emergency message first,
  no passage) for an approved pattern, exact or after typo/sound correction, and for a
  learned score at or above its *stop* threshold, computed on the whole question and on
  each of its clauses (:mod:`botcore.triage.clauses`); a learned emergency does not
  override an urgent pattern, which clinicians placed (it adds an emergency note), unless
  it reaches ``emergency_over_urgent`` (kept above every gated urgent question); a very
  confident learned crisis replaces a
  lexicon emergency hit with the crisis message (``crisis_over_emergency``: "if I pull my
  trach out how long until I pass" uses an emergency's words for a crisis); a lexicon
  *emergency* hit that the learned stage reads as clearly calm (``lexicon_veto``: "my cat
  chokes on hairballs", "last year his trach came out, how do we prevent it") is decided
  as the learned stage decides it, with at least an emergency safety note: the emergency
  resources still come first, above the passage (round 5); a lexicon hit in a text that
  one of the lexicon's *context* rules reads as not happening now (an episode that is
  over, a plan for "if it ever happens", what the last days are like, how a side effect
  works: ``TriageHit.context``) is decided the same way, with at least its own tier's
  safety note for a crisis or an emergency; an urgent one is simply left to the scores
  (round 7);
* an **urgent** escalation ("call your care team today", general passages below) for an
  urgent pattern or a learned urgent score at or above ``urgent_stop``;
* a **safety note** (the approved crisis or emergency resources shown first, above an
  answer that is not blocked) for a learned score at or above its *note* threshold;
* nothing otherwise.

After a crisis or emergency escalation the escalation **holds** on the next turns,
whatever their wording, until a clearly unrelated calm question: one that no push-back
pattern matches, that the follow-up model releases with confidence, and that carries no
crisis or emergency signal of its own (:func:`held`). After a safety note the hold is
soft: push-back right after it (a pattern, or a turn the follow-up model reads as surely
push-back, ``note_hold``) gets the note's message as a hard stop, and any other turn is
answered as itself (round 6). Every function here is pure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from botcore.answer import SafetyNote, Tier, Turn
from botcore.triage.learned import (
    NOTE_HOLD,
    OVERRIDE,
    URGENT_OVERRIDE,
    VETO,
    SafetyModel,
    Scores,
    readable,
    vetoable,
)
from botcore.triage.screen import ScopeHit, TriageHit

LEARNED_MESSAGES: dict[str, str] = {
    "crisis": "crisis", "emergency": "emergency-signs", "urgent": "urgent-care-team"}
"""The approved message a learned escalation shows (it cannot tell airway from bleeding,
so its emergency message names all the red flags)."""
NOTE_MESSAGES: dict[str, str] = {
    "crisis": "safety-note-crisis", "emergency": "safety-note-emergency"}
"""The approved resources a safety note shows above the answer."""


@dataclass(frozen=True)
class Verdict:
    hit: TriageHit | None
    """An escalation (hard stop for crisis/emergency; urgent shows passages below)."""
    note: SafetyNote | None = None
    """A weaker signal: the resources shown first, above an answer that is not blocked."""


def _learned_hit(tier: Tier) -> TriageHit:
    return TriageHit(tier=tier, rule_id=f"learned-{tier}", message_id=LEARNED_MESSAGES[tier],
                     stage="learned")


def decide(lexicon_hit: TriageHit | None, scores: Scores | None,
           model: SafetyModel | None, lexicon_calm: float | None = None) -> Verdict:
    """Combine the lexicon's answer and the learned scores into one verdict.
    ``lexicon_calm``: :meth:`SafetyModel.lexicon_calm` of a lexicon emergency (None: not
    read, and the hit stands)."""
    if scores is None or model is None or (
            lexicon_hit is not None and lexicon_hit.tier in ("crisis", "emergency")):
        if lexicon_hit is not None and lexicon_hit.tier == "emergency" and scores is not None \
                and model is not None and scores.crisis >= model.thresholds.get(OVERRIDE, 1.0):
            return Verdict(_learned_hit("crisis"))  # crisis outranks emergency, as in the lexicon
        if scores is not None and lexicon_hit is not None and (
                vetoed(lexicon_hit, lexicon_calm, model) or lexicon_hit.context is not None):
            learned = decide(None, scores, model)
            if learned.hit is not None and learned.hit.tier in ("crisis", "emergency"):
                return learned
            if lexicon_hit.tier == "crisis":  # its resources first, whatever else
                return Verdict(learned.hit, "crisis")
            return Verdict(learned.hit, learned.note or "emergency")
        return Verdict(lexicon_hit)
    if lexicon_hit is not None and lexicon_hit.context is not None:
        lexicon_hit = None  # an urgent pattern's words, not happening now: the scores decide
    t = model.thresholds
    if scores.crisis >= t["crisis_stop"]:
        return Verdict(_learned_hit("crisis"))
    if scores.emergency >= t["emergency_stop"] and lexicon_hit is None:
        return Verdict(_learned_hit("emergency"))
    if lexicon_hit is not None and scores.emergency >= t.get(URGENT_OVERRIDE, 1.0):
        return Verdict(_learned_hit("emergency"))  # an urgent pattern's words, an emergency
    hit = lexicon_hit  # below that an urgent pattern keeps its tier; an emergency adds a note
    if hit is None and scores.urgent >= t["urgent_stop"]:
        hit = _learned_hit("urgent")
    return Verdict(hit, note_for(scores, model))


NEVER_SOFTENED = frozenset({"general-call-911", "airway-noisy"})
"""Lexicon rules whose hit is never softened: a question that itself names calling 911 is
someone weighing an emergency call, whatever else it says; stridor or noisy breathing
reported now (definitions and plans are read by the context rules first) is an airway
red flag in ATC however calm the words around it ("the nurse said stridor, what now")."""


def vetoed(lexicon_hit: TriageHit | None, lexicon_calm: float | None,
           model: SafetyModel | None) -> bool:
    """Whether a lexicon emergency hit is read as calm enough to be softened to a note
    (never a crisis, a push-back repeat, a learned hit or a ``NEVER_SOFTENED`` rule;
    ``lexicon_veto`` 1: never)."""
    if lexicon_hit is None or lexicon_hit.tier != "emergency" or model is None \
            or lexicon_hit.stage not in ("lexicon", "fuzzy") or lexicon_calm is None \
            or lexicon_hit.rule_id in NEVER_SOFTENED:
        return False
    threshold = model.thresholds.get(VETO, 1.0)
    return threshold < 1.0 and lexicon_calm >= threshold


def screen_verdict(lexicon_hit: TriageHit | None, rows: np.ndarray | None,
                   model: SafetyModel | None, text: str,
                   scope: Callable[[str], ScopeHit | None]) -> Verdict:
    """The engine's verdict for one turn from the lexicon's hit and the vectors of the
    question and its clauses (``rows``; None: nothing to score): the learned scores, the
    verifier's reading when the lexicon found an emergency, ``decide``, ``fit_to_scope``."""
    scores = model.scores_of(rows) if model is not None and rows is not None else None
    calm = None
    if scores is not None and rows is not None and model is not None \
            and lexicon_hit is not None and lexicon_hit.tier == "emergency" and vetoable(text):
        calm = model.lexicon_calm(rows, scores)
    return decide_in_scope(lexicon_hit, scores, model, text, scope, calm)


def fit_to_scope(verdict: Verdict, text: str, scope: Callable[[str], ScopeHit | None]) -> Verdict:
    """A crisis found by the learned stage alone, on a question the lexicon's approved
    redirect rules place as a personal dosing or treatment question ("how much morphine
    should I give my dad tonight"), is a crisis safety note above the kind redirect, not a
    hard stop: the crisis resources still come first, and a caregiver is not sent only to
    a crisis line with a question the care team should answer. A lexicon crisis (an
    approved pattern) always stops. ``scope`` (the screen's) is asked only when it can
    matter. A learned crisis or emergency on a text with no run of three letters ("; rm
    -rf / #") is a note too: a vector of symbols is noise, weak evidence (round 6)."""
    hit = verdict.hit
    if hit is not None and hit.stage == "learned" and hit.tier in ("crisis", "emergency") \
            and text and not readable(text):
        return Verdict(None, hit.tier)  # type: ignore[arg-type]
    if hit is None or hit.tier != "crisis" or hit.stage != "learned" or not text:
        return verdict
    found = scope(text)
    if found is None or found.kind != "redirect":
        return verdict
    return Verdict(None, "crisis")


def decide_in_scope(lexicon_hit: TriageHit | None, scores: Scores | None,
                    model: SafetyModel | None, text: str,
                    scope: Callable[[str], ScopeHit | None],
                    lexicon_calm: float | None = None) -> Verdict:
    """``decide``, then ``fit_to_scope``."""
    return fit_to_scope(decide(lexicon_hit, scores, model, lexicon_calm), text, scope)


def note_for(scores: Scores | None, model: SafetyModel | None) -> SafetyNote | None:
    """The safety note the scores call for, if any (crisis before emergency)."""
    if scores is None or model is None:
        return None
    if scores.crisis >= model.thresholds["crisis_note"]:
        return "crisis"
    if scores.emergency >= model.thresholds["emergency_note"]:
        return "emergency"
    return None


@dataclass(frozen=True)
class Hold:
    tier: Literal["crisis", "emergency"]
    message_id: str
    soft: bool = False
    """Started by a safety note, not a hard stop: only push-back keeps it (round 6)."""


def hold_in_force(turns: list[Turn]) -> Hold | None:
    """The crisis or emergency escalation still in force at the end of a conversation.

    Walking back from the last turn: an escalated crisis or emergency turn holds (a held
    turn is escalated too, so the hold runs on); a turn that showed a safety note holds
    softly (:func:`held`); any other turn has ended it."""
    for turn in reversed(turns):
        if turn.status == "escalated" and turn.tier in ("crisis", "emergency"):
            message = turn.message_id or ("crisis" if turn.tier == "crisis"
                                          else "emergency-general")
            return Hold(turn.tier, message)  # type: ignore[arg-type]
        return note_hold(turn.safety_note)
    return None


def note_hold(note: SafetyNote | None) -> Hold | None:
    """The soft hold a safety note starts: push-back right after it gets the note's tier
    as a hard stop, with the learned stage's message for that tier."""
    return None if note is None else Hold(note, LEARNED_MESSAGES[note], soft=True)


def held(hold: Hold, own: Verdict, pushback: bool, hold_probability: float | None,
         model: SafetyModel | None, switch: bool = False) -> bool:
    """Whether a turn after an escalation keeps it (True) or is released (False).

    Released only when clearly unrelated and calm: no push-back pattern, no crisis or
    emergency signal of its own, and the follow-up model sure it is not push-back. Without
    a learned model only the push-back patterns hold (the lexicon-only behaviour). After a
    safety note (a soft hold) it is the other way round: held only by a push-back pattern
    or a follow-up model sure it is push-back (release probability under ``note_hold``),
    so a calm follow-up after a note on a calm question is answered. ``switch``: the turn
    says in so many words that it changes the subject ("ok. unrelated, how do I get a
    parking permit"); with no push-back pattern and no crisis or emergency hit of its own
    it is the clearly unrelated calm question that ends a hold (round 7), even when the
    learned stage would add a note to it: the note is shown above its answer (round 10)."""
    if own.hit is not None and own.hit.tier in ("crisis", "emergency"):
        # A new red flag from the lexicon is shown as itself ("I want to die" then "his
        # trach came out": the airway message), except push-back at the same tier ("we
        # can't call 911", which names a rule too), which repeats the message shown, and
        # push-back that only names the call ("i cant call 911 im 14" after a friend's
        # crisis: the crisis message, which names 911 too; round 16). A learned one keeps
        # the hold: the context says which message is meant, unless the turn says the
        # help came for the emergency held (``help_came``).
        if help_came(hold, own, pushback, switch):
            return False
        return own.hit.stage == "learned" or (own.hit.tier == hold.tier and pushback) \
            or (pushback and own.hit.rule_id in CALL_ONLY)
    if hold.soft:
        cut = model.thresholds.get(NOTE_HOLD, 0.0) if model is not None else 0.0
        return pushback or (hold_probability is not None and 1.0 - hold_probability < cut)
    if pushback:
        return True
    if switch:  # said in so many words; its own note, if any, is shown by ``released``,
        # but crisis language of its own keeps a crisis hold ("whatever. i'm just so tired
        # of all of it": waved away, then said again in other words; round 16)
        return hold.tier == "crisis" and own.note == "crisis"
    if own.note is not None:
        return True
    if model is None or hold_probability is None:
        return False
    return (1.0 - hold_probability) < model.thresholds["release"]


def after_hold(hold: Hold, own: Verdict, pushback: bool, hold_probability: float | None,
               model: SafetyModel | None, switch: bool = False) -> Verdict:
    """The verdict of a turn after an escalation: the held one repeated, or the turn's own
    (:func:`released`). ``switch`` also carries the lexicon's release words (round 11: the
    help came, or the subject waved away before a new question); as for a switch, a note of
    the turn's own is shown and does not keep the hold (round 12), a crisis or emergency
    hit of its own is read by :func:`held` first. A turn that says the help came for the
    emergency held (:func:`help_came`) gets the emergency resources on top, not a new stop
    from the learned stage's reading of the story told again."""
    if held(hold, own, pushback, hold_probability, model, switch):
        return Verdict(repeat(hold))
    if help_came(hold, own, pushback, switch):
        return Verdict(None, "emergency")
    return released(hold, own)


CALL_ONLY = frozenset({"general-call-911"})
"""Lexicon rules that fire on naming the emergency call itself: said with push-back after
any hard stop, they refuse the help asked for, and the held message is repeated."""


def help_came(hold: Hold, own: Verdict, pushback: bool, switch: bool) -> bool:
    """A turn after an emergency stop that says the help came ("ok the ambulance took him,
    hes breathing now. while i wait is this the tumor growing into the tube"), whose own
    emergency signal is the learned stage's reading of the story told again: released,
    with the emergency resources on top (:func:`after_hold`), not held (round 16). A
    lexicon red flag of its own, a crisis, or push-back still decide as before."""
    return switch and not pushback and not hold.soft and hold.tier == "emergency" \
        and own.hit is not None and own.hit.stage == "learned" and own.hit.tier == "emergency"


def released(hold: Hold, own: Verdict) -> Verdict:
    """A turn the hold let go: its own verdict, with the held tier's resources on top
    after a hard stop (a soft hold adds nothing: the note was already shown)."""
    if hold.soft or (own.hit is not None and own.hit.tier in ("emergency", "crisis")):
        return own
    return Verdict(own.hit, own.note or hold.tier)


def hold_after(verdict: Verdict) -> Hold | None:
    """The hold after a turn decided as ``verdict`` (what :func:`hold_in_force` reads back
    from the turn the engine records): the hold before it does not matter, since a held
    turn's verdict is the repeated stop."""
    hit = verdict.hit
    if hit is not None and hit.tier in ("crisis", "emergency"):
        return Hold(hit.tier, hit.message_id)  # type: ignore[arg-type]
    return note_hold(verdict.note)


def repeat(hold: Hold) -> TriageHit:
    """The held escalation, shown again."""
    return TriageHit(tier=hold.tier, rule_id="pushback", message_id=hold.message_id,
                     stage="pushback")
