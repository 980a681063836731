"""Flesch-Kincaid grade level, offline and deterministic.

textstat would fetch NLTK's CMU dictionary from the network at first use, which this
project never does, so the formula is computed here: syllables from pyphen's English
hyphenation patterns (the same fallback textstat uses), words and sentences by regex.

    grade = 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59
"""

from __future__ import annotations

import re
from functools import lru_cache

_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
_WORD = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)*|\d+(?:[.,]\d+)*")


@lru_cache(maxsize=1)
def _hyphenator():  # noqa: ANN202 - pyphen.Pyphen
    import pyphen  # noqa: PLC0415

    return pyphen.Pyphen(lang="en_US")


_VOWEL_GROUP = re.compile(r"[aeiouy]+")
_SPLIT_PAIRS = re.compile(r"(?<![aeiou])(ia|io(?!ns?$)|eo(?!p)|ua|uo)")


def _vowel_groups(word: str) -> int:
    """Classic heuristic: vowel groups, a silent final e, and vowel pairs that are
    usually two syllables (tra-che-o-sto-my, ra-di-a-tion)."""
    count = len(_VOWEL_GROUP.findall(word)) + len(_SPLIT_PAIRS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(1, count)


def syllables(word: str) -> int:
    """Syllables in one word (at least 1): the larger of pyphen's count and the vowel
    heuristic, because both undercount and a reading grade should err high, not low.
    Numbers count as one syllable per digit group."""
    if word[0].isdigit():
        return 1
    lowered = word.lower()
    return max(len(_hyphenator().positions(lowered)) + 1, _vowel_groups(lowered))


def flesch_kincaid_grade(text: str) -> float:
    words = _WORD.findall(text)
    if not words:
        return 0.0
    sentences = max(1, len(_SENTENCE_END.findall(text.strip())) or 1)
    syl = sum(syllables(w) for w in words)
    return round(0.39 * len(words) / sentences + 11.8 * syl / len(words) - 15.59, 2)
