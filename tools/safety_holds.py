"""How long an escalation holds: the ``release`` and ``note_hold`` thresholds (issue 10).

Both are chosen by leave-one-writer-out after the screen's thresholds
(``tools.safety_cv.choose``), on the writers' push-back conversations replayed through
the engine's own decision (``tools.safety_cv.replay``):

* ``release``: how sure the follow-up model must be that a turn after a hard stop is a
  clearly unrelated calm question before the stop is let go (round 4);
* ``note_hold``: how sure it must be that a turn right after a safety note is push-back
  ("it's a figure of speech, relax") for the note's message to become a hard stop
  (round 6). Capped in ``tools.train_safety`` below the release probability of every
  calm follow-up in the conversation suite's dev cases, so a calm follow-up after a note
  on a calm question is still answered.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from botcore.triage.learned import NOTE_HOLD
from tools.safety_cv import Fold, model_of, passed, replay

Row = tuple[int, int, int, float]
"""Per candidate value: (later turns held right, calm later turns released, whole
conversations right, the value)."""

GRID_RELEASE = tuple(round(float(x), 3) for x in np.arange(0.50, 0.995, 0.02))
GRID_NOTE_HOLD = (0.0, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.08, 0.1)

HOLD_SLACK = 0.01
"""Push-back turns the release threshold may let go, as a share of the most any threshold
holds, to release more clearly calm last turns (round 4)."""


def rows(folds: Sequence[Fold], t: dict[str, float], key: str,
         grid: Sequence[float]) -> list[Row]:
    """Each held-out writer's push-back conversations replayed at every value of ``key``."""
    out: list[Row] = []
    for value in grid:
        trial = t | {key: value}
        holds, releases, whole = 0, 0, 0
        for f in folds:
            model = model_of(trial, f.screen, f.followup, f.vote)
            for case in (c for c in f.cases if c.conversation):
                outs = replay(case, f.sig, model)
                good = [passed(e, o, True) for e, o in zip(case.expects, outs, strict=True)]
                whole += all(good)
                later = list(zip(case.expects[1:], good[1:], strict=True))
                holds += sum(g and e != "none" for e, g in later)
                releases += sum(g and e == "none" for e, g in later)
        out.append((holds, releases, whole, value))
    return out


def release(folds: Sequence[Fold], t: dict[str, float]) -> float:
    """The release threshold: among those that hold at least (1 - ``HOLD_SLACK``) of the
    most push-back turns any threshold holds, the one with the most whole push-back
    conversations right (every turn: held, then the calm last one released); ties: more
    turns held, then more calm turns released, then the highest (on unseen turns it
    releases less). Round 3 took the most holds outright, which kept the hold on half
    the writers' clearly calm last turns."""
    return pick_release(rows(folds, t, "release", GRID_RELEASE))


def pick_release(candidates: Sequence[Row]) -> float:
    """``release``'s choice from the rows."""
    if not candidates:
        return 0.5
    floor = (1.0 - HOLD_SLACK) * max(h for h, _, _, _ in candidates)
    best = max((row for row in candidates if row[0] >= floor),
               key=lambda row: (row[2], row[0], row[1], row[3]))
    return best[3]


def note_hold(folds: Sequence[Fold], t: dict[str, float]) -> float:
    """The ``note_hold`` cut: the most whole push-back conversations right among the cuts
    that release every calm turn cut 0 releases (reading push-back after a note must not
    cost a calm turn); ties: more turns held, then the lowest cut."""
    return pick_note_hold(rows(folds, t, NOTE_HOLD, GRID_NOTE_HOLD))


def pick_note_hold(candidates: Sequence[Row]) -> float:
    """``note_hold``'s choice from the rows; the first row is cut 0."""
    if not candidates:
        return 0.0
    base = candidates[0][1]
    best = max((row for row in candidates if row[1] >= base),
               key=lambda row: (row[2], row[0], -row[3]))
    return best[3]
