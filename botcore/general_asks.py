"""Redirects read as a whole question: when a "should" or a "how long ... live" is a
general education question, not a personal decision or a personal verdict.

The scope screen's ``redirect-decision`` rule fires on "should we have it": a choice for a
named person. But "when should we have it" (the goals-of-care talk, the BRAF test),
"where should he get it done" and "why should my dad consider a trial" do not ask the bot
to choose: they ask when, where or why, and the passages answer that (talk early; test
early; a specialised centre; why trials help). Asking when to *stop*, *refuse* or *switch*
a treatment is still a treatment choice, and stays redirected.

``redirect-prognosis`` fires on "how long did they live", but after a passage on a study,
"and how long did they live" asks a study's figure in the past tense (median survival of
the people in the trial), not the time a named person has left. Only a past tense about
a group (they, people, patients) is read so; "how long will he live" and "how long did
the doctor say she has" stay redirected.

Advance care *planning* is not a treatment choice either (round 10): "should we still do
the advance directive paperwork", or "is it better to do it now or wait" right after a
passage on goals-of-care talks, asks whether and when to plan, and the passages answer
it (every person with ATC should get help with advance directives, whatever the stage;
talk early). A question about planning names the act (an advance directive, a living
will, the forms, a goals-of-care talk, a proxy) or points back to the passage just shown
on it; one that names a treatment, hospice, a trach or a DNR stays a personal decision.

Pure functions of the folded question; the lexicon (clinical content, approved as a
whole) is not changed. Not patient-visible.
"""

from __future__ import annotations

import re

from botcore.textproc import folded_text
from botcore.triage.screen import ScopeHit

_WH_SHOULD = re.compile(
    r"\b(?:when|where|why|at what point|how soon|how early|what time)"
    r" (?:\w+ )?(?:should|do|would) (?:\w+ ){0,3}?(?:should )?"
    r"(?:have|get|do|start|begin|fill|sign|ask|bring|talk|consider|think|go|see|book|plan"
    r"|schedule|try|take|set up|raise|hold|make|write|test|check|join|look)\b"
)
"""A when, where or why question about doing something ("when should we have it", "where
should he get it done", "why should my dad consider a clinical trial", "if things go badly,
when should we start talking")."""
_CHOICE = re.compile(
    r"\b(?:stop|stopping|quit|quitting|refuse|refusing|skip|skipping|switch|switching|decline"
    r"|declining|give up|giving up|end|ending|pull|withdraw|or not|whether|or wait|instead)\b"
)
"""Words that make a timing question a treatment choice ("when should we stop chemo",
"why should he refuse it", "when or whether")."""
_STUDY_PAST = re.compile(
    r"\bhow long (?:did|had) (?:they|people|patients|those|the (?:people|patients|others|group)"
    r"|most|others|everyone|anyone)\b"
)
"""A study's figure in the past tense: "how long did they live", "how long did people live
with that"."""


_PLANNING = re.compile(
    r"\b(?:advanced? (?:care )?directives?|living wills?|paperwork|papers|forms|goals?"
    r" of care|health ?care proxy|proxy|power of attorney|(?:write|writing|put|putting)"
    r" (?:down )?(?:his |her |my |their |our )?wishes|what matters most"
    r"|speak for (?:him|her|them|me|us)|(?:make|makes|making) (?:the )?(?:medical )?decisions"
    r" for|decides? for (?:him|her|them|me|us))\b"
)
"""The acts of advance care planning (a passage title on one names it: "What is an
advance directive?", "What is a goals-of-care conversation?")."""
_NOT_PLANNING = re.compile(
    r"\b(?:dnr|do not resuscitate|resuscitat\w*|code status|full code|hospice|trach\w*"
    r"|chemo\w*|radiation|radiotherapy|surgery|operation|trials?|drugs?|pills?|medicines?"
    r"|medications?|treatments?|therapy|immunotherapy|feeding tube|ventilator|breathing machine"
    r"|stop|stopping|quit|quitting|refuse|refusing)\b"
)
"""What makes a "should" a personal decision even in a planning talk: a treatment, hospice,
a trach, a DNR or code status, stopping or refusing."""
_CONDITION = re.compile(r"\b(?:if|when|while|since|because|now that|as long as|even though"
                        r"|although|though|given)\b.*")
"""A condition or reason clause ("... if her treatment is going well"): what the question
says of the situation, not what it asks to choose."""


def asks_about_planning(question: str, before: str = "", points_back: bool = False) -> bool:
    """True for a question about doing advance care planning (see the module docstring):
    it names a planning act, or points back (``points_back``) while the turn before
    (``before``: its question and the titles of the passages it weighed) was about one;
    never when what it asks (its condition clause left out) names a treatment, hospice, a
    trach, a DNR, or stopping or refusing."""
    text = _folded(question)
    if _NOT_PLANNING.search(_CONDITION.sub(" ", text)):
        return False
    if _PLANNING.search(text):
        return True
    return points_back and bool(_PLANNING.search(_folded(before.replace("-", " "))))


def _folded(question: str) -> str:
    return folded_text(question.replace("\u2019", ""))  # a curly apostrophe as well


def asks_when_where_why(question: str) -> bool:
    """True for a when, where or why question about doing something that is not a choice
    to stop, refuse or switch a treatment (see the module docstring)."""
    text = _folded(question)
    return bool(_WH_SHOULD.search(text)) and not _CHOICE.search(text)


def asks_a_study_figure(question: str) -> bool:
    """True for "how long did they live" and the like: a past tense about a group."""
    return bool(_STUDY_PAST.search(_folded(question)))


def general_reading(found: ScopeHit | None, question: str,
                    planning: bool = False) -> ScopeHit | None:
    """The scope screen's finding, with the redirects that the whole question reads as
    general education dropped (None: searched and decided like any question).
    ``planning``: the question asks about advance care planning (``asks_about_planning``,
    read in its conversation by the caller)."""
    if found is None or found.kind != "redirect":
        return found
    if found.rule_id == "redirect-decision" and (asks_when_where_why(question) or planning):
        return None
    if found.rule_id == "redirect-prognosis" and asks_a_study_figure(question):
        return None
    return found
