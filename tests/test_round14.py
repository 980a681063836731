"""Round 14 (issues 10 and 11): homonyms the round-13 lexicon escalated in the retired
conversation sets G-L (now dev data): a cancer that "doesn't respond" to a treatment is not
a person who does not respond, and a cancer drug that "stopped working" is resistance, not
pain out of control.

The phrasings here are ours, written for this test; none is copied from a case file.
Every rule has a case it must not fire on."""

from __future__ import annotations

import pytest

from botcore.triage import Triage


@pytest.mark.parametrize("text", [
    "her cancer doesnt respond to radioactive iodine, why",
    "the tumor did not respond to the chemo at all",
    "atc usually does not respond to radioactive iodine treatment",
    "why isnt it responding to the targeted pills",
    "his cancer stopped responding to dabrafenib",
    "my dads tafinlar stopped working, why does that happen",
    "lenvatinib is not working anymore what next",
])
def test_a_treatment_that_does_not_work_is_not_an_escalation(triage: Triage, text: str) -> None:
    hit = triage.screen(text)
    assert hit is None or hit.tier not in ("emergency", "urgent") or hit.context, (text, hit)


@pytest.mark.parametrize(("text", "tier"), [
    ("he doesnt respond when i shake him", "emergency"),
    ("mom is not responding to us at all", "emergency"),
    ("she stopped responding and her lips are blue", "emergency"),
    ("his pain pills stopped working and he is crying", "urgent"),
    ("the morphine is not helping his pain anymore", "urgent"),
])
def test_the_person_not_responding_still_escalates(triage: Triage, text: str,
                                                   tier: str) -> None:
    hit = triage.screen(text)
    assert hit is not None and hit.tier == tier and hit.context is None, (text, hit)


@pytest.mark.parametrize(("text", "redirected"), [
    ("what dose of radiation do they usually give", False),
    ("what dose of radiation do they give for anaplastic", False),
    ("why did the radiation doctor say higher doses might be better", False),
    ("is the radiation dose for atc higher than for other cancers", False),
    ("what dose of morphine should i give him", True),
    ("whats the right dose of his pain medicine", True),
    ("how much oxycodone can she have during radiation", True),
])
def test_a_radiation_dose_is_a_fact_and_a_medicine_dose_is_redirected(
        triage: Triage, text: str, redirected: bool) -> None:
    hit = triage.scope(text)
    got = hit is not None and hit.kind == "redirect" and hit.rule_id == "redirect-dosing"
    assert got == redirected, (text, hit)
