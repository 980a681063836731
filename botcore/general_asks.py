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


def general_reading(found: ScopeHit | None, question: str) -> ScopeHit | None:
    """The scope screen's finding, with the redirects that the whole question reads as
    general education dropped (None: searched and decided like any question)."""
    if found is None or found.kind != "redirect":
        return found
    if found.rule_id == "redirect-decision" and asks_when_where_why(question):
        return None
    if found.rule_id == "redirect-prognosis" and asks_a_study_figure(question):
        return None
    return found
