"""The decision: answer only when the passages answer the question.

Two stages. Which passages: the first of the fused ranking, and a second or third only
when its own cosine is close enough to help (never padding). Whether to show them:
the answerability model (``botcore.answerability``) reads several signals and gives the
probability that the first passage answers the question; below its threshold the bot
does not present the passages as the answer. When they are still on the subject it
offers them as "related, not an answer" (titles to pick from, never the passages as an
answer); otherwise it declines ("weak evidence" or, far below, "out of scope").

Without a fitted model (a corpus with no ``answerability.json``) or with
``Settings.min_relevance`` set (calibration experiments), the similarity gate of the
first release decides alone: the best dense cosine among the first three passages
against ``ANSWER_THRESHOLD``.

NaN or infinite scores, zero-norm query vectors and faiss ``-1`` ids all arrive here as
NaN, and NaN never passes (``nan < t`` is False, so every comparison is written the safe
way round: ``passes``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

from botcore.answerability import Model
from botcore.retrieve import Ranking

# Calibrated with `python -m evals.calibrate` on the DEV split of evals/cases only (the
# held-out split is never used for tuning): the share of dev questions handled right
# (answerable -> right passage in the top 3, should-decline -> declined) is highest and
# flat for thresholds 0.450-0.479 while off-topic refusal stays >= 95 %; 0.46 is the
# middle of that plateau (at 0.45 one public out-of-scope question slipped through).
ANSWER_THRESHOLD = 0.46
"""The similarity gate (no model): below this the bot abstains."""
OUT_OF_SCOPE_BELOW = 0.30
"""Far below the gate the question is almost surely not about ATC care at all: never
answered and never offered related passages, whatever the model says."""
COMPANION_MARGIN = 0.12
"""A second or third passage is shown only if its own cosine is within this margin of
the similarity threshold: close enough to help, never padding."""
RELATED_TITLE_FLOOR = 0.35
"""A passage is offered as related (its title) only with at least this cosine."""

Verdict = Literal["answer", "weak-evidence", "out-of-scope", "related"]


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    passage_ids: list[str]
    """Shown (answer) or offered by title (related); empty otherwise."""
    score: float = math.nan
    """What was compared with the threshold: the model's probability, or the cosine gate."""
    considered: list[str] = field(default_factory=list)
    """The passages that would have been shown, had the decision been to answer."""


def passes(score: float, threshold: float) -> bool:
    """True only for a finite score at or above the threshold."""
    return math.isfinite(score) and score >= threshold


def choose(ranking: Ranking, top_k: int,
           floor: float = ANSWER_THRESHOLD - COMPANION_MARGIN) -> list[str]:
    """The first passage with a finite cosine, then companions whose cosine is at least
    ``floor``, up to ``top_k``, in ranking order."""
    chosen: list[str] = []
    for pid in ranking.passage_ids:
        if len(chosen) == top_k:
            break
        score = ranking.dense.get(pid, math.nan)
        if math.isfinite(score) and (not chosen or score >= floor):
            chosen.append(pid)
    return chosen


def _decline(gate: float) -> Verdict:
    far = not math.isfinite(gate) or gate < OUT_OF_SCOPE_BELOW
    return "out-of-scope" if far else "weak-evidence"


def decide(ranking: Ranking, threshold: float | None = None, top_k: int = 3) -> Decision:
    """The similarity gate alone (no model): answer when the gate cosine passes."""
    threshold = ANSWER_THRESHOLD if threshold is None else threshold
    chosen = choose(ranking, top_k, threshold - COMPANION_MARGIN)
    if not ranking.passage_ids or not passes(ranking.gate, threshold) or not chosen:
        return Decision(_decline(ranking.gate), [], ranking.gate, chosen)
    return Decision("answer", chosen, ranking.gate, chosen)


def thin_question(signals: dict[str, float]) -> bool:
    """True for a question of fewer than two salient words that names no glossary term
    and is not read in context ("home", "${HOME}"): a cosine and a full coverage of one
    ordinary word say nothing about an answer, so it is never answered (related titles at
    most). A follow-up ("why?", "and the side effects?") is not thin unless every word of
    it is unknown to the passages ("null" after a real question). A missing count is read
    as thin, the safe way round. A definition of a word only one or two passages use
    ("what is crolibulin": ``rare_definition``) is not thin: that word names its passage."""
    if signals.get("follow_up", 0.0) >= 1 and (
            passes(-signals.get("unknown", math.nan), -0.99)
            or passes(signals.get("plain_words", math.nan), 1)):
        return False  # a follow-up leans on its subject ("who comes to the house", "and
        # afterwards?"), unless it is a lone word no passage knows ("null")
    return not (passes(signals.get("salient_words", math.nan), 2)
                or passes(signals.get("terms_named", math.nan), 1)
                or passes(signals.get("rare_definition", 0.0), 1))


def misses_the_ask(signals: dict[str, float]) -> bool:
    """True when the question names a practical aspect the first passage does not cover
    (insurance, driving, a shower: ``botcore.aspects``) or asks for a kind of answer it does
    not hold (a duration, a figure: ``botcore.asks``). Such a passage is on the topic and
    does not answer: never shown as the answer, whatever the model says ("related" at
    most). Missing signals are read as not missed: the model and the floor still decide."""
    return passes(signals.get("aspect", 0.0), 0.01) or passes(signals.get("ask_unmet", 0.0), 0.5)


def decide_answerable(ranking: Ranking, model: Model, signals: dict[str, float],
                      top_k: int = 3) -> Decision:
    """The answerability decision (see the module docstring)."""
    probability = model.probability(signals)
    chosen = choose(ranking, top_k)
    if not chosen or not passes(ranking.gate, OUT_OF_SCOPE_BELOW):
        return Decision(_decline(ranking.gate), [], probability, chosen)
    first = signals.get("dense", math.nan)
    held_back = thin_question(signals) or misses_the_ask(signals)
    if passes(probability, model.threshold) and passes(first, model.answer_floor) and not held_back:
        return Decision("answer", chosen, probability, chosen)
    if passes(ranking.gate, model.related_floor):
        titles = [pid for pid in ranking.passage_ids[:top_k]
                  if passes(ranking.dense.get(pid, math.nan), RELATED_TITLE_FLOOR)]
        if titles:
            return Decision("related", titles, probability, chosen)
    return Decision(_decline(ranking.gate), [], probability, chosen)
