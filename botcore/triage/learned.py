"""The learned stage of the safety screen: classifiers over the question's vector.

The engine already encodes every question (all-MiniLM-L6-v2, 384 numbers, length 1) to
search the passages; this stage reads the same vector, so it costs a few matrix products
and no second encode. Two models:

* ``screen``: calm / crisis / emergency / urgent for one question: the average of a
  softmax (multinomial logistic) model and a nearest-neighbour vote over the approved
  exemplars (:mod:`botcore.triage.neighbours`; round 4);
* ``followup``: release / hold for a turn that comes after a crisis or emergency
  escalation ("hold" = push-back, a refusal, a how-to request: keep the escalation).

The weights and the thresholds are DATA (``corpus/safety/classifier.json``), trained by
``python -m tools.train_safety`` from the approved exemplars and calibrated on the dev
split; the file is approved in the ledger (item ``lexicon:safety-classifier``) and the
engine refuses to start when it was edited. Scoring is float64 arithmetic on the given
vector: the same text always gets the same result.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from botcore.errors import CorpusError
from botcore.sanitize import truncate
from botcore.triage import neighbours as nn
from botcore.triage.loader import approved_file_text

FORMAT = "atc-guide-safety-classifier/3"
"""Format 2 (round 4) added the ``neighbours`` section (the exemplar vectors of the vote);
format 3 (round 5) the ``verifier`` section and the ``lexicon_veto`` and
``emergency_over_urgent`` thresholds (round 6 adds ``note_hold``)."""
SCREEN_CLASSES = ("calm", "crisis", "emergency", "urgent")
FOLLOWUP_CLASSES = ("release", "hold")
THRESHOLDS = ("crisis_stop", "crisis_note", "emergency_stop", "emergency_note", "urgent_stop",
              "release", "clause_crisis", "clause_emergency", "clause_urgent",
              "crisis_over_emergency", "lexicon_veto", "emergency_over_urgent", "note_hold")
"""``clause_*``: what a single clause's score is discounted by before it counts (0: a
clause counts like the whole question; 1: clauses are ignored for that class)."""
OFFSETS = ("clause_crisis", "clause_emergency", "clause_urgent")
OVERRIDE = "crisis_over_emergency"
"""The learned crisis score at which the crisis message replaces a lexicon *emergency*
hit ("if I pull my trach out how long until I pass": the words of an airway emergency, the
meaning of a crisis). 1 switches it off; training keeps it above the crisis score of every
emergency in the repository's gated and dev sets."""
URGENT_OVERRIDE = "emergency_over_urgent"
"""The learned emergency score at which the emergency message replaces a lexicon *urgent*
hit ("she is drooling and can't swallow her own spit and her breathing sounds wet": an
urgent pattern's words, an airway emergency's meaning). Never below ``emergency_stop``;
training keeps it above the learned emergency score of every question the repository
gates as urgent (clinicians placed those), so none of them is sent to 911 (round 5)."""
NOTE_HOLD = "note_hold"
"""The follow-up model's release probability below which a turn right after a safety note
is read as push-back ("it's a figure of speech, relax", "I'm fine, drop it") and gets the
note's message as a hard stop (0 switches it off: only push-back patterns hold). Chosen
by leave-one-writer-out so that no writer's calm last turn is held by it (round 6)."""
VETO = "lexicon_veto"
"""How calm the learned stage must read a question the lexicon flags as an *emergency*
(:meth:`SafetyModel.lexicon_calm`) for the hard stop to become an emergency safety note
above the answer ("my cat chokes on hairballs", "last year his trach came out, how do we
prevent it"). 1 switches it off; training keeps it above the reading of every emergency
the repository gates (S1). A lexicon *crisis* is never softened."""
VETO_MIN_WORDS = 6
"""A question of fewer words is never softened: "stridor" or "should I call 911" has no
context for a calm reading to rest on."""
VERIFY_CLASSES = ("stop", "calm")
"""The verifier's classes: approved exemplars the lexicon flags as an emergency, by label."""


@dataclass(frozen=True)
class Linear:
    """One softmax model: ``classes`` in order, weights (classes x dim) and biases."""

    classes: tuple[str, ...]
    weights: np.ndarray
    bias: np.ndarray

    def probabilities(self, vector: np.ndarray) -> dict[str, float]:
        z = self.weights @ np.asarray(vector, dtype=np.float64) + self.bias
        z = z - z.max()
        p = np.exp(z)
        p = p / p.sum()
        return {c: float(v) for c, v in zip(self.classes, p, strict=True)}


@dataclass(frozen=True)
class Scores:
    """The screen model's probabilities for one question."""

    calm: float
    crisis: float
    emergency: float
    urgent: float


@dataclass(frozen=True)
class SafetyModel:
    model: str
    """The embedding model the weights were trained on (the embedder's name starts with it)."""
    dim: int
    screen: Linear
    followup: Linear
    thresholds: dict[str, float]
    neighbours: nn.Neighbours | None = None
    """The exemplar vote averaged into the screen's probabilities (None: linear only)."""
    verifier: nn.Neighbours | None = None
    """A vote among only the approved exemplars the lexicon flags as an emergency, calm
    against not (:meth:`lexicon_calm`); None: no lexicon hit is ever softened."""

    def fits(self, embedder_name: str, dim: int) -> bool:
        """Whether vectors from this embedder are the ones the weights were trained on."""
        return dim == self.dim and embedder_name.startswith(self.model)

    def scores(self, vector: np.ndarray) -> Scores:
        return self.scores_of_rows(np.atleast_2d(vector))[0]

    def scores_of_rows(self, rows: np.ndarray) -> list[Scores]:
        """The screen's scores of each vector (one row each). Each row is scored on its
        own, never in a batch: a batched float product can differ in the last digit
        with the batch's size, and a text's scores must not depend on its neighbours."""
        out = []
        vote = self.neighbours
        for row in np.atleast_2d(rows):
            p = self.screen.probabilities(row)
            if vote is not None and vote.weight > 0.0:
                v = vote.probabilities(row)[0]
                p = {c: (1.0 - vote.weight) * p[c] + vote.weight * float(v[i])
                     for i, c in enumerate(vote.classes)}
            out.append(Scores(p["calm"], p["crisis"], p["emergency"], p["urgent"]))
        return out

    def scores_of(self, vectors: np.ndarray) -> Scores:
        """Scores of a question from its whole vector (row 0) and its clauses' vectors
        (further rows; :mod:`botcore.triage.clauses`), so a red-flag clause is not averaged
        away: each class's score is the higher of the whole question's and the best
        clause's less that class's ``clause_*`` offset (a clause alone is weaker evidence
        than the whole; the offsets are calibrated with the other thresholds)."""
        rows = np.atleast_2d(vectors)
        every = self.scores_of_rows(rows)
        whole = every[0]
        if len(rows) == 1:
            return whole
        parts = every[1:]
        best = Scores(min(p.calm for p in parts), max(p.crisis for p in parts),
                      max(p.emergency for p in parts), max(p.urgent for p in parts))
        return combine(whole, best, self.thresholds)

    def lexicon_calm(self, rows: np.ndarray, scores: Scores) -> float:
        """How calm a question the lexicon flags as an emergency reads: the mean of the
        verifier's calm vote (the lowest over the whole question and its clauses, ``rows``
        as for ``scores_of``: a red-flag clause is not outvoted by the rest) and the
        screen's calm score (``scores``, from ``scores_of``). Why a second vote: the calm
        exemplars that share an emergency's words (a figure of speech, an episode that is
        over, a plan for "if it ever happens") sit among thousands of other calm ones in
        the screen's vote; among the lexicon's own hits they are the nearest neighbours."""
        if self.verifier is None:
            return 0.0
        votes = self.verifier.probabilities(np.atleast_2d(rows))[:, 1]
        return lexicon_calm_of(float(votes.min()), scores)

    def hold_probability(self, vector: np.ndarray) -> float:
        """How likely a turn after an escalation is push-back (keep the escalation)."""
        return self.followup.probabilities(vector)["hold"]


def combine(whole: Scores, clause: Scores | None, thresholds: dict[str, float]) -> Scores:
    """The whole question's scores raised by its best clause's, less the offsets."""
    if clause is None:
        return whole
    def one(key: str) -> float:
        return max(getattr(whole, key), getattr(clause, key) - thresholds.get(f"clause_{key}", 1.0))
    return Scores(min(whole.calm, clause.calm), one("crisis"), one("emergency"), one("urgent"))


_WORD = re.compile(r"[^\W\d_]{3,}")


def readable(query: str) -> bool:
    """Whether a text holds a run of three or more letters ("kms" does): without one
    (symbols and two-letter fragments, "; rm -rf / #") its vector is noise that can land
    anywhere, even past a crisis threshold, so a learned stop on it is only a note
    (``decision.fit_to_scope``). The lexicon and the hold still read such text (round 6)."""
    return _WORD.search(query) is not None


def vetoable(cleaned: str) -> bool:
    """Whether a lexicon emergency in this cleaned question may be read for a veto: enough
    words for context, and all of it inside what the vector reads (a red flag after the
    truncation point is not in the vector, so the vector cannot vouch for it)."""
    return len(cleaned.split()) >= VETO_MIN_WORDS and truncate(cleaned) == cleaned


def lexicon_calm_of(verifier_calm: float, scores: Scores) -> float:
    """:meth:`SafetyModel.lexicon_calm` from the verifier's calm vote (training replays it)."""
    return 0.5 * (verifier_calm + scores.calm)


def model_text(path: Path) -> str:
    """The exact text of the weights file: what the approval hashes and what is parsed."""
    return approved_file_text(path)


def parse_model(text: str, source: str = "classifier.json") -> SafetyModel:
    """Check and load the weights; any problem is one ``CorpusError`` line."""
    try:
        data = json.loads(text)
        return _model(data)
    except (ValueError, KeyError, TypeError) as exc:
        raise CorpusError(f"{source}: {exc}") from None


def _model(data: Any) -> SafetyModel:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"not a safety classifier file (format must be '{FORMAT}')")
    dim = int(data["embedder"]["dim"])
    screen = _linear(data["screen"], SCREEN_CLASSES, dim, "screen")
    followup = _linear(data["followup"], FOLLOWUP_CLASSES, dim, "followup")
    thresholds = {k: float(data["thresholds"][k]) for k in THRESHOLDS}
    for key, value in thresholds.items():
        if key in (*OFFSETS, OVERRIDE, VETO, URGENT_OVERRIDE, NOTE_HOLD) and 0.0 <= value <= 1.0:
            continue
        if not 0.0 < value < 1.0:
            raise ValueError(f"thresholds.{key} must be between 0 and 1")
    if thresholds["crisis_note"] > thresholds["crisis_stop"] or \
            thresholds["emergency_note"] > thresholds["emergency_stop"]:
        raise ValueError("a note threshold must not be above its stop threshold")
    vote = nn.parse(data["neighbours"], SCREEN_CLASSES, dim)
    verifier = nn.parse(data["verifier"], VERIFY_CLASSES, dim)
    return SafetyModel(str(data["embedder"]["model"]), dim, screen, followup, thresholds, vote,
                       verifier)


def _linear(data: Any, classes: tuple[str, ...], dim: int, name: str) -> Linear:
    if tuple(data["classes"]) != classes:
        raise ValueError(f"{name}.classes must be {list(classes)}")
    weights = np.asarray(data["weights"], dtype=np.float64)
    bias = np.asarray(data["bias"], dtype=np.float64)
    if weights.shape != (len(classes), dim) or bias.shape != (len(classes),):
        raise ValueError(f"{name}: weights must be {len(classes)} x {dim}, bias {len(classes)}")
    if not (np.all(np.isfinite(weights)) and np.all(np.isfinite(bias))):
        raise ValueError(f"{name}: weights must be finite numbers")
    return Linear(classes, weights, bias)


def load_model(path: Path) -> SafetyModel:
    return parse_model(model_text(path), path.name)


def finite_unit(vector: np.ndarray) -> bool:
    """A vector the classifier may read: finite, and of length about 1 (a zero vector from
    an empty text, or NaN from a broken model, must not be scored)."""
    v = np.asarray(vector, dtype=np.float64)
    return bool(np.all(np.isfinite(v))) and math.isclose(float(v @ v), 1.0, abs_tol=1e-3)
