"""Train and calibrate the safety screen's learned stage (issue 10, round 3).

    .venv/bin/python -m tools.train_safety            # writes corpus/safety/classifier.json
    .venv/bin/python -m tools.train_safety --check    # retrains; exit 1 if the file differs
    .venv/bin/python -m tools.train_safety --dry-run --cache /tmp/v.npz   # figures only

Inputs, all in the repository: ``corpus/safety/exemplars.yaml`` (the round-1 exemplars),
``corpus/safety/writers.yaml`` (three independent writers' cases, imported by
``tools.import_safety_exemplars`` from ``corpus/safety/writers/``) and
``corpus/safety/dev.yaml`` (the round-1 dev split, reported only). Vectors come from
botcore's embedder API (``MiniLMEmbedder.encode`` on the cleaned question and on each of
its clauses, as the engine encodes them), never from the model's internals.

Two softmax models, fitted by L-BFGS on a strictly convex loss (class-balanced log loss
plus an L2 penalty), so the optimum is unique and a retrain lands on the same weights up
to rounding. The calm clauses of calm questions are calm examples too. Thresholds (stops,
notes, the clause offsets, the crisis override, release) are chosen by
leave-one-writer-out (``tools.safety_cv``): train without one writer, score that writer's
cases, and keep the setting with the most recall whose calm false escalations and calm
safety notes stay within budget for EVERY held-out writer. The crisis override is then
kept above the crisis score of every emergency the repository gates (S1). The figures
are written to ``corpus/safety/lowo_figures.json``.

After writing the file it must be approved (``atc-guide review approve``) like the lexicon.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from botcore.ledger import sha256_text
from botcore.sanitize import clean_input, truncate
from botcore.triage import Triage, load_lexicon
from botcore.triage import neighbours as nn
from botcore.triage.clauses import clauses, screen_texts
from botcore.triage.learned import (
    FOLLOWUP_CLASSES,
    FORMAT,
    NOTE_HOLD,
    OVERRIDE,
    SCREEN_CLASSES,
    THRESHOLDS,
    URGENT_OVERRIDE,
    VETO,
    Linear,
)
from botcore.yamlio import read_yaml
from evals.safety_sets import SafetyCase, load_cases
from tools import safety_holds, safety_verifier
from tools.import_safety_exemplars import WRITERS as IMPORTED_WRITERS
from tools.safety_cv import Figures, Fold, choose, model_of, signals
from tools.safety_cv import figures as cv_figures
from tools.safety_floors import (
    as_queries,
    calm_followup_cap,
    override_floor,
    urgent_floor,
    veto_floor,
)

REPO = Path(__file__).resolve().parent.parent
SAFETY = REPO / "corpus" / "safety"
EXEMPLARS = SAFETY / "exemplars.yaml"
DEV = SAFETY / "dev.yaml"
WRITERS = SAFETY / "writers.yaml"
WRITER_NAMES = IMPORTED_WRITERS
"""The writers held out one at a time: the ones the import reads, in its order."""
OUT = SAFETY / "classifier.json"
FIGURES = SAFETY / "lowo_figures.json"
L2 = 1e-4
HARD_BUDGET = 0.02
"""Most calm questions of any held-out writer the screen may escalate (or the lexicon's
own share plus half a point, where the lexicon alone is over it)."""
NOTE_BUDGET = 0.08
"""Most calm questions of any held-out writer that may get a safety note (issue: 10 %)."""
DIM = 384
MODEL_ID = "all-MiniLM-L6-v2"
VOTE_K = 15
VOTE_TEMPERATURE = 30.0
VOTE_WEIGHT = 0.5
VOTE_DIMS = 96
"""The nearest-neighbour vote (botcore.triage.neighbours): 15 nearest exemplars per class,
softmax of their mean cosines times 30, averaged half and half with the linear model,
cosines in the exemplars' first 96 principal directions; chosen by leave-one-writer-out
recall at 2 % calm false escalations (round 4)."""


@dataclass(frozen=True)
class Labelled:
    texts: list[str]
    labels: list[int]


def exemplars(path: Path = EXEMPLARS, writers: Path | None = WRITERS,
              exclude: str | None = None) -> tuple[Labelled, Labelled]:
    """The screen and follow-up training sets: the exemplar file, plus the writers' cases
    (all but ``exclude``). A writer's single question is a screen example of its label
    (``none`` = calm); a conversation's first turn is a screen example of its tier, each
    later escalated turn a follow-up "hold" and a calm last turn a follow-up "release"
    (and a calm screen example); a calm single question is a follow-up "release" too
    (round 6: the clearly unrelated calm question that ends a hold). Every clause of
    every calm screen example is a calm example too (the hard negatives hold at clause
    level: the screen scores clauses)."""
    data = read_yaml(path)
    out = []
    for section, classes in (("screen", SCREEN_CLASSES), ("followup", FOLLOWUP_CLASSES)):
        texts, labels = [], []
        for block in data[section]:
            for text in block["texts"]:
                texts.append(text)
                labels.append(classes.index(block["label"]))
        out.append(Labelled(texts, labels))
    screen, followup = out
    for case in writer_cases(writers, exclude=exclude):
        first = case.expects[0]
        screen.texts.append(case.turns[0])
        screen.labels.append(SCREEN_CLASSES.index("calm" if first == "none" else first))
        if not case.conversation and first == "none":
            followup.texts.append(case.turns[0])  # a calm question after a stop: release
            followup.labels.append(FOLLOWUP_CLASSES.index("release"))
        for text, expect in list(zip(case.turns, case.expects, strict=True))[1:]:
            followup.texts.append(text)
            followup.labels.append(FOLLOWUP_CLASSES.index("release" if expect == "none"
                                                          else "hold"))
            if expect == "none":
                screen.texts.append(text)
                screen.labels.append(SCREEN_CLASSES.index("calm"))
    calm = SCREEN_CLASSES.index("calm")
    extra = [c for t, y in zip(screen.texts, screen.labels, strict=True) if y == calm
             for c in clauses(truncate(clean_input(t)))]
    screen.texts.extend(extra)
    screen.labels.extend([calm] * len(extra))
    return screen, followup


def writer_cases(writers: Path | None = WRITERS, only: str | None = None,
                 exclude: str | None = None) -> list[SafetyCase]:
    """The writers' cases (``corpus/safety/writers.yaml``), by their ``source`` field."""
    if writers is None or not writers.exists():
        return []
    sources = {c["id"]: c["source"] for c in read_yaml(writers)}
    return [c for c in load_cases(writers)
            if (only is None or sources[c.id] == only) and sources[c.id] != exclude]


def fit(x: np.ndarray, y: np.ndarray, k: int, l2: float = L2) -> tuple[np.ndarray, np.ndarray]:
    """Class-balanced multinomial logistic regression, L2 on the weights (not the bias)."""
    from scipy.optimize import minimize  # type: ignore[import-untyped]  # noqa: PLC0415

    n, d = x.shape
    sample = (n / (k * np.bincount(y, minlength=k)))[y]
    onehot = np.eye(k)[y]
    total = sample.sum()

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        weights, bias = w[: k * d].reshape(k, d), w[k * d:]
        z = x @ weights.T + bias
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        value = -(sample * np.log(p[np.arange(n), y] + 1e-300)).sum() / total
        value += l2 * float((weights ** 2).sum())
        g = (p - onehot) * sample[:, None] / total
        grad = np.concatenate([(g.T @ x + 2 * l2 * weights).ravel(), g.sum(axis=0)])
        return value, grad

    res = minimize(loss, np.zeros(k * d + k), jac=True, method="L-BFGS-B",
                   options={"maxiter": 5000, "gtol": 1e-10, "ftol": 1e-14})
    return res.x[: k * d].reshape(k, d), res.x[k * d:]


def _rounded(a: np.ndarray) -> list[object]:
    return np.round(a, 7).tolist()  # type: ignore[no-any-return]


@dataclass
class Embedded:
    """Every text training and calibration read (and every clause of it), encoded once."""

    vectors: dict[str, np.ndarray]
    queries: dict[str, str]


def embed_all(embed: object, texts: Sequence[str], cache: Path | None = None) -> Embedded:
    """Vectors of the engine's queries for ``texts`` and of their clauses. ``cache`` (an
    .npz outside the repo, keyed by the query text) only saves time while experimenting:
    the same model gives the same vectors."""
    queries = dict(zip(texts, as_queries(texts), strict=True))
    wanted = sorted({c for q in queries.values() if q for c in screen_texts(q)})
    known: dict[str, np.ndarray] = {}
    if cache is not None and cache.exists():
        with np.load(cache, allow_pickle=False) as z:
            known = dict(zip(z["texts"].tolist(), z["vectors"], strict=True))
    missing = [q for q in wanted if q not in known]
    if missing:
        matrix = embed.encode(missing).astype(np.float64)  # type: ignore[attr-defined]
        known.update(zip(missing, matrix, strict=True))
        if cache is not None:
            np.savez(cache, texts=np.array(list(known)), vectors=np.stack(list(known.values())))
    return Embedded({q: np.asarray(known[q], dtype=np.float64) for q in wanted}, queries)


def fit_models(screen_set: Labelled, followup_set: Labelled, emb: Embedded,
               l2: float = L2) -> tuple[Linear, Linear, nn.Neighbours]:
    """The two softmax models and the screen's exemplar vote, from the same examples."""
    models = []
    for data, classes in ((screen_set, SCREEN_CLASSES), (followup_set, FOLLOWUP_CLASSES)):
        pairs = [(emb.queries.get(t, t), y) for t, y in zip(data.texts, data.labels, strict=True)
                 if emb.queries.get(t, t)]
        x = np.stack([emb.vectors[q] for q, _ in pairs])
        w, b = fit(x, np.asarray([y for _, y in pairs]), len(classes), l2)
        models.append(Linear(classes, np.round(w, 7), np.round(b, 7)))
    x, y = vote_examples(screen_set, emb)
    vote = nn.from_vectors(SCREEN_CLASSES, x, y, VOTE_K, VOTE_TEMPERATURE, VOTE_WEIGHT,
                           VOTE_DIMS)
    return models[0], models[1], vote


def vote_examples(screen_set: Labelled, emb: Embedded) -> tuple[np.ndarray, np.ndarray]:
    """The vote's exemplars: each distinct (query, label) of the screen set once."""
    pairs = list(dict.fromkeys((emb.queries.get(t, t), y)
                               for t, y in zip(screen_set.texts, screen_set.labels, strict=True)
                               if emb.queries.get(t, t)))
    return np.stack([emb.vectors[q] for q, _ in pairs]), np.asarray([y for _, y in pairs])


def verifier_examples(screen_set: Labelled, emb: Embedded,
                      triage: Triage) -> tuple[np.ndarray, np.ndarray]:
    """The lexicon verifier's exemplars (``tools.safety_verifier``) from the screen set."""
    return safety_verifier.examples(screen_set.texts, screen_set.labels, emb.queries,
                                    emb.vectors, triage)


def folds(emb: Embedded, triage: Triage, l2: float = L2) -> list[Fold]:
    """Leave one writer out: train on the exemplar file and the other writers, read the
    signals of the held-out writer's cases."""
    out = []
    for name in WRITER_NAMES:
        screen_set, followup_set = exemplars(exclude=name)
        screen, followup, vote = fit_models(screen_set, followup_set, emb, l2)
        verifier = safety_verifier.fit(*verifier_examples(screen_set, emb, triage))
        cases = writer_cases(only=name)
        texts = list(dict.fromkeys(t for c in cases for t in c.turns))
        out.append(Fold(name, cases, signals(texts, emb.vectors, triage, screen, followup,
                                             emb.queries, vote, verifier),
                        screen, followup, vote))
    return out


def wilson(r: object) -> str:
    k, n, lo, hi = r.k, r.n, r.lo, r.hi  # type: ignore[attr-defined]
    if not n:
        return "0/0"
    return f"{k}/{n} {100 * k / n:.1f}% [{100 * lo:.1f}-{100 * hi:.1f}]"


def report(name: str, figs: Figures) -> dict[str, list[int]]:
    print(f"{name}:")
    for key, r in figs.rows.items():
        print(f"    {key:10} {wilson(r)}")
    return {k: [r.k, r.n] for k, r in figs.rows.items()}


def _all_texts(screen_set: Labelled, followup_set: Labelled,
               dev: list[SafetyCase]) -> list[str]:
    every = [t for c in dev + writer_cases() for t in c.turns]
    return list(dict.fromkeys(screen_set.texts + followup_set.texts + every))


def train(embed: object, cache: Path | None = None,
          l2: float = L2) -> tuple[dict[str, object], dict[str, object]]:
    """Fit, choose the thresholds by leave-one-writer-out, refit on everything; returns
    the classifier file's content and the figures (LOWO per writer, dev)."""
    screen_set, followup_set = exemplars()
    dev = load_cases(DEV)
    emb = embed_all(embed, _all_texts(screen_set, followup_set, dev), cache)
    triage = Triage(load_lexicon(REPO / "corpus" / "triage.yaml"))
    cv = folds(emb, triage, l2)
    thresholds = choose(cv, HARD_BUDGET, NOTE_BUDGET)
    thresholds["release"] = safety_holds.release(cv, thresholds)
    thresholds[NOTE_HOLD] = safety_holds.note_hold(cv, thresholds)
    screen, followup, vote = fit_models(screen_set, followup_set, emb, l2)
    verify_x, verify_y = verifier_examples(screen_set, emb, triage)
    verifier = safety_verifier.fit(verify_x, verify_y)
    floor = override_floor(screen, vote, triage, embed)
    print(f"crisis override: chosen {thresholds[OVERRIDE]}, gated-emergency floor {floor}")
    thresholds[OVERRIDE] = max(thresholds[OVERRIDE], floor)
    if thresholds[VETO] < 1.0:
        floor = veto_floor(model_of(thresholds, screen, followup, vote, verifier), triage, embed)
        print(f"lexicon veto: chosen {thresholds[VETO]}, gated-emergency floor {floor}")
        thresholds[VETO] = max(thresholds[VETO], floor)
    cap = calm_followup_cap(followup, embed)
    print(f"note hold: chosen {thresholds[NOTE_HOLD]}, calm follow-up cap {cap}")
    thresholds[NOTE_HOLD] = min(thresholds[NOTE_HOLD], cap)
    floor = urgent_floor(model_of(thresholds, screen, followup, vote), triage, embed)
    thresholds[URGENT_OVERRIDE] = max(thresholds["emergency_stop"], floor)
    print(f"emergency over urgent: {thresholds[URGENT_OVERRIDE]} (gated-urgent floor {floor})")
    figs: dict[str, object] = {}
    for f in cv:
        figs[f"lowo-{f.name}"] = report(f"held out {f.name}", cv_figures(
            f.cases, f.sig, model_of(thresholds, f.screen, f.followup, f.vote)))
    dev_texts = list(dict.fromkeys(t for c in dev for t in c.turns))
    dev_sig = signals(dev_texts, emb.vectors, triage, screen, followup, emb.queries, vote,
                      verifier)
    figs["dev"] = report("dev (final model; written by the round-1 engineer)", cv_figures(
        dev, dev_sig, model_of(thresholds, screen, followup, vote)))
    content: dict[str, object] = {
        "format": FORMAT,
        "embedder": {"model": MODEL_ID, "dim": DIM},
        "trained_on": {"corpus/safety/exemplars.yaml": sha256_text(EXEMPLARS.read_text("utf-8")),
                       "corpus/safety/writers.yaml": sha256_text(WRITERS.read_text("utf-8")),
                       "examples": {"screen": len(screen_set.texts),
                                    "followup": len(followup_set.texts)}},
        "calibrated_on": {"leave-one-writer-out": "corpus/safety/writers.yaml",
                          "corpus/safety/dev.yaml": sha256_text(DEV.read_text("utf-8")),
                          "hard_budget": HARD_BUDGET, "note_budget": NOTE_BUDGET},
        "training": {"loss": "class-balanced softmax log loss", "l2": l2,
                     "optimizer": "L-BFGS-B", "scoring": "max over the question and its clauses",
                     "screen": "mean of the softmax and the exemplar vote (neighbours)",
                     "verifier": "vote among the exemplars the lexicon flags as an emergency"},
        "thresholds": {k: round(float(thresholds[k]), 4) for k in THRESHOLDS},
        "screen": {"classes": list(SCREEN_CLASSES), "weights": _rounded(screen.weights),
                   "bias": _rounded(screen.bias)},
        "followup": {"classes": list(FOLLOWUP_CLASSES),
                     "weights": _rounded(followup.weights), "bias": _rounded(followup.bias)},
        "neighbours": nn.as_json(SCREEN_CLASSES, *vote_examples(screen_set, emb), VOTE_K,
                                 VOTE_TEMPERATURE, VOTE_WEIGHT, VOTE_DIMS),
        "verifier": safety_verifier.as_json(verify_x, verify_y),
    }
    return content, figs


def dumps(content: dict[str, object]) -> str:
    return json.dumps(content, indent=1, sort_keys=False) + "\n"


def _numbers(section: object) -> np.ndarray:
    if isinstance(section, dict) and "weights" in section:
        return np.asarray(section["weights"] + [section["bias"]], dtype=object)
    if isinstance(section, dict):
        return np.asarray(list(section.values()), dtype=np.float64)
    raise TypeError("not a numeric section")


def same_model(a: dict[str, object], b: dict[str, object], tol: float = 1e-4) -> bool:
    """Equal up to rounding: the same metadata, and numbers within ``tol``."""
    if a.keys() != b.keys():
        return False
    for key in a:
        if key in ("screen", "followup", "thresholds"):
            x, y = a[key], b[key]
            rows_x = [np.asarray(r, dtype=np.float64) for r in _numbers(x)] \
                if key != "thresholds" else [_numbers(x)]
            rows_y = [np.asarray(r, dtype=np.float64) for r in _numbers(y)] \
                if key != "thresholds" else [_numbers(y)]
            if len(rows_x) != len(rows_y) or any(
                    rx.shape != ry.shape or float(np.max(np.abs(rx - ry))) > tol
                    for rx, ry in zip(rows_x, rows_y, strict=True)):
                return False
        elif key == "neighbours":
            if not _same_vote(a[key], b[key], tol):
                return False
        elif a[key] != b[key]:
            return False
    return True


def _same_vote(a: object, b: object, tol: float) -> bool:
    """The same exemplars and settings, each int8 code within one step (the last float
    digits of a vector may round a code the other way on another machine)."""
    if not isinstance(a, dict) or not isinstance(b, dict) or a.keys() != b.keys():
        return False
    floats = ("scale", "int8_base64", "mean_float32_base64", "projection_float32_base64")
    if any(a[k] != b[k] for k in a if k not in floats):
        return False
    for key in floats[2:]:
        x, y = (np.frombuffer(base64.b64decode(str(v[key])), dtype=np.float32) for v in (a, b))
        if x.shape != y.shape or float(np.abs(x - y).max(initial=0)) > tol:
            return False
    if abs(float(a["scale"]) - float(b["scale"])) > tol:
        return False
    codes = [np.frombuffer(base64.b64decode(str(x["int8_base64"])), dtype=np.int8)
             for x in (a, b)]
    return codes[0].shape == codes[1].shape and int(
        np.abs(codes[0].astype(np.int16) - codes[1].astype(np.int16)).max(initial=0)) <= 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.train_safety", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true",
                        help="retrain and compare with the bundled file instead of writing it")
    parser.add_argument("--dry-run", action="store_true", help="print the figures, write nothing")
    parser.add_argument("--cache", type=Path, default=None,
                        help="an .npz of vectors to reuse between runs (outside the repo)")
    parser.add_argument("--l2", type=float, default=L2, help=f"L2 penalty (default {L2})")
    args = parser.parse_args(argv)
    from botcore.config import force_offline  # noqa: PLC0415

    force_offline()
    from botcore.embedder import MiniLMEmbedder  # noqa: PLC0415

    content, figs = train(MiniLMEmbedder(), args.cache, args.l2)
    print(f"thresholds {content['thresholds']}")
    if args.check:
        bundled = json.loads(OUT.read_text(encoding="utf-8"))
        ok = same_model(content, bundled)
        print("classifier.json is reproducible" if ok else "classifier.json differs from a retrain")
        return 0 if ok else 1
    if args.dry_run:
        return 0
    from botcore.storage import write_atomic  # noqa: PLC0415

    write_atomic(OUT, dumps(content), mode=0o644)
    write_atomic(FIGURES, json.dumps({"thresholds": content["thresholds"], "figures": figs},
                                     indent=1) + "\n", mode=0o644)
    print(f"wrote {OUT.relative_to(REPO)} and {FIGURES.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
