"""Figures on the sealed held-out sets, beside the same figures on the set that was tuned.

Every capability that must hold on words nobody here wrote (the safety screen, following
a conversation, answering only what the passages answer) has a dev set the tuner used and
one or more sealed sets written by someone who saw only the spec and the sources, never
the code, the lexicon or the training data. ``evals/cases/sealed/sets.yaml`` lists them:
which file, who wrote it, whether it was tuned on, and how many times its figures had
been looked at before they were bundled. The report shows the sets side by side; the
readiness gates read the sealed ones (``held_out.sets.<id>.rows.<row>``).

A judge per capability turns a case file into rows of rates (``JUDGES``); the judges are
the same modules a developer runs by hand (``python -m evals.safety_sets FILE``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from botcore.yamlio import read_yaml
from evals import metrics as M
from evals.figures.splits import Figures

if TYPE_CHECKING:
    from botcore import Engine

REPO = Path(__file__).resolve().parents[2]
SETS_FILE = REPO / "evals" / "cases" / "sealed" / "sets.yaml"

Judge = Callable[["Engine", Sequence[Path]], dict[str, M.Rate]]
"""Ask every case of the files on the engine and return the capability's rows."""


def _safety_judge(engine: Engine, paths: Sequence[Path]) -> dict[str, M.Rate]:
    from evals.safety_sets import measure  # noqa: PLC0415 - only when the set is run

    return measure(paths, engine.ask).rows


def _safety_labels() -> dict[str, str]:
    from evals.safety_sets import ROWS  # noqa: PLC0415

    return dict(ROWS)


def _conversation_judge(engine: Engine, paths: Sequence[Path]) -> dict[str, M.Rate]:
    from evals.conversations import FIGURES, figures, run_suite  # noqa: PLC0415
    from evals.suite_cases import load_suite  # noqa: PLC0415

    results = run_suite(engine, load_suite(list(paths), passage_ids=set(engine.corpus.passages)))
    rates = figures(results)["rates"]
    return {key: M.Rate(**rates[key]) for key, _ in FIGURES}


def _conversation_labels() -> dict[str, str]:
    from evals.conversations import FIGURES  # noqa: PLC0415

    return dict(FIGURES)


JUDGES: dict[str, tuple[Judge, Callable[[], dict[str, str]]]] = {
    "safety": (_safety_judge, _safety_labels),
    "conversation": (_conversation_judge, _conversation_labels),
}
"""Capability -> (judge, row labels in the capability's order)."""


class SetInfo(Figures):
    """One entry of ``sets.yaml``."""

    id: str
    capability: str
    role: Literal["tuned", "sealed"]
    files: list[str]
    """Relative to the repository; judged together as one set."""
    written_by: str
    looks_before: int = 0
    """How many times this set's figures had been seen before it was bundled (0: never)."""
    note: str = ""
    in_report: bool = True
    """False: a retired set kept listed with its history and run by hand only
    (``python -m evals.safety_sets FILE``), not in every eval run, so that ``make test``
    stays within its time budget as sealed sets are added (round 16)."""


class HeldOutSet(SetInfo):
    cases: int
    rows: dict[str, M.Rate]


class HeldOut(Figures):
    sets: dict[str, HeldOutSet] = Field(default_factory=dict)
    labels: dict[str, dict[str, str]] = Field(default_factory=dict)
    """Capability -> row -> what the row measures, in words."""
    missing: list[str] = Field(default_factory=list)
    """Sets listed in ``sets.yaml`` whose file is not in this checkout."""


def unsealed_sets(path: Path = SETS_FILE) -> list[SetInfo]:
    """The listed sets without the sealed ones: what a run made while tuning may compute
    (``atc-guide eval --no-sealed``), so that no sealed figure is printed to the tuner."""
    return [s for s in report_sets(path) if s.role != "sealed"]


def load_sets(path: Path = SETS_FILE) -> list[SetInfo]:
    if not path.is_file():
        return []
    data = read_yaml(path) or []
    sets = [SetInfo.model_validate(entry) for entry in data]
    unknown = sorted({s.capability for s in sets} - set(JUDGES))
    if unknown:
        raise ValueError(f"{path.name}: no judge for capability '{unknown[0]}'")
    return sets


def report_sets(path: Path = SETS_FILE) -> list[SetInfo]:
    """The listed sets an eval run judges: all but those marked ``in_report: false``."""
    return [s for s in load_sets(path) if s.in_report]


def held_out_section(engine: Engine, sets: Sequence[SetInfo] | None = None,
                     root: Path = REPO) -> HeldOut:
    """Run every set of the report (``report_sets``) through its capability's judge."""
    chosen = list(sets) if sets is not None else report_sets()
    out = HeldOut()
    for info in chosen:
        paths = [root / f for f in info.files]
        if not all(p.is_file() for p in paths):
            out.missing.append(info.id)
            continue
        judge, labels = JUDGES[info.capability]
        rows = judge(engine, paths)
        out.labels.setdefault(info.capability, labels())
        cases = sum(_count_cases(p) for p in paths)
        out.sets[info.id] = HeldOutSet(**info.model_dump(), cases=cases, rows=rows)
    return out


def _count_cases(path: Path) -> int:
    data = read_yaml(path)
    if isinstance(data, dict):
        return sum(len(v) for v in data.values() if isinstance(v, list))
    return len(data) if isinstance(data, list) else 0
