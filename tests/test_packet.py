"""The care team's goals-of-care packet: assembly (botcore.packet), the approved prompts
(corpus/prompts.yaml), the export (botcore.export) and ``atc-guide packet``."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pdftext import pdf_text

from atc_guide.cli import main
from botcore.config import Settings, bundled_corpus_dir, default_sources_dir
from botcore.corpus import Corpus
from botcore.errors import CorpusError
from botcore.export import CARE_TEAM_MARK, build_packet_document, to_latin1, write_packet
from botcore.glossary_terms import TermIndex
from botcore.lint import FORBIDDEN, MARKUP, copied_run, source_ngrams
from botcore.packet import (
    SECTION_NAMES,
    Packet,
    PacketEntry,
    PatientSituation,
    addable,
    assemble,
    entry_label,
)
from botcore.packet_plan import parse_plan, plan_for, read_plan
from botcore.readability import flesch_kincaid_grade
from botcore.schema import PACKET_SECTIONS

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = PatientSituation(stage="ivc", braf="v600e", trach=False, hospice_discussed=False)
EXAMPLE_ARGS = ["--stage", "ivc", "--braf", "v600e", "--trach", "no", "--hospice-discussed", "no"]


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus(bundled_corpus_dir())


def squash(text: str) -> str:
    return " ".join(text.split())


def in_pdf(expected: str, text: str) -> bool:
    """Exact, or folded to Latin-1 when no Unicode font was installed (core font)."""
    return squash(expected) in text or squash(to_latin1(expected)) in to_latin1(text)


# -- the required example -------------------------------------------------------------------
EXAMPLE_MUST_HAVE = {
    "BRAF/MEK therapy": ("braf-dabrafenib-trametinib", "treat-stage-ivc-braf"),
    "the airway": ("airway-why-at-risk", "trach-choosing-not", "airway-emergency-signs"),
    "goals of care": ("goals-what-is",),
    "hospice": ("hospice-what-is", "hospice-who-for"),
}


def test_example_packet_pdf_has_braf_airway_goals_hospice_citations_and_card(
        tmp_path: Path, corpus: Corpus, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "packet"
    assert main(["packet", *EXAMPLE_ARGS, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert str(out / "packet.pdf") in printed and str(out / "packet.html") in printed
    pdf = (out / "packet.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert in_pdf("EMERGENCY CARD", text)
    for line in corpus.message("emergency-card").splitlines():
        if line.strip():
            assert in_pdf(line, text), line
    for topic, ids in EXAMPLE_MUST_HAVE.items():
        for pid in ids:
            passage = corpus.passages[pid]
            assert in_pdf(passage.title, text), (topic, pid)
            assert in_pdf(passage.text, text), (topic, pid)  # verbatim
            assert in_pdf(f"Source: {corpus.citation(passage)}", text), (topic, pid)
    # The parts come in conversation order.
    at = [text.find(SECTION_NAMES[s]) for s in PACKET_SECTIONS]
    assert -1 not in at and at == sorted(at)
    assert in_pdf("Stage IVC", text) and in_pdf("Hospice not yet discussed", text)
    html = (out / "packet.html").read_text(encoding="utf-8")
    assert "Emergency card" in html and "goals-of-care conversation packet" in html
    for mode in (out / "packet.pdf", out / "packet.html"):
        assert mode.stat().st_mode & 0o777 == 0o600


def test_example_packet_is_assembled_for_the_situation(corpus: Corpus) -> None:
    packet = assemble(corpus, EXAMPLE)
    ids = packet.passage_ids()
    for wanted in EXAMPLE_MUST_HAVE.values():
        assert set(wanted) <= set(ids)
    # Nothing for another stage or BRAF result.
    for pid in ids:
        tags = set(corpus.passages[pid].situations)
        assert not tags & {"stage-iva", "stage-ivb"} or "stage-ivc" in tags, pid
        assert "braf-negative" not in tags, pid
    assert "treat-stage-ivc-no-braf" not in ids and "treat-chemoradiation" not in ids
    # Nurse-audience passages are there, and marked when listed.
    nurse = [pid for pid in ids if corpus.passages[pid].audience == "nurse"]
    assert "goals-nurse-hospice-criteria" in nurse and "braf-resistance-mechanisms" in nurse
    label = entry_label(corpus, PacketEntry("passage", nurse[0], "planning"))
    assert label.startswith("For the care team: ")
    # Prompts fit the situation: no trach, hospice not yet discussed, BRAF V600E.
    prompts = packet.prompt_ids()
    assert {"airway-trach-choice", "planning-hospice-introduce", "options-braf-pills",
            "matters-most", "planning-family-hospice"} <= set(prompts)
    assert not {"airway-trach-living", "airway-family-trach-care",
                "planning-hospice-follow-up"} & set(prompts)
    # Conversation order: sections never go backwards.
    order = [PACKET_SECTIONS.index(e.section) for e in packet.entries]
    assert order == sorted(order)
    # Within a part: passages, then prompts, then family questions.
    for section in PACKET_SECTIONS:
        kinds = [e.kind if e.kind == "passage" else corpus.prompts[e.id].kind
                 for e in packet.entries if e.section == section]
        rank = {"passage": 0, "conversation": 1, "family-question": 2}
        assert [rank[k] for k in kinds] == sorted(rank[k] for k in kinds)


def test_other_situations(corpus: Corpus) -> None:
    discussed = assemble(corpus, PatientSituation(stage="iva", braf="negative", trach=True,
                                                  hospice_discussed=True))
    ids, prompts = discussed.passage_ids(), discussed.prompt_ids()
    assert "treat-stage-iva" in ids and "treat-stage-ivc-braf" not in ids
    assert not any(corpus.passages[p].situations == ("braf-v600e",) for p in ids)
    assert "planning-hospice-follow-up" in prompts and "planning-hospice-introduce" not in prompts
    assert "airway-trach-living" in prompts and "airway-trach-choice" not in prompts
    unknown = assemble(corpus, PatientSituation())
    assert unknown.passage_ids() and not {"options-braf-pills", "airway-trach-choice",
                                          "planning-hospice-follow-up"} & set(unknown.prompt_ids())
    only = assemble(corpus, EXAMPLE, ["airway", "planning"])
    assert {e.section for e in only.entries} == {"airway", "planning"}
    with pytest.raises(ValueError, match="unknown packet section"):
        assemble(corpus, EXAMPLE, ["bogus"])


def test_conversation_plan_names_real_passages(corpus: Corpus) -> None:
    """A renamed passage must not silently drop out of every packet: the plan is data in
    corpus/packet.yaml, and loading it refuses an id that names no passage."""
    plan = plan_for(corpus)
    assert set(plan.named()) <= set(corpus.passages)
    assert set(plan.parts) == set(PACKET_SECTIONS)
    for section, part in plan.parts.items():
        assert all(plan.section_of(corpus.passages[p]) == section for p in part.core), section


def test_a_missing_or_misplaced_passage_in_the_plan_is_a_corpus_error(corpus: Corpus,
                                                                      tmp_path: Path) -> None:
    import yaml

    data = yaml.safe_load((corpus.root / "packet.yaml").read_text(encoding="utf-8"))
    renamed = {**data, "hospice_intro": ["hospice-what-is-renamed"]}
    with pytest.raises(CorpusError, match="hospice_intro.*no passage 'hospice-what-is-renamed'"):
        parse_plan(renamed, corpus)
    parts = {**data["parts"], "airway": {**data["parts"]["airway"], "core": ["goals-what-is"]}}
    with pytest.raises(CorpusError, match="parts.airway.core.*belongs to the part"):
        parse_plan({**data, "parts": parts}, corpus)
    parts = {k: v for k, v in data["parts"].items() if k != "planning"}
    with pytest.raises(CorpusError, match="part 'planning' is missing"):
        parse_plan({**data, "parts": parts}, corpus)
    with pytest.raises(CorpusError, match="field 'what_matter'"):
        parse_plan({**data, "what_matter": []}, corpus)
    doubled = tmp_path / "packet.yaml"
    doubled.write_text("what_matters: []\nwhat_matters: []\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="not valid YAML"):
        read_plan(corpus, doubled)


def test_situation_from_tags() -> None:
    """One situation vocabulary (botcore.schema.SITUATIONS) for the form and the CLI."""
    from botcore.labels import SITUATION_NAMES
    from botcore.schema import SITUATION_GROUPS, SITUATIONS

    grouped = [tag for tags in SITUATION_GROUPS.values() for tag in tags]
    assert sorted(grouped) == sorted(SITUATIONS) and set(SITUATION_NAMES) == set(SITUATIONS)
    assert PatientSituation.from_tags({"stage-ivc", "braf-v600e", "no-trach"}, False,
                                      "  dabrafenib\n+ trametinib ") == PatientSituation(
        stage="ivc", braf="v600e", trach=False, hospice_discussed=False,
        treatment="dabrafenib + trametinib")
    assert PatientSituation.from_tags(set()) == PatientSituation()
    assert PatientSituation.from_tags({"trach"}, True, "\x1b]0;x\x07ok").treatment == "ok"
    assert PatientSituation.from_tags({"trach"}).tags() == {"trach"}
    with pytest.raises(ValueError, match="unknown situation 'stage-v'"):
        PatientSituation.from_tags({"stage-v"})
    with pytest.raises(ValueError, match="two answers"):
        PatientSituation.from_tags({"stage-iva", "stage-ivc"})


# -- editing the packet ---------------------------------------------------------------------
def test_reorder_remove_add(corpus: Corpus) -> None:
    packet = assemble(corpus, EXAMPLE)
    first, second = packet.entries[0], packet.entries[1]
    assert packet.move(0, 1) == 1 and packet.entries[:2] == [second, first]
    assert packet.move(1, -5) == 0 and packet.entries[0] == first
    last = len(packet) - 1
    assert packet.move(last, 3) == last
    removed = packet.remove(0)
    assert removed == first and first.key not in packet
    with pytest.raises(IndexError):
        packet.remove(len(packet))
    # Added back at the end of its own part, once.
    index = packet.add(first)
    assert packet.entries[index] == first
    assert packet.entries[index + 1].section != first.section
    assert packet.add(first) == index and packet.keys().count(first.key) == 1
    # Something from a part the packet does not have yet goes where that part belongs.
    partial = Packet(EXAMPLE, entries=[PacketEntry("passage", "about-what-is-atc", "understanding"),
                                       PacketEntry("passage", "hospice-what-is", "planning")])
    at = partial.add(PacketEntry("passage", "trach-what-is", "airway"))
    assert at == 1
    assert partial.add(PacketEntry("passage", "goals-what-is", "what-matters"), at=0) == 0
    # What can be added: approved, not already in.
    offered = addable(corpus, packet)
    keys = {e.key for e in offered}
    assert not keys & set(packet.keys())
    assert "passage:braf-how-well" in keys
    assert all(corpus.is_approved(e.id) for e in offered if e.kind == "passage")


def test_export_follows_the_edited_order(tmp_path: Path, corpus: Corpus) -> None:
    packet = assemble(corpus, EXAMPLE)
    hospice = packet.keys().index("passage:hospice-what-is")
    entry = packet.entries[hospice]
    packet.remove(hospice)
    packet.add(entry, at=0)
    packet.remove(packet.keys().index("passage:about-stages"))
    doc = build_packet_document(corpus, packet, TermIndex(corpus.approved_glossary()),
                                "2026-11-21")
    paths = write_packet(doc, tmp_path)
    assert [p.name for p in paths] == ["packet.html", "packet.pdf"]
    text = pdf_text(paths[1].read_bytes())
    assert text.find("What is hospice?") < text.find("What is anaplastic thyroid cancer?")
    assert "What do stage IVA, IVB and IVC mean?" not in text
    assert in_pdf(CARE_TEAM_MARK + corpus.passages["goals-nurse-hospice-criteria"].title, text)
    assert in_pdf("Conversation prompts", text) and in_pdf("Questions families often ask", text)
    assert in_pdf(corpus.prompts["matters-most"].text, text)
    assert in_pdf("Words to know", text)


def test_user_text_is_escaped_in_html(tmp_path: Path) -> None:
    hostile = '<script>alert(1)</script> [@click=app.quit]x[/] \x1b]0;pwned\x07'
    assert main(["packet", *EXAMPLE_ARGS, "--treatment", hostile, "--out", str(tmp_path)]) == 0
    html = (tmp_path / "packet.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "\x1b" not in html and "\x07" not in html


# -- governance: only approved items ---------------------------------------------------------
def test_unapproved_passages_and_prompts_never_enter_a_packet(corpus_copy: Path,
                                                              tmp_path: Path) -> None:
    planning = corpus_copy / "passages" / "planning.yaml"
    text = planning.read_text(encoding="utf-8")
    edited = re.sub(r"(- id: hospice-what-is\n(?:.*\n)*?  text: >-\n    )", r"\1Edited sentinel. ",
                    text, count=1)
    assert edited != text
    planning.write_text(edited, encoding="utf-8")
    prompts = corpus_copy / "prompts.yaml"
    ptext = prompts.read_text(encoding="utf-8")
    prompts.write_text(ptext.replace("what matters most to you?", "what matters, truly?", 1),
                       encoding="utf-8")
    corpus = Corpus(corpus_copy)
    assert corpus.passage_status(corpus.passages["hospice-what-is"]).state == "changed"
    assert corpus.prompt_status(corpus.prompts["matters-most"]).state == "changed"
    packet = assemble(corpus, EXAMPLE)
    assert "hospice-what-is" not in packet.passage_ids()
    assert "matters-most" not in packet.prompt_ids()
    assert "passage:hospice-what-is" not in {e.key for e in addable(corpus, packet)}
    # Fail closed at export too: an entry that is not approved is left out.
    packet.entries.insert(0, PacketEntry("passage", "hospice-what-is", "planning"))
    packet.entries.insert(0, PacketEntry("prompt", "matters-most", "what-matters"))
    doc = build_packet_document(corpus, packet, TermIndex(corpus.approved_glossary()), "today")
    html = write_packet(doc, tmp_path, formats=("html",))[0].read_text(encoding="utf-8")
    assert "Edited sentinel" not in html and "truly?" not in html
    # Changing where a prompt shows withdraws its approval too.
    prompts.write_text(ptext.replace("section: what-matters\n  cites:\n    - {source: "
                                     "maniakas-2022, section: goals-of-care}\n  text: When you",
                                     "section: planning\n  cites:\n    - {source: "
                                     "maniakas-2022, section: goals-of-care}\n  text: When you",
                                     1), encoding="utf-8")
    assert Corpus(corpus_copy).prompt_status(Corpus(corpus_copy).prompts["matters-most"]).state \
        == "changed"


def test_prompts_file_is_optional(corpus_copy: Path) -> None:
    (corpus_copy / "prompts.yaml").unlink()
    corpus = Corpus(corpus_copy)
    assert corpus.prompts == {}
    assert not any(i.item.startswith("prompt:") for i in corpus.review_items())
    packet = assemble(corpus, EXAMPLE)
    assert packet.passage_ids() and not packet.prompt_ids()


def test_bad_prompt_is_refused_with_file_entry_and_field(corpus_copy: Path) -> None:
    from botcore.errors import CorpusError

    path = corpus_copy / "prompts.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("section: airway", "section: lungs",
                                                             1), encoding="utf-8")
    with pytest.raises(CorpusError, match=r"prompts\.yaml: prompt entry \d+ .*field 'section'"):
        Corpus(corpus_copy)


# -- the prompts' content -------------------------------------------------------------------
def test_bundled_prompts_are_approved_plain_and_not_copied(corpus: Corpus) -> None:
    assert len(corpus.prompts) >= 20
    items = [i for i in corpus.review_items() if i.item.startswith("prompt:")]
    assert len(items) == len(corpus.prompts)
    assert all(i.status.state == "approved" for i in items)
    kinds = {(q.section, q.kind) for q in corpus.prompts.values()}
    for section in PACKET_SECTIONS:
        assert (section, "conversation") in kinds and (section, "family-question") in kinds
    grades = sorted(flesch_kincaid_grade(q.text) for q in corpus.prompts.values())
    assert grades[len(grades) // 2] <= 8
    for q in corpus.prompts.values():
        assert not FORBIDDEN.search(q.text) and not MARKUP.search(q.text), q.id
    sources = default_sources_dir()
    if sources is None:
        pytest.skip("no copy of the reviews here: the copy check needs ATC_GUIDE_SOURCES_DIR")
    grams = source_ngrams(sources)
    for q in corpus.prompts.values():
        assert copied_run(q.text, grams) is None, q.id


# -- the command line -----------------------------------------------------------------------
@pytest.mark.parametrize(("argv", "needle"), [
    (["packet", "--stage", "ivc", "--topics", "bogus", "--out", "x"], "unknown topic 'bogus'"),
    (["packet", "--stage", "v"], "invalid choice"),
    (["packet", "--stage", "ivc"], "--out"),
])
def test_packet_usage_errors_are_one_line(argv: list[str], needle: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and needle in err[0]


def test_packet_unwritable_folder_fails_in_one_line(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert main(["packet", *EXAMPLE_ARGS, "--out", str(blocker / "sub")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot write" in err[0]


def test_topics_accept_commas_and_spaces(tmp_path: Path) -> None:
    assert main(["packet", *EXAMPLE_ARGS, "--topics", "airway,planning", "what-matters",
                 "--out", str(tmp_path)]) == 0
    html = (tmp_path / "packet.html").read_text(encoding="utf-8")
    assert SECTION_NAMES["airway"] in html and SECTION_NAMES["understanding"] not in html


def test_packet_module_never_imports_textual() -> None:
    code = ("import sys, botcore.packet, botcore.review; "
            "bad = [m for m in ('textual', 'torch') if m in sys.modules]; "
            "sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr.decode()


def test_settings_are_honoured(tmp_path: Path, corpus_copy: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    """``atc-guide packet`` reads the corpus named by the settings (here: a copy)."""
    shutil.rmtree(corpus_copy / "passages")
    monkeypatch.setenv("ATC_GUIDE_CORPUS_DIR", str(corpus_copy))
    assert Settings().corpus_dir == corpus_copy
    assert main(["packet", *EXAMPLE_ARGS, "--out", str(tmp_path / "o")]) == 2
