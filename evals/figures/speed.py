"""Speed figures: per-question latency during the run (cold start and memory are
``python -m evals.bench``'s job)."""

from __future__ import annotations

from collections.abc import Sequence

from evals import metrics as M
from evals.figures.splits import Figures
from evals.run import RunOutput


class LatencyStats(Figures):
    n: int
    p50_ms: float | None
    p95_ms: float | None
    max_ms: float | None


class Speed(Figures):
    cases: LatencyStats
    external: LatencyStats
    suite_seconds: float


def latency_stats(xs: Sequence[float]) -> LatencyStats:
    return LatencyStats(
        n=len(xs),
        p50_ms=M.percentile(xs, 50),
        p95_ms=M.percentile(xs, 95),
        max_ms=max(xs) if xs else None,
    )


def speed_section(run: RunOutput) -> Speed:
    return Speed(
        cases=latency_stats(run.latencies),
        external=latency_stats(run.external_latencies),
        suite_seconds=run.seconds,
    )
