"""A follow-up that quotes a figure of an answer just shown ("you said 94%, 94% of what
exactly", "the 16 months, is that from diagnosis?").

Such a turn names no subject and may not point back in any word the conversation rules
know, yet it is about exactly one passage: the one that showed that figure. Pure
functions of the text; ``botcore.conversation`` searches with that passage's title.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

_FIGURE = re.compile(r"(?<![\w.])(\d+(?:[.,]\d+)?)\s*(%|percent\b|per cent\b)?")


def figures_in(text: str) -> set[str]:
    """The figures a text states that could single out a passage: a percentage, a decimal,
    or a whole number of at least two digits ("94%", "1.5", "16"), as "94%" or "16".
    One-digit counts ("2 drugs", "1 year") are too common to point at one passage."""
    found: set[str] = set()
    for number, percent in _FIGURE.findall(text):
        number = number.replace(",", ".")
        if percent:
            found.add(f"{number}%")
        elif "." in number or len(number) >= 2:
            found.add(number)
    return found


def rounded(figures: set[str]) -> set[str]:
    """The figures as a family repeats them: a decimal percentage also as its whole
    number, rounded down and to the nearest ("82.5%" is quoted back as "82%" or "83%")."""
    out = set(figures)
    for figure in figures:
        if figure.endswith("%") and "." in figure:
            value = float(figure[:-1])
            out |= {f"{int(value)}%", f"{int(value + 0.5)}%"}
    return out


def quoted_passage(question: str, shown: Iterable[str],
                   text_of: Callable[[str], str]) -> str | None:
    """The first of the passages just ``shown`` (newest first) whose text states a figure
    the question quotes, exactly or rounded to a whole percentage, else None."""
    asked = figures_in(question)
    if not asked:
        return None
    for passage_id in shown:
        if asked & rounded(figures_in(text_of(passage_id))):
            return passage_id
    return None
