"""Keeping a carried follow-up on its subject.

"how long did it work?" after "her tumor has an NTRK fusion, is there a drug for that?"
is about the NTRK drug; searched with its subject ("how long did it work? NTRK"), the
words "how long" still pull the passage on how long a BRAF test takes above the passages
that name NTRK. A follow-up that names no subject of its own asks about the subject it
carried, so a passage that names that subject (its glossary term or a lay phrase of it,
in its title or text) is what can answer it: such a passage gets a bonus in the fused
ranking, the larger for the subject named most recently. Only a passage whose dense
cosine is within reach of the best one gets it (never one the question matches far
less well), and a follow-up that names its own terms ("what about ntrk?") is ranked as
before: its own words already say what it is about.

Pure functions of arrays and term sets, tested against a brute-force loop.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

SUBJECT_BONUS = 0.5
"""Share of a first-place RRF contribution added to a passage that names the carried
subject's first term (later terms weigh ``SUBJECT_DECAY`` times less each). Half a first
place: it tips a close call, it does not override the question's own words. Chosen on the
dev data (our dev split, writer w1's tune half, sets A-C) from 0.3-1.0; sets D and w1's
check half, counts only, did not get worse with it."""
SUBJECT_DECAY = 0.5
SUBJECT_REACH = 0.08
"""The bonus goes only to a passage whose dense cosine is within this of the best one
(chosen from 0.05-0.15 as above)."""


def subject_bonus(named: Sequence[frozenset[str]], subject: Sequence[str],
                  dense: np.ndarray, first_place: float,
                  weight: float = SUBJECT_BONUS, decay: float = SUBJECT_DECAY,
                  reach: float = SUBJECT_REACH) -> np.ndarray:
    """The bonus of every passage: ``weight * first_place`` times the decayed weight of
    the earliest subject term it names (0 when it names none, or its cosine is NaN or
    more than ``reach`` below the best finite cosine). ``named[i]``: the glossary terms
    passage ``i`` names."""
    bonus = np.zeros(len(named))
    finite = dense[np.isfinite(dense)]
    if not subject or finite.size == 0:
        return bonus
    floor = float(finite.max()) - reach
    order = {term: n for n, term in reversed(list(enumerate(subject)))}
    for i, terms in enumerate(named):
        if not dense[i] >= floor:  # NaN: no bonus
            continue
        hits = [order[t] for t in terms if t in order]
        if hits:
            bonus[i] = weight * first_place * decay ** min(hits)
    return bonus


PREVIOUS_BONUS = 0.5
"""Share of a first place added to the passage the last turn was answered with, for a
short follow-up ("did it work", "how many were in it"): the study or drug it points at is
usually the one just described. Half a first place, like the subject's bonus (0.5 and 1.0
gave the same dev figures)."""
SHORT_FOLLOW_UP = 6
"""At most so many words makes a follow-up short."""


def previous_bonus(dense: np.ndarray, row: int | None, first_place: float,
                   weight: float = PREVIOUS_BONUS, reach: float = SUBJECT_REACH) -> np.ndarray:
    """``weight * first_place`` for the passage at ``row`` (the one just shown) when its
    cosine is within ``reach`` of the best finite one; zeros otherwise."""
    bonus = np.zeros(len(dense))
    finite = dense[np.isfinite(dense)]
    if row is None or not 0 <= row < len(dense) or finite.size == 0:
        return bonus
    if dense[row] >= float(finite.max()) - reach:  # NaN: no bonus
        bonus[row] = weight * first_place
    return bonus


ASK_TOP = 3
"""How many of the first ranked passages a follow-up's ask may reorder (those shown)."""


def ask_first(order: Sequence[int], holds_ask: Callable[[int], bool],
              top: int = ASK_TOP) -> list[int]:
    """``order`` with, among its first ``top``, the rows that hold the follow-up's ask
    moved ahead of those that do not (each group in its own order); the rest unchanged.
    "Will they keep working forever" after the BRAF pills is answered first by the passage
    that says how long they work, not by the one on surgery the subject's names pull up;
    a passage outside the first three is never lifted."""
    head = list(order[:top])
    held = [row for row in head if holds_ask(row)]
    return held + [row for row in head if row not in held] + list(order[top:])
