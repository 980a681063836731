"""The one strict YAML reader: a repeated key is an error everywhere, never a silent drop."""

from __future__ import annotations

from pathlib import Path

import pytest

from botcore.corpus import Corpus
from botcore.errors import CorpusError
from botcore.yamlio import YamlProblem, parse_yaml, read_yaml


def test_repeated_key_is_refused_with_its_line() -> None:
    with pytest.raises(YamlProblem) as info:
        parse_yaml("- id: a\n  text: first\n  text: second\n")
    assert info.value.line == 3 and "'text' is repeated" in str(info.value)


def test_nested_repeated_key_is_refused() -> None:
    with pytest.raises(YamlProblem):
        parse_yaml("a:\n  b: 1\n  c:\n    d: 1\n    d: 2\n")


def test_valid_yaml_parses_like_safe_load() -> None:
    import yaml

    text = "- {id: a, n: 1, f: 0.5, l: [x, y]}\n- id: b\n  t: |\n    two\n    lines\n"
    assert parse_yaml(text) == yaml.safe_load(text)


def test_unsafe_tags_are_refused() -> None:
    with pytest.raises(YamlProblem):
        parse_yaml("!!python/object/apply:os.system ['true']\n")


def test_read_yaml_reads_utf8(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("k: caf\u00e9\n", encoding="utf-8")
    assert read_yaml(path) == {"k": "caf\u00e9"}


def test_a_doubled_passage_text_stops_the_corpus(corpus_copy: Path) -> None:
    path = corpus_copy / "passages" / "airway.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "\n  text: "
    at = text.index(marker)
    path.write_text(text[:at] + "\n  text: a second text that would win" + text[at:],
                    encoding="utf-8")
    with pytest.raises(CorpusError, match=r"airway\.yaml: not valid YAML at line \d+ .*repeated"):
        Corpus(corpus_copy)
