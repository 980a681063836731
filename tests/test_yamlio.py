"""The one strict YAML reader: a repeated key is an error everywhere, never a silent drop."""

from __future__ import annotations

from pathlib import Path

import pytest

from botcore.corpus import Corpus
from botcore.errors import CorpusError
from botcore.yamlio import PARSE_CACHE, YamlProblem, parse_yaml, read_yaml


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


# -- the parsed-copy cache (issue 13: start-up work done once) -------------------------------

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def test_cached_reads_of_every_corpus_file_equal_a_fresh_parse(tmp_path: Path) -> None:
    files = sorted(CORPUS.rglob("*.yaml"))
    assert len(files) > 5
    for path in files:
        fresh = read_yaml(path)
        assert read_yaml(path, tmp_path) == fresh  # parsed, copy kept
        assert read_yaml(path, tmp_path) == fresh  # from the copy
    copies = list((tmp_path / PARSE_CACHE).iterdir())
    assert copies and all(p.stat().st_mode & 0o077 == 0 for p in copies)


def test_the_copy_is_used_and_tied_to_the_exact_bytes(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("- id: one\n  text: first\n", encoding="utf-8")
    cache = tmp_path / "cache"
    assert read_yaml(path, cache) == [{"id": "one", "text": "first"}]
    (copy,) = (cache / PARSE_CACHE).iterdir()
    copy.write_text('[{"id": "from-the-copy"}]', encoding="utf-8")
    assert read_yaml(path, cache) == [{"id": "from-the-copy"}]  # the copy is what is read
    path.write_text("- id: one\n  text: edited\n", encoding="utf-8")
    assert read_yaml(path, cache) == [{"id": "one", "text": "edited"}]  # new bytes, new copy


def test_a_damaged_copy_is_parsed_again(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("key: value\n", encoding="utf-8")
    read_yaml(path, tmp_path)
    (copy,) = (tmp_path / PARSE_CACHE).iterdir()
    copy.write_bytes(b"\xff{not json")
    assert read_yaml(path, tmp_path) == {"key": "value"}


def test_data_json_cannot_hold_is_never_cached(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("when: 2026-12-01\n1: one\n", encoding="utf-8")
    first = read_yaml(path, tmp_path)
    assert first == read_yaml(path) == read_yaml(path, tmp_path)
    assert not (tmp_path / PARSE_CACHE).exists() or not list((tmp_path / PARSE_CACHE).iterdir())


def test_a_repeated_key_still_fails_with_a_cache(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("text: a\ntext: b\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(YamlProblem, match="repeated"):
            read_yaml(path, tmp_path)


def test_line_endings_read_as_read_text_reads_them(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"text: |\r\n  one\r\n  two\r\n")
    assert read_yaml(path, tmp_path) == read_yaml(path) == {"text": "one\ntwo\n"}


def test_an_unwritable_cache_only_costs_the_parse(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("key: value\n", encoding="utf-8")
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    assert read_yaml(path, blocker) == {"key": "value"}
