"""Answerability, not similarity: does the best passage *answer* the question?

A cosine measures topic: "can I eat grapefruit with lenvatinib" is close to a passage on
lenvatinib's response rates, which does not answer it. The decision here reads several
signals of the fused ranking (``signals``) and combines them with a small logistic
regression fitted on DEV cases only (``python -m evals.fit_answerability``). Its weights
are versioned data, ``corpus/answerability.json``, hashed: a file whose hash does not
match its content is refused at start, so what runs is exactly what was fitted.

Signals, for the first passage of the ranking (the one that would be shown first):
- ``dense``: best cosine of the question with any of the passage's views;
- ``dense_question``: best cosine with its question views (title, asked-as phrasings):
  a question that matches how people ask for a passage is usually answered by it;
- ``margin``: how far that passage's cosine is above the best other passage's;
- ``coverage``: share (IDF-weighted) of the question's salient words that the passage,
  its asked-as phrasings or the lay terms of its glossary terms contain;
- ``coverage_top3``: the best coverage among the first three;
- ``unknown``: share (IDF-weighted) of salient words no approved passage uses at all
  ("grapefruit", "insurance", "shower"): what the corpus cannot speak to (a word the
  typo repair turned into a known one counts half);
- ``uncovered_max``: the rarest salient word the first passage does not cover (its IDF,
  as a share of the IDF of a word no passage uses): one strong word left out
  ("medicare" in "does medicare cover hospice at home") is enough to doubt an answer;
- ``aspect``: practical aspects of daily life, money and logistics the question names and
  the first passage does not cover (``botcore.aspects``; 0, 0.5 for one, 1 for two+);
- ``ask_unmet``: 1 when the question asks for a kind of answer (a duration, a frequency, a
  figure: ``botcore.asks``) that the first passage does not hold at all, or weighs one
  treatment against another ("is X better than Y") and the passage leaves one of them out;
- ``bm25_agrees`` / ``dense_agrees``: 1/rank of the passage by BM25 alone and by dense alone;
- ``follow_up``: 1 when read in context.

Three more are read by a rule, not the model: ``salient_words``, ``terms_named`` and
``plain_words`` (the question's words that are not salient). A
question of one ordinary word that names no glossary term ("home", "${HOME}") is never
answered: a cosine and a full "coverage" of one word say nothing about an answer.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from botcore.asks import asked_kinds, compares, holds
from botcore.aspects import aspect_phrases, aspect_words, without_body_part_names
from botcore.conversation import GENERIC, salient
from botcore.errors import CorpusError
from botcore.follow_on import asked_sentences
from botcore.generic_words import names_the_disease
from botcore.index import lexical_document
from botcore.retrieve import Ranking
from botcore.schema import Passage
from botcore.textproc import STOPWORDS, LayTerms, Speller, one_edit, stem, term_names, words

MODEL_FILE = "answerability.json"
RARE_PASSAGES = 2
"""A long word at most so many passages use names one thing ("crolibulin",
"fosbretabulin"): a drug, a trial, a test the glossary does not list."""
RARE_LENGTH = 8
"""...of at least so many letters: "home" or "tube" are ordinary words, rare or not."""
_DEFINITION = re.compile(r"^(?:so |and |ok |okay )?(?:what is|whats|what are|what does|define"
                         r"|explain|meaning of|what s)\b")
MODEL_FORMAT = 1
EXPECTED_SIGN: dict[str, int] = {
    "dense": 1, "dense_question": 1, "margin": 1, "coverage": 1, "coverage_top3": 1,
    "unknown": -1, "uncovered_max": -1, "aspect": -1, "bm25_agrees": 1, "dense_agrees": 1,
    "follow_up": 1, "ask_unmet": -1,
}
"""The direction in which each signal may move the probability. A fitted weight of the
other sign (collinear signals can do that) is not trusted: the fitting script drops that
signal and refits, so that garbage input ("__import__('os')") cannot look answerable by
being full of unknown words."""
FEATURES: tuple[str, ...] = (
    "dense",
    "dense_question",
    "margin",
    "coverage",
    "coverage_top3",
    "unknown",
    "uncovered_max",
    "aspect",
    "bm25_agrees",
    "dense_agrees",
    "follow_up",
    "ask_unmet",
)


@dataclass(frozen=True)
class Model:
    """A fitted logistic regression over standardised signals, and its thresholds."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float
    """Answer when the probability is at or above this..."""
    answer_floor: float
    """...and the first passage's cosine is at least this (below it, never an answer)."""
    related_floor: float
    """Below the threshold, offer "related, not an answer" when the best cosine among the
    first three is at least this; below it, decline as before."""
    sha256: str

    def probability(self, signals: dict[str, float]) -> float:
        z = self.intercept
        for name, mu, sd, w in zip(self.features, self.mean, self.scale, self.coef, strict=True):
            value = signals.get(name, math.nan)
            if not math.isfinite(value):
                return math.nan  # a missing signal never passes (S10)
            z += w * (value - mu) / sd
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


def model_payload_hash(payload: dict[str, object]) -> str:
    """sha256 of the model's content (every field but the hash itself), canonical JSON."""
    body = {k: v for k, v in payload.items() if k != "sha256"}
    return hashlib.sha256(
        json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()


def load_model(corpus_dir: Path) -> Model | None:
    """The fitted model, or None when the corpus has none (the similarity gate decides).

    Raises ``CorpusError`` for a file that is unreadable, malformed or whose hash does not
    match its content: an edited model is never used."""
    path = corpus_dir / MODEL_FILE
    if not path.is_file():
        return None
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        if payload.get("format") != MODEL_FORMAT:
            raise ValueError("unknown format")
        if model_payload_hash(payload) != payload.get("sha256"):
            raise CorpusError(
                f"{MODEL_FILE}: its sha256 does not match its content; refit it "
                "with `python -m evals.fit_answerability`"
            )
        model = Model(
            features=tuple(payload["features"]),
            mean=tuple(map(float, payload["mean"])),
            scale=tuple(map(float, payload["scale"])),
            coef=tuple(map(float, payload["coef"])),
            intercept=float(payload["intercept"]),
            threshold=float(payload["threshold"]),
            answer_floor=float(payload["answer_floor"]),
            related_floor=float(payload["related_floor"]),
            sha256=str(payload["sha256"]),
        )
    except CorpusError:
        raise
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CorpusError(
            f"{MODEL_FILE}: unreadable answerability model ({type(exc).__name__})"
        ) from None
    lengths = {len(model.features), len(model.mean), len(model.scale), len(model.coef)}
    if len(lengths) != 1 or set(model.features) - set(FEATURES) or any(s <= 0 for s in model.scale):
        raise CorpusError(f"{MODEL_FILE}: the model's features do not match this engine")
    return model


class Signals:
    """Computes the signals for a ranking (see the module docstring)."""

    def __init__(
        self,
        passages: list[Passage],
        lay_terms: LayTerms,
        speller: Speller,
        glossary: Iterable[tuple[str, Iterable[str]]],
        known: set[str],
    ) -> None:
        self.speller = speller
        self.lay_terms = lay_terms
        self.known = known
        lay_of = {term: [term, *term_names(term), *lay] for term, lay in glossary}
        self.covered: dict[str, set[str]] = {}
        self.aspect_covered: dict[str, set[str]] = {}
        """The stems of each passage's own words, the plain names of body parts left out:
        what its text covers of a practical aspect. The lay phrases of the terms it names
        are not counted here (round 10): "food gets stuck", a lay phrase of dysphagia, does
        not make a passage on swallowing checks say which foods are easy to swallow."""
        self.texts = {p.id: f"{p.title} {p.text} {' '.join(p.asked_as)}" for p in passages}
        for p in passages:
            document = lexical_document(p)
            found = set(_stems(document))
            bare = set(_stems(without_body_part_names(document)))
            for term in lay_terms.terms_in(f"{p.title} {p.text} {' '.join(p.asked_as)}"):
                for phrase in lay_of.get(term, ()):
                    found.update(_stems(phrase))
            self.covered[p.id] = found
            self.aspect_covered[p.id] = bare
        df: dict[str, int] = {}
        for found in self.covered.values():
            for s in found:
                df[s] = df.get(s, 0) + 1
        n = len(passages)
        self._df = df
        self._idf = {s: math.log((n + 1) / (c + 0.5)) for s, c in df.items()}
        self._unknown_idf = math.log((n + 1) / 0.5)

    def idf(self, s: str) -> float:
        return self._idf.get(s, self._unknown_idf)

    def of(self, ranking: Ranking) -> dict[str, float]:
        ids = ranking.passage_ids
        if not ids:
            return {}
        first = ids[0]
        resolution = ranking.resolution
        # coverage reads the question's own words (a follow-up's subject is covered by
        # construction), with brand names read as the generic drug
        typed = resolution.question if resolution is not None else ranking.query
        own = self.lay_terms.canonical(typed, self.known)
        query = self._salient_stems(own)
        weights = [self.idf(fixed if fixed in self._idf else raw) for raw, fixed in query]
        total = float(sum(weights))

        def uncovered(pid: str) -> list[float]:
            have = self.covered.get(pid, set())
            return [
                w
                for (raw, fixed), w in zip(query, weights, strict=True)
                if raw not in have and fixed not in have
            ]

        def coverage(pid: str) -> float:
            return 1.0 if total <= 0 else 1.0 - sum(uncovered(pid)) / total

        have_first = self.aspect_covered.get(first, set())
        # "the food pipe" asks nothing about food; a story told before the question asks
        # nothing about what it mentions in passing (round 13)
        asking = asked_sentences(typed)
        asked = without_body_part_names(
            own if asking == typed else self.lay_terms.canonical(asking, self.known))
        aspects = aspect_words(salient(asked)) + aspect_phrases(asked)
        missing_aspects = sum(
            1 for _, covers in aspects if not any(c in have_first for c in covers)
        )
        unknown = sum(
            w * (0.5 if fixed in self._idf else 1.0)
            for (raw, fixed), w in zip(query, weights, strict=True)
            if raw not in self._idf
        )
        follow_up = resolution is not None and resolution.kind == "follow-up"
        dense = ranking.dense.get(first, math.nan)
        others = [v for pid, v in ranking.dense.items() if pid != first]
        return {
            "dense": dense,
            "dense_question": ranking.dense_question.get(first, math.nan),
            "margin": dense - max(others) if others else 0.0,
            "coverage": coverage(first),
            "coverage_top3": max(coverage(pid) for pid in ids[:3]),
            "unknown": 0.0 if total <= 0 else float(unknown / total),
            "uncovered_max": max(uncovered(first), default=0.0) / self._unknown_idf,
            "aspect": min(missing_aspects, 2) / 2,
            "bm25_agrees": 1.0 / ranking.bm25_rank[first] if first in ranking.bm25_rank else 0.0,
            "dense_agrees": 1.0 / ranking.dense_rank[first] if first in ranking.dense_rank else 0.0,
            "follow_up": 1.0 if follow_up else 0.0,
            "ask_unmet": float(any(not holds(k, self.texts.get(first, ""))
                                   for k in asked_kinds(own)) or self._compared_unmet(own, first)),
            "salient_words": float(len(query)),
            "rare_definition": float(self._defines_a_rare_word(own, query)),
            "terms_named": float(len(self.lay_terms.terms_in(own))),
            "plain_words": float(sum(1 for w in words(own) if w in GENERIC or w in STOPWORDS)),
        }

    def _defines_a_rare_word(self, question: str, query: list[tuple[str, str]]) -> bool:
        """"What is crolibulin": a definition question whose one salient word, as typed,
        is a long word at most ``RARE_PASSAGES`` passages use (a drug or test the glossary
        does not list). Not thin: the word itself says which passage. "What is home" is
        not one (a short ordinary word), nor is "${HOME}" (no question)."""
        if len(query) != 1:
            return False
        raw = query[0][0]
        said = words(question)
        if not _DEFINITION.search(" ".join(said)) and said != [raw]:
            return False  # round 14: the rare word typed alone ("efatutazone") names it too
        return len(raw) >= RARE_LENGTH and 0 < self._df.get(raw, 0) <= RARE_PASSAGES

    def _compared_unmet(self, question: str, passage_id: str) -> bool:
        """A comparison ("is X better than Y") the passage cannot answer: it leaves out one
        of the things the question weighs (the glossary terms it names, the disease's own
        names apart)."""
        if not compares(question):
            return False
        named = set(self.lay_terms.terms_in(self.texts.get(passage_id, "")))
        return any(term not in named and not names_the_disease(term)
                   for term in self.lay_terms.terms_in(question))

    def _salient_stems(self, text: str) -> list[tuple[str, str]]:
        """(as typed, after typo repair) stems of the salient words, each once. Only a
        repair one letter away counts here ("rezults"): the search's looser repair turns
        "medicare" into "medical", which says nothing about whether the passage answers."""
        out: dict[tuple[str, str], None] = {}
        for w in salient(text):
            fixed = self.speller.fix(w)
            raw = stem(w)
            usable = one_edit(w, fixed) and fixed not in STOPWORDS and fixed not in GENERIC
            if raw:
                out[(raw, stem(fixed) if usable else raw)] = None
        return list(out)


def _stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]
