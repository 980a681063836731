"""What a run was measured on: date, corpus and code versions, the model, the
thresholds in force and how many cases of each kind (so every figure can be traced)."""

from __future__ import annotations

import hashlib
import platform
import subprocess
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from botcore import decide
from evals.cases import Case, case_files
from evals.figures.splits import Figures

if TYPE_CHECKING:
    from botcore import Engine

REPO = Path(__file__).resolve().parents[2]
TITLE = "ATC Guide evaluation report"


class Thresholds(Figures):
    answer_threshold: float
    answer_threshold_source: str
    out_of_scope_below: float
    companion_margin: float
    top_k: int
    candidate_k: int
    rrf_k: int


class CaseCount(Figures):
    dev: int
    heldout: int
    fixtures: int
    """How many of them come from the reused safety case files (``cases/safety/``)."""


class Meta(Figures):
    title: str
    date: str
    corpus_hash: str
    corpus_dir: str
    corpus_version: str
    code_version: str | None
    cases_hash: str
    model: str
    index: str
    passages_served: int
    passages_withheld: int
    thresholds: Thresholds
    case_counts: dict[str, CaseCount]
    case_total: int
    external_total: int
    python: str
    platform: str


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


def case_counts(cases: Sequence[Case]) -> dict[str, CaseCount]:
    counts: dict[str, dict[str, int]] = {}
    for c in cases:
        entry = counts.setdefault(c.kind, {"dev": 0, "heldout": 0, "fixtures": 0})
        entry[c.split] += 1
        entry["fixtures"] += "fixture" in c.tags
    return {kind: CaseCount.model_validate(n) for kind, n in counts.items()}


def thresholds(engine: Engine, threshold: float) -> Thresholds:
    s = engine.settings
    return Thresholds(
        answer_threshold=threshold,
        answer_threshold_source="settings.min_relevance"
        if s.min_relevance is not None
        else "botcore.decide.ANSWER_THRESHOLD",
        out_of_scope_below=decide.OUT_OF_SCOPE_BELOW,
        companion_margin=decide.COMPANION_MARGIN,
        top_k=s.top_k,
        candidate_k=s.candidate_k,
        rrf_k=s.rrf_k,
    )


def meta_section(
    engine: Engine, cases: Sequence[Case], external_total: int, threshold: float
) -> Meta:
    corpus = engine.corpus
    cases_hash = hashlib.sha256(b"".join(p.read_bytes() for p in case_files()))
    return Meta(
        title=TITLE,
        date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        corpus_hash=corpus.approved_hash(),
        corpus_dir=str(corpus.root),
        corpus_version=corpus_version(REPO),
        code_version=_git(["describe", "--always", "--dirty"], REPO),
        cases_hash=cases_hash.hexdigest(),
        model=engine.report.model,
        index=engine.report.index,
        passages_served=engine.report.passages_served,
        passages_withheld=engine.report.passages_withheld,
        thresholds=thresholds(engine, threshold),
        case_counts=case_counts(cases),
        case_total=len(cases),
        external_total=external_total,
        python=platform.python_version(),
        platform=platform.platform(terse=True),
    )
