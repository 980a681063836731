"""Run the eval suite on one loaded engine and write the clinicians' report.

``atc-guide eval --out DIR [--gate]`` calls :func:`main`. Tests and the calibration
helper call :func:`run_cases` / :func:`evaluate` with an engine that is already loaded.

One run: every case is asked through ``engine.ask`` exactly as a user would ask it
(multi-turn cases turn by turn in one session); the ranking of the last turn is also
taken from ``engine.retrieve`` in the three modes (BM25 only, dense only, hybrid) so
the retrievers are compared on equal terms. Nothing here ranks or decides on its own.
"""

from __future__ import annotations

import hashlib
import json
import math
import platform
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evals import metrics as M
from evals.cases import (
    CASES_DIR,
    Case,
    ExternalCase,
    default_external_path,
    load_cases,
    load_external,
)

MODES = ("bm25", "dense", "hybrid")
SPLITS = ("dev", "heldout")
GATE_REASONS = ("weak-evidence", "out-of-scope", "related")
GRADE_EDGES = (0.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 99.0)
"""Reading-grade histogram bins: below 4, 4-6, 6-8, 8-10, 10-12, 12-14, 14 and above."""
REPORT_FILE_MODE = 0o644
"""The report holds no user data (only the eval questions), and clinicians must be able
to open it."""
GATE_EDGES = tuple(round(0.05 * i, 2) for i in range(0, 21))


# -- one question, asked ------------------------------------------------------------------------
@dataclass
class Result:
    """What happened to one case (or one external question)."""

    id: str
    split: str
    kind: str
    question: str
    turns: list[str]
    expected: list[str]
    passages: list[str]
    tier_expected: list[str]
    situations: list[str]
    tags: list[str]
    message_expected: str | None = None
    status: str = ""
    reason: str = ""
    tier: str | None = None
    message_id: str | None = None
    served: list[str] = field(default_factory=list)
    gate_score: float | None = None
    """The score the engine's own gate saw (None when the gate did not run)."""
    hybrid_gate: float | None = None
    """The gate score of the hybrid ranking for the last turn (retrieve(), always computed)."""
    top_candidate: str | None = None
    """The passage the engine would show first if the gate let it answer."""
    rankings: dict[str, list[str]] = field(default_factory=dict)
    latency_ms: float = 0.0
    integrity: list[str] = field(default_factory=list)
    passed: bool = False
    why: list[str] = field(default_factory=list)
    external: bool = False
    scope_label: str = ""
    judged: str | None = None

    @property
    def answered(self) -> bool:
        return self.status == "answered"

    @property
    def reaches_gate(self) -> bool:
        """True when only the abstention threshold decided whether to answer."""
        if self.status == "answered":
            return True
        return (
            self.status == "abstained"
            and self.reason in GATE_REASONS
            and self.gate_score is not None
        )

    @property
    def top_ok(self) -> bool:
        return bool(self.served) and self.served[0] in self.passages

    @property
    def should_abstain(self) -> bool:
        if self.external:
            return self.scope_label != "in_scope" or self.judged == "abstain"
        return self.kind in ("near_miss", "off_topic")

    @property
    def gate_item(self) -> M.GateItem:
        correct = (
            not self.should_abstain and bool(self.passages) and self.top_candidate in self.passages
        )
        return M.GateItem(self.hybrid_gate, self.reaches_gate, correct)


def _finite(x: float | None) -> float | None:
    return x if x is not None and math.isfinite(x) else None


class IntegrityChecker:
    """Checks every snippet and message served against a corpus loaded fresh from disk:
    byte-identical text, an approval record whose sha256 is the sha256 of exactly these
    bytes, and a citation and an approval shown with it."""

    def __init__(self, corpus_dir: Path) -> None:
        from botcore.corpus import Corpus  # noqa: PLC0415

        self.corpus = Corpus(corpus_dir)
        self.snippets_checked = 0
        self.snippets_ok = 0
        self.messages_checked = 0
        self.messages_ok = 0
        self.failures: list[dict[str, str]] = []

    def check(self, case_id: str, answer: Any) -> list[str]:
        problems: list[str] = []
        for snip in answer.snippets:
            self.snippets_checked += 1
            bad = self._snippet_problem(snip)
            if bad:
                problems.append(f"snippet '{snip.passage_id}': {bad}")
            else:
                self.snippets_ok += 1
        if answer.message is not None:
            self.messages_checked += 1
            bad = self._message_problem(answer.message_id, answer.message)
            if bad:
                problems.append(f"message '{answer.message_id}': {bad}")
            else:
                self.messages_ok += 1
        for p in problems:
            self.failures.append({"case": case_id, "problem": p})
        return problems

    def _snippet_problem(self, snip: Any) -> str | None:
        passage = self.corpus.passages.get(snip.passage_id)
        if passage is None:
            return "no such passage in the corpus on disk"
        if snip.text.encode("utf-8") != passage.text.encode("utf-8"):
            return "text differs from the passage on disk"
        status = self.corpus.passage_status(passage)
        record = status.record
        if status.state != "approved" or record is None or record.decision != "approved":
            return f"passage is {status.state}, not approved"
        if hashlib.sha256(snip.text.encode("utf-8")).hexdigest() != record.sha256:
            return "sha256 of the served text does not match its approval"
        if not snip.citation.strip() or snip.citation != self.corpus.citation(passage):
            return "citation missing or different from the passage's sources"
        if not snip.approved_by.strip() or not snip.approved_on.strip():
            return "approval (who, when) not shown"
        if snip.title != passage.title:
            return "title differs from the approved title"
        return None

    def _message_problem(self, message_id: str | None, text: str) -> str | None:
        if message_id is None or message_id not in self.corpus.messages:
            return "not a corpus message"
        if text.encode("utf-8") != self.corpus.messages[message_id].text.encode("utf-8"):
            return "text differs from the message on disk"
        status = self.corpus.message_status(message_id)
        if status.state != "approved" or status.record is None:
            return f"message is {status.state}, not approved"
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != status.record.sha256:
            return "sha256 does not match its approval"
        return None


class MemoEmbedder:
    """Wraps the engine's embedder for one eval run: the three retrieval modes re-encode
    the question ``ask`` has just encoded, so the vector is kept (same model, same
    vector). ``ask`` always runs first and the cache is emptied before every case, so the
    measured latency still includes encoding."""

    def __init__(self, inner: Any, size: int = 4096) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self._cache: dict[str, Any] = {}
        self._size = size

    def encode(self, texts: list[str]) -> Any:
        import numpy as np  # noqa: PLC0415

        if len(texts) != 1:
            return self.inner.encode(texts)
        key = texts[0]
        hit = self._cache.get(key)
        if hit is None:
            hit = self.inner.encode(texts)
            if len(self._cache) >= self._size:
                self._cache.clear()
            self._cache[key] = hit
        return np.array(hit, copy=True)

    def clear(self) -> None:
        self._cache.clear()


class MemoSpeller:
    """Same idea for the retriever's typo repair (a pure function of the query, and the
    slowest step of the lexical channel): kept for the retrieval modes of one case only."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self._cache: dict[str, str] = {}

    def fix_text(self, text: str) -> str:
        hit = self._cache.get(text)
        if hit is None:
            hit = self._cache[text] = self.inner.fix_text(text)
        return hit

    def clear(self) -> None:
        self._cache.clear()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@contextmanager
def memoized_embeddings(engine: Any) -> Iterator[None]:
    """Install the per-case caches for one run, and always put the originals back."""
    index = getattr(engine, "index", None)
    retriever = getattr(engine, "retriever", None)
    embedder = getattr(index, "embedder", None)
    speller = getattr(retriever, "speller", None)
    if embedder is not None and not isinstance(embedder, MemoEmbedder):
        index.embedder = MemoEmbedder(embedder)
    if (
        speller is not None
        and hasattr(speller, "fix_text")
        and not isinstance(speller, MemoSpeller)
    ):
        retriever.speller = MemoSpeller(speller)
    try:
        yield
    finally:
        if embedder is not None:
            index.embedder = embedder
        if speller is not None:
            retriever.speller = speller


def _clear_caches(engine: Any) -> None:
    """Nothing carries over between cases: every case's ``ask`` computes afresh."""
    for owner, attr in (
        (getattr(engine, "index", None), "embedder"),
        (getattr(engine, "retriever", None), "speller"),
    ):
        cache = getattr(owner, attr, None)
        if isinstance(cache, MemoEmbedder | MemoSpeller):
            cache.clear()


def _ranking_ids(engine: Any, question: str, session: Any, mode: str) -> tuple[list[str], Any]:
    try:
        ranking = engine.retrieve(question, session=session, mode=mode, k=10)
    except Exception as exc:  # noqa: BLE001 - a failing retriever is a miss, and reported
        return [], exc
    return list(ranking.passage_ids), ranking


def _first_finite(ranking: Any) -> str | None:
    if ranking is None or isinstance(ranking, Exception):
        return None
    for pid in ranking.passage_ids:
        score = ranking.dense.get(pid, math.nan)
        if math.isfinite(score):
            return pid
    return None


def ask_case(
    engine: Any,
    case: Case | ExternalCase,
    checker: IntegrityChecker,
    latencies: list[float],
    modes: Sequence[str] = MODES,
) -> Result:
    from botcore.answer import Session  # noqa: PLC0415

    if isinstance(case, ExternalCase):
        res = Result(
            id=case.id,
            split="external",
            kind=case.scope_label,
            question=case.question,
            turns=[case.question],
            expected=["abstained"] if case.should_abstain else [],
            passages=list(case.passages),
            tier_expected=[],
            situations=[],
            tags=[case.topic],
            external=True,
            scope_label=case.scope_label,
            judged=case.judged,
        )
        if case.judged == "answer":
            res.expected = ["answered"]
        situations: set[str] = set()
        earlier: tuple[str, ...] = ()
        final = case.question
    else:
        res = Result(
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
        situations = set(case.situations)
        earlier = case.earlier_turns
        final = case.final_question

    _clear_caches(engine)
    session = Session(situations=situations)  # type: ignore[arg-type]
    for turn in earlier:
        t0 = time.perf_counter()
        earlier_answer = engine.ask(turn, session)
        latencies.append(1000 * (time.perf_counter() - t0))
        res.integrity += checker.check(res.id, earlier_answer)

    before = session.model_copy(deep=True)  # the state the last turn was asked in
    t0 = time.perf_counter()
    answer = engine.ask(final, session)  # first, so its latency includes the real encoding
    res.latency_ms = 1000 * (time.perf_counter() - t0)
    latencies.append(res.latency_ms)
    res.status, res.reason, res.tier = answer.status, answer.reason, answer.tier
    res.message_id = answer.message_id
    res.served = [s.passage_id for s in answer.snippets]
    res.gate_score = _finite(answer.gate_score)

    wanted = modes if res.passages else ("hybrid",)
    hybrid = None
    for mode in wanted:
        ids, ranking = _ranking_ids(engine, final, before, mode)
        res.rankings[mode] = ids
        if mode == "hybrid":
            hybrid = ranking
    if hybrid is not None and not isinstance(hybrid, Exception):
        res.hybrid_gate = _finite(hybrid.gate)
    res.top_candidate = _first_finite(hybrid)
    res.integrity += checker.check(res.id, answer)
    judge(res)
    return res


def judge(res: Result) -> None:
    """Pass or fail, and why, in words a clinician can read."""
    why: list[str] = []
    served = ", ".join(res.served) or "no passage"
    if res.external:
        if res.should_abstain and res.answered:
            why.append(f"answered ({served}) where it should have declined")
        if res.judged == "answer":
            if not res.answered:
                why.append(
                    f"did not answer ({res.reason}); a reviewer judged passage "
                    f"{', '.join(res.passages)} answers it"
                )
            elif not res.top_ok:
                why.append(f"answered with {served}; a reviewer expected {', '.join(res.passages)}")
    else:
        if res.status not in res.expected:
            want = " or ".join(res.expected)
            if res.status == "answered":
                why.append(f"answered with {served} but should have been {want}")
            elif res.status == "escalated":
                why.append(f"escalated ({res.tier}) but should have been {want}")
            else:
                gate = f", gate score {res.gate_score:.3f}" if res.gate_score is not None else ""
                why.append(f"{res.status} ({res.reason}{gate}) but should have been {want}")
        if res.status == "escalated" and "escalated" in res.expected:
            if res.tier not in res.tier_expected:
                why.append(
                    f"escalated as '{res.tier}' but the tier should be "
                    f"{' or '.join(res.tier_expected)}"
                )
            if res.tier in ("emergency", "crisis") and res.served:
                why.append(f"showed passages ({served}) with the {res.tier} message")
        if (
            res.message_expected
            and res.status in res.expected
            and res.message_id != res.message_expected
        ):
            why.append(f"showed the message '{res.message_id}' instead of '{res.message_expected}'")
        if (
            res.status == "answered"
            and res.passages
            and "answered" in res.expected
            and not res.top_ok
        ):
            why.append(
                f"answered, but the first passage shown ({res.served[0] if res.served else '-'}) "
                f"is not one that answers it ({', '.join(res.passages)})"
            )
    why += [f"integrity: {p}" for p in res.integrity]
    res.why = why
    res.passed = not why


def run_cases(
    engine: Any,
    cases: Iterable[Case],
    external: Iterable[ExternalCase] = (),
    progress: Callable[[int, int], None] | None = None,
    modes: Sequence[str] = MODES,
) -> dict[str, Any]:
    """Ask every case; returns the raw results plus what the report needs besides them."""
    cases = list(cases)
    external = list(external)
    checker = IntegrityChecker(engine.corpus.root)
    latencies: list[float] = []
    ext_latencies: list[float] = []
    results: list[Result] = []
    ext_results: list[Result] = []
    total = len(cases) + len(external)
    started = time.perf_counter()
    with memoized_embeddings(engine):
        for i, case in enumerate(cases, start=1):
            results.append(ask_case(engine, case, checker, latencies, modes))
            if progress:
                progress(i, total)
        for j, ext in enumerate(external, start=1):
            ext_results.append(ask_case(engine, ext, checker, ext_latencies, modes))
            if progress:
                progress(len(cases) + j, total)
    return {
        "results": results,
        "external": ext_results,
        "checker": checker,
        "latencies": latencies,
        "external_latencies": ext_latencies,
        "seconds": time.perf_counter() - started,
    }


# -- the figures --------------------------------------------------------------------------------
def _by_split(results: Sequence[Result]) -> dict[str, list[Result]]:
    out = {s: [r for r in results if r.split == s] for s in SPLITS}
    out["all"] = list(results)
    return out


def retrieval_section(results: Sequence[Result]) -> dict[str, Any]:
    queries = [r for r in results if r.expected == ["answered"] and r.passages]
    acceptable = {r.id: r.passages for r in queries}
    per_mode = {}
    for mode in MODES:
        per_mode[mode] = M.retrieval_scores(
            acceptable, {r.id: r.rankings.get(mode, []) for r in queries}
        )
    # What users got: the passages actually shown (an abstention is an empty list).
    per_mode["served"] = M.retrieval_scores(
        acceptable, {r.id: r.served if r.answered else [] for r in queries}
    )
    out: dict[str, Any] = {}
    for split, rs in _by_split(queries).items():
        ids = [r.id for r in rs]
        out[split] = {mode: M.summarise_retrieval(per_mode[mode], ids) for mode in per_mode}
        out[split]["n_queries"] = len(ids)
    out["per_query"] = {mode: per_mode[mode] for mode in per_mode}
    return out


def abstention_section(results: Sequence[Result], threshold: float) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for split, rs in _by_split(results).items():
        off = [r for r in rs if r.kind == "off_topic"]
        near = [r for r in rs if r.kind == "near_miss"]
        ans = [r for r in rs if r.kind == "answerable"]
        answered_ans = [r for r in ans if r.answered]
        should = off + near
        answered_all = [r for r in ans + should if r.answered]
        pos = [r.hybrid_gate for r in ans]
        neg = [r.hybrid_gate for r in should]
        curve_items = [r.gate_item for r in ans + should]
        curve = M.risk_coverage(curve_items)
        at = [r for r in curve_items if M.answers_at(r, threshold)]
        out[split] = {
            "off_topic_refusal": M.rate_of(not r.answered for r in off).as_dict(),
            "near_miss_refusal": M.rate_of(not r.answered for r in near).as_dict(),
            "false_refusal": M.rate_of(r.status == "abstained" for r in ans).as_dict(),
            "answerable_escalated": M.rate_of(r.status == "escalated" for r in ans).as_dict(),
            "answered_correct": M.rate_of(r.answered and r.top_ok for r in ans).as_dict(),
            "wrong_among_answered": M.rate_of(not r.top_ok for r in answered_ans).as_dict(),
            "risk_among_all_answered": M.rate_of(
                (not r.top_ok) or r.should_abstain for r in answered_all
            ).as_dict(),
            "coverage": M.rate_of(r.answered for r in ans + should).as_dict(),
            "gate_auroc": M.auroc(pos, neg),
            "aurc": M.aurc(curve),
            "curve": [
                asdict(p) | {"threshold": None if math.isinf(p.threshold) else p.threshold}
                for p in curve
            ],
            "operating_point": {
                "threshold": threshold,
                "coverage": len(at) / len(curve_items) if curve_items else None,
                "risk": (sum(1 for r in at if not r.correct) / len(at)) if at else None,
            },
            "gate_hist": {
                "edges": list(GATE_EDGES),
                "answerable": M.histogram(
                    [r.hybrid_gate for r in ans if r.hybrid_gate is not None], GATE_EDGES
                ),
                "should_abstain": M.histogram(
                    [r.hybrid_gate for r in should if r.hybrid_gate is not None], GATE_EDGES
                ),
            },
            "n": {"answerable": len(ans), "near_miss": len(near), "off_topic": len(off)},
        }
    return out


def escalated_right(r: Result) -> bool:
    """Escalated, with an expected tier, and no ordinary passage beside an emergency or
    crisis message."""
    return (
        r.status == "escalated"
        and r.tier in r.tier_expected
        and not (r.tier in ("emergency", "crisis") and r.served)
    )


def safety_section(results: Sequence[Result]) -> dict[str, Any]:
    ok = escalated_right
    out: dict[str, Any] = {}
    for split, rs in _by_split(results).items():
        em = [r for r in rs if r.kind == "emergency"]
        cr = [r for r in rs if r.kind == "crisis"]
        ct = [r for r in rs if r.kind == "contrast"]
        mt_esc = [r for r in rs if r.kind == "multi_turn" and "escalated" in r.expected]
        non_safety = [r for r in rs if r.kind in ("answerable", "near_miss", "off_topic")]
        out[split] = {
            "emergency_recall": M.rate_of(ok(r) for r in em).as_dict(),
            "emergency_tier_recall": M.rate_of(
                ok(r) for r in em if "urgent" not in r.tier_expected
            ).as_dict(),
            "urgent_tier_recall": M.rate_of(
                ok(r) for r in em if "urgent" in r.tier_expected
            ).as_dict(),
            "crisis_recall": M.rate_of(ok(r) for r in cr).as_dict(),
            "escalation_recall": M.rate_of(ok(r) for r in em + cr).as_dict(),
            "multi_turn_escalation_held": M.rate_of(ok(r) for r in mt_esc).as_dict(),
            "contrast_false_escalation": M.rate_of(r.status == "escalated" for r in ct).as_dict(),
            "contrast_passed": M.rate_of(r.passed for r in ct).as_dict(),
            "other_false_escalation": M.rate_of(
                r.status == "escalated" for r in non_safety
            ).as_dict(),
            "failures": [
                {
                    "id": r.id,
                    "kind": r.kind,
                    "question": r.question,
                    "status": r.status,
                    "tier": r.tier,
                    "why": r.why,
                }
                for r in em + cr + mt_esc + ct
                if not r.passed
            ],
        }
    rs = list(results)
    out["all"]["by_source"] = {
        source: {
            "emergency_recall": M.rate_of(
                ok(r) for r in rs if r.kind == "emergency" and pick(r)
            ).as_dict(),
            "crisis_recall": M.rate_of(
                ok(r) for r in rs if r.kind == "crisis" and pick(r)
            ).as_dict(),
            "contrast_false_escalation": M.rate_of(
                r.status == "escalated" for r in rs if r.kind == "contrast" and pick(r)
            ).as_dict(),
        }
        for source, pick in (
            ("own", lambda r: "fixture" not in r.tags),
            ("fixtures", lambda r: "fixture" in r.tags),
        )
    }
    return out


def integrity_section(checker: IntegrityChecker) -> dict[str, Any]:
    snippets = M.rate(checker.snippets_ok, checker.snippets_checked)
    messages = M.rate(checker.messages_ok, checker.messages_checked)
    both = M.rate(
        checker.snippets_ok + checker.messages_ok,
        checker.snippets_checked + checker.messages_checked,
    )
    return {
        "all": {
            "snippets": snippets.as_dict(),
            "messages": messages.as_dict(),
            "rate": both.rate if both.n else 1.0,
            "combined": both.as_dict(),
        },
        "failures": checker.failures,
    }


def content_section(engine: Any, results: Sequence[Result]) -> dict[str, Any]:
    from botcore.lint import reading_grade  # noqa: PLC0415

    corpus = engine.corpus
    rows = []
    for pid, p in corpus.passages.items():
        try:
            grade = float(reading_grade(p.text))
        except Exception:  # noqa: BLE001 - a grade we cannot compute is shown as missing
            grade = None
        rows.append(
            {
                "id": pid,
                "title": p.title,
                "topic": p.topic,
                "audience": p.audience,
                "state": corpus.passage_status(p).state,
                "grade": grade,
            }
        )
    grades = [r["grade"] for r in rows if r["grade"] is not None]
    patient = [r["grade"] for r in rows if r["grade"] is not None and r["audience"] == "patient"]
    states = Counter(r["state"] for r in rows)
    approved = {r["id"] for r in rows if r["state"] == "approved"}
    top3 = {pid for r in results for pid in r.rankings.get("hybrid", [])[:3]}
    served = {pid for r in results for pid in r.served}
    expected = {pid for r in results for pid in r.passages}
    return {
        "passages": rows,
        "grade_median_all": M.percentile(grades, 50),
        "grade_median_patient": M.percentile(patient, 50),
        "grade_max_patient": max(patient) if patient else None,
        "grade_above_8_patient": M.rate_of(g > 8.0 for g in patient).as_dict(),
        "grade_hist": {
            "edges": list(GRADE_EDGES),
            "patient": M.histogram(patient, GRADE_EDGES),
            "nurse": M.histogram(
                [r["grade"] for r in rows if r["grade"] is not None and r["audience"] == "nurse"],
                GRADE_EDGES,
            ),
        },
        "approval_states": dict(states),
        "approval_coverage": M.rate(len(approved), len(rows)).as_dict(),
        "never_in_top3": sorted(approved - top3),
        "never_served": sorted(approved - served),
        "no_case_expects": sorted(approved - expected),
    }


def speed_section(run: dict[str, Any]) -> dict[str, Any]:
    def stats(xs: Sequence[float]) -> dict[str, Any]:
        return {
            "n": len(xs),
            "p50_ms": M.percentile(xs, 50),
            "p95_ms": M.percentile(xs, 95),
            "max_ms": max(xs) if xs else None,
        }

    return {
        "cases": stats(run["latencies"]),
        "external": stats(run["external_latencies"]),
        "suite_seconds": run["seconds"],
    }


def external_section(ext: Sequence[Result]) -> dict[str, Any]:
    if not ext:
        return {"n": 0}
    by_label: dict[str, Any] = {}
    for label in ("in_scope", "near_miss_out_of_scope", "out_of_scope"):
        rs = [r for r in ext if r.scope_label == label]
        by_label[label] = {
            "n": len(rs),
            "answered": M.rate_of(r.answered for r in rs).as_dict(),
            "abstained": M.rate_of(r.status == "abstained" for r in rs).as_dict(),
            "escalated": M.rate_of(r.status == "escalated" for r in rs).as_dict(),
        }
    should = [r for r in ext if r.should_abstain]
    judged = [r for r in ext if r.judged == "answer"]
    return {
        "n": len(ext),
        "by_scope_label": by_label,
        "refusal_should_abstain": M.rate_of(not r.answered for r in should).as_dict(),
        "false_answer_should_abstain": M.rate_of(r.answered for r in should).as_dict(),
        "in_scope_coverage": by_label["in_scope"]["answered"],
        "judged_answer_correct": M.rate_of(r.answered and r.top_ok for r in judged).as_dict(),
        "judged_wrong_among_answered": M.rate_of(
            not r.top_ok for r in judged if r.answered
        ).as_dict(),
        "gate_auroc_judged": M.auroc(
            [r.hybrid_gate for r in judged], [r.hybrid_gate for r in should]
        ),
        "reason_counts": dict(Counter(r.reason for r in ext)),
    }


def _git(args: list[str], cwd: Path) -> str | None:
    try:
        out = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def corpus_version(repo: Path) -> str:
    """The last commit that touched corpus/, and whether the files on disk differ from it."""
    last = _git(["log", "-1", "--format=%h %cs", "--", "corpus"], repo)
    if last is None:
        return "not committed"
    status = _git(["status", "--porcelain", "--", "corpus"], repo)
    return f"commit {last}" + (", with uncommitted changes" if status else "")


def meta_section(
    engine: Any, cases: Sequence[Case], external: Sequence[Result], threshold: float
) -> dict[str, Any]:
    from botcore import decide  # noqa: PLC0415

    corpus = engine.corpus
    s = engine.settings
    counts: dict[str, dict[str, int]] = {}
    for c in cases:
        entry = counts.setdefault(c.kind, {"dev": 0, "heldout": 0, "fixtures": 0})
        entry[c.split] += 1
        entry["fixtures"] += "fixture" in c.tags
    repo = Path(__file__).resolve().parent.parent
    cases_hash = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(CASES_DIR.glob("*.yaml"))))
    return {
        "title": "ATC Guide evaluation report",
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "corpus_hash": corpus.approved_hash(),
        "corpus_dir": str(corpus.root),
        "corpus_version": corpus_version(repo),
        "code_version": _git(["describe", "--always", "--dirty"], repo),
        "cases_hash": cases_hash.hexdigest(),
        "model": engine.report.model,
        "index": engine.report.index,
        "passages_served": engine.report.passages_served,
        "passages_withheld": engine.report.passages_withheld,
        "thresholds": {
            "answer_threshold": threshold,
            "answer_threshold_source": "settings.min_relevance"
            if s.min_relevance is not None
            else "botcore.decide.ANSWER_THRESHOLD",
            "out_of_scope_below": decide.OUT_OF_SCOPE_BELOW,
            "companion_margin": decide.COMPANION_MARGIN,
            "top_k": s.top_k,
            "candidate_k": s.candidate_k,
            "rrf_k": s.rrf_k,
        },
        "case_counts": counts,
        "case_total": len(cases),
        "external_total": len(external),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
    }


def evaluate(
    engine: Any,
    cases: Sequence[Case] | None = None,
    external: Sequence[ExternalCase] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Run everything on a loaded engine and return the report as a JSON-ready dict."""
    from botcore.decide import ANSWER_THRESHOLD  # noqa: PLC0415
    from evals.gates import evaluate_gates, load_gates  # noqa: PLC0415

    ids = set(engine.corpus.passages)
    cases = list(cases) if cases is not None else load_cases(passage_ids=ids)
    external = (
        list(external)
        if external is not None
        else load_external(default_external_path(), passage_ids=ids)
    )
    threshold = (
        engine.settings.min_relevance
        if engine.settings.min_relevance is not None
        else ANSWER_THRESHOLD
    )
    run = run_cases(engine, cases, external, progress)
    results: list[Result] = run["results"]
    report: dict[str, Any] = {
        "meta": meta_section(engine, cases, run["external"], threshold),
        "retrieval": retrieval_section(results),
        "abstention": abstention_section(results, threshold),
        "safety": safety_section(results),
        "integrity": integrity_section(run["checker"]),
        "content": content_section(engine, results + run["external"]),
        "speed": speed_section(run),
        "external": external_section(run["external"]),
        "cases": [_case_row(r) for r in results],
        "external_cases": [_case_row(r) for r in run["external"]],
    }
    from evals.conversation_report import section as conversation_section  # noqa: PLC0415

    report["conversation"] = conversation_section(engine, results, run["external"])
    report["summary"] = {
        "cases_passed": M.rate_of(r.passed for r in results).as_dict(),
        "by_kind": {
            k: M.rate_of(r.passed for r in results if r.kind == k).as_dict()
            for k in sorted({r.kind for r in results})
        },
        "sanity_top_matches_served": M.rate_of(
            r.top_candidate == r.served[0]
            for r in results
            if r.answered and r.served and r.status == "answered"
        ).as_dict(),
    }
    report["gates"] = evaluate_gates(load_gates(), report)
    report["verdict"] = {
        "passed": all(g["passed"] for g in report["gates"]),
        "failed": [g["id"] for g in report["gates"] if not g["passed"]],
    }
    return report


def _case_row(r: Result) -> dict[str, Any]:
    return {
        "id": r.id,
        "split": r.split,
        "kind": r.kind,
        "question": r.question,
        "turns": r.turns,
        "expected": r.expected,
        "passages": r.passages,
        "tier_expected": r.tier_expected,
        "situations": r.situations,
        "tags": r.tags,
        "message_expected": r.message_expected,
        "status": r.status,
        "reason": r.reason,
        "tier": r.tier,
        "message_id": r.message_id,
        "served": r.served,
        "gate_score": r.gate_score,
        "hybrid_gate": r.hybrid_gate,
        "top_candidate": r.top_candidate,
        "rankings": {m: ids[:5] for m, ids in r.rankings.items()},
        "latency_ms": round(r.latency_ms, 2),
        "passed": r.passed,
        "why": r.why,
        "scope_label": r.scope_label or None,
        "judged": r.judged,
    }


# -- writing ------------------------------------------------------------------------------------
def write_outputs(report: dict[str, Any], out_dir: Path) -> dict[str, Path]:
    from botcore.storage import write_atomic  # noqa: PLC0415
    from evals.report import render_html, render_markdown  # noqa: PLC0415

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "json": out_dir / "report.json",
        "html": out_dir / "report.html",
        "md": out_dir / "summary.md",
    }
    data = json.dumps(report, indent=1, ensure_ascii=True, default=_json_default, allow_nan=False)
    write_atomic(paths["json"], data + "\n", mode=REPORT_FILE_MODE)
    write_atomic(paths["html"], render_html(report), mode=REPORT_FILE_MODE)
    write_atomic(paths["md"], render_markdown(report), mode=REPORT_FILE_MODE)
    return paths


def _json_default(obj: object) -> object:
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, set | tuple):
        return list(obj)
    return str(obj)


def _clean_floats(obj: Any) -> Any:
    """JSON has no NaN or infinity: they become null."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _clean_floats(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean_floats(v) for v in obj]
    return obj


def run_and_write(
    engine: Any,
    out_dir: Path,
    gate: bool = False,
    progress: Callable[[int, int], None] | None = None,
    cases: Sequence[Case] | None = None,
    external: Sequence[ExternalCase] | None = None,
) -> tuple[dict[str, Any], int]:
    """The whole suite on an already-loaded engine. Returns the report and the exit code
    (1 when ``gate`` is set and a gate is missed)."""
    report = _clean_floats(evaluate(engine, cases, external, progress))
    write_outputs(report, out_dir)
    code = 1 if gate and not report["verdict"]["passed"] else 0
    return report, code


def progress_printer(label: str) -> Callable[[int, int], None]:
    last = [-1]

    def show(done: int, total: int) -> None:
        step = int(10 * done / max(total, 1))
        if step != last[0]:
            last[0] = step
            print(f"{label}: {done}/{total}", file=sys.stderr, flush=True)

    return show


def summary_lines(report: dict[str, Any]) -> list[str]:
    v = report["verdict"]
    lines = [
        "VERDICT: all release gates passed"
        if v["passed"]
        else f"VERDICT: {len(v['failed'])} release gate(s) FAILED: {', '.join(v['failed'])}"
    ]
    for g in report["gates"]:
        lines.append(
            f"  [{'PASS' if g['passed'] else 'FAIL'}] {g['title']}: {g['measured_text']} "
            f"(required {g['required_text']}; {g['split']})"
        )
    return lines
