"""Ask the cases: every case goes through ``engine.ask`` exactly as a user would ask it
(multi-turn cases turn by turn in one session); the ranking of the last turn is also
taken from ``engine.retrieve`` in the three modes (BM25 only, dense only, hybrid) so the
retrievers are compared on equal terms. Nothing here ranks or decides on its own.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from botcore import Session
from evals.cases import Case, ExternalCase
from evals.integrity import IntegrityChecker
from evals.results import Result, judge

if TYPE_CHECKING:
    from botcore import Answer, Engine
    from botcore.query_cache import QueryCache

MODES = ("bm25", "dense", "hybrid")
"""The retrieval modes every answerable case is ranked in (``Engine.retrieve``)."""
Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` after every case."""


class Ranking(Protocol):
    """What the runner reads of ``Engine.retrieve``'s ranking."""

    @property
    def passage_ids(self) -> list[str]: ...
    @property
    def dense(self) -> dict[str, float]: ...
    @property
    def gate(self) -> float: ...


@dataclass
class RunOutput:
    """The raw results of one run, and what the figures need besides them."""

    results: list[Result]
    external: list[Result]
    checker: IntegrityChecker
    latencies: list[float] = field(default_factory=list)
    """Milliseconds per ``ask`` of the eval's own cases (every turn)."""
    external_latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    """Wall time of the whole run."""


def _finite(x: float | None) -> float | None:
    return x if x is not None and math.isfinite(x) else None


def _ranking(
    engine: Engine, question: str, session: Session, mode: str
) -> tuple[list[str], Ranking | None]:
    try:
        ranking = engine.retrieve(question, session=session, mode=mode, k=10)  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 - a failing retriever is a miss, and reported
        return [], None
    return list(ranking.passage_ids), ranking


def _first_finite(ranking: Ranking | None) -> str | None:
    if ranking is None:
        return None
    for pid in ranking.passage_ids:
        if math.isfinite(ranking.dense.get(pid, math.nan)):
            return pid
    return None


def _external_expectation(case: ExternalCase) -> list[str]:
    if case.judged == "answer":
        return ["answered"]
    return ["abstained"] if case.should_abstain else []


def new_result(case: Case | ExternalCase) -> Result:
    """A result with the case's expectation filled in and nothing asked yet."""
    if isinstance(case, ExternalCase):
        return Result(
            id=case.id,
            split="external",
            kind=case.scope_label,
            question=case.question,
            turns=[case.question],
            expected=_external_expectation(case),
            passages=list(case.passages),
            tier_expected=[],
            situations=[],
            tags=[case.topic],
            external=True,
            scope_label=case.scope_label,
            judged=case.judged,
        )
    return Result(
        id=case.id,
        split=case.split,
        kind=case.kind,
        question=case.final_question,
        turns=list(case.turns or [case.question or ""]),
        expected=list(case.expected),
        passages=list(case.passages),
        tier_expected=list(case.tier),
        situations=list(case.situations),
        tags=list(case.tags),
        message_expected=case.message,
    )


def _record_answer(res: Result, answer: Answer, latency_ms: float) -> None:
    res.latency_ms = latency_ms
    res.status, res.reason, res.tier = answer.status, answer.reason, answer.tier
    res.message_id = answer.message_id
    res.served = [s.passage_id for s in answer.snippets]
    res.gate_score = _finite(answer.gate_score)


def ask_case(
    engine: Engine,
    case: Case | ExternalCase,
    checker: IntegrityChecker,
    latencies: list[float],
    modes: Sequence[str] = MODES,
    cache: QueryCache | None = None,
) -> Result:
    """Ask one case (every turn), rank its last turn in ``modes`` and judge it."""
    res = new_result(case)
    if isinstance(case, ExternalCase):
        situations: set[str] = set()
        earlier: tuple[str, ...] = ()
        final = case.question
    else:
        situations, earlier, final = set(case.situations), case.earlier_turns, case.final_question
    if cache is not None:
        cache.clear()  # nothing carries over between cases: every case's ask computes afresh
    session = Session(situations=situations)  # type: ignore[arg-type]
    for turn in earlier:
        t0 = time.perf_counter()
        earlier_answer = engine.ask(turn, session)
        latencies.append(1000 * (time.perf_counter() - t0))
        res.integrity += checker.check(res.id, earlier_answer)

    before = session.model_copy(deep=True)  # the state the last turn was asked in
    t0 = time.perf_counter()
    answer = engine.ask(final, session)  # first, so its latency includes the real encoding
    _record_answer(res, answer, 1000 * (time.perf_counter() - t0))
    latencies.append(res.latency_ms)

    hybrid = None
    for mode in modes if res.passages else ("hybrid",):
        res.rankings[mode], ranking = _ranking(engine, final, before, mode)
        if mode == "hybrid":
            hybrid = ranking
    if hybrid is not None:
        res.hybrid_gate = _finite(hybrid.gate)
    res.top_candidate = _first_finite(hybrid)
    res.integrity += checker.check(res.id, answer)
    judge(res)
    return res


def run_cases(
    engine: Engine,
    cases: Iterable[Case],
    external: Iterable[ExternalCase] = (),
    progress: Progress | None = None,
    modes: Sequence[str] = MODES,
) -> RunOutput:
    """Ask every case, then every external question, with the engine's query cache open
    for the run (and closed again whatever happens)."""
    cases, external = list(cases), list(external)
    run = RunOutput([], [], IntegrityChecker(engine.corpus.root))
    total = len(cases) + len(external)
    started = time.perf_counter()
    with engine.query_cache() as cache:
        for i, case in enumerate(cases, start=1):
            run.results.append(ask_case(engine, case, run.checker, run.latencies, modes, cache))
            if progress:
                progress(i, total)
        for j, ext in enumerate(external, start=1):
            run.external.append(
                ask_case(engine, ext, run.checker, run.external_latencies, modes, cache)
            )
            if progress:
                progress(len(cases) + j, total)
    run.seconds = time.perf_counter() - started
    return run
