"""The red-flag screen and the scope rules (SAFETY.md S1, S1b, S2, S3, S5, S6, S8).

A package of one-job modules behind this stable front: ``from botcore.triage import ...``
gives the same names the single ``triage.py`` module gave.

- :mod:`~botcore.triage.lexicon`   the lexicon file's schema and cross-checks
- :mod:`~botcore.triage.patterns`  macro expansion and the pattern lints
- :mod:`~botcore.triage.prefilter` per-alternative regexes and the cheap skips (heads, needles)
- :mod:`~botcore.triage.prepared`  one question's folded text and sentence bounds
- :mod:`~botcore.triage.loader`    reading ``corpus/triage.yaml`` with one-line errors
- :mod:`~botcore.triage.screen`    ``Triage``: screen, is_pushback, scope
"""

from __future__ import annotations

from botcore.triage.lexicon import (
    ExceptionRule,
    LanguageMarker,
    Languages,
    Lexicon,
    OutOfScopeRule,
    PushbackRule,
    RedirectRule,
    Rule,
)
from botcore.triage.loader import lexicon_text, load_lexicon, parse_lexicon
from botcore.triage.patterns import check_pattern, expand
from botcore.triage.screen import (
    LANGUAGE_SAMPLE_CHARS,
    TIER_RANK,
    TIERS_BY_PRIORITY,
    ScopeHit,
    Triage,
    TriageHit,
)

__all__ = [
    "LANGUAGE_SAMPLE_CHARS",
    "TIERS_BY_PRIORITY",
    "TIER_RANK",
    "ExceptionRule",
    "LanguageMarker",
    "Languages",
    "Lexicon",
    "OutOfScopeRule",
    "PushbackRule",
    "RedirectRule",
    "Rule",
    "ScopeHit",
    "Triage",
    "TriageHit",
    "check_pattern",
    "expand",
    "lexicon_text",
    "load_lexicon",
    "parse_lexicon",
]
