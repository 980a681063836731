"""Reading ``corpus/triage.yaml``: the exact text (what the approval hashes) and the
checked :class:`Lexicon`, with one-line error wording naming file, entry and field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from botcore.errors import CorpusError
from botcore.triage.lexicon import PATTERNS_CHECKED, Lexicon
from botcore.yamlio import YamlProblem, parse_yaml


def lexicon_text(path: Path) -> str:
    """The exact text of the lexicon file: what the approval hashes and what is parsed."""
    return approved_file_text(path)


def approved_file_text(path: Path) -> str:
    """The exact text of a file approved as a whole (the lexicon, the classifier's
    weights), byte for byte, or one ``CorpusError`` line saying why it cannot be read."""
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


def parse_lexicon(text: str, source: str = "triage.yaml", *, checked: bool = False) -> Lexicon:
    """Check lexicon text already read (see :func:`load_lexicon`). ``checked``: the
    pattern lints already passed on this exact text (the start-up cache says so)."""
    try:
        data = parse_yaml(text)
    except YamlProblem as exc:
        line = f" line {exc.line}" if exc.line is not None else ""
        raise CorpusError(f"{source}: (file){line}: yaml: {exc.problem}") from None
    if not isinstance(data, dict):
        raise CorpusError(f"{source}: (file): yaml: expected a mapping at the top level")
    try:
        return Lexicon.model_validate(data, context={PATTERNS_CHECKED: checked})
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

