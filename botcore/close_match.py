"""``difflib.get_close_matches(word, vocabulary, n=1, cutoff)``, exactly, in a fraction of
the time: the speller's repair of a word it has not seen before.

difflib tries every vocabulary word in Python: a length bound, then the multiset of
letters shared (``quick_ratio``), then the full ``ratio``. For a corpus vocabulary of a
few thousand words that is about 10 ms per unknown word, and a question with a typo or a
name in it pays it at every new word. Here the first two bounds are computed for the whole
vocabulary at once with numpy (letter counts as a matrix), and ``ratio`` runs only on the
few words that pass both, with the same ``SequenceMatcher`` in the same orientation. The
bounds are the same numbers difflib computes (``2.0 * shared / total``), so the words kept
and the winner (highest score, then the greatest word, as ``heapq.nlargest`` picks) are
the same; ``tests/test_close_match.py`` checks it against difflib.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

import numpy as np

ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
_INDEX = {c: i for i, c in enumerate(ALPHABET)}


def _counts(word: str) -> np.ndarray | None:
    row = np.zeros(len(ALPHABET), dtype=np.int32)
    for c in word:
        i = _INDEX.get(c)
        if i is None:
            return None
        row[i] += 1
    return row


class CloseMatcher:
    """The closest vocabulary word to a word, by difflib's rule (see the module doc)."""

    def __init__(self, vocabulary: Sequence[str]) -> None:
        self.vocabulary = list(vocabulary)
        rows = [_counts(w) for w in self.vocabulary]
        self._plain = all(r is not None for r in rows)
        """Every word is made of ALPHABET (else every query goes to difflib itself)."""
        self._matrix = (np.stack([r for r in rows if r is not None]) if self._plain and rows
                        else np.zeros((0, len(ALPHABET)), dtype=np.int32))
        self._lengths = np.array([len(w) for w in self.vocabulary], dtype=np.float64)

    def closest(self, word: str, cutoff: float) -> str | None:
        """The word ``difflib.get_close_matches(word, vocabulary, n=1, cutoff)`` returns
        (None when it returns nothing)."""
        query = _counts(word)
        if not self._plain or query is None or not word:
            found = difflib.get_close_matches(word, self.vocabulary, n=1, cutoff=cutoff)
            return found[0] if found else None
        total = self._lengths + len(word)
        real_quick = 2.0 * np.minimum(self._lengths, len(word)) / total
        shared = np.minimum(self._matrix, query).sum(axis=1)
        quick = 2.0 * shared / total
        candidates = np.flatnonzero((real_quick >= cutoff) & (quick >= cutoff))
        best: tuple[float, str] | None = None
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(word)
        for i in candidates:
            x = self.vocabulary[int(i)]
            matcher.set_seq1(x)
            score = matcher.ratio()
            if score >= cutoff and (best is None or (score, x) > best):
                best = (score, x)
        return None if best is None else best[1]
