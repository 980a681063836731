"""The one YAML reader: safe, strict about repeated keys, fast, with one-line errors.

Plain ``yaml.safe_load`` silently keeps the last of two equal keys, so a doubled
``text:`` in a passage, or a second ``patterns:`` in the lexicon, would drop content
without a word. Every corpus, lexicon, eval-case and gate file is read through here.
libyaml's C parser is used when PyYAML was built with it (the pure-Python parser costs
about 150 ms at every start); the duplicate-key check is the same either way.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import yaml

from botcore.storage import ensure_private_dir, write_atomic

__all__ = ["YamlProblem", "parse_yaml", "read_yaml"]

PARSE_CACHE = "yaml-parsed"
"""Folder of the start-up cache (under the cache directory): each file's parsed data as
JSON, named by the hash of its exact bytes and this reader's version. Constructing
Python objects is the slow half of YAML even with libyaml (about 60 ms for the corpus at
every start); reading the same data as JSON takes a few."""
_READER_VERSION = f"strict-1 pyyaml-{yaml.__version__}"

_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlProblem(ValueError):
    """A file that is not valid YAML (or repeats a key); ``str()`` is one line."""

    def __init__(self, problem: str, line: int | None) -> None:
        self.problem = problem
        self.line = line
        super().__init__(f"{problem}" + (f" at line {line}" if line is not None else ""))


class _StrictLoader(_Base):  # type: ignore[misc, valid-type]
    """A safe loader that refuses a repeated mapping key."""


def _mapping_without_duplicates(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} is repeated", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                              _mapping_without_duplicates)


def parse_yaml(text: str) -> Any:
    """Parse YAML text strictly; raises :class:`YamlProblem` (with the line when known)."""
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a safe loader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise YamlProblem(str(problem), mark.line + 1 if mark is not None else None) from None


def read_yaml(path: Path, cache_dir: Path | None = None) -> Any:
    """Read a UTF-8 YAML file strictly. ``FileNotFoundError`` and ``UnicodeDecodeError``
    pass through so each caller can word them for its own readers.

    With ``cache_dir``, a file read before (the same bytes) is read from its parsed JSON
    copy. Only a successful strict parse is kept, and only when JSON gives back exactly
    the same data (no dates, no non-string keys); so the result is the same either way.
    A missing, unreadable or unwritable cache only costs the parse."""
    raw = path.read_bytes()
    text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")  # as read_text()
    if cache_dir is None:
        return parse_yaml(text)
    digest = hashlib.sha256(_READER_VERSION.encode() + b"\0" + raw).hexdigest()
    copy = cache_dir / PARSE_CACHE / f"{digest[:40]}.json"
    try:
        return json.loads(copy.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    data = parse_yaml(text)
    _keep(copy, data)
    return data


def _keep(copy: Path, data: Any) -> None:
    try:
        encoded = json.dumps(data, ensure_ascii=False)
        if json.loads(encoded) != data:
            return
        ensure_private_dir(copy.parent.parent)
        ensure_private_dir(copy.parent)
        write_atomic(copy, encoded)
    except (OSError, TypeError, ValueError):
        return
