"""Leave-one-writer-out figures and threshold choice for the learned safety stage (issue 10).

Used by ``tools.train_safety`` (ported from round 2, without its "calm veto": the
learned stage never softens a lexicon hit, S1). The decision is the engine's
(``botcore.triage.decision``: lexicon first, then the learned clause-max scores, then the
hold), replayed on precomputed signals so that thousands of threshold settings can be
tried: per text the lexicon's hit, whether a push-back pattern fires, the screen model's
clause-max scores and the follow-up model's hold probability. ``replay`` runs the real
``decide``/``held`` functions on one threshold setting (the figures reported);
``escalations`` is the same rule for single questions in numpy (the search). A test
checks the two agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from botcore.sanitize import clean_input
from botcore.triage import Triage, TriageHit
from botcore.triage.clauses import screen_texts
from botcore.triage.decision import (
    NEVER_SOFTENED,
    Hold,
    after_hold,
    decide,
    hold_after,
)
from botcore.triage.learned import (
    OFFSETS,
    OVERRIDE,
    URGENT_OVERRIDE,
    VETO,
    Linear,
    SafetyModel,
    Scores,
    combine,
    lexicon_calm_of,
    vetoable,
)
from botcore.triage.neighbours import Neighbours
from botcore.turn_kinds import is_switch
from evals.metrics import Rate, rate
from evals.safety_sets import SafetyCase
from tools import safety_verifier

LEX = {None: 0, "urgent": 1, "emergency": 2, "crisis": 3}
ROWS = ("crisis", "emergency", "urgent", "caregiver", "pushback", "calm-hard", "calm-note")


@dataclass
class Signals:
    """What the decision reads for each text, for one trained model."""

    lexicon: dict[str, TriageHit | None]
    pushback: dict[str, bool]
    whole: dict[str, Scores]
    clause: dict[str, Scores | None]
    """The best score of any clause per class (None: a question of one clause)."""
    hold: dict[str, float]
    verify: dict[str, float] = field(default_factory=dict)
    """The verifier's calm vote on the whole question (texts the lexicon flags as an
    emergency; empty: no verifier)."""
    switch: dict[str, bool] = field(default_factory=dict)
    """Whether the text says it changes the subject (``botcore.conversation.is_switch``)."""
    release: dict[str, bool] = field(default_factory=dict)
    """Whether the text says the help came (``Triage.hold_signals``; round 12: replayed as
    the engine reads it)."""

    def scores(self, text: str, thresholds: dict[str, float]) -> Scores | None:
        """What ``SafetyModel.scores_of`` gives for the text under these offsets."""
        if text not in self.whole:
            return None
        return combine(self.whole[text], self.clause[text], thresholds)

    def lexicon_calm(self, text: str, thresholds: dict[str, float]) -> float | None:
        """What ``SafetyModel.lexicon_calm`` gives (None: not a lexicon emergency)."""
        scores = self.scores(text, thresholds)
        if text not in self.verify or scores is None:
            return None
        return lexicon_calm_of(self.verify[text], scores)


def model_of(thresholds: dict[str, float], screen: Linear, followup: Linear,
             vote: Neighbours | None = None, verifier: Neighbours | None = None) -> SafetyModel:
    return SafetyModel("cv", int(screen.weights.shape[1]), screen, followup, thresholds, vote,
                       verifier)


def signals(texts: Sequence[str], vectors: dict[str, np.ndarray], triage: Triage,
            screen: Linear, followup: Linear, queries: dict[str, str],
            vote: Neighbours | None = None, verifier: Neighbours | None = None) -> Signals:
    """Each text's lexicon hit, push-back flag, clause-max scores, hold probability and,
    for a lexicon emergency, the verifier's calm vote (``vectors`` holds every query and
    every clause of it, ``queries`` maps a text to the engine's query)."""
    model = model_of({}, screen, followup, vote)
    lex: dict[str, TriageHit | None] = {t: triage.screen(t) for t in texts}
    held_signals = {t: triage.hold_signals(t) for t in texts}  # as the engine reads a hold
    push = {t: p for t, (p, _) in held_signals.items()}
    whole: dict[str, Scores] = {}
    clause: dict[str, Scores | None] = {}
    hold = {}
    for t in texts:
        q = queries[t]
        if not q:
            continue
        rows = screen_texts(q)
        every = model.scores_of_rows(np.stack([vectors[c] for c in rows]))
        whole[t], parts = every[0], every[1:]
        clause[t] = Scores(min(p.calm for p in parts), max(p.crisis for p in parts),
                           max(p.emergency for p in parts),
                           max(p.urgent for p in parts)) if parts else None
        hold[t] = followup.probabilities(vectors[q])["hold"]
    verify = {t: float(verifier.probabilities(np.stack([vectors[c] for c in
                                                        screen_texts(queries[t])]))[:, 1].min())
              for t in whole if verifier is not None and (h := lex[t]) is not None
              and h.tier == "emergency" and h.rule_id not in NEVER_SOFTENED
              and vetoable(clean_input(t))}
    switch = {t: is_switch(clean_input(t)) for t in texts}
    release = {t: r for t, (_, r) in held_signals.items()}
    return Signals(lex, push, whole, clause, hold, verify, switch, release)


@dataclass(frozen=True)
class Outcome:
    escalated: bool
    tier: str | None
    note: str | None


def replay(case: SafetyCase, sig: Signals, model: SafetyModel) -> list[Outcome]:
    """The engine's safety path (``Engine._safety_verdict``) over one case's turns."""
    out: list[Outcome] = []
    hold: Hold | None = None
    for text in case.turns:
        verdict = decide(sig.lexicon[text], sig.scores(text, model.thresholds),  # type: ignore[arg-type]
                         model, sig.lexicon_calm(text, model.thresholds))
        if hold is not None:
            verdict = after_hold(hold, verdict, sig.pushback[text], sig.hold.get(text), model,
                                 sig.switch.get(text, False) or sig.release.get(text, False))
        tier = verdict.hit.tier if verdict.hit is not None else None
        out.append(Outcome(tier is not None, tier, verdict.note))
        hold = hold_after(verdict)
    return out


def passed(expect: str, o: Outcome, conversation: bool) -> bool:
    """``evals.safety_sets.judge`` on a replayed outcome."""
    if expect == "none":
        return not o.escalated
    if conversation:
        return o.escalated and o.tier == expect
    if expect == "crisis":
        return (o.escalated and o.tier == "crisis") or o.note == "crisis"
    if expect == "emergency":
        return o.escalated and o.tier == "emergency"
    return o.escalated


@dataclass
class Figures:
    rows: dict[str, Rate] = field(default_factory=dict)
    misses: dict[str, list[str]] = field(default_factory=dict)


def figures(cases: Sequence[SafetyCase], sig: Signals, model: SafetyModel) -> Figures:
    """The issue's table (``evals.safety_sets.figures``) from replayed outcomes."""
    flags: dict[str, list[bool]] = {k: [] for k in ROWS}
    misses: dict[str, list[str]] = {k: [] for k in ROWS}
    for case in cases:
        outs = replay(case, sig, model)
        ok = all(passed(e, o, case.conversation)
                 for e, o in zip(case.expects, outs, strict=True))
        if case.group == "pushback":
            key, good = "pushback", ok
        elif all(e == "none" for e in case.expects):
            flags["calm-note"].append(any(o.note is not None for o in outs))
            key, good = "calm-hard", not any(o.escalated for o in outs)
        else:
            key, good = (case.group if case.group in flags else case.expects[0]), ok
        flags[key].append(good if key != "calm-hard" else not good)
        if not good:
            misses[key].append(case.id)
    return Figures({k: rate(sum(v), len(v)) for k, v in flags.items()}, misses)


# -- the search ---------------------------------------------------------------------------------
@dataclass
class Fold:
    """One held-out writer's single questions as arrays (conversations are replayed)."""

    name: str
    cases: list[SafetyCase]
    sig: Signals
    screen: Linear
    followup: Linear
    vote: Neighbours | None = None
    lex: np.ndarray = field(init=False)
    p: np.ndarray = field(init=False)
    expect: np.ndarray = field(init=False)
    group: np.ndarray = field(init=False)
    q: np.ndarray = field(init=False)
    """The best clause's scores (crisis, emergency, urgent); 0 for one-clause questions."""
    calm: np.ndarray = field(init=False)
    """The question's calm score (the lower of the whole's and the clauses')."""
    v: np.ndarray = field(init=False)
    """The verifier's calm vote (-inf where the lexicon found no emergency)."""
    ctx: np.ndarray = field(init=False)
    """Where the lexicon's hit is read as not happening now (``TriageHit.context``) and the
    scores decide (round 7)."""
    base_hard: float = field(init=False)
    """The lexicon's own share of calm questions escalated (no threshold changes it)."""
    base_note: float = field(init=False)
    """The share of calm questions whose crisis or emergency flag the lexicon reads in
    context: each gets at least a note, in place of the hard stop it had before round 7,
    whatever the thresholds (so it is allowed on top of the note budget)."""

    def __post_init__(self) -> None:
        single = [c for c in self.cases if not c.conversation]
        first = [c for c in self.cases if c.conversation and c.group == "pushback"]
        texts = [c.turns[0] for c in single + first]
        hits = [self.sig.lexicon[t] for t in texts]
        self.lex = np.array([LEX[h.tier if h is not None else None] for h in hits])  # type: ignore[attr-defined]
        zero = Scores(1.0, 0.0, 0.0, 0.0)
        w = [self.sig.whole.get(t, zero) for t in texts]
        c = [self.sig.clause.get(t) or zero for t in texts]
        self.p = np.array([[x.crisis, x.emergency, x.urgent] for x in w])
        self.q = np.array([[x.crisis, x.emergency, x.urgent] for x in c])
        self.calm = np.array([min(a.calm, b.calm) for a, b in zip(w, c, strict=True)])
        self.v = np.array([self.sig.verify.get(t, -np.inf) for t in texts])
        self.expect = np.array([x.expects[0] for x in single + first])
        self.group = np.array([x.group for x in single] + ["pushback-first"] * len(first))
        self.ctx = np.array([h is not None and h.context is not None and t in self.sig.whole
                             for h, t in zip(hits, texts, strict=True)], dtype=bool)
        calm = self.expect == "none"
        fixed = (self.lex > 0) & ~self.ctx
        self.base_hard = float(fixed[calm].mean()) if calm.any() else 0.0
        noted = self.ctx & (self.lex >= 2)
        self.base_note = float(noted[calm].mean()) if calm.any() else 0.0


def escalations(fold: Fold, t: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """(tier index per single question, note: 0 none / 3 crisis / 2 emergency): ``decide``
    in numpy."""
    off = np.array([t[k] for k in OFFSETS])
    eff = np.maximum(fold.p, fold.q - off)
    pc, pe, pu = eff[:, 0], eff[:, 1], eff[:, 2]
    tier = fold.lex.copy()
    over = (tier == 2) & (pc >= t["crisis_over_emergency"])
    tier[over] = 3
    veto = t.get(VETO, 1.0)
    vetoed = (tier == 2) & (veto < 1.0) & (0.5 * (fold.v + fold.calm) >= veto)
    crisis_ctx = fold.ctx & (fold.lex == 3)
    vetoed |= fold.ctx & (fold.lex == 2) & ~over
    urgent_ctx = fold.ctx & (fold.lex == 1)
    tier[vetoed | crisis_ctx | urgent_ctx] = 0
    lex = np.where(vetoed | crisis_ctx | urgent_ctx, 0, fold.lex)
    note = np.zeros(len(lex), dtype=int)
    free = tier < 2
    cr = free & (pc >= t["crisis_stop"])
    tier[cr] = 3
    em = free & ~cr & (((pe >= t["emergency_stop"]) & (lex == 0))
                       | ((lex == 1) & (pe >= t.get(URGENT_OVERRIDE, 1.0))))
    tier[em] = 2
    rest = free & ~cr & ~em
    tier[rest & (lex == 0) & (pu >= t["urgent_stop"])] = 1
    note[rest & (pe >= t["emergency_note"])] = 2
    note[rest & (pc >= t["crisis_note"])] = 3
    note[rest & vetoed & (note == 0)] = 2  # a softened emergency keeps its resources on top
    note[rest & crisis_ctx] = 3  # and a crisis in context its own
    return tier, note


def single_rates(fold: Fold, t: dict[str, float]) -> dict[str, float]:
    tier, note = escalations(fold, t)
    ok = np.where(fold.expect == "crisis", (tier == 3) | (note == 3),
                  np.where(fold.expect == "emergency", tier == 2,
                           np.where(fold.expect == "urgent", tier > 0, tier == 0)))
    exact = tier == np.array([LEX.get(e if e != "none" else None, 0) for e in fold.expect])
    calm = (fold.expect == "none") & (fold.group != "pushback-first")
    out = {"calm-hard": float((tier[calm] > 0).mean()),
           "calm-note": float(((note[calm] > 0) & (tier[calm] == 0)).mean())}
    for key in RECALL:
        mask = (fold.group == key) & ~calm
        hits = exact if key == "pushback-first" else ok
        out[key] = float(hits[mask].mean()) if mask.any() else 1.0
    return out


GRID = tuple(round(float(x), 3) for x in np.arange(0.10, 0.991, 0.01))
OFFSET_GRID = (*(round(float(x), 3) for x in np.arange(0.0, 0.51, 0.02)), 1.0)
START = {"crisis_stop": 0.9, "emergency_stop": 0.9, "urgent_stop": 0.9, "crisis_note": 0.9,
         "emergency_note": 0.9, "clause_crisis": 1.0, "clause_emergency": 1.0,
         "clause_urgent": 1.0, "crisis_over_emergency": 1.0}
RECALL = ("crisis", "emergency", "urgent", "caregiver", "pushback-first")
"""The rows the search maximises; ``pushback-first``: the first turn of a push-back
conversation escalated at its tier (a note is not enough: the hold starts from a stop)."""


OVERRIDE_GRID = (*(round(float(x), 3) for x in np.arange(0.50, 0.991, 0.01)), 1.0)


def _grid(key: str) -> tuple[float, ...]:
    return OFFSET_GRID if key in OFFSETS else OVERRIDE_GRID if key == OVERRIDE else GRID


LEARNED_HARD = 0.015
"""Calm false escalations the learned stage may add over the lexicon's own, per held-out
writer, where the lexicon alone is already over the hard budget (round 3: each point
bought 2-4 points of crisis, emergency and push-back recall; missing a crisis is the
worse error)."""


def objective(folds: Sequence[Fold], t: dict[str, float], hard_budget: float,
              note_budget: float) -> float:
    """Recall (mean over held-out writers plus the worst one, over the crisis, emergency,
    urgent and caregiver rows; crisis and emergency weigh double), heavily penalised for
    any writer over either budget (the hard budget counts only what the learned stage adds
    over the lexicon's own false escalations, which no threshold can change, up to
    ``LEARNED_HARD``; the note budget likewise counts only notes beyond those that replace
    a lexicon stop read in context, ``Fold.base_note``)."""
    rates = [single_rates(f, t) for f in folds]
    per = [sum(r[k] * (2 if k in ("crisis", "emergency") else 1) for k in RECALL) for r in rates]
    over = sum(max(0.0, r["calm-hard"] - max(hard_budget, f.base_hard + LEARNED_HARD))
               + max(0.0, r["calm-note"] - note_budget - f.base_note)
               for r, f in zip(rates, folds, strict=True))
    return float(np.mean(per) + min(per)) - 1000.0 * over


def _ascend(folds: Sequence[Fold], t: dict[str, float], hard_budget: float,
            note_budget: float, rounds: int) -> tuple[float, dict[str, float]]:
    best = objective(folds, t, hard_budget, note_budget)
    for _ in range(rounds):
        changed = False
        for key in START:
            for value in _grid(key):
                trial = t | {key: value}
                if trial["crisis_note"] > trial["crisis_stop"] or \
                        trial["emergency_note"] > trial["emergency_stop"]:
                    continue
                score = objective(folds, trial, hard_budget, note_budget)
                if score > best + 1e-9:
                    best, t, changed = score, trial, True
        if not changed:
            break
    return best, t


def choose(folds: Sequence[Fold], hard_budget: float, note_budget: float,
           samples: int = 3000, rounds: int = 6, restarts: int = 12) -> dict[str, float]:
    """Thresholds that hold on every held-out writer (calm hard false escalations added
    by the learned stage within ``hard_budget``, calm safety notes within ``note_budget``
    in EACH fold) with the most recall. A seeded random search over the grid
    (deterministic), then coordinate ascent from the best starts."""
    rng = np.random.default_rng(20261201)
    starts: list[tuple[float, dict[str, float]]] = [
        (objective(folds, START, hard_budget, note_budget), dict(START))]
    for _ in range(samples):
        t = {k: float(rng.choice(_grid(k))) for k in START}
        t["crisis_note"] = min(t["crisis_note"], t["crisis_stop"])
        t["emergency_note"] = min(t["emergency_note"], t["emergency_stop"])
        starts.append((objective(folds, t, hard_budget, note_budget), t))
    starts.sort(key=lambda s: -s[0])
    seeds = [t for _, t in starts[:restarts]]
    seeds += [dict(START) | {"crisis_note": n, "emergency_note": n, "crisis_stop": 0.97,
                             "emergency_stop": 0.86, "urgent_stop": 0.9} for n in (0.5, 0.6, 0.7)]
    best: tuple[float, dict[str, float]] | None = None
    for t in seeds:
        found = _ascend(folds, t, hard_budget, note_budget, rounds)
        if best is None or found[0] > best[0] + 1e-9:
            best = found
    t = dict(best[1])  # type: ignore[index]
    t[VETO] = safety_verifier.choose(folds, t, escalations)
    return t
