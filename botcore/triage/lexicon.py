"""The lexicon file's schema: rule models and the cross-checks of ``corpus/triage.yaml``.

Everything a rule says lives in that file, which clinicians review and approve like a
passage. The models are strict (frozen, no unknown fields), and the whole lexicon is
checked on load: every pattern passes :func:`botcore.triage.patterns.check_pattern`, ids
are unique, exceptions name real rules, and both the crisis and emergency tiers exist.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from botcore.answer import Tier
from botcore.triage.patterns import check_pattern

_SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
PATTERNS_CHECKED = "patterns_checked"
"""Validation context key: skip the pattern lints, which this exact text (by hash) and
this code already passed (botcore.triage.cache). Structure and ids are always checked."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


Slug = Annotated[str, Field(pattern=_SLUG, max_length=80)]
Pattern = Annotated[str, Field(min_length=1, max_length=2000)]
Patterns = Annotated[tuple[Pattern, ...], Field(min_length=1)]


class Rule(_Frozen):
    """A red flag: any pattern escalates to ``tier`` with the approved ``message``."""

    id: Slug
    tier: Tier
    message: Slug
    patterns: Patterns
    note: str = ""


class ExceptionRule(_Frozen):
    """Contrast phrases that cancel a match of the named rules when they cover it."""

    id: Slug
    rules: Annotated[tuple[Slug, ...], Field(min_length=1)]
    patterns: Patterns
    note: str = ""


class ContextRule(_Frozen):
    """When and how a red-flag word is used: an episode that is over, a plan for "if it
    ever happens", what the last days are like, how a side effect works (round 7).

    It reads the whole text: every group of ``all_of`` must match somewhere and no
    pattern of ``unless`` (a danger happening now) may. A lexicon hit of one of ``tiers``
    in such a text is weak evidence that something is happening now: the learned stage
    decides it, and a crisis or emergency hit still puts its resources first, as a safety
    note (``botcore.triage.decision.decide``). Unlike an exception it never silences."""

    id: Slug
    tiers: Annotated[tuple[Tier, ...], Field(min_length=1)]
    all_of: Annotated[tuple[Patterns, ...], Field(min_length=1)]
    unless: tuple[Pattern, ...] = ()
    note: str = ""


class PushbackRule(_Frozen):
    """A refusal to seek help after an escalation (S6): the escalation is repeated."""

    id: Slug
    patterns: Patterns
    note: str = ""


class RedirectRule(_Frozen):
    """A personal decision (dose, treatment choice, time left) that belongs to the care team.
    ``unless``: a text any of these match is not redirected by this rule (round 14: the
    radiation dose the reviews report is a fact to look up, not a medicine to measure)."""

    id: Slug
    message: Slug
    patterns: Patterns
    unless: tuple[Pattern, ...] = ()
    note: str = ""


class OutOfScopeRule(_Frozen):
    """Not about ATC and its care. ``unless_in_scope``: ATC named in the text wins."""

    id: Slug
    message: Slug
    patterns: Patterns
    unless_in_scope: bool = True
    note: str = ""


class LanguageMarker(_Frozen):
    id: Slug
    patterns: Patterns


class Languages(_Frozen):
    """Non-English detection: a non-Latin script, or more marker words than English ones."""

    message: Slug
    min_hits: int = Field(ge=1, le=20)
    non_latin_share: float = Field(gt=0.0, le=1.0)
    english: Patterns
    markers: Annotated[tuple[LanguageMarker, ...], Field(min_length=1)]


class FuzzyKeys(_Frozen):
    """Key words matched with typo and sound tolerance (:mod:`botcore.triage.fuzzy`), and
    the real words near them that are never changed."""

    keys: Annotated[tuple[Annotated[str, Field(pattern=r"^[a-z]{4,24}$")], ...],
                    Field(min_length=1)]
    protect: tuple[Annotated[str, Field(pattern=r"^[a-z]+$")], ...] = ()
    note: str = ""


class Lexicon(_Frozen):
    """``corpus/triage.yaml``, checked: every pattern compiles (after ``{{macro}}``
    expansion), cannot match empty text, has no nested unbounded repeat, and uses only
    characters that survive folding; ids are unique and exceptions name real rules."""

    version: int = Field(ge=1)
    macros: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")], Pattern] = Field(
        default_factory=dict)
    rules: Annotated[tuple[Rule, ...], Field(min_length=1)]
    exceptions: tuple[ExceptionRule, ...] = ()
    context: tuple[ContextRule, ...] = ()
    pushback: Annotated[tuple[PushbackRule, ...], Field(min_length=1)]
    release: tuple[PushbackRule, ...] = ()
    """Round 11: words that say the help came (the ambulance is here, he is in the ER
    now): after a hard stop, a turn that says so and does not push back ends the hold."""
    redirect: tuple[RedirectRule, ...] = ()
    in_scope: Patterns
    out_of_scope: tuple[OutOfScopeRule, ...] = ()
    languages: Languages
    fuzzy: FuzzyKeys | None = None

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo) -> Lexicon:
        self._check_ids()
        if info.context and info.context.get(PATTERNS_CHECKED):
            return self  # this exact text passed the pattern lints at an earlier start
        for where, pattern in self.all_patterns():
            try:
                check_pattern(pattern, self.macros)
            except ValueError as exc:
                raise ValueError(f"{where}: {exc}") from None
        missing = {"crisis", "emergency"} - {r.tier for r in self.rules}
        if missing:
            raise ValueError(f"rules: no rule for tier {sorted(missing)[0]}")
        return self

    def _check_ids(self) -> None:
        seen: set[str] = set()
        named = (*self.rules, *self.exceptions, *self.context, *self.pushback, *self.release,
                 *self.redirect, *self.out_of_scope, *self.languages.markers)
        for item in named:
            ident: str = item.id  # type: ignore[attr-defined]  # every named entry has an id
            if ident in seen:
                raise ValueError(f"id '{ident}' is used twice")
            seen.add(ident)
        linked = (*self.rules, *self.pushback, *self.redirect, *self.out_of_scope)
        targets = {r.id for r in linked}  # type: ignore[attr-defined]
        for i, exc in enumerate(self.exceptions):
            for j, rule_id in enumerate(exc.rules):
                if rule_id not in targets:
                    raise ValueError(
                        f"exceptions[{i}] (id '{exc.id}'): rules[{j}]: no rule '{rule_id}'")

    def all_patterns(self) -> Iterator[tuple[str, str]]:
        """Every pattern with where it is (``rules[3] (id 'x'): patterns[1]``)."""
        for name in ("rules", "exceptions", "pushback", "release", "redirect", "out_of_scope"):
            for i, entry in enumerate(getattr(self, name)):
                for j, p in enumerate(entry.patterns):
                    yield f"{name}[{i}] (id '{entry.id}'): patterns[{j}]", p
        for i, ctx in enumerate(self.context):
            for g, group in enumerate(ctx.all_of):
                for j, p in enumerate(group):
                    yield f"context[{i}] (id '{ctx.id}'): all_of[{g}][{j}]", p
            for j, p in enumerate(ctx.unless):
                yield f"context[{i}] (id '{ctx.id}'): unless[{j}]", p
        for j, p in enumerate(self.in_scope):
            yield f"in_scope: patterns[{j}]", p
        for j, p in enumerate(self.languages.english):
            yield f"languages.english: patterns[{j}]", p
        for i, marker in enumerate(self.languages.markers):
            for j, p in enumerate(marker.patterns):
                yield f"languages.markers[{i}] (id '{marker.id}'): patterns[{j}]", p

    def message_ids(self) -> dict[str, str]:
        """Every message the lexicon can show, with the message kind it must have."""
        kinds: dict[str, str] = {r.message: r.tier for r in self.rules}
        kinds.update({r.message: "redirect" for r in self.redirect})
        kinds.update({r.message: "out-of-scope" for r in self.out_of_scope})
        kinds[self.languages.message] = "language"
        return kinds

