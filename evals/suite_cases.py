"""Conversation-suite cases: the schema the sealed set is written in, and its loader.

One YAML list per file. A conversation is ``{id, group: conversation, turns: [...]}``; a
single question is ``{id, group: typed|answerable|unanswerable|offtopic, text, expect}``.
Our own dev and heldout cases (``evals/cases/conversation/``) use the same schema plus
two optional fields the sealed writer does not use: ``split`` and ``passages``; the
independent writers' files there (``writer-*.yaml``) add ``split`` only. A bad
file fails on load with a message naming the file, the item and the field; the message
never repeats a question's text (the sealed set must stay unseen even in an error).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from botcore.yamlio import YamlProblem, read_yaml

SUITE_DIR = Path(__file__).resolve().parent / "cases" / "conversation"
"""Our own conversation-suite cases (dev and heldout)."""

WRITER_PREFIX = "writer-"
"""Files in ``SUITE_DIR`` named so hold an independent writer's cases (who never saw the
corpus, so lists no ``passages`` and may by chance ask a passage's title word for word),
split by us into a half we tune on (dev) and a half we only report (heldout)."""


def is_writer_file(name: str) -> bool:
    """True for an independent writer's file in ``SUITE_DIR`` (``WRITER_PREFIX``)."""
    return name.startswith(WRITER_PREFIX)


Expect = Literal["answer", "decline", "escalate"]
Group = Literal["conversation", "typed", "answerable", "unanswerable", "offtopic"]
SINGLE_GROUPS: tuple[str, ...] = ("typed", "answerable", "unanswerable", "offtopic")


class SuiteError(ValueError):
    """A suite file is malformed; the message names file, item and field (never the text)."""


def _term_groups(value: object) -> object:
    """``key_terms`` is a list of groups; a bare string or a flat list of strings is
    read as one group per string (every term required), the way people write it. A bare
    number (``65``, ``0.5``) is read as its text: YAML makes ``[[65]]`` an integer."""

    def term(t: object) -> object:
        return str(t) if isinstance(t, int | float) and not isinstance(t, bool) else t

    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return [[term(value)]]
    if isinstance(value, list):
        return [[term(g)] if not isinstance(g, list) else [term(t) for t in g] for g in value]
    return value


class _Judged(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    about: str = ""
    key_terms: tuple[tuple[str, ...], ...] = ()
    """Expect answer: every group needs one of its terms (case-insensitive substring) in
    the title or text of at least one shown passage."""
    passages: tuple[str, ...] = ()
    """Ours only: when given, one shown passage must also be one of these ids."""
    source: str = ""

    _groups = field_validator("key_terms", mode="before")(_term_groups)

    @field_validator("key_terms")
    @classmethod
    def _no_empty_group(cls, v: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
        if any(not g or any(not t.strip() for t in g) for g in v):
            raise ValueError("a key_terms group is empty or holds an empty term")
        return v


class SuiteTurn(_Judged):
    text: str
    expect: Expect
    near: str | None = None
    """A decline turn may say, like an unanswerable item, what a loose match would show
    (a note for people reading failures; the judge does not read it)."""


class SuiteItem(_Judged):
    id: str = Field(min_length=1, max_length=120)
    group: Group
    split: str = "sealed"
    """dev | heldout for our own cases; a file without it (the sealed set) is 'sealed'."""
    text: str | None = None
    expect: Expect | None = None
    near: str | None = None
    """Unanswerable items: the topic or passage a loose match would wrongly show."""
    turns: tuple[SuiteTurn, ...] = ()
    file: str = ""

    @model_validator(mode="after")
    def _shape(self) -> SuiteItem:
        if self.group == "conversation":
            if not self.turns:
                raise ValueError("a conversation needs turns")
            if self.text is not None or self.expect is not None:
                raise ValueError("a conversation has turns, not text/expect")
        else:
            if self.turns:
                raise ValueError("only a conversation has turns")
            if self.text is None or self.expect is None:
                raise ValueError("a single item needs text and expect")
            if self.expect == "escalate":
                raise ValueError("a single item expects answer or decline")
        return self

    def as_turns(self) -> tuple[SuiteTurn, ...]:
        """The turns to ask: a single item is a one-turn conversation."""
        if self.group == "conversation":
            return self.turns
        return (
            SuiteTurn(
                text=self.text or "",
                expect=self.expect or "decline",
                about=self.about,
                key_terms=self.key_terms,
                passages=self.passages,
                source=self.source,
            ),
        )


def load_suite_file(path: Path) -> list[SuiteItem]:
    try:
        data = read_yaml(path)
    except YamlProblem as exc:
        raise SuiteError(f"{path.name}: {exc}") from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise SuiteError(f"{path.name}: expected a list of items")
    items: list[SuiteItem] = []
    for number, entry in enumerate(data, start=1):
        if not isinstance(entry, dict):
            raise SuiteError(f"{path.name}: item {number} is not a mapping")
        ident = str(entry.get("id", "?"))[:120]
        try:
            items.append(SuiteItem.model_validate({**entry, "file": path.name}))
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"]) or "(item)"
            raise SuiteError(
                f"{path.name}: item {number} (id '{ident}'): field '{field}': {err['msg']}"
            ) from None
    return items


def load_suite(
    paths: list[Path] | None = None, passage_ids: set[str] | None = None
) -> list[SuiteItem]:
    """Every item of the given files (or folders of ``*.yaml``); ours by default.

    With ``passage_ids``, every ``passages`` id must exist in the corpus."""
    files: list[Path] = []
    for p in paths or [SUITE_DIR]:
        files.extend(sorted(p.glob("*.yaml")) if p.is_dir() else [p])
    items: list[SuiteItem] = []
    for f in files:
        items.extend(load_suite_file(f))
    seen: dict[str, str] = {}
    for item in items:
        if item.id in seen:
            raise SuiteError(f"{item.file}: id '{item.id}' is also used in {seen[item.id]}")
        seen[item.id] = item.file
        if passage_ids is not None:
            for turn in item.as_turns():
                unknown = [pid for pid in turn.passages if pid not in passage_ids]
                if unknown:
                    raise SuiteError(
                        f"{item.file}: '{item.id}': passage '{unknown[0]}' is not in the corpus"
                    )
    return items
