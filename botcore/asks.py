"""What kind of answer a question asks for, and whether a passage holds that kind.

"How long does an immunotherapy infusion take" is on the topic of a passage about
immunotherapy, which says nothing about time: a question that asks for a duration, a
frequency or a figure is answered only by a passage that holds one (a time span, "every
day", a number or a share). A passage that holds the kind is not proof it answers; a
passage without it surely does not. Read by ``botcore.answerability`` as the signal
``ask_unmet``. Words and patterns, written from the issue's description of the asks
families make (how much it costs, how long, for whom, success rate, will it get better), not from
any test case.
"""

from __future__ import annotations

import re

from botcore.textproc import folded_text, words

_NUMBER = (r"\d|%|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|half|third|quarter"
           r"|percent)\b")
_DAILY = r"|\bdaily\b(?! (?:life|living|lives|activities|routines?|tasks?|chores))"
""""Daily" as how often ("taken daily"), never "daily life" (a passage on what changes in
daily life says nothing about how often anything happens)."""
_LASTING = (r"\bhow long (?:does|do|did|will|would|can|could|might|may|is|are) (?:(?:\w+ ){1,2}?"
            r"(?:work|works|keep working|keep on working|stay working|help|helps|be effective"
            r"|stay effective|hold up)|(?:it|they|that|this|these|those|the (?:\w+ )?(?:pills?"
            r"|drugs?|medicines?|medications?|treatment|effects?|response|benefits?|results?))"
            r"(?: \w+)? (?:last|lasts|keep|hold))\b(?! out\b)")
"""How long a treatment goes on working ("how long does it work", "how long will the
pills last"): a question of lasting effect, answered by a passage on how long the benefit
holds and why it stops (resistance, "over time", "the responses lasted"), not by a number
of days, so it is the "lasting" ask and not the "duration" one (round 10: "how long does
it work" after the BRAF drugs was held back because their passage names no time span).
"How long does it take to work" stays a duration."""
ASKS: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = (
    ("duration",
     re.compile(r"\bhow long\b(?!" + _LASTING[len(r"\bhow long"):] + ")"
                r"|\bhow many (?:minutes|hours|days|weeks|months|years)\b"
                r"|\bwhen (?:can|will|could|would) (?:he|she|i|we|they|you|my \w+)"
                r" (?:go back|get back|return|start|be able|resume)\b"),
     re.compile(r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a few|few|several"
                r"|many|a|an) (?:minutes?|hours?|days?|weeks?|months?|years?)\b"
                r"|\b(?:right away|at once|as soon as)\b")),
    ("speed",
     re.compile(r"\bhow soon\b|\bhow quickly\b"),
     re.compile(r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a few|few|several"
                r"|a|an) (?:minutes?|hours?|days?|weeks?|months?|years?)\b"
                r"|\b(?:soon|sooner|quickly|quick|right away|at once|urgent|urgently|immediately"
                r"|without delay|fast)\b")),
    ("lasting",
     re.compile(_LASTING),
     re.compile(r"\bstop(?:s|ped)? (?:working|responding)\b|\bwears? off\b|\blasted\b"
                r"|\blasts? (?:for|about|only|a|several|many)\b|\b(?:over|in) time\b"
                r"|\bresistan|\bkeeps? working\b|\bgrow again\b")),
    ("recovery",
     re.compile(r"\bwill (?:it|that|this|they|he|she|i|the \w+|his \w+|her \w+|my \w+)"
                r" (?:ever |soon )?(?:come back|go away|get better|heal|recover|return|grow back)\b"
                r"|\b(?:is|are) (?:it|that|this|they|(?:the|a|an|his|her|my|their)"
                r" (?:\w+ )?\w+) permanent\b"
                r"|\bfor good\b"
                r"|\bforever\b|\bfor life\b|\blifelong\b"
                r"|\bthe rest of (?:his|her|my|their|your|our) li(?:fe|ves)\b"),
     re.compile(r"\b(?:come|comes|came|coming) back\b|\bgo(?:es)? away\b|\bgets? better\b"
                r"|\brecover|\bheal|\breturns?\b|\bgrows? back\b|\bpermanent|\bfor good\b"
                r"|\bforever\b|\btemporar|\blifelong\b|\bfor the rest of\b"
                r"|\b(?:in|over) time\b|\bstops? working\b|\bwears? off\b|\blasted\b")),
    ("frequency",
     re.compile(r"\bhow often\b|\bhow many times\b|\bhow frequently\b"),
     re.compile(_NUMBER + _DAILY + r"|\b(?:every|twice|once|times|weekly|each day|each week|a day"
                r"|a week|rare|common)\b")),
    ("price",
     re.compile(r"\bhow much (?:(?:does|do|did|will|would|is|are|could|can) )?(?:\w+ ){0,4}"
                r"(?:cost|costs|charge|charges|pay|spend)\b"
                r"|\bwhat (?:does|do|will|would|did) (?:\w+ ){1,3}cost\b"
                r"|\b(?:does|do|will|would) (?:\w+ ){1,3}cost"
                r" (?:us |me |him |her |them )?anything\b"
                r"|\bcost (?:per|a|each) (?:month|dose|pill|week|year|day|visit|session)\b"
                r"|\bprice of\b|\bwhat (?:is|s) the price\b"),
     re.compile(r"\$|\bdollars?\b|\beuros?\b|\bpounds?\b|\bfree\b|\bno cost\b"
                r"|\bat no charge\b|\bcovered by\b|\b(?:pays|pay) for\b")),
    ("schedule",
     re.compile(r"\bhow often (?:should|must|will|would|do (?:i|we|you|they)|does (?:he|she)"
                r"|is (?:he|she|it) (?:supposed|meant))\b"
                r"|\bhow many times (?:a|per|each|every) (?:day|week|month)\b"),
     re.compile(r"\bevery\b" + _DAILY + r"|\bweekly\b|\bmonthly\b|\btwice\b"
                r"|\bonce (?:a|an|every|per|each)\b|\btimes (?:a|per|each)\b"
                r"|\b(?:a|per|each) (?:day|week|month)\b")),
    ("figure",
     re.compile(r"\bsuccess rates?\b|\bwhat (?:percent|percentage)\b"
                r"|\bhow many (?:people|patients)\b|\bwhat are the (?:chances|odds)\b"
                r"|\bhow likely\b|\bhow accurate\b|\bwhat share\b"
                r"|\b(?:what|which) (?:number|level|score|cut ?off|value)s?"
                r" (?:counts|is|are|means?)\b"),
     re.compile(_NUMBER + r"|\b(?:rate|most|many|some|few|agreed|responded)\b")),
    ("horizon",  # survival years ahead ("5 year survival", "10 years out"): round 10
     re.compile(r"\b(?:[2-9]|1\d|20|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty)"
                r"[ -]?(?:years?|yrs?)(?! old\b)(?: (?:out|later|on|from now|after))?\b"
                r"(?=.*\b(?:surviv\w*|alive|live|living|make it|out|later|still here)\b)"
                r"|\b(?:surviv\w*|alive|live|living|make it) (?:\w+ ){0,3}(?:[2-9]|1\d|two|three"
                r"|four|five|ten|twenty)[ -]?(?:years?|yrs?)\b"),
     re.compile(r"\b(?:[2-9]|1\d|two|three|four|five|ten)[ -]?years?\b")),
    ("heredity",
     re.compile(r"\b(?:run|runs|running|ran) in (?:the |our |my |his |her )?famil"
                r"|\bpassed (?:down|on)\b|\bhereditary\b|\binherit\w*|\bfamily history\b"
                r"|\b(?:get|got|catch|caught) (?:it|this|that) from (?:me|us|his|her|my|our)\b"),
     re.compile(r"\binherit|\bhereditar|\bfamily history\b|\bruns? in famil|\bpassed (?:down|on)\b"
                r"|\bgermline\b")),
    ("sex",
     re.compile(r"\b(?:in|among|for) (?:women|men|females|males)\b"
                r"|\b(?:women|men) or (?:women|men)\b|\b(?:female|male)s? or (?:female|male)s?\b"
                r"|\bgender\b|\bwhich sex\b"),
     re.compile(r"\b(?:women|men|woman|man|females?|males?|sex|gender)\b")),
)
"""(kind, the question asks for it, a passage text that holds it). A survival horizon of
years ("what's the 5 year survival", "does anyone make it 10 years out") is held only by a
passage that gives a figure in years: the reviews give months and one year. Heredity and sex
(is it passed down in families, is it more common in women) are asks of their own: a
passage on where ATC comes from does not answer them unless it speaks of inheritance
or of women and men."""


def asked_kinds(question: str) -> list[str]:
    """The kinds of answer ``question`` asks for (usually none)."""
    folded = folded_text(question)
    return [kind for kind, asks, _ in ASKS if asks.search(folded)]


def holds(kind: str, passage_text: str) -> bool:
    """True when the passage text holds an answer of that kind (a time, a frequency...)."""
    folded = " ".join(words(passage_text))
    return any(k == kind and has.search(folded) for k, _, has in ASKS)


_COMPARES = re.compile(
    r"\b(?:better|worse|stronger|safer|gentler|easier|harder|riskier|more effective"
    r"|less effective|more toxic) than\b|\binstead of\b|\bversus\b|\bvs\b"
    r"|\bcompared (?:to|with)\b|\brather than\b"
)


def compares(question: str) -> bool:
    """True when the question weighs one thing against another ("is vemurafenib better
    than dabrafenib", "should she ask for abraxane instead of taxol"): only a passage that
    names every treatment or test the question names can answer it (``botcore.answerability``
    reads it into ``ask_unmet``)."""
    return bool(_COMPARES.search(folded_text(question)))
