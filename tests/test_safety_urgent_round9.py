"""Round 9 of the safety screen (issue 10): the care team's call-today signs in a family's
own words (``urgent-watch-signs``).

The learned stage missed many of these on the writers' files: trach ties that are loose
or frayed while the tube is still in, a cuff that keeps going soft, secretions that turned
thicker or changed colour, a little new muddle, high home blood-pressure readings on
lenvatinib, new leg swelling, days without a bowel movement on pain medicine, a knock to
the head, a little bleeding, pain the medicine no longer controls. Each is an urgent
pattern now. How to tell or prevent such a sign, or what to do if it ever happens, is
education (``exc-watch-signs-question``); the same words about self-harm or a stroke are
not read as urgent by this rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from botcore.triage import Triage

REPO = Path(__file__).resolve().parent.parent
RULE = "urgent-watch-signs"


@pytest.mark.parametrize("text", [
    "his trach ties have come loose but the tube is still in",
    "the velcro strap is frayed and I have no spare, he is ok",
    "the trach shifts when he turns his head but it is still in",
    "the pilot balloon keeps going soft since this morning",
    "her secretions are much thicker today and harder to suction",
    "his phlegm changed colour overnight",
    "grandpa is a bit muddled this evening, otherwise himself",
    "mum keeps forgetting what day it is, that is new",
    "bp 171/99 on the lenvatinib this morning",
    "my blood pressure is really high again on the new pill",
    "his ankles have been swollen since last week",
    "constipated for six days on the oxycodone",
    "hasnt had a bowel movement in four days",
    "water comes out around the trach when she drinks",
    "she tripped on the rug and bumped her head, she is talking fine",
    "his gums bleed a little when he brushes, since the lenvatinib",
    "his pain is not under control with the patch",
    "the tramadol isnt helping anymore",
])
def test_a_call_today_sign_said_plainly_is_urgent(triage: Triage, text: str) -> None:
    hit = triage.screen(text)
    assert hit is not None and hit.tier == "urgent", text
    assert hit.rule_id == RULE, (text, hit.rule_id)


@pytest.mark.parametrize("text", [
    "how do I know if his trach ties are too tight",
    "how can we keep the ties from getting frayed so fast",
    "if her blood pressure goes really high on lenvatinib, is that an emergency",
    "what if the cuff is leaking air, how would I notice",
    "does the cuff need to be deflated before he eats",
    "i am a bit mixed up about the treatment options",
    "is it normal for the cancer to not be controlled by surgery",
])
def test_asking_how_to_tell_or_what_if_is_not_this_rule(triage: Triage, text: str) -> None:
    hit = triage.screen(text)
    assert hit is None or hit.rule_id != RULE, (text, hit)


@pytest.mark.parametrize("text", [
    "i banged my head against the wall until it bled",
    "since lunch he is mixing up words and his face droops on one side",
])
def test_self_harm_and_stroke_words_are_left_to_the_rules_and_stage_above(
        triage: Triage, text: str) -> None:
    """Never read as a call-today sign: urgent would hide a crisis or a stroke."""
    hit = triage.screen(text)
    assert hit is None or hit.rule_id != RULE, (text, hit)
