"""The red-flag screen and the scope rules (shared/safety.md S1, S1b, S2, S3, S5, S6, S8).

Everything a rule says lives in ``corpus/triage.yaml``, which clinicians review and
approve like a passage: this module only loads, checks and applies it. Behaviour is
deterministic: the same text always gives the same answer, on every turn, whatever
retrieval would have said.

How a text is read:

1. It is folded once (:func:`botcore.sanitize.fold_for_matching`): lowercase words and
   single spaces, with look-alike letters, accents, apostrophes, emoji and invisible
   characters erased. Patterns are regexes over that folded text, bounded by words.
2. A rule fires when one of its patterns matches and that match is not covered by an
   *exception* that names the rule, found in the same sentence. An exception never
   cancels another rule, nor another occurrence of the phrase ("she wants to die at home
   with hospice" cancels that "wants to die"; "I want to die" in the next sentence still
   fires).
3. ``screen`` returns the highest tier that fires (crisis > emergency > urgent), and in
   that tier the first rule in file order. Clinicians order the rules.

The whole text is screened, never a truncated copy.
"""

from __future__ import annotations

import bisect
import functools
import re
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from botcore.answer import Tier
from botcore.errors import CorpusError
from botcore.sanitize import MAX_QUESTION_CHARS, clean_input, fold_for_matching, strip_escapes
from botcore.yamlio import YamlProblem, parse_yaml

try:  # the parser behind ``re``: used to lint patterns and to find needles for a fast skip
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - other Pythons: no lint, no skip, same results
    _sre = None  # type: ignore[assignment]
    _sre_parse = None  # type: ignore[assignment]

TIER_RANK: dict[str, int] = {"urgent": 1, "emergency": 2, "crisis": 3}
TIERS_BY_PRIORITY: tuple[Tier, ...] = ("crisis", "emergency", "urgent")
LANGUAGE_SAMPLE_CHARS = 2 * MAX_QUESTION_CHARS
"""Language is judged on the start of the text only; the red-flag screen reads it all."""

_SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_MACRO = re.compile(r"\{\{([a-z][a-z0-9_]*)\}\}")
_SENTENCE_END = re.compile(
    r"[.!?;\n\r\x0b\x0c\x85\u2026\u2028\u2029\u3002\uff01\uff0e\uff1f\uff1b]+")
_BREAK = "qxzsentencebreakqxz"
_RAW_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_LETTER = re.compile(r"[^\W\d_]")
_LATIN_LETTER = re.compile(
    r"[A-Za-z\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")


# --------------------------------------------------------------------------------------
# The lexicon file
# --------------------------------------------------------------------------------------

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


class PushbackRule(_Frozen):
    """A refusal to seek help after an escalation (S6): the escalation is repeated."""

    id: Slug
    patterns: Patterns
    note: str = ""


class RedirectRule(_Frozen):
    """A personal decision (dose, treatment choice, time left) that belongs to the care team."""

    id: Slug
    message: Slug
    patterns: Patterns
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


class Lexicon(_Frozen):
    """``corpus/triage.yaml``, checked: every pattern compiles (after ``{{macro}}``
    expansion), cannot match empty text, has no nested unbounded repeat, and uses only
    characters that survive folding; ids are unique and exceptions name real rules."""

    version: int = Field(ge=1)
    macros: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")], Pattern] = Field(
        default_factory=dict)
    rules: Annotated[tuple[Rule, ...], Field(min_length=1)]
    exceptions: tuple[ExceptionRule, ...] = ()
    pushback: Annotated[tuple[PushbackRule, ...], Field(min_length=1)]
    redirect: tuple[RedirectRule, ...] = ()
    in_scope: Patterns
    out_of_scope: tuple[OutOfScopeRule, ...] = ()
    languages: Languages

    @model_validator(mode="after")
    def _check(self) -> Lexicon:
        self._check_ids()
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
        named = (*self.rules, *self.exceptions, *self.pushback, *self.redirect,
                 *self.out_of_scope, *self.languages.markers)
        for item in named:
            if item.id in seen:
                raise ValueError(f"id '{item.id}' is used twice")
            seen.add(item.id)
        targets = {r.id for r in (*self.rules, *self.pushback, *self.redirect, *self.out_of_scope)}
        for i, exc in enumerate(self.exceptions):
            for j, rule_id in enumerate(exc.rules):
                if rule_id not in targets:
                    raise ValueError(
                        f"exceptions[{i}] (id '{exc.id}'): rules[{j}]: no rule '{rule_id}'")

    def all_patterns(self) -> Iterator[tuple[str, str]]:
        """Every pattern with where it is (``rules[3] (id 'x'): patterns[1]``)."""
        for name in ("rules", "exceptions", "pushback", "redirect", "out_of_scope"):
            for i, entry in enumerate(getattr(self, name)):
                for j, p in enumerate(entry.patterns):
                    yield f"{name}[{i}] (id '{entry.id}'): patterns[{j}]", p
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


def expand(pattern: str, macros: dict[str, str]) -> str:
    """Replace each ``{{name}}`` by its macro, as a non-capturing group. A macro may use
    other macros, a few levels deep."""
    def one(m: re.Match[str]) -> str:
        if m.group(1) not in macros:
            raise ValueError(f"unknown macro '{{{{{m.group(1)}}}}}'")
        return f"(?:{macros[m.group(1)]})"
    for _ in range(5):
        expanded = _MACRO.sub(one, pattern)
        if expanded == pattern:
            return expanded
        pattern = expanded
    raise ValueError("macros nest too deeply (or refer to themselves)")


def check_pattern(pattern: str, macros: dict[str, str]) -> re.Pattern[str]:
    """Compile one pattern as the screen will, or raise ``ValueError`` saying why not.

    Why each check: a pattern that does not compile cannot screen; one that matches empty
    text escalates everything; a nested unbounded repeat can take exponential time on a
    long message; a character that folding removes or changes (capitals, accents,
    apostrophes, hyphens) means the pattern can never match.
    """
    source = expand(pattern, macros)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            compiled = re.compile(f"(?:{source})(?!\\w)")
    except (re.error, FutureWarning, DeprecationWarning) as exc:
        raise ValueError(f"does not compile: {exc}") from None
    if re.fullmatch(source, "") is not None:
        raise ValueError("matches empty text")
    if _sre_parse is not None:
        tree = _sre_parse.parse(source)
        if tree.state.flags & ~re.UNICODE or _has_local_flags(tree):
            raise ValueError("inline flags are not allowed (the text is already folded)")
        for code in _literals(tree):
            if not _survives_folding(chr(code)):
                raise ValueError(f"character {chr(code)!r} never occurs in folded text")
        if _nested_unbounded(tree, inside=False):
            raise ValueError("nested unbounded repeat (can take exponential time)")
    return compiled


@functools.cache
def _survives_folding(char: str) -> bool:
    return char == " " or fold_for_matching(char) == char


def _items(node: Any) -> list[tuple[Any, Any]]:
    return list(node.data) if hasattr(node, "data") else list(node)


def _children(op: Any, av: Any) -> list[Any]:
    """The sub-patterns below one parsed node."""
    if op is _sre.SUBPATTERN:
        return [av[-1]]
    if op is _sre.BRANCH:
        return list(av[1])
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        return [av[2]]
    if op in (_sre.ASSERT, _sre.ASSERT_NOT):
        return [av[1]]
    if op is _sre.ATOMIC_GROUP:
        return [av]
    if op is _sre.GROUPREF_EXISTS:
        return [x for x in av[1:] if x is not None]
    return []


def _has_local_flags(node: Any) -> bool:
    for op, av in _items(node):
        if op is _sre.SUBPATTERN and (av[1] or av[2]):
            return True
        if any(_has_local_flags(child) for child in _children(op, av)):
            return True
    return False


def _literals(node: Any) -> Iterator[int]:
    for op, av in _items(node):
        if op is _sre.LITERAL:
            yield av
        elif op is _sre.IN:
            for sub_op, sub_av in av:
                if sub_op is _sre.LITERAL:
                    yield sub_av
                elif sub_op is _sre.RANGE:
                    yield from sub_av
        for child in _children(op, av):
            yield from _literals(child)


def _nested_unbounded(node: Any, inside: bool) -> bool:
    """An unbounded repeat inside another, like ``(?:\\w+ )*``: write ``{0,3}`` instead."""
    for op, av in _items(node):
        unbounded = (op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT)
                     and av[1] == _sre.MAXREPEAT)
        if unbounded and inside:
            return True
        for child in _children(op, av):
            if _nested_unbounded(child, inside or unbounded):
                return True
    return False


def _needles(source: str) -> tuple[str, ...] | None:
    """Literal strings of which every match must contain at least one, or None.

    If none of them occurs in the folded text the pattern cannot match, and a plain
    substring test is far cheaper than a regex scan of a megabyte.
    """
    if _sre_parse is None:
        return None
    try:
        found = _seq_needles(_sre_parse.parse(source))
    except Exception:  # noqa: BLE001 - an optimisation only: without it, results are the same
        return None
    return tuple(sorted(found)) if found else None


def _seq_needles(node: Any) -> frozenset[str] | None:
    best: frozenset[str] | None = None
    run: list[str] = []

    def consider(candidate: frozenset[str] | None) -> None:
        nonlocal best
        if not candidate or min(map(len, candidate)) < 2:
            return
        if best is None or min(map(len, candidate)) > min(map(len, best)):
            best = candidate

    for op, av in _items(node):
        if op is _sre.LITERAL:
            run.append(chr(av))
            continue
        if run:
            consider(frozenset({"".join(run)}))
            run = []
        consider(_node_needles(op, av))
    if run:
        consider(frozenset({"".join(run)}))
    return best


def _node_needles(op: Any, av: Any) -> frozenset[str] | None:
    if op is _sre.SUBPATTERN:
        return None if (av[1] or av[2]) else _seq_needles(av[-1])
    if op is _sre.BRANCH:
        alternatives = [_seq_needles(a) for a in av[1]]
        if any(a is None for a in alternatives):
            return None
        return frozenset().union(*alternatives)  # type: ignore[arg-type]
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT) and av[0] >= 1:
        return _seq_needles(av[2])
    return None


def _alternatives(source: str) -> list[str]:
    """Split a regex at its top-level ``|`` (outside groups and classes). A match of the
    whole is a match of one part at the same place, so screening the parts one by one
    finds the same red flags (and never fewer)."""
    parts: list[str] = []
    depth, start, i, in_class = 0, 0, 0, False
    while i < len(source):
        char = source[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            i += 1 + (source[i + 1:i + 2] == "^")
            i += source[i:i + 1] == "]"  # a leading ] is a literal
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(source[start:i])
            start = i + 1
        i += 1
    parts.append(source[start:])
    try:
        for part in parts:
            re.compile(part)
    except re.error:
        return [source]
    return [p for p in parts if p] if all(parts) else [source]


_OPEN, _DONE, _PREFIX = 0, 1, 2
_MAX_HEADS = 400


def _heads(source: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """The words a match can start with: (whole words, word beginnings), or None.

    Every match starts at a word start, so if the text holds none of these words the
    pattern cannot match: one set lookup instead of a regex scan of the whole text.
    """
    if _sre_parse is None:
        return None
    try:
        states = _head_states(_items(_sre_parse.parse(source)), {("", _OPEN)})
    except (_TooMany, Exception):  # noqa: BLE001 - an optimisation only
        return None
    if states is None:
        return None
    words = frozenset(w for w, state in states if state != _PREFIX)
    prefixes = frozenset(w for w, state in states if state == _PREFIX)
    if "" in words or "" in prefixes:
        return None  # could start with any word
    return words, prefixes


class _TooMany(Exception):
    pass


def _head_states(items: list[tuple[Any, Any]],
                 states: set[tuple[str, int]]) -> set[tuple[str, int]] | None:
    """Follow a parsed sequence, growing the first word of every way it can start."""
    for op, av in items:
        open_ = {w for w, st in states if st == _OPEN}
        if not open_:
            break
        closed = {(w, st) for w, st in states if st != _OPEN}
        if op is _sre.LITERAL:
            grown = {(w, _DONE) if av == 32 else (w + chr(av), _OPEN) for w in open_}
        elif op is _sre.BRANCH or (op is _sre.SUBPATTERN and not (av[1] or av[2])):
            grown = set()
            for alternative in (av[1] if op is _sre.BRANCH else [av[-1]]):
                sub = _head_states(_items(alternative), {(w, _OPEN) for w in open_})
                if sub is None:
                    return None
                grown |= sub
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[0] == 0 and av[1] == 1:
            sub = _head_states(_items(av[2]), {(w, _OPEN) for w in open_})
            if sub is None:
                return None
            grown = sub | {(w, _OPEN) for w in open_}
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
            continue  # consumes nothing
        elif op is _sre.AT:
            grown = {(w, _DONE) for w in open_}
        else:  # a class, a repeat, a wildcard: the word goes on in ways we do not follow
            grown = {(w, _PREFIX) for w in open_}
        states = closed | grown
        if len(states) > _MAX_HEADS:
            raise _TooMany
    return states


def lexicon_text(path: Path) -> str:
    """The exact text of the lexicon file: what the approval hashes and what is parsed."""
    try:
        return path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise CorpusError(f"{path.name}: (file): cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise CorpusError(f"{path.name}: (file): not UTF-8 text") from None


def load_lexicon(path: Path) -> Lexicon:
    """Read and check the lexicon. Any problem is a ``CorpusError`` naming file, entry and
    field: the engine cannot run without its red-flag screen, so it refuses to start."""
    return parse_lexicon(lexicon_text(path), path.name)


def parse_lexicon(text: str, source: str = "triage.yaml") -> Lexicon:
    """Check lexicon text already read (see :func:`load_lexicon`)."""
    try:
        data = parse_yaml(text)
    except YamlProblem as exc:
        line = f" line {exc.line}" if exc.line is not None else ""
        raise CorpusError(f"{source}: (file){line}: yaml: {exc.problem}") from None
    if not isinstance(data, dict):
        raise CorpusError(f"{source}: (file): yaml: expected a mapping at the top level")
    try:
        return Lexicon.model_validate(data)
    except ValidationError as exc:
        raise CorpusError(_describe(source, data, exc.errors()[0])) from None


def _describe(source: str, data: dict[str, Any], error: Any) -> str:
    """One line: file, entry (with its id when it has one), field, problem."""
    loc = tuple(error.get("loc", ()))
    message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    if not loc:  # raised by Lexicon._check: the message already names entry and field
        return f"{source}: {message}"
    cut = max((i for i, key in enumerate(loc) if isinstance(key, str)), default=0)
    entry_loc, field_loc = loc[:cut], loc[cut:]
    entry = _path_text(entry_loc) or "(top level)"
    node: Any = data
    for key in entry_loc:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            node = None
            break
    if isinstance(node, dict) and isinstance(node.get("id"), str):
        entry += f" (id '{node['id']}')"
    return f"{source}: {entry}: {_path_text(field_loc)}: {message}"


def _path_text(loc: tuple[Any, ...]) -> str:
    out = ""
    for key in loc:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


# --------------------------------------------------------------------------------------
# The screen
# --------------------------------------------------------------------------------------

class TriageHit(BaseModel):
    model_config = ConfigDict(frozen=True)

    tier: Literal["emergency", "urgent", "crisis"]
    rule_id: str
    message_id: str


class ScopeHit(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: Literal["redirect", "out-of-scope", "language"]
    rule_id: str
    message_id: str


@dataclass(frozen=True)
class _Compiled:
    """One alternative of a pattern, and what lets the screen skip it cheaply: the words
    a match can start with (``heads``), else literal strings every match contains."""

    regex: re.Pattern[str]
    heads: tuple[frozenset[str], frozenset[str]] | None
    needles: tuple[str, ...] | None

    def spans(self, prepared: _Prepared, lo: int, hi: int) -> Iterator[tuple[int, int]]:
        """Every match in ``text[lo:hi]`` that starts at a word start, as (start, end).

        Tries the regex only where a word it can start with occurs, when that is cheaper
        than scanning; otherwise scans. Both find exactly the same matches.
        """
        text = prepared.text
        starts = prepared.starts_of(self.heads, lo, hi) if self.heads is not None else None
        if starts is not None:
            for start in starts:
                m = self.regex.match(text, start, hi)
                if m is not None and m.end() > start:
                    yield start, m.end()
            return
        if self.heads is None and self.needles is not None \
                and not any(n in text for n in self.needles):
            return
        for m in _matches(self.regex, text, lo, hi):
            yield m.start(), m.end()


@dataclass(frozen=True)
class _Matcher:
    id: str
    patterns: tuple[_Compiled, ...]


@dataclass
class _Prepared:
    """Folded text of one question, with where its sentences start and end."""

    text: str
    starts: list[int]
    ends: list[int]
    covers: dict[tuple[str, int], tuple[list[int], list[int]]] = field(default_factory=dict)
    screened: tuple[TriageHit | None] | None = None
    """The screen's answer once computed (``scope`` after ``screen`` reuses it)."""
    _counts: Counter[str] | None = None
    _sorted: list[str] = field(default_factory=list)
    _padded: str = ""
    _positions: dict[str, list[int]] = field(default_factory=dict)

    def _word_counts(self) -> Counter[str]:
        """How often each word occurs (built on first use, once per text)."""
        if self._counts is None:
            self._counts = Counter(self.text.split(" "))
            self._sorted = sorted(self._counts)
            self._padded = f" {self.text} "
        return self._counts

    def _positions_of(self, word: str) -> list[int]:
        if word not in self._positions:
            found, needle, i = [], f" {word} ", self._padded.find(f" {word} ")
            while i >= 0:
                found.append(i)  # the padding's leading space makes i the word's offset
                i = self._padded.find(needle, i + len(word) + 1)
            self._positions[word] = found
        return self._positions[word]

    def starts_of(self, heads: tuple[frozenset[str], frozenset[str]], lo: int,
                  hi: int) -> list[int] | None:
        """Start offsets in [lo, hi) of the words a match can begin with, or None when
        there are so many that a regex scan is cheaper."""
        counts = self._word_counts()
        whole, beginnings = heads
        words = [w for w in whole if w in counts]
        for beginning in beginnings:
            i = bisect.bisect_left(self._sorted, beginning)
            while i < len(self._sorted) and self._sorted[i].startswith(beginning):
                words.append(self._sorted[i])
                i += 1
        if sum(counts[w] for w in words) > 64 + (hi - lo) // 64:
            return None
        lists = [self._positions_of(w) for w in words]
        if lo == 0 and hi >= len(self.text):
            return [p for found in lists for p in found]
        return [p for found in lists
                for p in found[bisect.bisect_left(found, lo):bisect.bisect_left(found, hi)]]

    def sentence(self, pos: int) -> int:
        return bisect.bisect_right(self.starts, pos) - 1


def _prepare(text: str) -> _Prepared:
    """Fold once; remember sentence ends so exceptions stay inside one sentence."""
    marked = _SENTENCE_END.sub(f" {_BREAK} ", strip_escapes(text))
    parts = [p.strip(" ") for p in fold_for_matching(marked).split(_BREAK)]
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for part in parts:
        if part:
            starts.append(pos)
            ends.append(pos + len(part))
            pos += len(part) + 1
    folded = " ".join(p for p in parts if p)
    return _Prepared(folded, starts or [0], ends or [0])


def _matches(regex: re.Pattern[str], text: str, pos: int, end: int) -> Iterator[re.Match[str]]:
    """Every match that starts at a word start (overlapping starts included)."""
    while pos <= end:
        m = regex.search(text, pos, end)
        if m is None:
            return
        start = m.start()
        if m.end() > start and (start == 0 or text[start - 1] == " "):
            yield m
        pos = start + 1


class Triage:
    """The compiled lexicon. Build once; ``screen``, ``is_pushback`` and ``scope`` are
    pure functions of the text (thread-safe, no state between calls)."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._macros = lexicon.macros
        self._tiers: dict[str, list[tuple[_Matcher, Rule]]] = {t: [] for t in TIERS_BY_PRIORITY}
        for rule in lexicon.rules:
            self._tiers[rule.tier].append((self._matcher(rule.id, rule.patterns), rule))
        self._exceptions: dict[str, list[_Compiled]] = {}
        for exc in lexicon.exceptions:
            compiled = self._matcher(exc.id, exc.patterns).patterns
            for rule_id in exc.rules:
                self._exceptions.setdefault(rule_id, []).extend(compiled)
        self._pushback = [self._matcher(p.id, p.patterns) for p in lexicon.pushback]
        self._redirect = [(self._matcher(r.id, r.patterns), r) for r in lexicon.redirect]
        self._out = [(self._matcher(r.id, r.patterns), r) for r in lexicon.out_of_scope]
        self._in_scope = self._matcher("in-scope", lexicon.in_scope)
        lang = lexicon.languages
        self._english = self._counter(lang.english)
        self._markers = [(m.id, self._counter(m.patterns)) for m in lang.markers]
        # The engine screens a text, then asks its scope: fold it once for both.
        self._variants = functools.lru_cache(maxsize=4)(self._prepare_variants)

    # -- compile ---------------------------------------------------------------------------
    def _matcher(self, ident: str, patterns: tuple[str, ...]) -> _Matcher:
        """Compile each pattern (checked as at load), one regex per top-level alternative:
        each gets its own literal prefix and needles, so most are skipped outright."""
        compiled = []
        for p in patterns:  # already checked when the lexicon was loaded
            for alternative in _alternatives(expand(p, self._macros)):
                regex = re.compile(f"(?:{alternative})(?!\\w)")
                compiled.append(_Compiled(regex, _heads(alternative), _needles(alternative)))
        return _Matcher(ident, tuple(compiled))

    def _counter(self, patterns: tuple[str, ...]) -> re.Pattern[str]:
        body = "|".join(f"(?:{expand(p, self._macros)})" for p in patterns)
        return re.compile(f"(?<!\\w)(?:{body})(?!\\w)")

    # -- public API ------------------------------------------------------------------------
    def screen(self, text: str) -> TriageHit | None:
        """The red flag in ``text``, if any: highest tier first, then file order.

        Reads the full text. When the raw text holds control characters it is also read
        with them turned into spaces, so words hidden inside an escape sequence (which
        cleaning removes whole) are still seen; the higher tier wins.
        """
        hits = [h for h in (self._screen(p) for p in self._variants(text)) if h is not None]
        return max(hits, key=lambda h: TIER_RANK[h.tier], default=None)

    def is_pushback(self, text: str) -> bool:
        """True when the text refuses or resists the help an escalation asked for (S6)."""
        return any(self._fires(m, p) for p in self._variants(text) for m in self._pushback)

    def scope(self, text: str) -> ScopeHit | None:
        """Language first (non-English without an emergency), then redirect, then out of
        scope. None when the question is in scope, or when it carries an emergency or
        crisis red flag (those escalate; nothing here may stand in their way)."""
        variants = self._variants(text)
        for prepared in variants:
            hit = self._screen(prepared)
            if hit is not None and hit.tier != "urgent":
                return None
        prepared = variants[0]
        found = self._language(text, prepared)
        if found is not None:
            return found
        for matcher, redirect in self._redirect:
            if self._fires(matcher, prepared):
                return ScopeHit(kind="redirect", rule_id=redirect.id, message_id=redirect.message)
        in_scope = self._fires(self._in_scope, prepared)
        for matcher, rule in self._out:
            if not (rule.unless_in_scope and in_scope) and self._fires(matcher, prepared):
                return ScopeHit(kind="out-of-scope", rule_id=rule.id, message_id=rule.message)
        return None

    # -- internals -------------------------------------------------------------------------
    def _prepare_variants(self, text: str) -> tuple[_Prepared, ...]:
        if _RAW_CONTROLS.search(text):
            return _prepare(text), _prepare(_RAW_CONTROLS.sub(" ", text))
        return (_prepare(text),)

    def _screen(self, prepared: _Prepared) -> TriageHit | None:
        if prepared.screened is None:
            prepared.screened = (self._first_red_flag(prepared),)
        return prepared.screened[0]

    def _first_red_flag(self, prepared: _Prepared) -> TriageHit | None:
        for tier in TIERS_BY_PRIORITY:
            for matcher, rule in self._tiers[tier]:
                if self._fires(matcher, prepared):
                    return TriageHit(tier=tier, rule_id=rule.id, message_id=rule.message)
        return None

    def _fires(self, matcher: _Matcher, prepared: _Prepared) -> bool:
        """True when some match of the rule is not covered by one of its exceptions."""
        size = len(prepared.text)
        for pattern in matcher.patterns:
            for start, end in pattern.spans(prepared, 0, size):
                if not self._cancelled(matcher.id, start, end, prepared):
                    return True
        return False

    def _cancelled(self, rule_id: str, start: int, end: int, prepared: _Prepared) -> bool:
        if rule_id not in self._exceptions:
            return False
        sentence = prepared.sentence(start)
        if sentence < 0 or end > prepared.ends[sentence]:
            return False  # runs across a sentence end: no exception can cover it
        starts, reach = self._covers(rule_id, sentence, prepared)
        i = bisect.bisect_right(starts, start) - 1
        return i >= 0 and reach[i] >= end

    def _covers(self, rule_id: str, sentence: int,
                prepared: _Prepared) -> tuple[list[int], list[int]]:
        """Exception spans in one sentence: sorted starts, and the furthest end reached by
        any span starting at or before each (so one bisect answers 'is it covered?')."""
        key = (rule_id, sentence)
        if key not in prepared.covers:
            lo, hi = prepared.starts[sentence], prepared.ends[sentence]
            spans = sorted(span for pattern in self._exceptions[rule_id]
                           for span in pattern.spans(prepared, lo, hi))
            reach: list[int] = []
            for _, e in spans:
                reach.append(max(e, reach[-1]) if reach else e)
            prepared.covers[key] = ([s for s, _ in spans], reach)
        return prepared.covers[key]

    def _language(self, text: str, prepared: _Prepared) -> ScopeHit | None:
        lang = self.lexicon.languages
        sample = clean_input(text[:LANGUAGE_SAMPLE_CHARS])
        letters = len(_LETTER.findall(sample))
        foreign = letters - len(_LATIN_LETTER.findall(sample))
        if foreign >= 2 and foreign >= lang.non_latin_share * letters:
            return ScopeHit(kind="language", rule_id="non-latin-script", message_id=lang.message)
        folded = prepared.text[:LANGUAGE_SAMPLE_CHARS]
        english = len(self._english.findall(folded))
        counts = [(len(counter.findall(folded)), marker_id) for marker_id, counter in self._markers]
        hits, marker_id = max(counts, key=lambda c: c[0])  # ties: the first listed
        if hits >= lang.min_hits and hits > english:
            return ScopeHit(kind="language", rule_id=marker_id, message_id=lang.message)
        return None
