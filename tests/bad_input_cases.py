"""The bad-input cases of ``tests/fixtures/bad_input/`` (one file per category of the
safety spec's §5), loaded once: used by ``test_bad_input.py`` and by the
``safety_figures`` tool."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from botcore.yamlio import read_yaml

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "bad_input"
CATEGORIES = ("empty", "huge", "control", "markup", "unicode", "language", "redflags", "crisis",
              "contrast", "jailbreak", "decisions", "sink", "reserved")
"""One file per category of safety.md §5, in the spec's order."""


@dataclass(frozen=True)
class Case:
    category: str
    id: str
    text: str
    expect: dict[str, Any]
    known_gap: str | None = None

    @property
    def key(self) -> str:
        return f"{self.category}/{self.id}"


def build_text(spec: dict[str, Any]) -> str:
    """A generated input (never stored): prefix + unit repeated to ``chars`` + suffix,
    then the body once more when ``then_again`` is set."""
    unit, chars = spec["unit"], int(spec["chars"])
    body = (unit * (chars // len(unit) + 1))[:chars]
    text = spec.get("prefix", "") + body + spec.get("suffix", "")
    return text + body if spec.get("then_again") else text


def _case_text(raw: dict[str, Any]) -> str:
    if "build" in raw:
        return build_text(raw["build"])
    text = raw["text"]
    if raw.get("py_escape"):
        assert text.isascii(), f"{raw['id']}: py_escape text must be plain ASCII escapes"
        text = codecs.decode(text, "unicode_escape")
    return text


def load_category(name: str) -> tuple[str, list[Case]]:
    """The file's CLI mode ("stdin" or "args") and its cases."""
    data = read_yaml(FIXTURES / f"{name}.yaml")
    cases = [Case(name, str(raw["id"]), _case_text(raw), dict(raw["expect"]), raw.get("known_gap"))
             for raw in data["cases"]]
    return data["cli"], cases


ALL_CASES: list[Case] = [case for name in CATEGORIES for case in load_category(name)[1]]
