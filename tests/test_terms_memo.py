"""The start-up memo of glossary terms: the same answers as finding them afresh, and a
memo file that is stale, foreign or damaged is ignored rather than trusted."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from botcore.textproc import LayTerms

GLOSSARY = [
    ("Tracheostomy (trach)", ["breathing tube in the neck", "trach tube"]),
    ("Dabrafenib", ["Tafinlar"]),
    ("BRAF V600E", ["BRAF positive", "BRAF mutation"]),
    ("BRAF", ["the gene"]),
]
TEXTS = [
    "Is a breathing tube in the neck painful?",
    "Tafinlar and trach tube care for BRAF positive tumors",
    "the gene test",
    "nothing here",
]


def _saved(tmp_path: Path) -> Path:
    lay = LayTerms(GLOSSARY)
    for text in TEXTS:
        lay.terms_in(text)
    path = tmp_path / "memo.json"
    lay.save_memo(path)
    return path


def test_loaded_memo_gives_the_terms_found_afresh(tmp_path: Path) -> None:
    path = _saved(tmp_path)
    warm = LayTerms(GLOSSARY)
    assert warm.load_memo(path) == len(TEXTS)
    fresh = LayTerms(GLOSSARY)
    assert [warm.terms_in(t) for t in TEXTS] == [fresh.terms_in(t) for t in TEXTS]
    assert fresh.terms_in(TEXTS[1]) == ["Dabrafenib", "Tracheostomy (trach)", "BRAF V600E"]


def test_memo_is_private_and_atomic(tmp_path: Path) -> None:
    path = _saved(tmp_path)
    assert path.stat().st_mode & 0o077 == 0
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_memo_for_another_glossary_is_ignored(tmp_path: Path) -> None:
    path = _saved(tmp_path)
    other = LayTerms([*GLOSSARY, ("Lenvatinib", ["Lenvima"])])
    assert other.fingerprint != LayTerms(GLOSSARY).fingerprint
    assert other.load_memo(path) == 0


def test_tampered_memo_cannot_change_answers_for_another_fingerprint(tmp_path: Path) -> None:
    path = _saved(tmp_path)
    data = json.loads(path.read_text())
    data["terms"][TEXTS[3]] = ["Dabrafenib"]
    data["fingerprint"] = "0" * 64
    path.write_text(json.dumps(data))
    lay = LayTerms(GLOSSARY)
    assert lay.load_memo(path) == 0
    assert lay.terms_in(TEXTS[3]) == []


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
                 st.just('{"fingerprint": 3}'), st.just('{"terms": {"a": [1]}}'),
                 st.just("[]"), st.just('{"fingerprint": null, "terms": null}')))
def test_damaged_memo_file_is_ignored(tmp_path_factory, content: str) -> None:  # noqa: ANN001
    path = tmp_path_factory.mktemp("memo") / "memo.json"
    path.write_text(content, encoding="latin-1")
    lay = LayTerms(GLOSSARY)
    assert lay.load_memo(path) == 0
    assert lay.terms_in(TEXTS[0]) == ["Tracheostomy (trach)"]


def test_a_missing_memo_is_ignored(tmp_path: Path) -> None:
    assert LayTerms(GLOSSARY).load_memo(tmp_path / "none.json") == 0


def test_damaged_memo_with_the_right_fingerprint_is_refused(tmp_path: Path) -> None:
    lay = LayTerms(GLOSSARY)
    path = tmp_path / "memo.json"
    path.write_text(json.dumps({"fingerprint": lay.fingerprint, "terms": {"x": "Dabrafenib"}}))
    assert lay.load_memo(path) == 0
