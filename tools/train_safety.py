"""Train and calibrate the safety screen's learned stage (issue 10).

    .venv/bin/python -m tools.train_safety            # writes corpus/safety/classifier.json
    .venv/bin/python -m tools.train_safety --check    # retrains; exit 1 if the file differs

Inputs, all in the repository: ``corpus/safety/exemplars.yaml`` (training exemplars) and
``corpus/safety/dev.yaml`` (the dev split the thresholds are calibrated on). Vectors come
from botcore's embedder API (``MiniLMEmbedder.encode`` on the cleaned question, as the
engine encodes it), never from the model's internals, so any embedder giving the same
vectors (the ONNX one) can use the same weights.

Two softmax models, fitted by L-BFGS on a strictly convex loss (class-balanced log loss
plus an L2 penalty), so the optimum is unique and a retrain lands on the same weights up
to rounding. Thresholds, from the dev split:

* ``*_stop`` (hard stop): just above the highest score the class gets on a calm dev case
  the lexicon lets through, and never below ``STOP_FLOOR``;
* ``*_note`` (safety note): at most ``NOTE_BUDGET`` of the calm dev cases get a note;
* ``release``: just above the highest release score of a dev turn that must hold.

After writing the file it must be approved (``atc-guide review approve``) like the lexicon.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from botcore.ledger import sha256_text
from botcore.sanitize import clean_input, truncate
from botcore.triage import Triage, load_lexicon
from botcore.triage.learned import FOLLOWUP_CLASSES, FORMAT, SCREEN_CLASSES, Linear
from botcore.yamlio import read_yaml
from evals.safety_sets import SafetyCase, load_cases

REPO = Path(__file__).resolve().parent.parent
SAFETY = REPO / "corpus" / "safety"
EXEMPLARS = SAFETY / "exemplars.yaml"
DEV = SAFETY / "dev.yaml"
OUT = SAFETY / "classifier.json"
L2 = 3e-4
STOP_FLOOR = 0.6
STOP_MARGIN = 0.02
NOTE_BUDGET = 0.05
"""Share of the calm dev cases that may get a safety note, crisis and emergency together
(each gets half)."""
MODEL_ID = "all-MiniLM-L6-v2"


@dataclass(frozen=True)
class Labelled:
    texts: list[str]
    labels: list[int]


def exemplars(path: Path = EXEMPLARS) -> tuple[Labelled, Labelled]:
    """The screen and follow-up training sets from the exemplar file."""
    data = read_yaml(path)
    out = []
    for section, classes in (("screen", SCREEN_CLASSES), ("followup", FOLLOWUP_CLASSES)):
        texts, labels = [], []
        for block in data[section]:
            for text in block["texts"]:
                texts.append(text)
                labels.append(classes.index(block["label"]))
        out.append(Labelled(texts, labels))
    return out[0], out[1]


def as_queries(texts: Sequence[str]) -> list[str]:
    """What the engine encodes for a question: the cleaned, truncated text."""
    return [truncate(clean_input(t)) for t in texts]


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


def _stop(values: list[float]) -> float:
    return round(min(0.99, max(STOP_FLOOR, max(values, default=0.0) + STOP_MARGIN)), 4)


def _note(values: list[float], stop: float, budget: float) -> float:
    ranked = sorted(values, reverse=True)
    allowed = math.floor(budget * len(ranked))
    at = ranked[allowed] + 1e-4 if allowed < len(ranked) else 0.05
    return round(min(stop, max(0.05, at)), 4)


def calibrate(screen: Linear, followup: Linear, dev: list[SafetyCase],
              vectors: dict[str, np.ndarray], triage: Triage) -> dict[str, float]:
    """Thresholds from the dev split (see the module docstring)."""
    calm: dict[str, list[float]] = {"crisis": [], "emergency": [], "urgent": []}
    for case in dev:
        if case.conversation or case.expects[0] != "none":
            continue
        hit = triage.screen(case.turns[0])
        if hit is not None and hit.tier != "urgent":
            continue  # the lexicon already escalates it: no threshold can change that
        p = screen.probabilities(vectors[case.turns[0]])
        for key in calm:
            calm[key].append(p[key])
    t = {f"{key}_stop": _stop(v) for key, v in calm.items()}
    t["urgent_stop"] = t.pop("urgent_stop")
    t["crisis_note"] = _note(calm["crisis"], t["crisis_stop"], NOTE_BUDGET / 2)
    t["emergency_note"] = _note(calm["emergency"], t["emergency_stop"], NOTE_BUDGET / 2)
    must_hold = [followup.probabilities(vectors[turn])["release"]
                 for case in dev if case.conversation
                 for turn, expect in list(zip(case.turns, case.expects, strict=True))[1:]
                 if expect != "none" and not triage.is_pushback(turn)]
    t["release"] = round(min(0.99, max(0.5, max(must_hold, default=0.0) + STOP_MARGIN)), 4)
    return {k: t[k] for k in ("crisis_stop", "crisis_note", "emergency_stop", "emergency_note",
                              "urgent_stop", "release")}


def _rounded(a: np.ndarray) -> list[object]:
    return np.round(a, 7).tolist()  # type: ignore[no-any-return]


def train(embed: object) -> dict[str, object]:
    """Fit both models and calibrate; returns the classifier file's content."""
    screen_set, followup_set = exemplars()
    dev = load_cases(DEV)
    dev_texts = [t for c in dev for t in c.turns]
    texts = list(dict.fromkeys(screen_set.texts + followup_set.texts + dev_texts))
    matrix = embed.encode(as_queries(texts)).astype(np.float64)  # type: ignore[attr-defined]
    vectors = dict(zip(texts, matrix, strict=True))
    models = {}
    for name, data, classes in (("screen", screen_set, SCREEN_CLASSES),
                                ("followup", followup_set, FOLLOWUP_CLASSES)):
        x = np.stack([vectors[t] for t in data.texts])
        w, b = fit(x, np.asarray(data.labels), len(classes))
        w, b = np.round(w, 7), np.round(b, 7)
        models[name] = Linear(classes, w, b)
    triage = Triage(load_lexicon(REPO / "corpus" / "triage.yaml"))
    thresholds = calibrate(models["screen"], models["followup"], dev, vectors, triage)
    return {
        "format": FORMAT,
        "embedder": {"model": MODEL_ID, "dim": int(matrix.shape[1])},
        "trained_on": {"corpus/safety/exemplars.yaml": sha256_text(EXEMPLARS.read_text("utf-8")),
                       "examples": {"screen": len(screen_set.texts),
                                    "followup": len(followup_set.texts)}},
        "calibrated_on": {"corpus/safety/dev.yaml": sha256_text(DEV.read_text("utf-8"))},
        "training": {"loss": "class-balanced softmax log loss", "l2": L2,
                     "optimizer": "L-BFGS-B", "stop_floor": STOP_FLOOR,
                     "stop_margin": STOP_MARGIN, "note_budget": NOTE_BUDGET},
        "thresholds": thresholds,
        "screen": {"classes": list(SCREEN_CLASSES), "weights": _rounded(models["screen"].weights),
                   "bias": _rounded(models["screen"].bias)},
        "followup": {"classes": list(FOLLOWUP_CLASSES),
                     "weights": _rounded(models["followup"].weights),
                     "bias": _rounded(models["followup"].bias)},
    }


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
        elif a[key] != b[key]:
            return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.train_safety", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true",
                        help="retrain and compare with the bundled file instead of writing it")
    args = parser.parse_args(argv)
    from botcore.config import force_offline  # noqa: PLC0415

    force_offline()
    from botcore.embedder import MiniLMEmbedder  # noqa: PLC0415

    content = train(MiniLMEmbedder())
    if args.check:
        bundled = json.loads(OUT.read_text(encoding="utf-8"))
        ok = same_model(content, bundled)
        print("classifier.json is reproducible" if ok else "classifier.json differs from a retrain")
        return 0 if ok else 1
    from botcore.storage import write_atomic  # noqa: PLC0415

    write_atomic(OUT, dumps(content), mode=0o644)
    print(f"wrote {OUT.relative_to(REPO)}: thresholds {content['thresholds']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
