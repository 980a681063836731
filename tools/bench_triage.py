"""What the safety screen costs: per question, and at start-up (issue 10, issue 13).

    .venv/bin/python -m tools.bench_triage [--repeat 5]

Prints medians, never asserts (speed is measured, not tested). Per question it times
what triage adds on top of the encode the engine already does for retrieval: the lexicon
screen (with the typo-tolerant variant), the scope rules, the learned stage on the
question's vector and its clauses' vectors (and, printed apart, the extra encode the
clauses cost: the question and its clauses go to the model in one batched call), and the
push-back check. The texts are every question of the dev
split and the eval cases. At start-up it times the lexicon check and analysis without
the cache, and with it (issue 13).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent


def _median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _texts() -> list[str]:
    from botcore.yamlio import read_yaml  # noqa: PLC0415
    from evals.safety_sets import load_cases  # noqa: PLC0415

    texts = [t for c in load_cases(REPO / "corpus" / "safety" / "dev.yaml") for t in c.turns]
    for path in sorted((REPO / "evals" / "cases").glob("*.yaml")):
        for case in read_yaml(path) or []:
            if isinstance(case, dict) and isinstance(case.get("question"), str):
                texts.append(case["question"])
    return texts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench_triage", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per figure")
    args = parser.parse_args(argv)
    from botcore.config import force_offline  # noqa: PLC0415

    force_offline()
    from botcore.embedder import MiniLMEmbedder  # noqa: PLC0415
    from botcore.sanitize import clean_input, truncate  # noqa: PLC0415
    from botcore.triage.cache import load_triage  # noqa: PLC0415
    from botcore.triage.clauses import screen_texts  # noqa: PLC0415
    from botcore.triage.decision import decide  # noqa: PLC0415
    from botcore.triage.learned import load_model  # noqa: PLC0415

    lexicon = REPO / "corpus" / "triage.yaml"
    with tempfile.TemporaryDirectory() as tmp:
        cold = [_median_ms(lambda: load_triage(lexicon, None), 1) for _ in range(args.repeat)]
        load_triage(lexicon, Path(tmp))
        warm = _median_ms(lambda: load_triage(lexicon, Path(tmp)), args.repeat)
    triage = load_triage(lexicon, None)
    model = load_model(REPO / "corpus" / "safety" / "classifier.json")
    texts = _texts()
    embedder = MiniLMEmbedder()
    queries = [truncate(clean_input(t)) for t in texts]
    rows = [embedder.encode(screen_texts(q)).astype(np.float64) for q in queries]
    for text in texts:  # first use compiles the regexes that run: not part of the per-question cost
        triage.screen(text)

    def one(i: int) -> None:
        text = texts[i]
        hit = triage.screen(text)
        decide(hit, model.scores_of(rows[i]), model)
        triage.scope(clean_input(text))
        triage.is_pushback(text)
        model.hold_probability(rows[i][0])

    per_question = []
    for i in range(len(texts)):
        times = []
        for _ in range(args.repeat):
            triage._variants.cache_clear()  # noqa: SLF001 - fold afresh, as for a new question
            start = time.perf_counter()
            one(i)
            times.append((time.perf_counter() - start) * 1000)
        per_question.append(statistics.median(times))
    encode = [_median_ms(lambda q=q: embedder.encode([q]), args.repeat)  # type: ignore[misc]
              for q in queries[:60]]
    split = [q for q in queries if len(screen_texts(q)) > 1]
    extra = [_median_ms(lambda q=q: embedder.encode(screen_texts(q)), args.repeat)  # type: ignore[misc]
             - _median_ms(lambda q=q: embedder.encode([q]), args.repeat)  # type: ignore[misc]
             for q in split[:60]]
    print(f"texts: {len(texts)} (dev split and eval cases); {args.repeat} runs each, medians")
    print(f"  triage per question (lexicon + typo variant + scope + learned + push-back): "
          f"median {statistics.median(per_question):.2f} ms, "
          f"p90 {np.percentile(per_question, 90):.2f} ms, max {max(per_question):.2f} ms")
    print("  the encode it reuses (not added by triage): "
          f"median {statistics.median(encode):.1f} ms")
    print(f"  clauses: {len(split)} of {len(queries)} questions have more than one; their "
          f"batched encode (question + clauses, one call) adds median "
          f"{statistics.median(extra) if extra else 0.0:.1f} ms over the question alone "
          f"(an added cost of triage; 0 for one-clause questions)")
    print(f"  start-up, lexicon check + analysis: no cache {statistics.median(cold):.0f} ms, "
          f"cached {warm:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
