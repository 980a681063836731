"""Round 5 of the safety screen (issue 10). The lexicon verifier: a lexicon emergency that
the learned stage reads as clearly calm becomes an emergency safety note above the answer;
a lexicon crisis, a push-back repeat and every gated emergency are never softened. And a
confident learned emergency replaces an urgent pattern's hit, never a gated urgent one."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from botcore.errors import CorpusError
from botcore.triage import TriageHit, load_lexicon
from botcore.triage.decision import NEVER_SOFTENED, decide, vetoed
from botcore.triage.learned import (
    URGENT_OVERRIDE,
    VETO,
    SafetyModel,
    Scores,
    load_model,
    parse_model,
    vetoable,
)
from tools import safety_verifier

REPO = Path(__file__).resolve().parent.parent
MODEL_PATH = REPO / "corpus" / "safety" / "classifier.json"
EMERGENCY = TriageHit(tier="emergency", rule_id="airway-cant-breathe",
                      message_id="emergency-airway")
CRISIS = TriageHit(tier="crisis", rule_id="crisis-want-die", message_id="crisis")


@pytest.fixture(scope="module")
def model() -> SafetyModel:
    return load_model(MODEL_PATH)


def _with_veto(model: SafetyModel, value: float) -> SafetyModel:
    return replace(model, thresholds=model.thresholds | {VETO: value})


def test_a_calm_reading_softens_a_lexicon_emergency_to_a_note(model: SafetyModel) -> None:
    m = _with_veto(model, 0.6)
    calm = Scores(1.0, 0.0, 0.0, 0.0)
    soft = decide(EMERGENCY, calm, m, lexicon_calm=0.6)
    assert soft.hit is None and soft.note == "emergency"  # the resources still come first
    assert decide(EMERGENCY, calm, m, lexicon_calm=0.59).hit == EMERGENCY
    assert decide(EMERGENCY, calm, m, lexicon_calm=None).hit == EMERGENCY  # not read: stands
    assert decide(EMERGENCY, calm, _with_veto(model, 1.0), lexicon_calm=1.0).hit == EMERGENCY


def test_a_softened_emergency_is_decided_as_the_learned_stage_decides(model: SafetyModel) -> None:
    m = _with_veto(model, 0.5)
    t = m.thresholds
    crisis = Scores(0.0, t["crisis_stop"], 0.0, 0.0)
    hit = decide(EMERGENCY, crisis, m, lexicon_calm=0.9).hit
    assert hit is not None and hit.tier == "crisis"  # not a note: the learned stage stops
    noted = decide(EMERGENCY, Scores(0.0, t["crisis_note"], 0.0, 0.0), m, lexicon_calm=0.9)
    if t["crisis_note"] < min(t["crisis_stop"], t["crisis_over_emergency"]):
        assert noted.hit is None and noted.note == "crisis"


def test_crisis_and_pushback_are_never_softened(model: SafetyModel) -> None:
    m = _with_veto(model, 0.3)
    assert not vetoed(CRISIS, 1.0, m)
    assert not vetoed(EMERGENCY.model_copy(update={"stage": "pushback"}), 1.0, m)
    assert not vetoed(EMERGENCY.model_copy(update={"stage": "learned"}), 1.0, m)
    assert vetoed(EMERGENCY.model_copy(update={"stage": "fuzzy"}), 1.0, m)
    assert decide(CRISIS, Scores(1.0, 0.0, 0.0, 0.0), m, lexicon_calm=1.0).hit == CRISIS
    named = EMERGENCY.model_copy(update={"rule_id": "general-call-911"})
    assert not vetoed(named, 1.0, m)  # someone weighing a 911 call
    stridor = EMERGENCY.model_copy(update={"rule_id": "airway-noisy"})
    assert not vetoed(stridor, 1.0, m)  # stridor reported now (round 9)
    rules = {r.id for r in load_lexicon(REPO / "corpus" / "triage.yaml").rules}
    assert rules >= NEVER_SOFTENED


def test_the_bundled_verifier_reads_deterministically(model: SafetyModel) -> None:
    assert model.verifier is not None and model.verifier.classes == ("stop", "calm")
    assert 0.0 < model.thresholds[VETO] <= 1.0
    rng = np.random.default_rng(3)
    for _ in range(20):
        v = rng.normal(size=384).astype(np.float32)
        v /= np.linalg.norm(v)
        s = model.scores(v)
        a = model.lexicon_calm(v, s)
        assert a == load_model(MODEL_PATH).lexicon_calm(v.copy(), s) and 0.0 <= a <= 1.0
        # the mean of the verifier's calm vote and the screen's calm score
        vote = float(model.verifier.probabilities(v)[0][1])
        assert a == pytest.approx(0.5 * (vote + s.calm), abs=1e-12)


@pytest.mark.parametrize(("change", "says"), [
    (lambda d: d.pop("verifier"), "verifier"),
    (lambda d: d["verifier"].update(classes=["calm", "stop"]), "classes"),
    (lambda d: d["thresholds"].update(lexicon_veto=1.5), "lexicon_veto"),
    (lambda d: d.update(format="atc-guide-safety-classifier/2"), "format"),
])
def test_a_broken_verifier_is_refused_in_one_line(change, says: str) -> None:  # noqa: ANN001
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    change(data)
    with pytest.raises(CorpusError, match=says):
        parse_model(json.dumps(data))


def test_the_threshold_search_softens_at_most_one_in_a_thousand() -> None:
    """``safety_verifier.choose`` against a hand-counted oracle: fold A has 1,000 right
    emergency stops and 10 calm ones; each threshold step frees calm stops and, below 0.5,
    undoes right emergency stops."""

    class Fold:
        expect = np.array(["emergency"] * 1000 + ["none"] * 10)

    def escalations(fold: object, t: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
        v = t[VETO]
        tier = np.full(1010, 2)
        if v < 1.0:
            undone = 0 if v >= 0.5 else 1 if v >= 0.45 else 5
            tier[:undone] = 0
            tier[1000:] = np.where(np.arange(10) < 20 * (1.0 - v), 0, 2)
        return tier, np.zeros(1010, dtype=int)

    # 1 of 1,000 undone is allowed (0.45); 5 is not (0.40 and below)
    assert safety_verifier.choose([Fold()], {}, escalations) == 0.45
    # two folds: 2 of 2,000 undone, one each: still within 1 in 1,000
    assert safety_verifier.choose([Fold(), Fold()], {}, escalations) == 0.45
    assert safety_verifier.floor([0.31, 0.52]) == 0.54 and safety_verifier.floor([]) == 0.02


def test_only_a_question_the_vector_reads_whole_and_in_context_is_read_for_a_veto() -> None:
    from botcore.sanitize import MAX_QUESTION_CHARS  # noqa: PLC0415

    assert vetoable("my cat chokes on hairballs a lot, is that normal")
    assert not vetoable("should I call 911")  # too few words to read calm
    assert not vetoable("stridor")
    long = "we talked about the garden all day " * 400 + "and now he cannot breathe"
    assert len(long) > MAX_QUESTION_CHARS and not vetoable(long)  # the flag is past the cut


def test_a_figure_of_speech_gets_the_emergency_resources_above_not_a_stop(real_engine) -> None:  # noqa: ANN001
    """End to end on the real model: the lexicon's choke rule fires on choking at job
    interviews, the verifier reads it as calm, and the family gets the emergency note
    first, not a stop; the same words about a person stay a stop. (Round 9's veto is
    stricter, 0.635: an old truck that "chokes" up a hill is a stop again.)"""
    soft = real_engine.ask("i always choke on job interviews, anyway what is the survival "
                           "rate for anaplastic thyroid cancer")
    assert soft.status != "escalated" and soft.safety_note == "emergency"
    assert soft.safety_message  # the approved resources, shown above whatever follows
    hard = real_engine.ask("he is gasping and his lips are going grey and the trach wont clear")
    assert hard.status == "escalated" and hard.tier == "emergency"


URGENT = TriageHit(tier="urgent", rule_id="urgent-swallow-fluids", message_id="urgent-care-team")


def test_a_confident_learned_emergency_replaces_an_urgent_pattern(model: SafetyModel) -> None:
    t = model.thresholds
    over = t[URGENT_OVERRIDE]
    assert t["emergency_stop"] <= over <= 1.0
    if over < 1.0:
        hit = decide(URGENT, Scores(0.0, 0.0, over, 0.0), model).hit
        assert hit is not None and (hit.tier, hit.stage) == ("emergency", "learned")
    below = decide(URGENT, Scores(0.0, 0.0, over - 0.01, 0.0), model)
    assert below.hit == URGENT  # the pattern's tier stays, with an emergency note if due
    off = replace(model, thresholds=t | {URGENT_OVERRIDE: 1.0})
    assert decide(URGENT, Scores(0.0, 0.0, 0.999, 0.0), off).hit == URGENT


def test_no_gated_urgent_question_is_sent_to_911(real_engine) -> None:  # noqa: ANN001
    """Clinicians placed these as urgent ("she fell and hit her head", "new confusion"):
    the emergency override is kept above their learned emergency scores."""
    from tools.safety_floors import gated  # noqa: PLC0415

    checked = 0
    for text in gated("urgent"):
        hit = real_engine.triage.screen(text)
        if hit is not None and hit.tier == "urgent":
            assert real_engine.ask(text).tier == "urgent", text
            checked += 1
    assert checked >= 20
