"""Typo- and sound-tolerant matching of the lexicon's key words (issue 10, S1b).

People in distress type fast: "sooicidal", "cant breth", "the trach poped out". The
lexicon lists the commonest misspellings by hand, but not every one. This module turns a
word that is *not* a known word and lies close to one of the lexicon's ``fuzzy.keys``
into that key word; the screen then reads the corrected text with the same approved
patterns and exceptions. So a typo only ever completes a phrase clinicians approved: it
never adds a new rule.

Two ways a word is "close", both bounded so that they stay fast and cannot reach common
words:

* spelling: Damerau-Levenshtein distance 1 for keys of 4-6 letters, 2 for keys of 7 or
  more (words of fewer than 4 letters are never changed);
* sound: the same :func:`sound_key` (a small phonetic key: c/k/q/ch, s/z/sh, ph/f, th/t, rh/r,
  d/t, doubled letters and vowel runs merged) with the same first letter, within
  distance 3, for keys of 6 letters or more.

Real words near a key ("breeding" near "bleeding", "seaside" sounding like "suicide")
are listed in ``fuzzy.protect`` and never changed. That list is computed from a large
list of common English words by ``python -m tools.fuzzy_guard`` and checked by a test.
Pure and deterministic: the same text always gives the same correction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

MIN_WORD = 4
"""Shorter words are never corrected: too many real words lie one letter apart."""
MAX_WORD = 24
"""Longer tokens are not words a person types (hashes, run-together noise)."""

_VOWELS = re.compile(r"[aeiouy]+")
_SOUNDS: tuple[tuple[str, str], ...] = (
    ("ph", "f"), ("ck", "k"), ("gh", "g"), ("th", "t"), ("wh", "w"), ("sch", "sk"),
    ("ch", "k"), ("sh", "s"), ("rh", "r"), ("ce", "se"), ("ci", "si"), ("cy", "sy"),
    ("c", "k"), ("q", "k"), ("x", "ks"), ("z", "s"),
)


def sound_key(word: str) -> str:
    """A coarse phonetic key: similar-sounding spellings of a word share it.

    "suicide", "suiside", "sooicide" -> "sasat"; "breath", "breth", "breeth" -> "brat".
    """
    key = word.lower()
    for spelled, sound in _SOUNDS:
        key = key.replace(spelled, sound)
    if len(key) > 2 and key.endswith("e"):
        key = key[:-1]
    key = _VOWELS.sub("a", key)
    key = re.sub(r"(.)\1+", r"\1", key)
    return key.replace("d", "t")


def distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (a transposition costs 1), or ``limit + 1`` as
    soon as it must exceed ``limit`` (so a far word costs little)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            best = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, prev2[j - 2] + 1)
            cur[j] = best
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _deletes(word: str, depth: int) -> set[str]:
    """Every string made by deleting up to ``depth`` letters (the symmetric-delete index)."""
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


def spelling_limit(key: str) -> int:
    return 0 if len(key) < MIN_WORD else (1 if len(key) < 7 else 2)


class KeyWords:
    """The fuzzy index over the lexicon's key words. Build once; ``correct`` is pure."""

    def __init__(self, keys: Iterable[str], protect: Iterable[str]) -> None:
        self.keys: tuple[str, ...] = tuple(dict.fromkeys(k for k in keys))
        self._order = {k: i for i, k in enumerate(self.keys)}
        self._keyset = frozenset(self.keys)
        self.protect = frozenset(protect)
        self._by_delete: dict[str, list[str]] = {}
        self._by_sound: dict[str, list[str]] = {}
        for key in self.keys:
            for d in _deletes(key, spelling_limit(key)):
                self._by_delete.setdefault(d, []).append(key)
            if len(key) >= 6:
                self._by_sound.setdefault(sound_key(key), []).append(key)
        self._lengths = (min(map(len, self.keys), default=0) - 2,
                         max(map(len, self.keys), default=0) + 3)
        self.match = lru_cache(maxsize=8192)(self._match)

    def _match(self, word: str) -> str | None:
        """The key word this word is a misspelling of, or None (a known or far word)."""
        if (word in self._keyset or word in self.protect or not MIN_WORD <= len(word) <= MAX_WORD
                or not self._lengths[0] <= len(word) <= self._lengths[1] or not word.isalpha()):
            return None
        best: tuple[int, int, str] | None = None
        for d in _deletes(word, 2 if len(word) >= 5 else 1):
            for key in self._by_delete.get(d, ()):
                dist = distance(word, key, spelling_limit(key))
                if dist <= spelling_limit(key):
                    best = min(best or (dist, self._order[key], key), (dist, self._order[key], key))
        if best is None:
            for key in self._by_sound.get(sound_key(word), ()):
                dist = distance(word, key, 3)
                if key[0] == word[0] and dist <= 3:
                    best = min(best or (dist, self._order[key], key), (dist, self._order[key], key))
        return best[2] if best is not None else None

    def correct(self, folded: str) -> str | None:
        """The folded text with each misspelt key word replaced, or None when no word
        changed (the screen then has nothing more to read)."""
        words = folded.split(" ")
        changed = False
        for i, word in enumerate(words):
            key = self.match(word)
            if key is not None:
                words[i] = key
                changed = True
        return " ".join(words) if changed else None
