"""The content rules of issue 12: the claim ledger, "newer first", general guidance and
reading grade. The rules are pure functions (``botcore.claims``), tested here on small
hand-made reviews; the bundled corpus is then checked against the real ones."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from botcore.claims import check_claims, check_newer_first, contains, normalize, numbers
from botcore.config import bundled_corpus_dir, default_sources_dir
from botcore.corpus import GENERAL_LABEL, Corpus, passage_meta
from botcore.errors import CorpusError
from botcore.lint import MAX_GRADE, MAX_MEDIAN_GRADE, lint_corpus
from botcore.readability import flesch_kincaid_grade
from botcore.schema import CitationRef, Claim, NewerFirstSubject, Passage, Source, SourceSection

NEW, OLD = "new-review", "old-review"
SOURCES = {
    NEW: Source(id=NEW, short="New", title="A newer review", reference="r", file="new.txt",
                sections=(SourceSection(id="testing", name="Testing", lines=(1, 2)),
                          SourceSection(id="spread", name="Spread", lines=(3, 3)))),
    OLD: Source(id=OLD, short="Old", reference="r", file="old.txt",
                sections=(SourceSection(id="molecular", name="Molecular", lines=(1, 1)),)),
}
LINES = {
    NEW: ["Staining may give results in 24 to 72 hours<sup>12</sup>, depending on the",
          "antibody. Liquid biopsy gives results in approximately 1 week.",
          "Patients with stage IVC disease (>50%<sup>2</sup>) are the most difficult to treat."],
    OLD: ["Molecular testing can take 2 to 3 weeks because the tissue must be found."],
}
TEXT = ("A stain test may give an answer in 24 to 72 hours. A blood test takes about 1 week. "
        "An older review said gene tests can take 2 to 3 weeks. Call 911 in an emergency.")


def cite(source: str, section: str) -> dict[str, str]:
    return {"source": source, "section": section}


def claim(figure: str, source: str, first: int, last: int | None = None,
          shown_as: str | None = None) -> dict[str, object]:
    out = {"figure": figure, "source": source, "lines": [first, last or first]}
    return out | ({"shown_as": shown_as} if shown_as else {})


WEEK = claim("approximately 1 week", NEW, 2, shown_as="about 1 week")
SOUND = [claim("24 to 72 hours", NEW, 1), WEEK, claim("2 to 3 weeks", OLD, 1)]


def passage(text: str = TEXT, cites=None, claims=None) -> Passage:  # noqa: ANN001
    return Passage.model_validate({
        "id": "test-passage", "title": "How long do test results take?", "topic": "understanding",
        "cites": cites if cites is not None else [cite(NEW, "testing"), cite(OLD, "molecular")],
        "claims": claims if claims is not None else SOUND,
        "text": text,
    })


# -- text matching -------------------------------------------------------------------------------
def test_a_figure_is_found_whole_however_the_file_typesets_it() -> None:
    assert contains("a median OS of 25 months", "25 months")
    assert not contains("a median OS of 25 months", "5 months")
    assert contains("stage IVC disease (>50%<sup>2</sup>)", ">50%")
    assert contains("NTRK (2%\u20134% of ATCs)", "2%-4%")
    assert normalize("*BRAF*  V600E\u00a0mutation") == "braf v600e mutation"


def test_numbers_leave_out_names_that_hold_digits() -> None:
    assert numbers("BRAF V600E, PD-L1, PD-1, TP53 and R0 surgery") == set()
    assert numbers("33 (82.5%) had 5.2 months, P = .22, a 2:1 ratio, 1-year") == {
        "33", "82.5", "5.2", ".22", "2", "1"}


# -- the claim ledger ----------------------------------------------------------------------------
def test_a_sound_ledger_passes() -> None:
    assert check_claims(passage(), SOURCES, LINES) == []


def test_a_wrong_line_range_fails() -> None:
    bad = passage(claims=[claim("24 to 72 hours", NEW, 2), *SOUND[1:]])
    assert check_claims(bad, SOURCES, LINES) == [
        "passage 'test-passage': claim '24 to 72 hours' (new-review lines 2-2): the figure is not "
        "in those lines of the review"]


def test_a_line_past_the_end_of_the_review_fails() -> None:
    bad = passage(cites=[cite(NEW, "testing"), cite(NEW, "spread"), cite(OLD, "molecular")],
                  claims=[*SOUND, claim(">50%", NEW, 3, 9)])
    problems = check_claims(bad, SOURCES, LINES)
    assert any("not inside a section the passage cites" in p for p in problems)
    assert any("the review has only 3 lines" in p for p in problems)


def test_a_review_citation_whose_section_holds_no_claim_fails() -> None:
    bad = passage(cites=[cite(NEW, "testing"), cite(NEW, "spread"), cite(OLD, "molecular")])
    assert check_claims(bad, SOURCES, LINES) == [
        "passage 'test-passage': cites new-review section 'spread', which holds none of its claims "
        "(cite general guidance for content that is not in the reviews)"]


def test_a_figure_less_review_citation_fails_and_general_guidance_needs_no_claim() -> None:
    text = "Pick a quiet time to talk, when no one is rushed. Tears and silence are normal. " * 3
    figureless = passage(text=text, cites=[cite(NEW, "testing")], claims=[])
    assert any("holds none of its claims" in p for p in check_claims(figureless, SOURCES, LINES))
    general = passage(text=text, claims=[],
                      cites=[{"source": "general-guidance", "guidance": "common advice"}])
    assert check_claims(general, SOURCES, LINES) == []


def test_every_number_needs_a_claim_except_emergency_numbers() -> None:
    bad = passage(text=TEXT + " In one study 35% were alive.")
    assert check_claims(bad, SOURCES, LINES) == [
        "passage 'test-passage': the number 35 has no claim"]


def test_a_claim_outside_the_cited_sections_or_not_in_the_text_fails() -> None:
    outside = passage(claims=[*passage().claims, Claim(figure=">50%", source=NEW, lines=(3, 3))])
    problems = check_claims(outside, SOURCES, LINES)
    assert any("'>50%'" in p and "not inside a section the passage cites" in p for p in problems)
    assert any("'>50%'" in p and "the text does not say '>50%'" in p for p in problems)


def test_without_a_copy_of_the_reviews_the_figures_are_not_looked_up() -> None:
    wrong_lines = passage(claims=[claim("24 to 72 hours", NEW, 2), *SOUND[1:]])
    assert check_claims(wrong_lines, SOURCES, {}) == []


# -- newer first ---------------------------------------------------------------------------------
SUBJECT = NewerFirstSubject(id="test-time", subject="How long gene tests take",
                            newer=({"source": NEW, "section": "testing"},),
                            older={"source": OLD, "section": "molecular"},
                            terms=r"\bweeks?\b", older_figures=("2 to 3 weeks",))


def test_a_passage_citing_only_the_older_review_on_the_subject_is_flagged() -> None:
    only_old = passage(text="Gene tests can take 2 to 3 weeks, an older review says. " * 3,
                       cites=[cite(OLD, "molecular")], claims=[claim("2 to 3 weeks", OLD, 1)])
    assert check_newer_first(only_old, [SUBJECT]) == [
        "passage 'test-passage': cites only the older review (old-review 'molecular') on "
        "'test-time', which the newer review also covers: cite and lead with new-review 'testing'"]


def test_the_newer_review_comes_first_and_the_older_figure_is_called_older() -> None:
    assert check_newer_first(passage(), [SUBJECT]) == []
    late = passage(cites=[cite(OLD, "molecular"), cite(NEW, "testing")])
    assert check_newer_first(late, [SUBJECT]) == [
        "passage 'test-passage': on 'test-time', cite the newer review before the older one"]
    unlabelled = passage(text=TEXT.replace("An older review", "One review"))
    assert check_newer_first(unlabelled, [SUBJECT]) == [
        "passage 'test-passage': states the older review's '2 to 3 weeks' on 'test-time' without "
        "calling it older"]


def test_a_passage_off_the_subject_is_left_alone() -> None:
    other = passage(text="The tumor makes little thyroglobulin, the older review notes. " * 3,
                    cites=[cite(OLD, "molecular")],
                    claims=[claim("tissue", OLD, 1, shown_as="tumor")])
    assert check_newer_first(other, [SUBJECT]) == []


# -- schema and citation -------------------------------------------------------------------------
def test_citation_kinds_are_exclusive() -> None:
    CitationRef(source="general-guidance", guidance="usual emergency advice")
    advice = "usual emergency advice"
    for bad in ({"source": "general-guidance"},
                {"source": "general-guidance", "guidance": advice, "section": "x"},
                {"source": NEW},
                {"source": NEW, "section": "testing", "guidance": advice}):
        with pytest.raises(ValidationError):
            CitationRef.model_validate(bad)


def test_a_claim_is_short_and_its_lines_are_ordered() -> None:
    with pytest.raises(ValidationError, match="at most 7 words"):
        Claim(figure="one two three four five six seven eight", source=NEW, lines=(1, 1))
    with pytest.raises(ValidationError, match="first <= last"):
        Claim(figure="24 to 72 hours", source=NEW, lines=(3, 2))


def test_review_citations_hash_as_before_so_unchanged_passages_keep_their_approval() -> None:
    ref = CitationRef(source=NEW, section="testing")
    assert ref.model_dump(exclude_none=True) == {"source": NEW, "section": "testing"}
    assert passage_meta(passage()) == passage_meta(passage(claims=[]))  # claims are not shown


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus(bundled_corpus_dir())


def test_the_reader_sees_general_guidance_as_such_and_no_invented_title(corpus: Corpus) -> None:
    emergency = corpus.passages["airway-emergency-signs"]
    assert corpus.citation(emergency).startswith(f"{GENERAL_LABEL}: ")
    assert GENERAL_LABEL == "General information, not from the reviews"
    older = corpus.citation(corpus.passages["trach-what-is"])
    assert "(title not given in the source file)" in older and "\u201c" not in older


def test_a_prompt_may_not_cite_general_guidance(corpus_copy: Path) -> None:
    path = corpus_copy / "prompts.yaml"
    entries = yaml.safe_load(path.read_text())
    entries[0]["cites"] = [{"source": "general-guidance", "guidance": "common advice on talks"}]
    path.write_text(yaml.safe_dump(entries, sort_keys=False))
    with pytest.raises(CorpusError, match="review sections only"):
        Corpus(corpus_copy)


def test_a_newer_first_subject_naming_an_unknown_section_is_refused(corpus_copy: Path) -> None:
    path = corpus_copy / "newer_first.yaml"
    entries = yaml.safe_load(path.read_text())
    entries[0]["newer"] = [{"source": "maniakas-2022", "section": "no-such-section"}]
    path.write_text(yaml.safe_dump(entries, sort_keys=False))
    with pytest.raises(CorpusError, match="no-such-section"):
        Corpus(corpus_copy)


# -- the bundled corpus --------------------------------------------------------------------------
def test_the_bundled_corpus_meets_the_content_rules(corpus: Corpus) -> None:
    sources = default_sources_dir()
    assert sources is not None, "../shared/sources is needed to look the figures up"
    report = lint_corpus(corpus, sources)
    assert report.ok, report.errors
    assert len(corpus.newer_first) >= 10
    assert corpus.sources["maniakas-2022"].section("key-points") is not None
    assert "Zafereo" in corpus.sources["maniakas-2022"].reference


def test_patient_passages_read_at_grade_6_and_none_above_8(corpus: Corpus) -> None:
    grades = [flesch_kincaid_grade(p.text) for p in corpus.passages.values()
              if p.audience == "patient"]
    assert MAX_MEDIAN_GRADE == 6.0 and MAX_GRADE == 8.0
    assert statistics.median(grades) <= MAX_MEDIAN_GRADE
    assert max(grades) <= MAX_GRADE


def test_brand_names_lead_to_the_generic_drug(corpus: Corpus) -> None:
    lay = {g.id: {t.lower() for t in g.lay_terms} for g in corpus.glossary.values()}
    for generic, brand in (("dabrafenib", "tafinlar"), ("trametinib", "mekinist"),
                           ("lenvatinib", "lenvima"), ("pembrolizumab", "keytruda"),
                           ("vemurafenib", "zelboraf"), ("sorafenib", "nexavar"),
                           ("selpercatinib", "retevmo"), ("pralsetinib", "gavreto"),
                           ("larotrectinib", "vitrakvi"), ("paclitaxel", "taxol"),
                           ("doxorubicin", "adriamycin"), ("carboplatin", "paraplatin")):
        assert brand in lay[generic], generic
    assert "power of attorney" not in lay["surrogate-decision-maker"]
    assert "average survival" not in lay["median-survival"]


def test_every_emergency_message_gives_a_path_for_hospice_and_dnr_families(corpus: Corpus) -> None:
    for mid in ("emergency-airway", "emergency-bleeding", "emergency-general", "emergency-card"):
        text = corpus.messages[mid].text
        assert "911" in text and "hospice" in text and "DNR" in text and "24-hour" in text, mid
    urgent = corpus.messages["urgent-care-team"].text
    assert "right away, day or night" in urgent and "suddenly is an emergency: call 911" in urgent
    assert "comes on suddenly" in corpus.messages["emergency-general"].text

