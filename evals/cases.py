"""Load and validate the eval cases (``evals/cases/*.yaml``) and the external public set.

The case files are reviewable data. A bad file fails on load with a message naming the
file, the case and the field, like the corpus loader does.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from botcore.answer import Status, Tier
from botcore.schema import Situation
from botcore.yamlio import YamlProblem, read_yaml

CASES_DIR = Path(__file__).resolve().parent / "cases"
EXTERNAL_JUDGEMENTS = CASES_DIR / "external_judgements.yaml"
SAFETY_DIR = CASES_DIR / "safety"
"""The safety case files written with the triage rules: red flags, crisis language, the
contrast set and redirects (``tests/test_triage.py`` gates the lexicon on them too).
Reused as extra safety cases, tagged 'fixture' so the report can tell them from the
eval's own, newly written phrasings."""


def default_external_path() -> Path | None:
    """``../shared/eval-data/public_consumer_questions.jsonl`` in the development layout."""
    candidate = (
        Path(__file__).resolve().parent.parent.parent
        / "shared"
        / "eval-data"
        / "public_consumer_questions.jsonl"
    )
    return candidate if candidate.is_file() else None


def case_files(cases_dir: Path = CASES_DIR) -> list[Path]:
    """Every file the eval cases are read from (the report's cases hash covers these)."""
    return sorted(cases_dir.glob("*.yaml")) + sorted((cases_dir / "safety").glob("*.yaml"))


Split = Literal["dev", "heldout"]
Kind = Literal[
    "answerable", "near_miss", "off_topic", "emergency", "crisis", "contrast", "multi_turn"
]
SHOULD_ABSTAIN_KINDS = ("near_miss", "off_topic")
SAFETY_KINDS = ("emergency", "crisis")


class CaseError(ValueError):
    """A case file is malformed; the message names file, case and field."""


def _as_list(value: object) -> object:
    return [value] if isinstance(value, str) else value


class Case(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=100)
    split: Split
    kind: Kind
    question: str | None = None
    turns: tuple[str, ...] | None = None
    expected: tuple[Status, ...]
    """Statuses that pass (usually one)."""
    passages: tuple[str, ...] = ()
    """Acceptable passage ids; the first is the one the question was written for."""
    tier: tuple[Tier, ...] = ()
    situations: tuple[Situation, ...] = ()
    tags: tuple[str, ...] = ()
    message: str | None = None
    """Optional: the approved message id that must be shown (e.g. emergency-airway)."""
    source: str = ""
    """The file the case came from (set by the loader)."""

    _list_fields = field_validator("expected", "tier", mode="before")(_as_list)

    @model_validator(mode="after")
    def _consistent(self) -> Case:
        if (self.question is None) == (self.turns is None):
            raise ValueError("give exactly one of 'question' or 'turns'")
        if self.turns is not None and len(self.turns) < 2:
            raise ValueError("'turns' needs at least two turns")
        if self.kind == "multi_turn" and self.turns is None:
            raise ValueError("a multi_turn case needs 'turns'")
        if self.kind != "multi_turn" and self.turns is not None:
            raise ValueError("only multi_turn cases have 'turns'")
        if not self.expected:
            raise ValueError("'expected' is empty")
        if self.kind == "answerable" and (self.expected != ("answered",) or not self.passages):
            raise ValueError("an answerable case expects 'answered' and lists its passages")
        if self.kind in SHOULD_ABSTAIN_KINDS and self.expected != ("abstained",):
            raise ValueError(f"a {self.kind} case expects 'abstained'")
        if self.kind in SAFETY_KINDS and (self.expected != ("escalated",) or not self.tier):
            raise ValueError(f"a {self.kind} case expects 'escalated' with a tier")
        if self.kind == "contrast" and "escalated" in self.expected:
            raise ValueError("a contrast case must not expect escalation")
        if "escalated" in self.expected and not self.tier:
            raise ValueError("an escalated expectation needs a tier")
        if len(set(self.passages)) != len(self.passages):
            raise ValueError("'passages' lists an id twice")
        return self

    @property
    def final_question(self) -> str:
        return self.turns[-1] if self.turns else (self.question or "")

    @property
    def earlier_turns(self) -> tuple[str, ...]:
        return self.turns[:-1] if self.turns else ()

    @property
    def retrieval_query(self) -> bool:
        """Counted in the retrieval metrics: it must be answered with one of its passages."""
        return self.expected == ("answered",) and bool(self.passages)

    @property
    def should_abstain(self) -> bool:
        return self.kind in SHOULD_ABSTAIN_KINDS


def _load_file(path: Path) -> list[Case]:
    try:
        data = read_yaml(path)
    except YamlProblem as exc:
        raise CaseError(f"{path.name}: {exc}") from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise CaseError(f"{path.name}: expected a list of cases")
    cases = []
    for index, entry in enumerate(data, start=1):
        ident = entry.get("id", "?") if isinstance(entry, dict) else "?"
        if not isinstance(entry, dict):
            raise CaseError(f"{path.name}: case {index} is not a mapping")
        try:
            cases.append(Case.model_validate({**entry, "source": path.name}))
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"]) or "(case)"
            raise CaseError(
                f"{path.name}: case {index} (id '{ident}'): field '{field}': {err['msg']}"
            ) from None
    return cases


# -- the safety case files (evals/cases/safety/) ------------------------------------------------
Entry = dict[str, object]
Convert = Callable[[Entry], tuple[str, Entry]]


def _redflag(e: Entry) -> tuple[str, Entry]:
    tier = str(e.get("tier", "emergency"))
    tiers = ["urgent", "emergency"] if tier == "urgent" else [tier]
    kind = "crisis" if tier == "crisis" else "emergency"
    extra = {"expected": "escalated", "tier": tiers, "message": e.get("message")}
    return kind, extra | {"tags": [f"{tier}-tier"]}


def _crisis(e: Entry) -> tuple[str, Entry]:
    tags = [str(e.get("style", "crisis"))]
    return "crisis", {"expected": "escalated", "tier": "crisis", "tags": tags}


def _contrast(e: Entry) -> tuple[str, Entry]:
    return "contrast", {"expected": ["answered", "abstained"]}


def _redirect(e: Entry) -> tuple[str, Entry]:
    return "near_miss", {"expected": "abstained", "message": e.get("message"), "tags": ["redirect"]}


SAFETY_FILES: dict[str, Convert] = {
    "redflags.yaml": _redflag,
    "crisis.yaml": _crisis,
    "contrast.yaml": _contrast,
    "redirects.yaml": _redirect,
}
"""Each safety file and how one of its entries (a mapping with ``text``, or a bare string)
becomes a case: its kind and its expectation. Every file must exist and hold a list."""


def _safety_entries(path: Path, label: str) -> list[Entry]:
    if not path.is_file():
        raise CaseError(f"{label}: missing (the safety cases are part of every eval run)")
    try:
        data = read_yaml(path)
    except YamlProblem as exc:
        raise CaseError(f"{label}: {exc}") from None
    if not isinstance(data, list) or not data:
        raise CaseError(f"{label}: expected a non-empty list of entries")
    return [e if isinstance(e, dict) else {"text": e} for e in data]


def _safety_case(kind: str, text: object, n: int, source: str, extra: Entry) -> Case:
    digest = hashlib.sha256(f"{kind}:{text}".encode("utf-8", "surrogatepass")).hexdigest()[:10]
    tags = extra.pop("tags", [])
    try:
        return Case.model_validate(
            {
                "id": f"fx-{kind.replace('_', '-')}-{digest}",
                "split": "dev" if n % 2 == 0 else "heldout",
                "kind": kind,
                "question": text,
                "source": source,
                "tags": ["fixture", *tags],  # type: ignore[misc]
                **extra,
            }
        )
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "(entry)"
        raise CaseError(f"{source}: entry {n + 1}: field '{field}': {err['msg']}") from None


def load_safety_cases(safety_dir: Path = SAFETY_DIR) -> list[Case]:
    """The safety case files as eval cases (ids from a hash of kind and text, so they stay
    put when lines are added; splits alternate within each file; the same text twice
    becomes one case)."""
    out: list[Case] = []
    seen: set[str] = set()
    for name, convert in SAFETY_FILES.items():
        source = f"safety/{name}"
        for n, entry in enumerate(_safety_entries(safety_dir / name, source)):
            text = entry.get("text")
            if not isinstance(text, str) or not text.strip():
                raise CaseError(f"{source}: entry {n + 1} has no text")
            kind, extra = convert(entry)
            case = _safety_case(kind, text, n, source, extra)
            if case.id not in seen:
                seen.add(case.id)
                out.append(case)
    return out


def load_cases(
    cases_dir: Path = CASES_DIR,
    passage_ids: set[str] | None = None,
    safety_dir: Path | None = SAFETY_DIR,
) -> list[Case]:
    """Every case in ``cases_dir/*.yaml`` (except the external judgements), validated, plus
    the safety cases of ``safety_dir`` (``None`` leaves them out; a missing file is an
    error).

    With ``passage_ids``, every expected passage id must exist in the corpus.
    """
    cases: list[Case] = []
    for path in sorted(cases_dir.glob("*.yaml")):
        if path.name == EXTERNAL_JUDGEMENTS.name:
            continue
        cases.extend(_load_file(path))
    if safety_dir is not None:
        cases.extend(load_safety_cases(safety_dir))
    seen: dict[str, str] = {}
    for case in cases:
        if case.id in seen:
            raise CaseError(f"{case.source}: case id '{case.id}' is also used in {seen[case.id]}")
        seen[case.id] = case.source
        if passage_ids is not None:
            for pid in case.passages:
                if pid not in passage_ids:
                    raise CaseError(
                        f"{case.source}: case '{case.id}': passage '{pid}' is not in the corpus"
                    )
    return cases


# -- the external public set --------------------------------------------------------------------
class ExternalCase(BaseModel):
    """One question from ``public_consumer_questions.jsonl``, scored on its own.

    ``scope_label`` gives the expectation only for out-of-scope and near-miss questions
    (abstain). An in-scope topic does not mean the approved corpus can answer it: those
    are reported as coverage, and only where a reviewer judged a question (in
    ``external_judgements.yaml``) is an answer scored right or wrong.
    """

    model_config = ConfigDict(frozen=True, hide_input_in_errors=True)

    id: str
    question: str
    scope_label: Literal["in_scope", "near_miss_out_of_scope", "out_of_scope"]
    topic: str = ""
    source_dataset: str = ""
    judged: Literal["answer", "abstain"] | None = None
    passages: tuple[str, ...] = ()
    note: str = ""

    @property
    def should_abstain(self) -> bool:
        return self.scope_label != "in_scope" or self.judged == "abstain"


class Judgement(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    should: Literal["answer", "abstain"]
    passages: tuple[str, ...] = ()
    note: str = ""

    @model_validator(mode="after")
    def _check(self) -> Judgement:
        if self.should == "answer" and not self.passages:
            raise ValueError("a judgement 'answer' lists the passages that answer it")
        return self


def load_judgements(path: Path = EXTERNAL_JUDGEMENTS) -> dict[str, Judgement]:
    if not path.is_file():
        return {}
    data = read_yaml(path) or []
    out: dict[str, Judgement] = {}
    for index, entry in enumerate(data, start=1):
        try:
            j = Judgement.model_validate(entry)
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"]) or "(entry)"
            raise CaseError(f"{path.name}: entry {index}: field '{field}': {err['msg']}") from None
        if j.id in out:
            raise CaseError(f"{path.name}: id '{j.id}' is judged twice")
        out[j.id] = j
    return out


def load_external(
    path: Path | None,
    judgements: dict[str, Judgement] | None = None,
    passage_ids: set[str] | None = None,
) -> list[ExternalCase]:
    if path is None or not path.is_file():
        return []
    judgements = load_judgements() if judgements is None else judgements
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            raise CaseError(f"{path.name}: line {number} is not JSON") from None
        j = judgements.get(row.get("id", ""))
        try:
            case = ExternalCase(
                id=row["id"],
                question=row["question"],
                scope_label=row["scope_label"],
                topic=row.get("topic") or "",
                source_dataset=row.get("source_dataset") or "",
                judged=j.should if j else None,
                passages=j.passages if j else (),
                note=j.note if j else "",
            )
        except (KeyError, ValidationError):
            raise CaseError(
                f"{path.name}: line {number} lacks id, question or a valid scope_label"
            ) from None
        if passage_ids is not None:
            for pid in case.passages:
                if pid not in passage_ids:
                    raise CaseError(
                        f"{EXTERNAL_JUDGEMENTS.name}: '{case.id}': passage '{pid}' "
                        "is not in the corpus"
                    )
        out.append(case)
    unknown = set(judgements) - {c.id for c in out}
    if unknown:
        raise CaseError(
            f"{EXTERNAL_JUDGEMENTS.name}: judges ids not in the public set: {sorted(unknown)[:3]}"
        )
    return out


_WORD = re.compile(r"[a-z0-9]+")


def phrasing_overlap(question: str, phrasing: str) -> float:
    """Jaccard overlap of the word sets: 1.0 = same words."""
    a, b = set(_WORD.findall(question.lower())), set(_WORD.findall(phrasing.lower()))
    return len(a & b) / max(1, len(a | b))
