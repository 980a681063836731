"""Turns that say what kind of turn they are, whatever the conversation: an
acknowledgement ("thanks, got it"), an explicit change of topic ("different question,
..."), push-back on a redirect ("just give me a number").

Pure functions of the text; ``botcore.conversation`` reads them to decide whether a turn
leans on the one before it. Kept apart so that the conversation module holds only the
resolution of a turn against its session."""

from __future__ import annotations

import re

from botcore.textproc import folded_text, sentences, words

_SWITCH = re.compile(
    r"\b(?:different|another|unrelated|new|separate|other) (?:question|thing|topic|subject|issue)\b"
    r"|\bback to (?:the|my|his|her|our|what)\b|\bchanging the subject\b|\bon another note\b"
    r"|^(?:ok |okay |now |and |so )?something else\b|\bask (?:you )?something else\b"
    r"|\bchange of subject\b"
    r"|\b(?:totally |completely )?unrelated (?:but|question|note|thing)\b"
    r"|^(?:(?:ok|okay|so|and|thanks|thank you|also|now) )*(?:totally |completely )?unrelated\b"
    r"|\brandom (?:but|question|thing)\b|\bswitching (?:to|gears|topics?|subjects?)\b"
    r"|^(?:(?:ok|okay|so|and|thanks|thank you|also|now) )*(?:totally |completely )?separate\b"
    r"|^(?:aparte|otra pregunta|otra cosa)\b"
)
"""An explicit change of topic. "Unrelated" is one only as a marker ("unrelated, how many
cases a year", "thanks. unrelated but..."), never inside the question ("is his cough
unrelated to the cancer")."""
_INSIST = re.compile(
    r"^(?:come on|please|just|ok just|but just|i still)\b|\bjust (?:tell|give|answer|say)\b"
    r"|\bi (?:just |really |still )?(?:need|want|have) to know\b"
    r"|\b(?:give|tell) me (?:a|the|an) (?:number|answer|dose|straight answer|estimate|guess)\b"
    r"|\banswer (?:the|my) question\b|\bstraight answer\b|\bwhy (?:wont|won't|cant|can't) you\b"
)


_ACK_CORE = frozenset(words(
    "ok okay k kk thanks thank thx ty got understood noted cool great perfect alright wow"))
_ACK_WORDS = _ACK_CORE | frozenset(words(
    "you so much very a lot again it i see all right makes sense good to know that helps"
    " sounds sound interesting nice amazing awesome hopeful"))


def is_acknowledgement(question: str) -> bool:
    """A turn that only thanks or acknowledges ("thanks", "ok got it", "thank you so
    much"): it asks nothing, so it is not a follow-up, and the last answer's passages are
    not shown again as if they answered it (round 6)."""
    tokens = words(question.replace("'", ""))
    return bool(tokens) and any(t in _ACK_CORE for t in tokens) \
        and all(t in _ACK_WORDS for t in tokens)


def without_acknowledgement(question: str) -> str:
    """The question without the sentences before it that only acknowledge the last answer
    ("sounds great. whats the catch" asks "whats the catch": round 15); a question that is
    all acknowledgement, or has none, is kept whole."""
    parts = sentences(question)
    lead = 0
    while lead < len(parts) - 1 and is_acknowledgement(parts[lead]):
        lead += 1
    return " ".join(parts[lead:]) if lead else question


def is_switch(question: str) -> bool:
    """An explicit change of topic ("different question, ...", "ok back to the cancer"), at
    the start of the text or of any sentence in it ("ok, he's being seen now. unrelated,
    how do I apply for Medicaid")."""
    return any(_SWITCH.search(folded_text(part)) for part in sentences(question))


_IN_GENERAL = re.compile(
    r"\b(?:in general|generally|on average|overall|for most people|for people in general"
    r"|general(?:ly)? speaking|typically)\b"
)
"""Words that take up a redirect's offer of general figures ("ok just in general then,
median survival?"): a new, general question, not push-back (round 16)."""


def is_insisting(question: str) -> bool:
    """Push-back on a redirect ("just give me a number", "please i just need to know");
    never a question that asks in general, as the redirect invited."""
    text = folded_text(question)
    return bool(_INSIST.search(text)) and not _IN_GENERAL.search(text)
