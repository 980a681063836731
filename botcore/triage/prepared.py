"""One question's folded text, with its sentences and the word lookups the screen uses.

Folded once per text (:func:`botcore.sanitize.fold_for_matching`): lowercase words and
single spaces. Sentence ends are remembered so that an exception only cancels a match in
its own sentence.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from botcore.sanitize import fold_for_matching, strip_escapes

if TYPE_CHECKING:
    from botcore.triage.screen import TriageHit

_SENTENCE_END = re.compile(
    r"[.!?;\n\r\x0b\x0c\x85\u2026\u2028\u2029\u3002\uff01\uff0e\uff1f\uff1b]+")
_BREAK = "qxzsentencebreakqxz"


@dataclass
class Prepared:
    """Folded text of one question, with where its sentences start and end."""

    text: str
    starts: list[int]
    ends: list[int]
    covers: dict[tuple[str, int], tuple[list[int], list[int]]] = field(default_factory=dict)
    corrected: bool = False
    """True for the variant whose misspelt key words were corrected (botcore.triage.fuzzy)."""
    screened: tuple[TriageHit | None] | None = None
    """The screen's answer once computed (``scope`` after ``screen`` reuses it)."""
    candidates: set[int] | None = None
    """The alternatives this text's words can start (``botcore.triage.head_index``)."""
    _counts: Counter[str] | None = None
    _sorted: list[str] = field(default_factory=list)
    _padded: str = ""
    _positions: dict[str, list[int]] = field(default_factory=dict)

    def _word_counts(self) -> Counter[str]:
        """How often each word occurs (built on first use, once per text)."""
        if self._counts is None:
            self._counts = Counter(self.text.split(" "))
            self._sorted = sorted(self._counts)
            self._padded = f" {self.text} "
        return self._counts

    def words(self) -> list[str]:
        """The text's distinct words (what ``starts_of`` looks heads up in)."""
        return list(self._word_counts())

    def _positions_of(self, word: str) -> list[int]:
        if word not in self._positions:
            found, needle, i = [], f" {word} ", self._padded.find(f" {word} ")
            while i >= 0:
                found.append(i)  # the padding's leading space makes i the word's offset
                i = self._padded.find(needle, i + len(word) + 1)
            self._positions[word] = found
        return self._positions[word]

    def starts_of(self, heads: tuple[frozenset[str], frozenset[str]], lo: int,
                  hi: int) -> list[int] | None:
        """Start offsets in [lo, hi) of the words a match can begin with, or None when
        there are so many that a regex scan is cheaper."""
        counts = self._word_counts()
        whole, beginnings = heads
        # Walk the smaller side: a question has a few dozen words, a rule's heads can be
        # hundreds. Order does not matter: callers only ask whether any match survives.
        if len(whole) <= len(counts):
            words = [w for w in whole if w in counts]
        else:
            words = [w for w in counts if w in whole]
        for beginning in beginnings:
            i = bisect.bisect_left(self._sorted, beginning)
            while i < len(self._sorted) and self._sorted[i].startswith(beginning):
                words.append(self._sorted[i])
                i += 1
        if not words:
            return []
        if sum(counts[w] for w in words) > 64 + (hi - lo) // 64:
            return None
        lists = [self._positions_of(w) for w in words]
        if lo == 0 and hi >= len(self.text):
            return [p for found in lists for p in found]
        return [p for found in lists
                for p in found[bisect.bisect_left(found, lo):bisect.bisect_left(found, hi)]]

    def sentence(self, pos: int) -> int:
        return bisect.bisect_right(self.starts, pos) - 1


def prepare(text: str) -> Prepared:
    """Fold once; remember sentence ends so exceptions stay inside one sentence."""
    marked = _SENTENCE_END.sub(f" {_BREAK} ", strip_escapes(text))
    return _joined([p.strip(" ") for p in fold_for_matching(marked).split(_BREAK)])


def rewritten(prepared: Prepared, rewrite: Callable[[str], str | None]) -> Prepared | None:
    """The same text with ``rewrite`` applied to each sentence (None: no sentence
    changed). Sentence bounds are kept, so exceptions still stay in their sentence."""
    parts = [prepared.text[s:e] for s, e in zip(prepared.starts, prepared.ends, strict=True)]
    new = [rewrite(p) for p in parts]
    if all(n is None for n in new):
        return None
    return _joined([p if n is None else n for p, n in zip(parts, new, strict=True)])


def _joined(parts: list[str]) -> Prepared:
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for part in parts:
        if part:
            starts.append(pos)
            ends.append(pos + len(part))
            pos += len(part) + 1
    folded = " ".join(p for p in parts if p)
    return Prepared(folded, starts or [0], ends or [0])

