"""The eval report as typed data, on the fast hashing engine: ``report.json`` is exactly
the typed report, every gate names a figure that exists, a misspelt field is refused,
every page section is linked and rendered, and evals/ stays in small one-job modules."""

from __future__ import annotations

import ast
import json
from importlib.resources import files
from pathlib import Path

import pytest
from pydantic import ValidationError

from botcore.engine import Engine
from botcore.yamlio import read_yaml
from evals.cases import SAFETY_DIR, Case, load_cases
from evals.evaluate import evaluate, summary_lines, write_outputs
from evals.figures.abstention import AbstentionSplit
from evals.figures.held_out import JUDGES, SetInfo, load_sets
from evals.figures.safety import SafetySplit, SourceRecall
from evals.gates import load_gates, lookup
from evals.metrics import wilson
from evals.report import render_html, render_markdown
from evals.report.html import SECTIONS
from evals.report.tables import ABSTENTION_ROWS, SAFETY_ROWS, SOURCE_ROWS
from evals.report_data import Report

REPO = Path(__file__).resolve().parent.parent


def _sample(cases: list[Case]) -> list[Case]:
    """A few cases of every kind and split, and every conversation (few escalate)."""
    out: list[Case] = []
    for kind in sorted({c.kind for c in cases}):
        for split in ("dev", "heldout"):
            of = [c for c in cases if c.kind == kind and c.split == split]
            out += of if kind == "multi_turn" else of[:4]
    return out


JUDGE_ROWS = {capability: labels for capability, (_, labels) in JUDGES.items()}


@pytest.fixture(scope="module")
def report(fake_engine: Engine) -> Report:
    cases = load_cases(passage_ids=set(fake_engine.corpus.passages))
    tiny = SetInfo(id="tiny-sealed", capability="safety", role="sealed", written_by="a test",
                   files=[str(Path(__file__).parent / "fixtures" / "held_out_tiny.yaml")])
    return evaluate(fake_engine, cases=_sample(cases), external=[], held_out=[tiny])


def test_the_sealed_sets_are_shown_beside_the_tuned_one(report: Report) -> None:
    html, md = render_html(report), render_markdown(report)
    assert 'id="held-out"' in html and "tiny-sealed: sealed, first look; 6 cases" in html
    assert "| figure | tiny-sealed | target |" in md
    assert "crisis language shown first" in md


def test_report_json_is_the_typed_report_and_nothing_is_lost(report: Report) -> None:
    data = json.loads(json.dumps(report.as_json_dict(), allow_nan=False))
    assert list(data) == list(Report.model_fields)
    assert Report.model_validate(data) == report
    assert data["external"] == {"n": 0}  # no public set given: the section says so, no more


def test_every_gate_names_a_figure_the_report_has(report: Report) -> None:
    data = report.as_json_dict()
    bundled = {s.id: s for s in load_sets()}
    for gate in load_gates():
        for path in (gate.metric, *gate.at_least_best_of):
            parts = path.split(".")
            if parts[:2] == ["held_out", "sets"]:  # this sample ran only a tiny set
                held = bundled.get(parts[2])
                assert held is not None, f"gate '{gate.id}': no set '{parts[2]}' in sets.yaml"
                assert parts[4] in JUDGE_ROWS[held.capability](), f"gate '{gate.id}': no row"
                continue
            value, _ = lookup(data, path)
            assert value is not None, f"gate '{gate.id}': nothing at {path}"
    assert [g.id for g in report.gates] == [g.id for g in load_gates()]
    assert report.verdict.failed == [g.id for g in report.gates if g.blocks_ci and not g.passed]
    assert report.verdict.not_ready == [g.id for g in report.gates
                                        if not g.blocks_ci and not g.passed]
    lines = summary_lines(report)
    assert lines[0].startswith("READY FOR PATIENTS:") and lines[1].startswith("QUALITY GATES (CI):")


def test_demonstration_approvals_are_never_ready_for_patients(report: Report) -> None:
    """The bundled corpus carries only demonstration approvals: whatever the quality gates
    say, the verdict must not read as ready, and it must say why first."""
    from evals.report import render_html

    gate = next(g for g in report.gates if g.id == "clinical-approval")
    assert not gate.passed and not gate.blocks_ci
    assert not report.verdict.ready_for_patients and "clinical-approval" in report.verdict.not_ready
    page = render_html(report)
    start = page.index('id="verdict"')
    first_screen = page[start:page.index("</section>", start)]
    assert "Not ready for patients" in first_screen and "clinician" in first_screen
    assert "All release gates passed" not in page


def test_a_gate_over_too_few_cases_does_not_pass() -> None:
    from evals.gates import Gate, evaluate_gates

    gate = Gate(id="g", title="t", metric="x", op=">=", value=1.0, split="all", min_cases=10)
    few = {"x": {"rate": 1.0, "k": 5, "n": 5, "lo": 0.57, "hi": 1.0}}
    enough = {"x": {"rate": 1.0, "k": 12, "n": 12, "lo": 0.76, "hi": 1.0}}
    (low,) = evaluate_gates([gate], few)
    (ok,) = evaluate_gates([gate], enough)
    assert not low.passed and "too few cases" in low.measured_text and ok.passed


def test_a_misspelt_figure_is_refused_when_the_report_is_built(report: Report) -> None:
    fields = report.abstention.dev.model_dump()
    fields["of_topic_refusal"] = fields.pop("off_topic_refusal")
    with pytest.raises(ValidationError):
        AbstentionSplit.model_validate(fields)
    with pytest.raises(ValidationError):
        Report.model_validate(report.model_dump() | {"verdicts": {}})


def test_report_tables_name_existing_figures() -> None:
    for rows, model in ((ABSTENTION_ROWS, AbstentionSplit), (SAFETY_ROWS, SafetySplit),
                        (SOURCE_ROWS, SourceRecall)):
        for label, field in rows:
            assert field in model.model_fields, f"{label}: no figure '{field}'"


def test_every_page_section_is_linked_and_rendered(report: Report, tmp_path: Path) -> None:
    page = render_html(report)
    nav = page[page.index("<nav"):page.index("</nav>")]
    for section in SECTIONS:
        assert f'href="#{section.anchor}"' in nav
        assert f'<h2 id="{section.anchor}">' in page
    css = files("evals.report").joinpath("report.css").read_text(encoding="utf-8")
    js = files("evals.report").joinpath("filter.js").read_text(encoding="utf-8")
    assert css.strip() in page and js.strip() in page and page.count("<script") == 1
    assert "Verdict" in render_markdown(report)
    paths = write_outputs(report, tmp_path)
    assert json.loads(paths["json"].read_text(encoding="utf-8"))["meta"]["case_total"] == len(
        report.cases
    )


def _long_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.name}:{node.name} ({(node.end_lineno or node.lineno) - node.lineno + 1} lines)"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (node.end_lineno or node.lineno) - node.lineno + 1 > 80
    ]


def test_evals_modules_and_functions_stay_small() -> None:
    paths = [*sorted((REPO / "evals").rglob("*.py")), REPO / "botcore" / "query_cache.py"]
    long_modules = [
        f"{p.relative_to(REPO)} ({n} lines)"
        for p in paths
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400
    ]
    assert not long_modules
    assert not [f for p in paths for f in _long_functions(p)]


def test_no_front_door_swaps_engine_internals() -> None:
    """Only botcore installs the query cache; evals, tui and atc_guide call the engine."""
    for package in ("evals", "tui", "atc_guide"):
        for path in (REPO / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for needle in (".embedder =", ".speller =", "index.embedder", "retriever.speller"):
                assert needle not in text, f"{path.relative_to(REPO)} touches {needle!r}"


# -- the safety figures tool (make safety-figures) ---------------------------------------------
def test_safety_figures_tool_reads_the_safety_case_files(capsys: pytest.CaptureFixture) -> None:
    import safety_figures

    def ask(text: str) -> tuple[str, str | None]:  # escalates everything to the crisis tier
        return "escalated", "crisis"

    safety_figures.gated(safety_figures.Judge(ask))
    out = capsys.readouterr().out
    red = len(read_yaml(SAFETY_DIR / "redflags.yaml"))
    contrast = len(read_yaml(SAFETY_DIR / "contrast.yaml"))
    lo, _ = wilson(red, red)
    assert f"{red:3}/{red:<3} = 100.0%   (95% CI {lo:.1%}-100.0%)" in out
    assert f"{contrast:3}/{contrast:<3} = 100.0%" in out  # every contrast text "fired"
    safety_figures.line("nothing", 0, 0, [])
    assert "n/a   (no cases)" in capsys.readouterr().out
