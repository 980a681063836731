"""Lexicon pattern checks: macro expansion and the lints every pattern must pass.

A pattern that cannot screen (does not compile, matches empty text, can take exponential
time, or uses a character folding removes) is refused when the lexicon loads, with the
reason; the app never runs with a net that has a hole nobody sees.
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Iterator
from typing import Any

from botcore.sanitize import fold_for_matching

try:  # the parser behind ``re``: used to lint patterns and to find needles for a fast skip
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - other Pythons: no lint, no skip, same results
    _sre = None  # type: ignore[assignment]
    _sre_parse = None  # type: ignore[assignment]

_MACRO = re.compile(r"\{\{([a-z][a-z0-9_]*)\}\}")


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


def items(node: Any) -> list[tuple[Any, Any]]:
    return list(node.data) if hasattr(node, "data") else list(node)


def children(op: Any, av: Any) -> list[Any]:
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
    for op, av in items(node):
        if op is _sre.SUBPATTERN and (av[1] or av[2]):
            return True
        if any(_has_local_flags(child) for child in children(op, av)):
            return True
    return False


def _literals(node: Any) -> Iterator[int]:
    for op, av in items(node):
        if op is _sre.LITERAL:
            yield av
        elif op is _sre.IN:
            for sub_op, sub_av in av:
                if sub_op is _sre.LITERAL:
                    yield sub_av
                elif sub_op is _sre.RANGE:
                    yield from sub_av
        for child in children(op, av):
            yield from _literals(child)


def _nested_unbounded(node: Any, inside: bool) -> bool:
    """An unbounded repeat inside another, like ``(?:\\w+ )*``: write ``{0,3}`` instead."""
    for op, av in items(node):
        unbounded = (op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT)
                     and av[1] == _sre.MAXREPEAT)
        if unbounded and inside:
            return True
        for child in children(op, av):
            if _nested_unbounded(child, inside or unbounded):
                return True
    return False

