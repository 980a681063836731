"""Finding glossary terms in passages (pure text spans; the app styles them).

A term is found by its name, its name without a parenthetical ("Surgery (resection)"
-> "Surgery", "resection"), and a one-word parenthetical such as an abbreviation
("Fine-needle aspiration (FNA)" -> "FNA"). Abbreviations match case-sensitively, other
words ignoring case, with an optional plural "s"/"es". Only the first occurrence of each
term in a text is marked, so a passage is not a wall of underlines. Lay words are not
marked: they are everyday words already ("lump", "breathing tube").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from botcore.schema import GlossaryTerm

_PAREN = re.compile(r"^(?P<base>.*?)\s*\((?P<inner>[^()]*)\)\s*$")

@dataclass(frozen=True)
class TermSpan:
    start: int
    end: int
    term_id: str


def term_forms(term: str) -> list[str]:
    """The written forms of a glossary term that count as a mention of it."""
    forms = [term]
    match = _PAREN.match(term)
    if match:
        base, inner = match["base"].strip(), match["inner"].strip()
        if base:
            forms.append(base)
        if inner and " " not in inner:
            forms.append(inner)
    return list(dict.fromkeys(f for f in forms if len(f) >= 2))


def _pattern(form: str) -> re.Pattern[str]:
    body = r"\s+".join(re.escape(w) for w in form.split())
    if form.endswith("y") and not form.isupper():
        body = body[:-1] + "(?:y|ies)"  # therapy, therapies
    else:
        body += "(?:s|es)?"
    flags = 0 if form.isupper() else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", flags)


class TermIndex:
    """Finds the approved glossary terms mentioned in a text."""

    def __init__(self, terms: Iterable[GlossaryTerm]) -> None:
        self.terms: dict[str, GlossaryTerm] = {t.id: t for t in terms}
        patterns: list[tuple[int, re.Pattern[str], str]] = []
        for term in self.terms.values():
            for form in term_forms(term.term):
                patterns.append((len(form), _pattern(form), term.id))
        patterns.sort(key=lambda p: -p[0])
        self._patterns = [(pattern, term_id) for _, pattern, term_id in patterns]

    def spans(self, text: str) -> list[TermSpan]:
        """Non-overlapping first mentions, in text order (longer forms win ties)."""
        found: list[TermSpan] = []
        for pattern, term_id in self._patterns:
            for match in pattern.finditer(text):
                found.append(TermSpan(match.start(), match.end(), term_id))
        found.sort(key=lambda s: (s.start, -(s.end - s.start)))
        chosen: list[TermSpan] = []
        seen: set[str] = set()
        last_end = -1
        for span in found:
            if span.start < last_end or span.term_id in seen:
                continue
            chosen.append(span)
            seen.add(span.term_id)
            last_end = span.end
        return chosen

    def terms_in(self, text: str) -> list[GlossaryTerm]:
        return [self.terms[s.term_id] for s in self.spans(text)]
