"""Warm per-question latency, measured in this process or in a fresh child process.

    python evals/bench_warm.py --cache DIR --data DIR [--rounds 1] [--limit N]

prints one JSON line: each round's p50, p95 and CPU-time p50 in milliseconds, and how many
texts (in how many calls) the model encoded per question in the first round.

Run as a file (not ``-m``) it imports ``botcore`` and ``evals.cases`` from whatever
``PYTHONPATH`` names first, so ``python -m evals.bench --against OTHER_CHECKOUT`` can time
another checkout's code (say main's) with this same script, alternating with this
checkout's, round by round in one run: load on a shared machine then falls on both alike.
It therefore uses only the engine's oldest public API (``Engine.load``, ``ask``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

WARM_UP = "what is a tracheostomy"
"""Asked once before timing: first-call costs belong to the cold start, not to latency."""


def _p(values: list[float], q: float) -> float:
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo, hi = int(pos), min(int(pos) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def measure(cache: Path, data: Path, rounds: int, limit: int = 0) -> dict[str, Any]:
    """Load one engine, ask every eval question once per round; per-round figures."""
    from botcore.config import Settings  # noqa: PLC0415 - whichever checkout is first
    from botcore.engine import Engine  # noqa: PLC0415
    from evals.cases import load_cases  # noqa: PLC0415

    engine = Engine.load(Settings(cache_dir=cache, data_dir=data))
    questions = [c.final_question for c in load_cases()]
    questions = questions[:limit] if limit else questions
    engine.ask(WARM_UP)
    usage = getattr(engine, "model_usage", lambda: (0, 0))
    texts_per_q: Counter[int] = Counter()
    calls_per_q: Counter[int] = Counter()
    out: dict[str, Any] = {"questions": len(questions), "p50": [], "p95": [], "cpu50": [],
                           "mean": []}
    for round_no in range(max(1, rounds)):
        times, cpu = [], []
        for q in questions:
            calls, texts = usage()
            t0, c0 = time.perf_counter(), time.process_time()
            engine.ask(q)
            times.append(1000 * (time.perf_counter() - t0))
            cpu.append(1000 * (time.process_time() - c0))
            if round_no == 0:
                calls_after, texts_after = usage()
                texts_per_q[texts_after - texts] += 1
                calls_per_q[calls_after - calls] += 1
        out["p50"].append(_p(times, 50))
        out["p95"].append(_p(times, 95))
        out["cpu50"].append(_p(cpu, 50))
        out["mean"].append(statistics.fmean(times))
    out["texts_per_question"] = {str(k): v for k, v in sorted(texts_per_q.items())}
    out["calls_per_question"] = {str(k): v for k, v in sorted(calls_per_q.items())}
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args(argv)
    from botcore.config import force_offline  # noqa: PLC0415

    force_offline()
    print(json.dumps(measure(args.cache, args.data, args.rounds, args.limit)))
    return 0


if __name__ == "__main__":
    sys.path.pop(0)  # this file's folder: its modules must not shadow any top-level name
    sys.exit(main())
