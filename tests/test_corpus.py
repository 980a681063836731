"""The bundled corpus meets the content rules, and bad files fail with one clear line."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest
import yaml

from botcore.config import bundled_corpus_dir, default_sources_dir
from botcore.corpus import Corpus
from botcore.errors import CorpusError
from botcore.lint import copied_run, lint_corpus, source_ngrams, words
from botcore.readability import flesch_kincaid_grade, syllables


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus(bundled_corpus_dir())


def test_size_and_coverage(corpus: Corpus) -> None:
    assert 80 <= len(corpus.passages) <= 150
    assert len(corpus.glossary) >= 40
    topics = {p.topic for p in corpus.passages.values()}
    assert topics == {"understanding", "treatment", "airway", "planning"}
    assert any(p.audience == "nurse" for p in corpus.passages.values())
    for topic in topics:
        assert len(corpus.guided_path(topic)) >= 5, topic


def test_every_passage_is_approved_and_labelled_as_demonstration(corpus: Corpus) -> None:
    for passage in corpus.passages.values():
        status = corpus.passage_status(passage)
        assert status.state == "approved", passage.id
        assert status.record is not None and status.record.demonstration
        snippet = corpus.snippet(passage.id, 1.0)
        assert snippet.text == passage.text
        assert "demonstration" in snippet.approval_label.lower()


def test_corpus_check_passes(corpus: Corpus) -> None:
    report = lint_corpus(corpus, default_sources_dir())
    assert report.ok, report.errors


def test_no_run_of_eight_words_from_the_reviews(corpus: Corpus) -> None:
    sources = default_sources_dir()
    assert sources is not None, "../shared/sources is needed for this check"
    grams = source_ngrams(sources)
    texts = [p.text for p in corpus.passages.values()] + [p.title for p in corpus.passages.values()]
    texts += [g.definition for g in corpus.glossary.values()]
    texts += [m.text for m in corpus.messages.values()]
    assert [copied_run(t, grams) for t in texts if copied_run(t, grams)] == []


def test_reading_grade_median_at_most_8(corpus: Corpus) -> None:
    grades = [flesch_kincaid_grade(p.text) for p in corpus.passages.values()
              if p.audience == "patient"]
    assert statistics.median(grades) <= 8.0
    assert all(40 <= len(words(p.text)) <= 150 for p in corpus.passages.values())


def test_readability_against_hand_worked_values() -> None:
    # "The cat sat on the mat." 6 words, 1 sentence, 6 syllables:
    # 0.39*6 + 11.8*1 - 15.59 = -1.45
    assert flesch_kincaid_grade("The cat sat on the mat.") == pytest.approx(-1.45)
    assert syllables("tracheostomy") == 5 and syllables("hospice") == 2
    assert flesch_kincaid_grade("") == 0.0


def _write(path: Path, data: object) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_bad_field_names_file_entry_and_field(corpus_copy: Path) -> None:
    path = corpus_copy / "passages" / "airway.yaml"
    entries = yaml.safe_load(path.read_text())
    entries[1]["topic"] = "astrology"
    _write(path, entries)
    with pytest.raises(CorpusError) as err:
        Corpus(corpus_copy)
    message = str(err.value)
    assert "airway.yaml" in message and "entry 2" in message and "'topic'" in message
    assert "\n" not in message


def test_unknown_field_and_unknown_citation_are_errors(corpus_copy: Path) -> None:
    path = corpus_copy / "passages" / "planning.yaml"
    entries = yaml.safe_load(path.read_text())
    entries[0]["sumary"] = "typo"
    _write(path, entries)
    with pytest.raises(CorpusError, match="sumary"):
        Corpus(corpus_copy)
    del entries[0]["sumary"]
    entries[0]["cites"] = [{"source": "maniakas-2022", "section": "no-such-section"}]
    _write(path, entries)
    with pytest.raises(CorpusError, match="no-such-section"):
        Corpus(corpus_copy)


def test_broken_yaml_is_one_line(corpus_copy: Path) -> None:
    (corpus_copy / "glossary.yaml").write_text("- id: x\n  term: [unclosed\n")
    with pytest.raises(CorpusError, match=r"glossary.yaml: not valid YAML at line \d+"):
        Corpus(corpus_copy)


def test_editing_a_passage_withdraws_its_approval(corpus_copy: Path) -> None:
    path = corpus_copy / "passages" / "airway.yaml"
    entries = yaml.safe_load(path.read_text())
    edited_id = entries[0]["id"]
    entries[0]["text"] = entries[0]["text"] + " Edited after approval."
    _write(path, entries)
    corpus = Corpus(corpus_copy)
    assert corpus.passage_status(corpus.passages[edited_id]).state == "changed"
    assert not corpus.is_approved(edited_id)
    assert edited_id not in {p.id for p in corpus.approved_passages()}
    with pytest.raises(CorpusError):
        corpus.snippet(edited_id, 1.0)


def test_edited_lexicon_or_message_is_refused_at_start(corpus_copy: Path) -> None:
    lexicon = corpus_copy / "triage.yaml"
    lexicon.write_text(lexicon.read_text() + "\n# edited\n")
    with pytest.raises(CorpusError, match="lexicon"):
        Corpus(corpus_copy).require_safety_approved()
