"""Warm latency per question, single questions and conversation turns (prints medians).

    python -m evals.bench_turns [--rounds 5]

Asks every question of our conversation suite (``evals/cases/conversation/``) through the
loaded engine, conversations in one session as the app does, ``rounds`` times after one
warm-up round, and prints the median and p90 wall time per question, for first turns and
single questions and for follow-up turns separately, as wall time and as CPU time of the
process (steadier on a machine shared with other work). The typo-repair cache is emptied
before every question, so no question profits from having been asked before. A benchmark,
not a test: it asserts nothing (speed is never a timed test here). Compare a branch with
its base by running it in both worktrees on the same machine, one after the other.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from evals.suite_cases import load_suite


def measure(engine: object, rounds: int) -> dict[str, list[float]]:
    """Per question: wall time and CPU time of this process, in ms, by kind of turn."""
    from botcore.answer import Session  # noqa: PLC0415

    items = load_suite()
    kinds = ("first", "follow-up", "first cpu", "follow-up cpu")
    times: dict[str, list[float]] = {k: [] for k in kinds}
    for round_no in range(rounds + 1):
        for item in items:
            session = Session()
            for index, turn in enumerate(item.as_turns()):
                forget = getattr(getattr(engine, "retriever", None), "speller", None)
                if forget is not None and hasattr(forget, "clear"):
                    forget.clear()  # every question's words as if seen for the first time
                t0, c0 = time.perf_counter(), time.process_time()
                engine.ask(turn.text, session)  # type: ignore[attr-defined]
                elapsed = 1000 * (time.perf_counter() - t0)
                cpu = 1000 * (time.process_time() - c0)
                if round_no > 0:  # round 0 warms caches, allocators and the model
                    kind = "first" if index == 0 else "follow-up"
                    times[kind].append(elapsed)
                    times[f"{kind} cpu"].append(cpu)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.bench_turns")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    from botcore.config import Settings, force_offline  # noqa: PLC0415

    force_offline()
    from botcore.engine import Engine  # noqa: PLC0415

    engine = Engine.load(Settings())
    times = measure(engine, max(1, args.rounds))
    for suffix, what in (("", "wall"), (" cpu", "cpu")):
        first, follow = times[f"first{suffix}"], times[f"follow-up{suffix}"]
        for label, xs in (
            (f"{what}: first turns and single questions", first),
            (f"{what}: follow-up turns", follow),
            (f"{what}: all questions", first + follow),
        ):
            p90 = statistics.quantiles(xs, n=10)[-1] if len(xs) >= 10 else max(xs)
            print(
                f"{label:<40} median {statistics.median(xs):6.2f} ms   "
                f"p90 {p90:6.2f} ms   (n = {len(xs)})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
