"""Situations said in passing ("mom has stage IVC and no BRAF mutation"), recognised in
free text and kept in the session, so that later turns rank the passages that fit first.

Only *statements* about the person count: a sentence must name someone ("mom", "he",
"my husband", "I") before the situation, and must not be hypothetical ("what if he has no
BRAF change", "would she be on hospice"). "What is stage IVC?" states nothing. A new
statement replaces the old one on the same dimension (stage, BRAF, trach, hospice). The
app shows what was recognised (``Answer.noted``) and lets the user correct it by editing
``Session.situations`` and ``Session.hospice``; nothing here is ever shown as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from botcore.schema import Situation

HOSPICE = "hospice"
"""The tag ``Answer.noted`` uses for "in hospice care" (kept as ``Session.hospice``)."""

_SENTENCE = re.compile(r"[.!?;\n]+")
_PERSON = re.compile(
    r"\b(?:i|im|i'm|we|were|we're|he|hes|he's|she|shes|she's|they|theyre|his|her|my|our|their"
    r"|mom|mum|mother|dad|father|husband|wife|partner|son|daughter|brother|sister|grandma"
    r"|grandpa|grandmother|grandfather|aunt|uncle|friend|patient|parent|parents|it|its|it's"
    r"|tumou?r|cancer|biopsy|test|result|results)\b"
)
"""Someone (or their tumor or test) the sentence makes a statement about."""
_FILLER = frozenset(["the", "a", "an", "so", "and", "ok", "okay", "well", "also", "now", "but"])
"""Words that may come before a statement that opens its sentence ("the trach came out")."""
_HYPOTHETICAL = re.compile(r"\b(?:if|would|could|might|whether|suppose|imagine|in case)\b")
_NEGATION = r"(?:no|not|never|without|negative|neg|doesnt|doesn't|does not|didnt|didn't|isnt|isn't)"

_STAGE = re.compile(r"\b(?:stage\s*)?(?:iv|4|four)\s*-?\s*([abc])\b")
_STAGE_WORD = re.compile(r"\bstage\b|\b(?:iv|4)[abc]\b")
_BRAF_POS = re.compile(
    r"\bbraf\s*(?:v600e\s*)?(?:positive|pos|\+|mutated|mutant)"
    r"|\bv600e\b(?!\s*(?:negative|neg))"
    r"|\b(?:has|have|got|with|carries|showed|shows|found)\s+(?:the\s+|a\s+)?braf\s*(?:v600e\s*)?"
    r"(?:mutation|change|gene change|variant)"
    r"|\bbraf\s*(?:test|result|results|testing)?\s*(?:came back|was|is|were)\s+positive"
)
_BRAF_NEG = re.compile(
    r"\b(?:no|not|without|negative for|doesnt have|doesn't have|does not have|didnt have"
    r"|didn't have)\s+(?:the\s+|a\s+|any\s+)?braf"
    r"|\bbraf\s*(?:v600e\s*)?(?:negative|neg\b|wild\s*-?\s*type|wildtype)"
    r"|\bbraf\s*(?:test|result|results|testing)?\s*(?:came back|was|is|were)\s+negative"
)
_TRACH = r"(?:trach|trache|trachy|tracheostomy|tracheotomy)"
_HAS_TRACH = re.compile(
    rf"\b(?:has|have|had|got|with|since)\s+(?:a\s+|an\s+|the\s+|his\s+|her\s+|my\s+)?(?:new\s+)?{_TRACH}\b"
    rf"|\b(?:his|her|my|their)\s+{_TRACH}\b"
    rf"|\b{_TRACH}\s+(?:was|is|got|has been|were)\s+(?:put in|placed|done|fitted|in)\b"
    rf"|\b{_TRACH}\s+(?:tube\s+)?(?:came out|fell out|is blocked|got blocked|is clogged|is out)\b"
)
_NO_TRACH = re.compile(
    rf"\b(?:no|without|not have|not having|doesnt have|doesn't have|does not have"
    rf"|doesnt want|doesn't want|does not want|refused|refuses|declined|declines"
    rf"|decided against|chose not to have|chosen not to have|said no to)\s+"
    rf"(?:a\s+|an\s+|the\s+|any\s+)?{_TRACH}\b"
)
_HOSPICE_ON = re.compile(
    r"\b(?:on|in|into|started|starting|enrolled in|signed up for|chose|chosen|getting|receiving"
    r"|has|have|with|under)\s+(?:home\s+)?hospice\b"
    r"|\bhospice\s+(?:nurse|team|aide|doctor|worker)\b"
    r"|\bhospice\s+(?:started|began|came|comes|visits)\b"
)
_HOSPICE_OFF = re.compile(
    rf"\b{_NEGATION}\s+(?:\w+\s+){{0,2}}(?:on|in|ready for|want|wanting)\s+hospice\b"
    r"|\b(?:refused|refuses|declined|declines|said no to|left|stopped)\s+hospice\b"
)


@dataclass
class SituationUpdate:
    """What one turn states, by dimension; None = the turn says nothing about it."""

    stage: Situation | None = None
    braf: Situation | None = None
    trach: Situation | None = None
    hospice: bool | None = None
    noted: list[str] = field(default_factory=list)

    def apply(
        self, situations: set[Situation], hospice: bool | None
    ) -> tuple[set[Situation], bool | None]:
        """The session's situations after this update (a new value replaces the old one)."""
        out = set(situations)
        for value, family in ((self.stage, _STAGES), (self.braf, _BRAFS), (self.trach, _TRACHS)):
            if value is not None:
                out -= family
                out.add(value)
        return out, hospice if self.hospice is None else self.hospice


_STAGES: frozenset[Situation] = frozenset({"stage-iva", "stage-ivb", "stage-ivc"})
_BRAFS: frozenset[Situation] = frozenset({"braf-v600e", "braf-negative"})
_TRACHS: frozenset[Situation] = frozenset({"trach", "no-trach"})


def _stated(sentence: str, match: re.Match[str] | None) -> bool:
    """The match is a statement: someone is named before it (or the sentence opens with
    it, as in "stage 4c and braf neg, whats left") and nothing hypothetical comes first."""
    if match is None:
        return False
    before = sentence[: match.start()]
    opens = not set(before.split()) - _FILLER
    named = opens or _PERSON.search(before) or _PERSON.search(match.group(0))
    return bool(named) and not _HYPOTHETICAL.search(before)


def recognise(text: str) -> SituationUpdate:
    """The situations ``text`` states about the person (see the module docstring)."""
    update = SituationUpdate()
    lowered = text.casefold().replace("\u2019", "'")
    for sentence in _SENTENCE.split(lowered):
        sentence = " ".join(sentence.split())
        if not sentence:
            continue
        stage = _STAGE.search(sentence)
        if stage and _STAGE_WORD.search(stage.group(0)) and _stated(sentence, stage):
            update.stage = f"stage-iv{stage.group(1)}"  # type: ignore[assignment]
        neg, pos = _BRAF_NEG.search(sentence), _BRAF_POS.search(sentence)
        if _stated(sentence, neg):
            update.braf = "braf-negative"
        elif _stated(sentence, pos):
            update.braf = "braf-v600e"
        no_trach, trach = _NO_TRACH.search(sentence), _HAS_TRACH.search(sentence)
        if _stated(sentence, no_trach):
            update.trach = "no-trach"
        elif _stated(sentence, trach):
            update.trach = "trach"
        off, on = _HOSPICE_OFF.search(sentence), _HOSPICE_ON.search(sentence)
        if _stated(sentence, off):
            update.hospice = False
        elif _stated(sentence, on):
            update.hospice = True
    update.noted = [v for v in (update.stage, update.braf, update.trach) if v is not None]
    if update.hospice:
        update.noted.append(HOSPICE)
    return update
