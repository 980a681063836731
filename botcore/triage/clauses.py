"""Clauses of a question, for the learned stage to score one by one (issue 10, round 3).

A crisis or emergency clause inside a long ordinary question is diluted in one
mean-pooled sentence vector: "we have been reading about radiation and diet and the
appointments, also his lips are blue now" averages the blue lips away. The learned stage
therefore scores the whole question AND each of its clauses, and takes the highest
crisis, emergency and urgent score (the lowest calm score) over them
(:meth:`botcore.triage.learned.SafetyModel.scores_of`). The thresholds are chosen on
clause-max scores too (``tools.train_safety``), and the calm clauses of calm questions are
trained as calm (the hard negatives hold at clause level as well).

A clause is a sentence (split on ``. ! ? ;`` and line breaks) or a part of one joined by
``and``, ``but``, ``also``, ``so``, ``then`` or a comma before one of these. Clauses of
fewer than :data:`MIN_WORDS` words are merged into the clause before them (a lone
"help" or "now" says nothing alone); at most :data:`MAX_CLAUSES` are kept, so one
question costs at most one batched encode of ``1 + MAX_CLAUSES`` short texts. A question
of one clause gets no extra encode. Pure and deterministic.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

MAX_CLAUSES = 5
"""Clauses scored besides the whole question (with it, the engine's memo of 8 question
vectors keeps the whole question for retrieval)."""
MIN_WORDS = 3
_SENTENCE = re.compile(r"[.!?;:\n\r\u2028\u2029]+|\s[-\u2013\u2014]+\s")
_JOIN = re.compile(r",?\s+\b(?:and|but|also|so|then|plus|cause|because)\b\s+|,\s+", re.I)
_WORD = re.compile(r"\w+")


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _merged(parts: list[str]) -> list[str]:
    """Short parts joined to the part before them (or after, for the first)."""
    out: list[str] = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and (_words(part) < MIN_WORDS or _words(out[-1]) < MIN_WORDS):
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    return out


def clauses(text: str) -> list[str]:
    """The clauses of ``text`` to score besides the whole, in order; [] for a question
    of one clause. ``text`` is the engine's query (cleaned, truncated)."""
    found: list[str] = []
    for sentence in _merged(_SENTENCE.split(text)):
        found.extend(_merged(_JOIN.split(sentence)))
    found = [c for c in dict.fromkeys(found) if c != text.strip()]
    if len(found) < 2:
        return []
    if len(found) > MAX_CLAUSES:  # keep the first MAX_CLAUSES - 1 and the last one
        found = [*found[: MAX_CLAUSES - 1], " ".join(found[MAX_CLAUSES - 1:])]
    return found


def screen_texts(query: str) -> list[str]:
    """What the learned stage encodes for one question: the whole query, then its clauses."""
    return [query, *clauses(query)]


def screen_vectors(encode: Callable[[list[str]], np.ndarray], query: str) -> np.ndarray:
    """The whole query's vector and its clauses' vectors, in ONE batched encode."""
    return np.asarray(encode(screen_texts(query)), dtype=np.float64)
