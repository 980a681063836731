"""Round 13 (issues 10 and 11): red flags, contexts, release words and redirects the
round-12 lexicon missed on a new training writer (x7: emergencies that never say
"breathe", "bleed" or "911", caregivers' long stories, push-back), and one answerability
rule: a story told before the question does not name the practical aspect it asks.

The phrasings here are ours, written for this test; none is copied from a case file.
Every rule has a case it must not fire on."""

from __future__ import annotations

import pytest

from botcore.follow_on import asked_sentences
from botcore.triage import Triage


# -- tiers ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "tier", "rule"), [
    ("how many of the sleeping pills would stop a persons heart", "crisis", "crisis-overdose"),
    ("if i give him all his morphine tonight so he just wont wake up", "crisis",
     "crisis-overdose"),
    ("thinking i should just swallow everything in the bathroom cabinet", "crisis",
     "crisis-overdose"),
    ("grandpa is jerking and his eyes rolled up", "emergency", "general-collapse"),
    ("mum's eyes keep rolling back and she is not with us", "emergency", "general-collapse"),
    ("the stoma is squirting bright red", "emergency", "bleeding-neck-airway"),
    ("blood gushing out of the side of his neck", "emergency", "bleeding-neck-airway"),
    ("there is pink foam coming up the trach", "emergency", "airway-signs"),
    ("a high pitched squeak every time he sucks in air", "emergency", "airway-noisy"),
    ("her lips have been grey for a bit now", "emergency", "airway-cant-breathe"),
    ("he stopped making sense all of a sudden", "emergency", "general-sudden-change"),
    ("we cannot keep him awake this afternoon", "emergency", "general-collapse"),
])
def test_the_tier_fits_the_words(triage: Triage, text: str, tier: str, rule: str) -> None:
    hit = triage.screen(text)
    assert hit is not None and (hit.tier, hit.rule_id) == (tier, rule), (text, hit)
    assert hit.context is None, (text, hit)


@pytest.mark.parametrize("text", [
    "should we bring everything in the medicine cabinet to the first visit",
    "my daughter keeps rolling her eyes at me about the diet",
    "what shade of red should the stoma be",
    "is a pink tinge in the mucus after suction common",
    "can you keep him company in the infusion room",
    "how many more weeks of radiation does he have",
])
def test_calm_words_near_the_new_rules(triage: Triage, text: str) -> None:
    hit = triage.screen(text)
    assert hit is None or hit.context is not None or hit.tier == "urgent", (text, hit)


# -- contexts: history asked about, learning the signs, a reading back to normal -------------
@pytest.mark.parametrize(("text", "context"), [
    ("she fainted at a wedding back in 2015, should the surgeon know",
     "ctx-long-ago"),
    ("he had a seizure three years ago, does that matter for the radiation",
     "ctx-long-ago"),
    ("the nurse asked me to learn the signs, what does a blocked trach look like",
     "ctx-plan-ahead"),
    ("making flashcards here. would gasping be one of the warning signs", "ctx-plan-ahead"),
    ("his sats went down to 86 in his sleep and came back up on their own, is that normal",
     "ctx-episode-over"),
    # an episode told with its cause, or with what ended it, is over
    ("my dad blacked out three days ago, the nurse said it was dehydration. how much water",
     "ctx-episode-over"),
    ("she choked on rice a couple of nights ago and coughed it right up, what foods are easier",
     "ctx-episode-over"),
    ("he collapsed from the heat at the fair last summer and got fluids, is heat a risk now",
     "ctx-episode-over"),
])
def test_read_in_context(triage: Triage, text: str, context: str) -> None:
    hit = triage.screen(text)
    assert hit is not None and hit.context == context, (text, hit)


@pytest.mark.parametrize("text", [
    "she fainted back in 2015 and again just now, is that relevant",
    "the nurse asked me to learn the signs and right now he is choking",
    "he had a seizure years ago and is seizing right now, should the doctor know",
    "he blacked out from dehydration last week and he is not breathing now",
    "she choked a couple of nights ago and coughed it up but now she cant breathe again",
])
def test_a_danger_now_is_never_history(triage: Triage, text: str) -> None:
    hit = triage.screen(text)
    assert hit is not None and hit.tier == "emergency" and hit.context is None, (text, hit)


def test_a_speaking_valve_that_whistles_is_an_object(triage: Triage) -> None:
    assert triage.screen("the passy muir valve whistles a little when he talks") is None
    hit = triage.screen("his trach is whistling and he looks frightened")
    assert hit is not None and hit.rule_id == "airway-noisy"


def test_who_comes_when_you_call_is_a_question_about_the_service(triage: Triage) -> None:
    assert triage.screen("does a fire truck come as well when you call 911") is None
    hit = triage.screen("please call an ambulance")
    assert hit is not None and hit.rule_id == "general-call-911"


# -- release: the crew walked in, we are at the ER now ----------------------------------------
@pytest.mark.parametrize(("text", "release"), [
    ("the ambulance crew just came in, thank you. what is a port", True),
    ("im in the er with my dad now and they are seeing him", True),
    ("we are at the er with him and they took him straight back", True),
    ("we are at the er tomorrow for a scan", False),
    ("the crew is still ten minutes away", False),
])
def test_release_words(triage: Triage, text: str, release: bool) -> None:
    assert triage.hold_signals(text)[1] is release, text


# -- redirects ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "rule"), [
    ("how much longer would the trial drug give him", "redirect-prognosis"),
    ("how many more months could radiation buy her", "redirect-prognosis"),
    ("can i add more of the liquid morphine", "redirect-dosing"),
    ("is there a drug they could add to his treatment when it stops working", None),
    ("how much longer does each radiation visit take", None),
])
def test_redirects(triage: Triage, text: str, rule: str | None) -> None:
    hit = triage.scope(text)
    got = hit.rule_id if hit is not None and hit.kind == "redirect" else None
    assert got == rule, (text, hit)


# -- answerability: the asked sentence names the aspect ----------------------------------------
@pytest.mark.parametrize(("text", "asked"), [
    ("my sister found a support group online. she read about weekly chemo first. does that work?",
     "does that work?"),
    ("is he radioactive after? we have a baby at home.", "is he radioactive after?"),
    ("what is a trach", "what is a trach"),
    ("tell me about insurance. and parking", "tell me about insurance. and parking"),
    ("what is it? and how long?", "what is it? and how long?"),
    # round 14: no question mark, the asking sentence starts as a question does
    ("pharmacy just handed him tafinlar and mekinist. what are these exactly",
     "what are these exactly"),
    ("someone in my support group said nexavar. is that used for this",
     "is that used for this"),
    ("what is it. how long does it take", "what is it. how long does it take"),
])
def test_asked_sentences(text: str, asked: str) -> None:
    assert asked_sentences(text) == asked


# -- context: watching tv is what the family was doing, not fiction ---------------------------
@pytest.mark.parametrize(("text", "context"), [
    ("we were watching a film together when he started coughing up lots of blood", None),
    ("i was reading him a story and he passed out", None),
    ("in that series a character's trach falls out, can that really happen", "ctx-fiction"),
])
def test_fiction_is_a_story_told_not_the_evening_it_happened(triage: Triage, text: str,
                                                              context: str | None) -> None:
    hit = triage.screen(text)
    assert hit is not None and hit.tier == "emergency" and hit.context == context, (text, hit)


# -- scope: thyroid lymphoma is a look-alike of ATC; "treated like acute leukemia" is ATC -----
@pytest.mark.parametrize(("text", "in_scope"), [
    ("could the biopsy be thyroid lymphoma and not ATC", True),
    ("the oncologist says this cancer acts like acute leukemia, what does she mean", True),
    ("what is the best chemo for leukemia", False),
    ("my uncle has lymphoma in his groin", False),
])
def test_scope_of_lymphoma_and_leukemia(triage: Triage, text: str, in_scope: bool) -> None:
    hit = triage.scope(text)
    assert (hit is None or hit.kind != "out-of-scope") is in_scope, (text, hit)


def test_sleeping_most_of_the_day_is_not_a_collapse(triage: Triage) -> None:
    hit = triage.screen("she is in hospice and we cant keep her awake most of the day")
    assert hit is None or hit.context is not None, hit


# -- context: the fevers of a targeted drug, asked about in general ---------------------------
@pytest.mark.parametrize(("text", "context"), [
    ("are the fevers on tafinlar worse at the start", "ctx-how-it-works"),
    ("does everyone on mekinist get the fever thing", "ctx-how-it-works"),
    ("he is getting fevers on tafinlar every evening", None),
    ("she spiked a fever again on the dabrafenib", None),
])
def test_drug_fevers_asked_in_general(triage: Triage, text: str, context: str | None) -> None:
    hit = triage.screen(text)
    assert hit is not None and hit.tier == "urgent" and hit.context == context, (text, hit)
