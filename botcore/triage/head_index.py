"""Which rule alternatives a text can match at all, found from the text's words.

Every alternative whose start is known (``Compiled.heads``: the whole words, or the
beginnings of words, a match can start with) is filed here under those words. A text's
candidates are then one look-up per word of the text, instead of asking each of the
lexicon's ~900 alternatives in turn whether one of its words occurs: about 300 such
questions per text, a third of the screen's time (issue 13). An alternative that is not a
candidate has no word to start at, so ``Compiled.spans`` would find nothing in it: skipping
it changes no answer. Alternatives without heads are always tried.
"""

from __future__ import annotations

from collections.abc import Iterable

from botcore.triage.prefilter import Compiled


class HeadIndex:
    """Alternatives (by ``id``) filed under their head words and word beginnings."""

    def __init__(self, patterns: Iterable[Compiled]) -> None:
        self._by_word: dict[str, set[int]] = {}
        self._by_prefix: dict[str, set[int]] = {}
        for pattern in patterns:
            if pattern.heads is None:
                continue
            whole, beginnings = pattern.heads
            for word in whole:
                self._by_word.setdefault(word, set()).add(id(pattern))
            for beginning in beginnings:
                self._by_prefix.setdefault(beginning, set()).add(id(pattern))
        self._longest = max(map(len, self._by_prefix), default=-1)

    def candidates(self, words: Iterable[str]) -> set[int]:
        """The alternatives some word of ``words`` can start: the word is one of its
        heads, or begins with one of its beginnings (as ``Prepared.starts_of`` reads)."""
        found: set[int] = set()
        by_word, by_prefix, longest = self._by_word, self._by_prefix, self._longest
        for word in words:
            hit = by_word.get(word)
            if hit:
                found |= hit
            for k in range(min(len(word), longest) + 1):
                hit = by_prefix.get(word[:k])
                if hit:
                    found |= hit
        return found
