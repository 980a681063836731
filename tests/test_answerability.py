"""Answerability: the model file (hashed, refused when edited), the decision's verdicts,
the fitting maths, and brand names found through the glossary on a small corpus fixture
(hashing embedder, no model)."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import numpy as np
import pytest

from botcore.answerability import (
    FEATURES,
    MODEL_FILE,
    Model,
    load_model,
    model_payload_hash,
    one_edit,
)
from botcore.config import bundled_corpus_dir
from botcore.decide import decide_answerable
from botcore.embedder import HashingEmbedder
from botcore.errors import CorpusError
from botcore.index import PassageIndex
from botcore.retrieve import Ranking, Retriever
from botcore.schema import Passage
from botcore.textproc import LayTerms
from evals.fit_answerability import (
    Example,
    choose_floor,
    choose_threshold,
    fit_logistic,
    signed_features,
)


def model(threshold: float = 0.5, floor: float = 0.35, related: float = 0.40) -> Model:
    return Model(
        features=("dense",),
        mean=(0.5,),
        scale=(0.1,),
        coef=(4.0,),
        intercept=0.0,
        threshold=threshold,
        answer_floor=floor,
        related_floor=related,
        sha256="x",
    )


def ranking(dense: dict[str, float], gate: float | None = None) -> Ranking:
    ids = list(dense)
    return Ranking(ids, [1.0] * len(ids), dense, max(dense.values()) if gate is None else gate)


# -- the model file -----------------------------------------------------------------------------
def test_the_bundled_model_loads_and_matches_its_hash() -> None:
    loaded = load_model(bundled_corpus_dir())
    assert loaded is not None and set(loaded.features) <= set(FEATURES)
    payload = json.loads((bundled_corpus_dir() / MODEL_FILE).read_text(encoding="utf-8"))
    assert model_payload_hash(payload) == payload["sha256"] == loaded.sha256
    assert 0 < loaded.threshold < 1 and 0 < loaded.answer_floor < loaded.related_floor + 0.2


def test_an_edited_model_is_refused_and_a_missing_one_means_the_similarity_gate(
    tmp_path: Path,
) -> None:
    assert load_model(tmp_path) is None
    shutil.copy(bundled_corpus_dir() / MODEL_FILE, tmp_path / MODEL_FILE)
    payload = json.loads((tmp_path / MODEL_FILE).read_text(encoding="utf-8"))
    payload["threshold"] = 0.01  # answer everything: exactly what an edit must not do
    (tmp_path / MODEL_FILE).write_text(json.dumps(payload), encoding="utf-8")
    with pytest.raises(CorpusError, match="sha256"):
        load_model(tmp_path)
    (tmp_path / MODEL_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(CorpusError, match="unreadable"):
        load_model(tmp_path)
    payload["features"] = ["dense", "no-such-signal"]
    payload["sha256"] = model_payload_hash(payload)
    (tmp_path / MODEL_FILE).write_text(json.dumps(payload), encoding="utf-8")
    with pytest.raises(CorpusError):
        load_model(tmp_path)


def test_a_missing_or_non_finite_signal_never_answers() -> None:
    m = model()
    assert math.isnan(m.probability({}))
    assert math.isnan(m.probability({"dense": math.nan}))
    assert m.probability({"dense": 0.9}) > 0.99 and m.probability({"dense": 0.1}) < 0.01


# -- the decision -------------------------------------------------------------------------------
def sig(dense: float, words: float = 3, terms: float = 0, follow_up: float = 0,
        unknown: float = 0) -> dict[str, float]:
    return {"dense": dense, "salient_words": words, "terms_named": terms, "follow_up": follow_up,
            "unknown": unknown}


def test_verdicts_answer_related_and_decline() -> None:
    m = model()
    strong = ranking({"a": 0.9, "b": 0.8, "c": 0.2})
    assert decide_answerable(strong, m, sig(0.9)).verdict == "answer"
    assert decide_answerable(strong, m, sig(0.9)).passage_ids == ["a", "b"]  # c is padding
    related = decide_answerable(ranking({"a": 0.45, "b": 0.41, "c": 0.2}), m, sig(0.45))
    assert related.verdict == "related" and related.passage_ids == ["a", "b"]
    assert related.considered == ["a", "b"]
    weak = decide_answerable(ranking({"a": 0.38}), m, sig(0.38))
    assert weak.verdict == "weak-evidence" and weak.passage_ids == []
    far = decide_answerable(ranking({"a": 0.1}), model(threshold=0.0), sig(0.1))
    assert far.verdict == "out-of-scope"  # far below the floor, whatever the probability


def test_one_ordinary_word_is_never_answered_however_strong() -> None:
    m = model()
    strong = ranking({"a": 0.9, "b": 0.8})
    assert decide_answerable(strong, m, sig(0.9, words=1)).verdict == "related"  # "home"
    assert decide_answerable(strong, m, {"dense": 0.9}).verdict == "related"  # counts missing
    assert decide_answerable(strong, m, sig(0.9, words=1, terms=1)).verdict == "answer"  # "trach"
    assert decide_answerable(strong, m, sig(0.9, words=1, follow_up=1)).verdict == "answer"
    assert decide_answerable(strong, m, sig(0.9, words=math.nan)).verdict == "related"
    # "null" after a real question: a follow-up, but not one word of it is known
    assert decide_answerable(strong, m, sig(0.9, words=1, follow_up=1, unknown=1.0)).verdict \
        == "related"
    why = sig(0.9, words=0, follow_up=1)  # "why?"
    assert decide_answerable(strong, m, why).verdict == "answer"


def test_the_cosine_floor_holds_whatever_the_model_says() -> None:
    low = ranking({"a": 0.33})
    assert (
        decide_answerable(low, model(threshold=0.0, floor=0.35), {"dense": 0.33}).verdict
        != "answer"
    )


def test_nan_evidence_never_answers() -> None:
    m = model(threshold=0.0)
    nan_gate = Ranking(["a"], [1.0], {"a": math.nan}, math.nan)
    assert decide_answerable(nan_gate, m, {"dense": math.nan}).verdict == "out-of-scope"
    assert decide_answerable(Ranking([], [], {}, math.nan), m, {}).verdict == "out-of-scope"


# -- fitting ------------------------------------------------------------------------------------
def test_fit_logistic_reaches_the_penalised_optimum() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 3))
    y = (x @ np.array([2.0, -1.0, 0.0]) + rng.normal(size=200) > 0).astype(float)
    coef, intercept = fit_logistic(x, y, l2=1.0)
    p = 1 / (1 + np.exp(-(x @ coef + intercept)))
    assert np.allclose(x.T @ (p - y) + 1.0 * coef, 0, atol=1e-6)  # the gradient vanishes
    assert abs(float(np.sum(p - y))) < 1e-6
    assert coef[0] > 1 and coef[1] < -0.5 and abs(coef[2]) < 0.5
    again = fit_logistic(x, y, l2=1.0)
    assert np.array_equal(again[0], coef) and again[1] == intercept  # deterministic


def test_a_signal_fitted_against_its_expected_direction_is_dropped() -> None:
    rng = np.random.default_rng(1)
    examples = []
    for i in range(120):
        label = i % 2
        dense = 0.4 + 0.3 * label + rng.normal(scale=0.05)
        # "unknown" should lower the probability; here it rises with the label, as a
        # collinear signal can make it do: it must not be trusted
        unknown = 0.2 + 0.5 * label + rng.normal(scale=0.05)
        examples.append(Example(f"c{i}", {"dense": dense, "unknown": unknown}, label))
    names = signed_features(examples)
    assert "unknown" not in names and "dense" in names


def test_threshold_is_the_middle_of_the_best_range_within_the_false_decline_limit() -> None:
    probs = [0.9, 0.8, 0.7, 0.6, 0.3, 0.2, 0.1]
    labels = [1, 1, 1, 1, 0, 0, 0]
    # every threshold from 0.31 to 0.60 handles all seven right: the middle one is taken
    assert choose_threshold(probs, labels) == 0.46
    # a should-answer question with a missed retrieval (-1) counts only when declined
    assert choose_threshold([0.9, 0.05, 0.1], [1, -1, 0]) <= 0.05


def test_the_cosine_floor_loses_at_most_one_percent_of_the_answers() -> None:
    dense = np.array([0.31] + [0.6] * 99)
    assert choose_floor(dense) == 0.45  # one lost of 100 is allowed: the highest floor
    assert choose_floor(np.array([0.31, 0.32] + [0.6] * 98)) == 0.32  # 0.33 would lose two


def test_one_edit() -> None:
    assert one_edit("rezults", "results") and one_edit("biopsey", "biopsy") and one_edit("ab", "ba")
    assert not one_edit("medicare", "medical") and not one_edit("abc", "xyz")


# -- brand names through the glossary, on a small corpus fixture --------------------------------
def _passage(pid: str, title: str, text: str) -> Passage:
    return Passage(
        id=pid, title=title, topic="treatment", cites=[{"source": "s", "section": "x"}], text=text
    )


FIXTURE = [
    _passage(
        "drug-vemurafenib",
        "What is vemurafenib?",
        "Vemurafenib is a targeted drug that blocks the changed BRAF protein. It was tried "
        "on its own in a small group of people, and some of them responded to it well.",
    ),
    _passage(
        "drug-larotrectinib",
        "What is larotrectinib?",
        "Larotrectinib is a targeted drug that blocks NTRK fusions. These gene changes are "
        "rare, and only a few people with this cancer have been treated with it so far.",
    ),
    _passage(
        "care-hospice",
        "What is hospice care?",
        "Hospice is care that focuses on comfort near the end of life. A team of nurses, "
        "doctors and aides helps the person and the family, often in the family home.",
    ),
]


@pytest.fixture(scope="module")
def brand_retriever(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    index, _ = PassageIndex.load_or_build(
        FIXTURE, HashingEmbedder(), tmp_path_factory.mktemp("idx"), {"views": "test"}
    )
    lay = LayTerms(
        [
            ("Vemurafenib", ["Zelboraf"]),
            ("Larotrectinib", ["Vitrakvi"]),
            ("Hospice", ["comfort care"]),
        ]
    )
    return Retriever(index, lay, 20, 20)


@pytest.mark.parametrize("mode", ["bm25", "dense", "hybrid"])
@pytest.mark.parametrize(
    "question, expected",
    [
        ("is zelboraf any good", "drug-vemurafenib"),
        ("my dad takes Vitrakvi", "drug-larotrectinib"),
    ],
)
def test_a_question_naming_the_box_finds_the_generic_drug(
    brand_retriever: Retriever, mode: str, question: str, expected: str
) -> None:
    found = brand_retriever.rank(question, mode=mode)  # type: ignore[arg-type]
    assert found.passage_ids and found.passage_ids[0] == expected
    assert "zelboraf" not in found.query and "vitrakvi" not in found.query.lower()
