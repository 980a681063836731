"""One approval rule for both front doors: ``botcore.review.record_decision`` is what the
``atc-guide review`` command and the review screen call. The approval's meaning follows
the item's audience unless the CLI's ``--nurse-only`` overrides it; a decision needs a
name and a role; a decision on text that changed since it was read is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from atc_guide.cli import main
from botcore.corpus import Corpus
from botcore.review import (
    DecisionRefused,
    StaleItem,
    check_reviewer,
    meaning_for,
    record_decision,
)

NURSE_PASSAGE = "passage:airway-nurse-evaluation"
PATIENT_PASSAGE = "passage:trach-what-is"


def _item(corpus: Corpus, key: str):  # noqa: ANN202
    return next(i for i in corpus.review_items() if i.item == key)


def _last(corpus_dir: Path) -> dict[str, object]:
    return json.loads((corpus_dir / "approvals.jsonl").read_text().splitlines()[-1])


def test_meaning_follows_the_audience_unless_overridden(corpus_copy: Path) -> None:
    corpus = Corpus(corpus_copy)
    assert corpus.passages[NURSE_PASSAGE.split(":")[1]].audience == "nurse"
    assert meaning_for(corpus, NURSE_PASSAGE) == "nurse-only"
    assert meaning_for(corpus, PATIENT_PASSAGE) == "patient-facing"
    nurse = record_decision(corpus, _item(corpus, NURSE_PASSAGE), "approved", " Dr  A ", "nurse")
    assert nurse.meaning == "nurse-only" and nurse.reviewer == "Dr A" and nurse.role == "nurse"
    patient = record_decision(corpus, _item(corpus, PATIENT_PASSAGE), "approved", "Dr A", "nurse")
    assert patient.meaning == "patient-facing"
    forced = record_decision(corpus, _item(corpus, PATIENT_PASSAGE), "approved", "Dr A", "nurse",
                             meaning="nurse-only")
    assert forced.meaning == "nurse-only"


@pytest.mark.parametrize(("name", "role"), [("", "nurse"), ("Dr A", ""), ("x", "nurse"),
                                            ("Dr A", " r "), ("A" * 121, "nurse")])
def test_no_decision_without_a_name_and_a_role(corpus_copy: Path, name: str, role: str) -> None:
    corpus = Corpus(corpus_copy)
    before = (corpus_copy / "approvals.jsonl").read_text()
    with pytest.raises(DecisionRefused):
        check_reviewer(name, role)
    with pytest.raises(DecisionRefused):
        record_decision(corpus, _item(corpus, PATIENT_PASSAGE), "approved", name, role)
    assert (corpus_copy / "approvals.jsonl").read_text() == before


def test_a_decision_on_text_that_changed_is_refused(corpus_copy: Path) -> None:
    read = _item(Corpus(corpus_copy), PATIENT_PASSAGE)
    path = corpus_copy / "passages" / "airway.yaml"
    text = path.read_text(encoding="utf-8")
    old = "- id: trach-what-is\n  title: What is a tracheostomy?\n"
    assert old in text
    path.write_text(text.replace(old, "- id: trach-what-is\n  title: What is a trach tube?\n"),
                    encoding="utf-8")
    fresh = Corpus(corpus_copy)
    assert _item(fresh, PATIENT_PASSAGE).meta != read.meta
    with pytest.raises(StaleItem):
        record_decision(fresh, read, "approved", "Dr A", "nurse")


def test_cli_uses_the_same_rule(corpus_copy: Path, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("ATC_GUIDE_CORPUS_DIR", str(corpus_copy))
    who = ["--reviewer", "Dr Test", "--role", "oncologist"]
    assert main(["review", "reject", NURSE_PASSAGE, *who]) == 0
    assert _last(corpus_copy)["meaning"] == "nurse-only"
    assert main(["review", "reject", PATIENT_PASSAGE, *who]) == 0
    assert _last(corpus_copy)["meaning"] == "patient-facing"
    assert main(["review", "reject", PATIENT_PASSAGE, *who, "--nurse-only"]) == 0
    assert _last(corpus_copy)["meaning"] == "nurse-only"
    before = (corpus_copy / "approvals.jsonl").read_text()
    assert main(["review", "approve", PATIENT_PASSAGE, "--reviewer", "D", "--role", "x"]) == 2
    assert "enter your name" in capsys.readouterr().err
    assert (corpus_copy / "approvals.jsonl").read_text() == before
