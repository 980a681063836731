"""Retrieval: from a question to a ranked list of approved passages, with the evidence
the abstention gate needs. Three modes share one code path so that the evals compare
BM25 only, dense only and the hybrid the app uses on equal terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from botcore.answer import Session
from botcore.fusion import max_by_group, ranks, rrf
from botcore.index import PassageIndex
from botcore.textproc import STOPWORDS, LayTerms, Speller, words

Mode = Literal["hybrid", "bm25", "dense"]

SITUATION_BONUS = 0.25
"""Share of a first-place RRF contribution added for each of the user's situations a
passage is tagged with: enough to lift a close second above the first, not enough to
lift an unrelated passage."""
TOPIC_BONUS = 0.2
"""Same, for the guided topic the user is asking from ("ask about this")."""

_PRONOUN = re.compile(r"\b(it|that|this|they|them|those|these|one|ones)\b")
_FOLLOW_UP = re.compile(
    r"^(what|how) about\b|^and\b|^(is|does|do|can|will|would|what if) (it|that|this|they|those|he|she)\b"
    r"|^(any|what are the) (side effects|risks|downsides|other options)\b|^(why|how come)\??$"
    r"|^(tell me more|more about that|what else)\b"
)


@dataclass(frozen=True)
class Ranking:
    """Ranked approved passages for one query (best first) and the gate's evidence."""

    passage_ids: list[str]
    scores: list[float]
    """The mode's ranking score (fused RRF, cosine or BM25), aligned with passage_ids."""
    dense: dict[str, float] = field(default_factory=dict)
    """Best view cosine of each ranked passage (hybrid and dense modes)."""
    gate: float = float("nan")
    """The score the abstention gate compares: the best dense cosine among the first three
    ranked passages (NaN when there is no dense evidence: the gate then abstains)."""
    query: str = ""
    """The query actually searched (after follow-up context was added)."""


def is_follow_up(question: str) -> bool:
    """A short question that leans on the previous one ("what about side effects?")."""
    text = " ".join(words(question))
    short_with_reference = len(text.split()) <= 8 and bool(_PRONOUN.search(text))
    return bool(_FOLLOW_UP.search(text)) or short_with_reference


def contextual_query(question: str, session: Session | None) -> str:
    """Add the previous answered question to a follow-up, so "what about side effects?"
    after a question on BRAF drugs searches for side effects of BRAF drugs."""
    if session is None or not is_follow_up(question):
        return question
    for turn in reversed(session.turns[-3:]):
        if turn.status == "answered":
            return f"{turn.question} {question}"
    return question


_DISEASE = re.compile(
    r"\b(?:(?:for|with|in|of|about|from|on) )?(?:(?:an?|the|my|his|her|this) )?"
    r"(?:anaplastic(?: thyroid)?(?: cancer| carcinoma| tumou?r)?|atc)\b"
)


def without_disease_name(question: str) -> str:
    """The question without the disease's name, when enough is left to search on.

    Every passage is about ATC, so the name carries no signal for *which* passage; but
    it pulls "What is ATC?" to the top of "is immunotherapy an option for anaplastic
    thyroid cancer". Searching both forms and fusing them keeps the name's context while
    letting the rest of the question decide."""
    text = " ".join(words(question))
    stripped = " ".join(_DISEASE.sub(" ", text).split())
    content = [w for w in stripped.split() if w not in STOPWORDS]
    return stripped if stripped != text and len(content) >= 2 else question


class Retriever:
    def __init__(self, index: PassageIndex, lay_terms: LayTerms, settings_top: int, rrf_k: int) -> None:
        self.index = index
        self.lay_terms = lay_terms
        self.speller = Speller(w for p in index.passages for w in words(p.title + " " + p.text + " "
                                                                       + " ".join(p.asked_as)))
        self.candidate_k = settings_top
        self.rrf_k = rrf_k

    def rank(self, question: str, session: Session | None = None, mode: Mode = "hybrid",
             k: int = 10) -> Ranking:
        """Rank approved passages. A follow-up is searched twice, as asked and with the
        previous question, and both searches are fused: "what about braf?" after "how
        common is atc" is about BRAF, while "what about side effects?" needs the context."""
        contextual = contextual_query(question, session)
        queries = list(dict.fromkeys([question, contextual, without_disease_name(question)]))
        vectors = self.index.encode_queries(queries) if mode != "bm25" else None
        channels = [self._channel_scores(q, mode, None if vectors is None else vectors[i])
                    for i, q in enumerate(queries)]
        with np.errstate(invalid="ignore"):
            dense_p = np.fmax.reduce([d for d, _ in channels]) if len(channels) > 1 else channels[0][0]
        if mode == "dense":
            score = dense_p.copy()
        elif mode == "bm25":
            score = np.fmax.reduce([b for _, b in channels]) if len(channels) > 1 else channels[0][1]
        else:
            rank_lists = [ranks(arr) for pair in channels for arr in pair]
            score = rrf(rank_lists, k=self.rrf_k, depth=self.candidate_k) / len(channels)
            score[score <= 0] = np.nan
            score = self._boost(score, session)
        order = [int(i) for i in np.argsort(-np.nan_to_num(score, nan=-np.inf), kind="stable")
                 if np.isfinite(score[i])][:k]
        ids = [self.index.passages[i].id for i in order]
        dense_map = {self.index.passages[i].id: float(dense_p[i]) for i in order if np.isfinite(dense_p[i])}
        top_dense = [dense_p[i] for i in order[:3] if np.isfinite(dense_p[i])]
        gate = float(max(top_dense)) if top_dense else float("nan")
        if mode == "bm25":
            gate = float(score[order[0]]) if order else float("nan")
        return Ranking(ids, [float(score[i]) for i in order], dense_map, gate, contextual)

    def _channel_scores(self, query: str, mode: Mode,
                        vector: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """Per-passage dense cosine (from the query's ``vector``) and BM25 score for one
        query (NaN = no evidence)."""
        n = len(self.index.passages)
        dense_p = np.full(n, np.nan)
        if vector is not None and mode in ("hybrid", "dense"):
            view_scores = self.index.dense_view_scores(vector)
            dense_p = max_by_group(view_scores, self.index.dense.view_passage, n)
            dense_p[~np.isfinite(dense_p)] = np.nan
        bm25 = np.zeros(n)
        if mode in ("hybrid", "bm25"):
            bm25 = self.index.bm25_scores(self.lay_terms.expand(self.speller.fix_text(query)))
        bm25 = np.where(bm25 > 0, bm25, np.nan)  # no term in common = no lexical evidence
        return dense_p, bm25

    def _boost(self, fused: np.ndarray, session: Session | None) -> np.ndarray:
        if session is None or (not session.situations and session.topic is None):
            return fused
        first_place = 1.0 / (self.rrf_k + 1)
        boosted = fused.copy()
        for i, passage in enumerate(self.index.passages):
            if not np.isfinite(boosted[i]):
                continue
            shared = len(session.situations.intersection(passage.situations))
            bonus = SITUATION_BONUS * shared + (TOPIC_BONUS if passage.topic == session.topic else 0.0)
            boosted[i] += bonus * first_place
        return boosted
