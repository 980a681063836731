"""Cheap pre-checks that let the screen skip most patterns without running them.

Everything here is an optimisation only: with it or without it, the screen finds exactly
the same matches (tests/test_triage.py checks this by switching it off). Three things are
read from a pattern's parsed regex tree: its top-level alternatives (screened one by
one), the words a match can start with (``heads``), and literal strings every match must
contain (``needles``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botcore.triage.patterns import _sre, _sre_parse, items

if TYPE_CHECKING:
    from botcore.triage.prepared import Prepared

Heads = tuple[frozenset[str], frozenset[str]]
"""The whole words and the word beginnings a match can start with."""

def needles(source: str) -> tuple[str, ...] | None:
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

    for op, av in items(node):
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


def alternatives(source: str) -> list[str]:
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


def heads(source: str) -> Heads | None:
    """The words a match can start with: (whole words, word beginnings), or None.

    Every match starts at a word start, so if the text holds none of these words the
    pattern cannot match: one set lookup instead of a regex scan of the whole text.
    """
    if _sre_parse is None:
        return None
    try:
        states = _head_states(items(_sre_parse.parse(source)), {("", _OPEN)})
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


def _head_states(seq: list[tuple[Any, Any]],
                 states: set[tuple[str, int]]) -> set[tuple[str, int]] | None:
    """Follow a parsed sequence, growing the first word of every way it can start."""
    for op, av in seq:
        open_ = {w for w, st in states if st == _OPEN}
        if not open_:
            break
        closed = {(w, st) for w, st in states if st != _OPEN}
        if op is _sre.LITERAL:
            grown = {(w, _DONE) if av == 32 else (w + chr(av), _OPEN) for w in open_}
        elif op is _sre.BRANCH or (op is _sre.SUBPATTERN and not (av[1] or av[2])):
            grown = set()
            for alternative in (av[1] if op is _sre.BRANCH else [av[-1]]):
                sub = _head_states(items(alternative), {(w, _OPEN) for w in open_})
                if sub is None:
                    return None
                grown |= sub
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[0] == 0 and av[1] == 1:
            sub = _head_states(items(av[2]), {(w, _OPEN) for w in open_})
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




@dataclass
class Compiled:
    """One alternative of a pattern, and what lets the screen skip it cheaply: the words
    a match can start with (``heads``), else literal strings every match contains. The
    regex is compiled the first time it must run: most alternatives are skipped by their
    heads on every question and never compiled."""

    source: str
    heads: Heads | None
    needles: tuple[str, ...] | None

    @functools.cached_property
    def regex(self) -> re.Pattern[str]:
        return re.compile(f"(?:{self.source})(?!\\w)")

    @classmethod
    def of(cls, source: str) -> Compiled:
        """Analyse one alternative (the costly part: it parses the regex twice)."""
        return cls(source, heads(source), needles(source))

    def as_json(self) -> list[object]:
        """The analysis as JSON (lists sorted), for the start-up cache."""
        h = None if self.heads is None else [sorted(self.heads[0]), sorted(self.heads[1])]
        return [self.source, h, None if self.needles is None else list(self.needles)]

    @classmethod
    def from_json(cls, data: list[object]) -> Compiled:
        source, h, n = data
        if not isinstance(source, str):
            raise ValueError("alternative source must be a string")
        head = None if h is None else (frozenset(h[0]), frozenset(h[1]))  # type: ignore[index]
        return cls(source, head, None if n is None else tuple(n))  # type: ignore[arg-type]

    def spans(self, prepared: Prepared, lo: int, hi: int) -> Iterator[tuple[int, int]]:
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
        for m in matches(self.regex, text, lo, hi):
            yield m.start(), m.end()


@dataclass(frozen=True)
class Matcher:
    id: str
    patterns: tuple[Compiled, ...]




def matches(regex: re.Pattern[str], text: str, pos: int, end: int) -> Iterator[re.Match[str]]:
    """Every match that starts at a word start (overlapping starts included)."""
    while pos <= end:
        m = regex.search(text, pos, end)
        if m is None:
            return
        start = m.start()
        if m.end() > start and (start == 0 or text[start - 1] == " "):
            yield m
        pos = start + 1

