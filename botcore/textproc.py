"""Tokenising, light stemming, typo repair and lay-term expansion for the lexical channel.

Kept dependency-free and deterministic so that BM25 and the glossary expansion can be
tested against hand-worked examples.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

STOPWORDS = frozenset(
    ["a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "could", "did", "do", "does", "doing", "for", "from", "had", "has", "have", "he", "her", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "of", "on", "or", "our", "she", "so", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "to", "too", "us", "was", "we", "were", "what", "when", "where", "which", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "am", "also", "just", "any", "about", "get", "got"]
)

_WORD = re.compile(r"[a-z0-9]+")


def stem(word: str) -> str:
    """A deliberately small suffix stripper (plural and common verb endings)."""
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            return word[: len(word) - len(suffix)] + repl
    return word


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def tokens(text: str) -> list[str]:
    """Lowercased, stop words out, stemmed."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


class Speller:
    """Repairs misspelt query words against the corpus's own vocabulary.

    Only long-ish words that are not in the vocabulary are touched, and only when a
    close match exists, so ordinary English outside the corpus is left alone.
    """

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self.vocab = sorted({w for w in vocabulary if len(w) >= 4})
        self._known = set(self.vocab)

    def fix(self, word: str) -> str:
        if len(word) < 5 or word in self._known or word.isdigit():
            return word
        cutoff = 0.84 if len(word) < 8 else 0.8
        match = difflib.get_close_matches(word, self.vocab, n=1, cutoff=cutoff)
        return match[0] if match else word

    def fix_text(self, text: str) -> str:
        return " ".join(self.fix(w) for w in words(text))


class LayTerms:
    """Maps the words families use ("trach", "breathing tube") to the glossary term, so
    that a question in lay words also matches passages written with the medical word."""

    def __init__(self, pairs: Iterable[tuple[str, Iterable[str]]]) -> None:
        self._patterns: list[tuple[re.Pattern[str], str]] = []
        for term, lay in pairs:
            for phrase in lay:
                phrase_words = words(phrase)
                if phrase_words:
                    pattern = re.compile(r"\b" + r"\s+".join(map(re.escape, phrase_words)) + r"\b")
                    self._patterns.append((pattern, term))

    def expand(self, text: str) -> str:
        """``text`` plus the medical term for every lay phrase found in it."""
        lowered = " ".join(words(text))
        extra = [term for pattern, term in self._patterns if pattern.search(lowered)]
        return text if not extra else text + " " + " ".join(dict.fromkeys(extra))
