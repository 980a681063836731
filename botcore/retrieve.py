"""Retrieval: from a question to a ranked list of approved passages, with the evidence
the abstention gate needs. Three modes share one code path so that the evals compare
BM25 only, dense only and the hybrid the app uses on equal terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from botcore.anchor import SHORT_FOLLOW_UP, ask_first, previous_bonus, subject_bonus
from botcore.answer import Session
from botcore.asks import asked_kinds, holds
from botcore.carry import Carry
from botcore.conversation import LOOK_BACK, Conversation, Resolution, subject_turn
from botcore.follow_on import asks_about_a_result, asks_what_came_after
from botcore.fusion import max_by_group, ranks, rrf
from botcore.generic_words import names_the_disease
from botcore.index import PassageIndex
from botcore.schema import Passage
from botcore.textproc import STOPWORDS, LayTerms, Speller, one_edit, words

Mode = Literal["hybrid", "bm25", "dense"]

SITUATION_BONUS = 0.25
"""Share of a first-place RRF contribution added for each of the user's situations a
passage is tagged with: enough to lift a close second above the first, not enough to
lift an unrelated passage."""
TOPIC_BONUS = 0.2
"""Same, for the guided topic the user is asking from ("ask about this")."""
FOLLOW_UP_COSINE = 1.0
"""A follow-up is searched several ways (with its subject, after the previous question,
near the passage just shown) and rank fusion alone weighs them all alike, so a passage
one of them matches far better than any other can end up below one they all match
moderately. Its best cosine is added, as this share of a first place, to its fused score."""
BONUS_REACH = 0.15
"""A situation or topic bonus goes only to a passage whose dense cosine is within this of
the best one: a close second, never a passage the question itself matches far less well
("what is immunotherapy exactly" from someone with stage IVC is still answered by what
immunotherapy is, not by the stage IVC results)."""
RANKING_ASKS = frozenset({"recovery", "heredity", "lasting"})
"""The asks whose "holds" reads words of their own ("stops working", "in time", "runs in
families"), strong enough to order the passages shown. A duration, frequency or figure is
held by nearly any number, so it stays a condition of the decision only: ordering by it
put "how many weeks in total" on the radiation schedules (tried on sets A-F, round 9)."""


@dataclass(frozen=True)
class Ranking:
    """Ranked approved passages for one query (best first) and the decision's evidence."""

    passage_ids: list[str]
    scores: list[float]
    """The mode's ranking score (fused RRF, cosine or BM25), aligned with passage_ids."""
    dense: dict[str, float] = field(default_factory=dict)
    """Best view cosine of each ranked passage (hybrid and dense modes)."""
    gate: float = float("nan")
    """The best dense cosine among the first three ranked passages (NaN when there is no
    dense evidence: the decision then abstains)."""
    query: str = ""
    """The query the answerability signals read: the question, or for a follow-up the
    question with its subject (brand names replaced by the generic)."""
    dense_question: dict[str, float] = field(default_factory=dict)
    """Best cosine of each ranked passage over its question views (title, asked-as)."""
    bm25: dict[str, float] = field(default_factory=dict)
    """Best BM25 score of each ranked passage (absent: no term in common)."""
    dense_rank: dict[str, int] = field(default_factory=dict)
    """1-based rank of each ranked passage by dense cosine alone (absent: no evidence)."""
    bm25_rank: dict[str, int] = field(default_factory=dict)
    """1-based rank of each ranked passage by BM25 alone (absent: no term in common)."""
    resolution: Resolution | None = None
    """How the question was read in its conversation (follow-up, new topic...)."""


_DISEASE = re.compile(
    r"\b(?:(?:for|with|in|of|about|from|on) )?(?:(?:an?|the|my|his|her|this) )?"
    r"(?:anaplastic(?: thyroid)?(?: cancer| carcinoma| tumou?r)?|atc"
    r"|thyroid (?:anaplastic|cancer|carcinoma)(?: cancer| carcinoma)?)\b"
)


def without_disease_name(question: str, min_content: int = 2) -> str:
    """The question without the disease's name, when enough is left to search on.

    Every passage is about ATC, so the name carries no signal for *which* passage; but
    it pulls "What is ATC?" to the top of "is immunotherapy an option for anaplastic
    thyroid cancer". Searching both forms and fusing them keeps the name's context while
    letting the rest of the question decide."""
    text = " ".join(words(question))
    stripped = " ".join(_DISEASE.sub(" ", text).split())
    content = [w for w in stripped.split() if w not in STOPWORDS]
    return stripped if stripped != text and len(content) >= min_content else question


@dataclass(frozen=True)
class Channels:
    """Per-passage evidence for one searched query (NaN = no evidence)."""

    dense: np.ndarray
    dense_question: np.ndarray
    bm25: np.ndarray


class Retriever:
    def __init__(self, index: PassageIndex, lay_terms: LayTerms, settings_top: int,
                 rrf_k: int) -> None:
        self.index = index
        self.lay_terms = lay_terms
        vocabulary = [w for p in index.passages for w in words(p.title + " " + p.text + " "
                                                                + " ".join(p.asked_as))]
        self.known = set(vocabulary)
        """Every word the approved passages use (brand names outside it are replaced)."""
        self.speller = Speller(vocabulary)
        self._medical = lay_terms.vocabulary()
        self.candidate_k = settings_top
        self.rrf_k = rrf_k
        self._question_views = question_view_mask(index.dense.view_passage)
        titles = {p.id: p.title for p in index.passages}
        texts = {p.id: p.text for p in index.passages}
        self.conversation = Conversation(lay_terms, generic_terms(lay_terms, index.passages),
                                         titles.get, without_disease_name,
                                         lambda pid: texts.get(pid, ""))
        self.carry = Carry(index)
        self._row = {p.id: i for i, p in enumerate(index.passages)}
        self._named = [frozenset(lay_terms.terms_in(f"{p.title} {p.text}"))
                       for p in index.passages]
        """The glossary terms each passage names (``botcore.anchor``)."""
        self._held: dict[tuple[int, str], bool] = {}

    def query_texts(self, question: str, session: Session | None = None) -> list[str]:
        """The texts :meth:`rank` will encode for this question in this conversation, so
        the engine can encode them with the safety screen's in one call to the model."""
        return self._searched(self.conversation.resolve(question, session))

    def _searched(self, resolution: Resolution) -> list[str]:
        queries = list(dict.fromkeys(self.lay_terms.canonical(q, self.known)
                                     for q in resolution.queries))
        if resolution.kind == "follow-up" and resolution.question not in queries:
            queries.append(resolution.question)  # its own reading (``_own_reading``)
        elif resolution.kind != "follow-up":
            repaired = self._repaired(resolution.question)
            if repaired is not None and repaired not in queries:
                queries.insert(1, repaired)
        return queries

    def _repaired(self, question: str) -> str | None:
        """The question with each misspelt word one letter from a word the passages use put
        right ("what is hosipce for atc pts": hospice), when there is one (round 10): BM25
        searched the repaired words already, the dense model read "hosipce" as noise. Only
        a one-letter repair (an insertion, deletion, substitution or swap) into a word of
        the glossary's terms and lay phrases counts, so a real word the passages never use
        is not turned into one they do ("medicare" is not "medical", a "movie" is not a
        "move"), and never by dropping a letter (a "marker" is not a "maker"). New
        questions only: a follow-up is searched with its subject."""
        said = words(question)
        fixed = [f if len(w) >= 5 and (f := self.speller.fix(w)) in self._medical
                 and len(f) >= len(w) and one_edit(w, f) else w for w in said]
        return " ".join(fixed) if fixed != said else None

    def rank(self, question: str, session: Session | None = None, mode: Mode = "hybrid",
             k: int = 10) -> Ranking:
        """Rank approved passages for a question read in its conversation.

        A new question is searched as asked and without the disease's name; a follow-up
        with its subject and with the previous question too (``botcore.conversation``);
        the searches are fused (their vectors encoded in one batch). Brand names the
        passages never use are searched as the generic drug ("Tafinlar" as dabrafenib)."""
        resolution = self.conversation.resolve(question, session)
        searched = self._searched(resolution)
        vectors = self.index.encode_queries(searched) if mode != "bm25" else None
        queries = searched[:len(searched) - self._own_reading(resolution, searched)]
        channels = [self._channel_scores(q, mode, None if vectors is None else vectors[i])
                    for i, q in enumerate(queries)]
        dense_p = _best([c.dense for c in channels])
        bm25_p = _best([c.bm25 for c in channels])
        if mode == "dense":
            score = dense_p.copy()
        elif mode == "bm25":
            score = bm25_p.copy()
        else:
            rank_lists = [ranks(arr) for c in channels for arr in (c.dense, c.bm25)]
            carried = self._carried(resolution, session, vectors)
            if carried is not None:  # a follow-up: also ranked near the passage just shown
                rank_lists.append(ranks(carried))
            if len(queries) < len(searched):  # and by its own words alone
                assert vectors is not None
                own = self._channel_scores(self.lay_terms.canonical(question, self.known),
                                           mode, vectors[-1])
                rank_lists.extend((ranks(own.dense), ranks(own.bm25)))
            score = rrf(rank_lists, k=self.rrf_k, depth=self.candidate_k) / len(channels)
            score[score <= 0] = np.nan
            if resolution.kind == "follow-up":  # several searches: the best cosine counts too
                score = score + FOLLOW_UP_COSINE / (self.rrf_k + 1) * np.nan_to_num(dense_p)
                score = score + self._anchored(resolution, session, dense_p)
            score = self._boost(score, session, dense_p)
        order = ranked_order(score, k)
        if resolution.kind == "follow-up":
            order = self._asked(resolution.question, order)
        ids = [self.index.passages[i].id for i in order]
        top_dense = [dense_p[i] for i in order[:3] if np.isfinite(dense_p[i])]
        gate = float(max(top_dense)) if top_dense else float("nan")
        if mode == "bm25":
            gate = float(score[order[0]]) if order else float("nan")
        return Ranking(
            ids, [float(score[i]) for i in order], _finite_map(ids, order, dense_p), gate,
            queries[0],
            dense_question=_finite_map(ids, order, _best([c.dense_question for c in channels])),
            bm25=_finite_map(ids, order, bm25_p), dense_rank=_rank_map(ids, order, dense_p),
            bm25_rank=_rank_map(ids, order, bm25_p), resolution=resolution,
        )

    def _anchored(self, resolution: Resolution, session: Session | None,
                  dense: np.ndarray) -> np.ndarray:
        """The bonus of the passages that name a carried subject the person named
        themselves in a recent question (``botcore.anchor``; a term read off a passage
        shown is a guess, not what they asked about), and for a short one, of the passage
        just shown; none for a follow-up that names terms of its own, unless it ends on
        what came after the last answer and the passage just shown names those terms too
        ("how many people got to have surgery after": that passage's people; round 10)."""
        if not resolution.carried or session is None:
            return np.zeros(len(self._named))
        named = self.conversation.named_terms(resolution.question)
        after = asks_what_came_after(resolution.question)
        if named and not after:
            return np.zeros(len(self._named))
        said = {t for turn in session.turns[-LOOK_BACK:] if turn.status != "escalated"
                for t in self.conversation.own_terms(turn.question)}
        subject = [] if named else [t for t in resolution.subject if t in said]
        first_place = 1.0 / (self.rrf_k + 1)
        bonus = subject_bonus(self._named, subject, dense, first_place)
        previous = subject_turn(session)
        row = self._row.get(previous.passage_ids[0]) if previous and previous.passage_ids else None
        if (previous is not None and previous.status == "answered" and row is not None
                and (len(words(resolution.question)) <= SHORT_FOLLOW_UP or after)
                and set(named) <= self._named[row]):  # "...surgery after": it names surgery
            bonus += previous_bonus(dense, row, first_place)
        return bonus

    def _asked(self, question: str, order: list[int]) -> list[int]:
        """The ranking with the passages that hold every kind of answer the follow-up asks
        for put first among the first ``ASK_TOP`` (``botcore.anchor.ask_first``), for the
        kinds a passage holds in words of their own (``RANKING_ASKS``)."""
        kinds = [kind for kind in asked_kinds(question) if kind in RANKING_ASKS]
        if not kinds:
            return order
        return ask_first(order, lambda row: all(self._holds(row, kind) for kind in kinds))

    def _holds(self, row: int, kind: str) -> bool:
        key = (row, kind)
        if key not in self._held:  # approved passages do not change
            self._held[key] = holds(kind, self.index.passages[row].text)
        return self._held[key]

    @staticmethod
    def _own_reading(resolution: Resolution, searched: list[str]) -> int:
        """1 when ``searched`` ends with the follow-up's own words alone.

        A follow-up is also ranked by its own words (dense and BM25), two more lists in
        the fusion only: "what if they stop working" after the BRAF pills must find the
        passage on resistance, which the searches mixed with the subject's names ("...
        BRAF Stage IVC") pull back to the passage just shown. Its vector is the
        question's, already encoded for the safety screen (no extra encode); the cosines
        the answer decision reads stay those of the searches with the subject."""
        return int(resolution.kind == "follow-up" and len(searched) > 1
                   and searched[-1] == resolution.question)

    def _channel_scores(self, query: str, mode: Mode, vector: np.ndarray | None) -> Channels:
        """Per-passage dense cosine from the query's ``vector`` (all views, and question
        views only) and BM25 score for one query (NaN = no evidence)."""
        n = len(self.index.passages)
        dense_p = np.full(n, np.nan)
        dense_q = np.full(n, np.nan)
        if vector is not None and mode in ("hybrid", "dense"):
            view_scores = self.index.dense_view_scores(vector)
            dense_p = max_by_group(view_scores, self.index.dense.view_passage, n)
            dense_p[~np.isfinite(dense_p)] = np.nan
            asked = np.where(self._question_views, view_scores, np.nan)
            dense_q = max_by_group(asked, self.index.dense.view_passage, n)
            dense_q[~np.isfinite(dense_q)] = np.nan
        bm25 = np.zeros(n)
        if mode in ("hybrid", "bm25"):
            bm25 = self.index.bm25_scores(self.lay_terms.expand(self.speller.fix_text(query)))
        bm25 = np.where(bm25 > 0, bm25, np.nan)  # no term in common = no lexical evidence
        return Channels(dense_p, dense_q, bm25)

    def _carried(self, resolution: Resolution, session: Session | None,
                 vectors: np.ndarray | None) -> np.ndarray | None:
        """For a follow-up, each passage's cosine with the question's vector moved toward
        the passage the previous turn was answered with (``botcore.carry``)."""
        previous = subject_turn(session)
        if (resolution.kind != "follow-up" or vectors is None or previous is None
                or not previous.considered or asks_about_a_result(resolution.question)):
            return None  # "and if it's positive?" is not about the test just described
        return self.carry.scores(vectors[0], previous.considered[0])

    def _boost(self, fused: np.ndarray, session: Session | None,
               dense: np.ndarray) -> np.ndarray:
        if session is None or (not session.situations and session.topic is None):
            return fused
        first_place = 1.0 / (self.rrf_k + 1)
        boosted = fused.copy()
        finite = dense[np.isfinite(dense) & np.isfinite(fused)]
        reach = float(finite.max()) - BONUS_REACH if finite.size else np.inf
        for i, passage in enumerate(self.index.passages):
            if not np.isfinite(boosted[i]) or not dense[i] >= reach:  # NaN: no bonus
                continue
            shared = len(session.situations.intersection(passage.situations))
            on_topic = passage.topic == session.topic
            bonus = SITUATION_BONUS * shared + (TOPIC_BONUS if on_topic else 0.0)
            boosted[i] += bonus * first_place
        return boosted


def _best(arrays: list[np.ndarray]) -> np.ndarray:
    """Element-wise best over the searched queries, ignoring NaN (all NaN stays NaN)."""
    if len(arrays) == 1:
        return arrays[0]
    with np.errstate(invalid="ignore"):
        return np.fmax.reduce(arrays)


def ranked_order(score: np.ndarray, k: int) -> list[int]:
    """The indices of the ``k`` best finite scores, best first (ties: lower index first)."""
    by_score = np.argsort(-np.nan_to_num(score, nan=-np.inf), kind="stable")
    return by_score[np.isfinite(score[by_score])][:k].tolist()


def _finite_map(ids: list[str], order: list[int], values: np.ndarray) -> dict[str, float]:
    return {pid: float(values[i]) for pid, i in zip(ids, order, strict=True)
            if np.isfinite(values[i])}


def _rank_map(ids: list[str], order: list[int], values: np.ndarray) -> dict[str, int]:
    r = ranks(values)
    return {pid: int(r[i]) for pid, i in zip(ids, order, strict=True) if r[i] > 0}


def question_view_mask(view_passage: np.ndarray) -> np.ndarray:
    """True for the views that are short questions (title, asked-as), False for the text.

    Views are stored passage by passage in ``botcore.index.passage_views`` order: title,
    text, then each asked-as phrasing; so the second view of each passage is its text."""
    mask = np.ones(len(view_passage), dtype=bool)
    previous, offset = -1, 0
    for i, owner in enumerate(view_passage.tolist()):
        offset = offset + 1 if owner == previous else 0
        previous = owner
        if offset == 1:
            mask[i] = False
    return mask


GENERIC_SHARE = 0.35
"""A glossary term named by more than this share of passages is too common to be what a
conversation is about."""


def generic_terms(lay_terms: LayTerms, passages: list[Passage]) -> set[str]:
    """Glossary terms that never make a subject: the disease's own names (ATC,
    anaplastic, thyroid, tumor) and terms nearly every passage names."""
    counts: dict[str, int] = {}
    for p in passages:
        for term in lay_terms.terms_in(f"{p.title} {p.text}"):
            counts[term] = counts.get(term, 0) + 1
    common = {t for t, c in counts.items() if c > GENERIC_SHARE * max(1, len(passages))}
    disease = {t for t in lay_terms.terms() if names_the_disease(t)}
    return common | disease
