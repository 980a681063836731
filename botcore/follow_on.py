"""Follow-ups that go on from the last answer in a particular way (round 10), and a
question that states its situation before it asks.

"How many people got to have surgery after" asks about the people of the passage just
shown; "and if it's positive?" after a test asks what is done for that result; "my dad was
just told he has ATC. what is that exactly?" asks its last sentence about what the first
one named. Pure functions of the folded question, read by ``botcore.conversation`` and
``botcore.retrieve``.
"""

from __future__ import annotations

import re

from botcore.textproc import folded_text, sentences

_AFTER_IT = re.compile(
    r"\b(?:after|afterwards?|after (?:it|that|this|them|those|these|the (?:pills|drugs|treatment"
    r"|chemo|radiation|therapy)))\s*[?.!]*\s*$")
"""A question that ends on what came after the thing just described ("how many people got
to have surgery after", "how many were able to have surgery after it?")."""


def asks_what_came_after(question: str) -> bool:
    """True when the question ends by pointing at what followed the last answer (round
    10): "how many people could have the operation after" after the passage on drugs that
    shrink the tumour asks about the people of that passage, even though it names surgery.
    "After" inside the question ("what happens after surgery") is not this."""
    return bool(_AFTER_IT.search(folded_text(question)))


_IF_RESULT = re.compile(
    r"\bif (?:\w+ ){0,4}?(?:positive|negative|pos|neg)\b"
    r"|\bif (?:\w+ ){0,4}?(?:doesnt|does not|dont|do not|didnt|did not) (?:have|show|carry)"
    r" (?:it|that|one|the \w+)\b"
    r"|\bif (?:she|he|they|it|the tumou?r) (?:has|have|shows|carries) (?:it|that|one)\b")
"""A test's result, supposed ("and if it's positive?", "what if it comes back negative",
"and if it turns out she doesn't have it")."""
RESULT_NEXT = "treatment"
"""What a supposed result asks for: what is done for it."""
_NEGATIVE = re.compile(
    r"\b(?:negative|neg|no|not|doesnt|does not|dont|do not|didnt|did not|without)\b")
NEGATIVE_NEXT = "treatment without"
"""What a supposed negative result asks for (round 15): what is done without the change
("and if it comes back negative?" after the BRAF test is the passage on stage IVC
without BRAF, not the one on the BRAF drugs)."""


def result_next(question: str) -> str:
    """The words a follow-up that supposes a result is searched with (``RESULT_NEXT``, or
    ``NEGATIVE_NEXT`` when the result supposed is negative)."""
    match = _IF_RESULT.search(folded_text(question))
    if match and _NEGATIVE.search(match.group(0)):
        return NEGATIVE_NEXT
    return RESULT_NEXT


def asks_about_a_result(question: str) -> bool:
    """True for a follow-up that supposes the result of the test just described (round
    10): it asks what is done then, the treatment for that result, not about the test, so
    it is searched with its subject and "treatment", and neither after the question on
    the test nor near the passage on it. "Is a positive result good" supposes nothing."""
    return bool(_IF_RESULT.search(folded_text(question)))


def stated_then_asked(question: str) -> tuple[str, str] | None:
    """(what the question states first, the sentence it asks last) when it is several
    sentences long ("my dad was just told he has ATC. what is that exactly?"); None for one
    sentence. The caller reads the last sentence as a follow-up of the first ones."""
    parts = sentences(question)
    if len(parts) < 2:
        return None
    return " ".join(parts[:-1]), parts[-1]


def asked_sentences(question: str) -> str:
    """The sentences of a question that ask (end in "?"), when some do and some only tell
    (round 13): "a lady in my support group got Taxol first and then had surgery. is that
    a thing?" asks nothing about support groups, so the practical aspects a passage must
    cover are read from what is asked, not from the story around it. Typed without any
    question mark, the sentences that start as a question does ask (round 14). A text in
    which every sentence asks, or none does, is read whole."""
    parts = sentences(question)
    asking = [p for p in parts if p.rstrip().endswith("?")]
    if not asking:  # typed without "?": the sentences that start as a question does
        asking = [p for p in parts if _ASKS.match(folded_text(p))]
    if not asking or len(asking) == len(parts):
        return question
    return " ".join(asking)


_ASKS = re.compile(
    r"(?:what|whats|how|why|when|where|who|which|is|are|can|could|should|would|will|do|does"
    r"|did|has|have|any)\b")
"""The first word of a sentence that asks, typed without a question mark (round 14:
"pharmacy just handed him tafinlar and mekinist. what are these exactly")."""
