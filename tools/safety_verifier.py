"""The lexicon verifier of the safety screen's learned stage (issue 10, round 5).

The lexicon stops every question with an emergency's words, and families use those words
calmly all the time: a figure of speech ("my computer choked"), an episode that is over
("his trach came out last month, the nurse fixed it, how do we prevent it"), a plan for
"if it ever happens", a hospice family asking what the last breaths are like. Round 4's
leave-one-writer-out figures put the lexicon's own hard stops at 5-7 % of every writer's
calm questions, more than the learned stage added.

The verifier is a nearest-neighbour vote (:mod:`botcore.triage.neighbours`) among only the
approved exemplars the lexicon flags as an emergency: calm against not. Its calm vote is
averaged with the screen's calm score (``SafetyModel.lexicon_calm``); at or above the
``lexicon_veto`` threshold the stop becomes an emergency safety note above the answer.
The threshold is chosen here by leave-one-writer-out: the lowest that softens at most
``LOSS_SHARE`` of the held-out writers' true emergency and crisis escalations in all (and
at most one per writer), then kept above the reading of every emergency the repository
gates (S1).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from botcore.triage import Triage
from botcore.triage import neighbours as nn
from botcore.triage.learned import SCREEN_CLASSES, VERIFY_CLASSES, VETO

K = 10
TEMPERATURE = 30.0
DIMS = 96
LOSS_SHARE = 0.001
"""Most of the held-out writers' right emergency and crisis escalations the veto may
soften, in all (1 in 1,000), and never more than one in any writer."""
GRID = tuple(round(float(x), 3) for x in np.arange(0.30, 0.961, 0.05))
MARGIN = 0.02


def examples(texts: Sequence[str], labels: Sequence[int], queries: dict[str, str],
             vectors: dict[str, np.ndarray], triage: Triage) -> tuple[np.ndarray, np.ndarray]:
    """The verifier's exemplars: each distinct query of the screen set that the lexicon
    flags as an emergency, labelled 1 (calm) or 0 (anything else)."""
    calm = SCREEN_CLASSES.index("calm")
    seen: dict[str, int] = {}
    for text, label in zip(texts, labels, strict=True):
        query = queries.get(text, text)
        if not query or query in seen:
            continue
        hit = triage.screen(text)
        if hit is not None and hit.tier == "emergency":
            seen[query] = int(label == calm)
    if not seen:
        raise ValueError("no exemplar the lexicon flags as an emergency")
    return np.stack([vectors[q] for q in seen]), np.asarray(list(seen.values()))


def fit(x: np.ndarray, y: np.ndarray) -> nn.Neighbours:
    """The vote as the engine reads it from the classifier file."""
    return nn.from_vectors(VERIFY_CLASSES, x, y, K, TEMPERATURE, 1.0, DIMS)


def as_json(x: np.ndarray, y: np.ndarray) -> dict[str, object]:
    """The classifier file's ``verifier`` section."""
    return nn.as_json(VERIFY_CLASSES, x, y, K, TEMPERATURE, 1.0, DIMS)


def lost(expect: np.ndarray, before: tuple[np.ndarray, np.ndarray],
         after: tuple[np.ndarray, np.ndarray]) -> int:
    """Right emergency and crisis escalations (tier, note) that a setting undoes."""
    (t0, n0), (t1, n1) = before, after
    emergency = (expect == "emergency") & (t0 == 2) & (t1 != 2)
    crisis = (expect == "crisis") & ((t0 == 3) | (n0 == 3)) & ~((t1 == 3) | (n1 == 3))
    return int(emergency.sum() + crisis.sum())


def choose(folds: Sequence[Any], t: dict[str, float],
           escalations: Callable[[Any, dict[str, float]], tuple[np.ndarray, np.ndarray]]
           ) -> float:
    """The lowest grid threshold within ``LOSS_SHARE`` (1 when none is), on the folds of
    ``tools.safety_cv`` and its numpy ``escalations``, the other thresholds ``t`` fixed."""
    before = [escalations(f, t | {VETO: 1.0}) for f in folds]
    right = sum(int(((f.expect == "emergency") & (b[0] == 2)).sum()
                    + ((f.expect == "crisis") & ((b[0] == 3) | (b[1] == 3))).sum())
                for f, b in zip(folds, before, strict=True))
    for threshold in GRID:
        per = [lost(f.expect, b, escalations(f, t | {VETO: threshold}))
               for f, b in zip(folds, before, strict=True)]
        if sum(per) <= LOSS_SHARE * right and max(per) <= 1:
            return threshold
    return 1.0


def floor(readings: Sequence[float]) -> float:
    """Just above the highest of ``readings`` (the gated questions' scores a threshold
    must stay above), at most 1 (that switch off)."""
    return round(min(1.0, max(readings, default=0.0) + MARGIN), 4)
