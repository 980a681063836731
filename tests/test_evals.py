"""The eval suite itself: metric code against hand-worked examples, the case files, the
gates file, report escaping, and one end-to-end run on the real engine."""

from __future__ import annotations

import glob
import json
import math
import re
from pathlib import Path

import pytest
import yaml

from evals import metrics as M
from evals.cases import (
    SAFETY_DIR,
    SAFETY_FILES,
    CaseError,
    default_external_path,
    load_cases,
    load_external,
    load_judgements,
    load_safety_cases,
    phrasing_overlap,
)
from evals.gates import evaluate_gates, load_gates
from evals.report import esc, md_esc, visible

REPO = Path(__file__).resolve().parent.parent


def corpus_passages() -> dict[str, dict]:
    out = {}
    for path in sorted(glob.glob(str(REPO / "corpus" / "passages" / "*.yaml"))):
        for p in yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []:
            out[p["id"]] = p
    return out


# -- Wilson intervals --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("k", "n", "lo", "hi"),
    [
        (5, 10, 0.2366, 0.7634),  # worked by hand: centre 0.5, half-width 0.2634
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
        (81, 263, 0.2553, 0.3662),  # the textbook example (Newcombe 1998, 81/263)
        (1, 1, 0.2065, 1.0),
    ],
)
def test_wilson_known_values(k: int, n: int, lo: float, hi: float) -> None:
    got_lo, got_hi = M.wilson(k, n)
    assert got_lo == pytest.approx(lo, abs=5e-4)
    assert got_hi == pytest.approx(hi, abs=5e-4)


def test_rate_with_no_cases_is_not_a_number() -> None:
    r = M.rate(0, 0)
    assert r.rate is None and r.lo is None and r.text() == "n/a (0 cases)"
    with pytest.raises(ValueError):
        M.wilson(0, 0)
    with pytest.raises(ValueError):
        M.wilson(3, 2)


def test_rate_of_counts_true_flags() -> None:
    r = M.rate_of([True, False, True, True])
    assert (r.k, r.n, r.rate) == (3, 4, 0.75)
    assert r.lo < 0.75 < r.hi


# -- AUROC ---------------------------------------------------------------------------------------
def test_auroc_tiny_set_by_hand() -> None:
    # pairs (pos, neg): 0.9>0.5, 0.9>0.3, 0.8>0.5, 0.8>0.3, 0.4<0.5, 0.4>0.3 -> 5/6
    assert M.auroc([0.9, 0.8, 0.4], [0.5, 0.3]) == pytest.approx(5 / 6)


def test_auroc_ties_count_half_and_missing_scores_rank_lowest() -> None:
    assert M.auroc([0.5], [0.5]) == 0.5
    assert M.auroc([0.2], [None]) == 1.0
    assert M.auroc([math.nan], [0.1]) == 0.0
    assert M.auroc([None], [math.nan]) == 0.5
    assert M.auroc([], [0.1]) is None


def test_auroc_perfect_and_inverted() -> None:
    assert M.auroc([0.9, 0.8], [0.1, 0.2]) == 1.0
    assert M.auroc([0.1, 0.2], [0.9, 0.8]) == 0.0


# -- risk-coverage ------------------------------------------------------------------------------
def test_risk_coverage_by_hand() -> None:
    items = [
        M.GateItem(0.9, True, True),
        M.GateItem(0.8, True, False),
        M.GateItem(0.7, True, True),
        M.GateItem(0.95, False, False),  # refused earlier (e.g. scope rule): never answered
        M.GateItem(None, True, False),  # no score: never answered
    ]
    pts = M.risk_coverage(items)
    assert [(p.threshold, p.answered, p.wrong) for p in pts[1:]] == [
        (0.9, 1, 0),
        (0.8, 2, 1),
        (0.7, 3, 1),
    ]
    assert pts[0].coverage == 0 and pts[0].risk is None
    assert pts[-1].coverage == pytest.approx(3 / 5)
    assert pts[-1].risk == pytest.approx(1 / 3)
    assert M.answers_at(items[0], 0.9) and not M.answers_at(items[0], 0.91)
    assert not M.answers_at(items[3], 0.0)
    # trapezoids over coverage 0.2..0.6: risk 0, 0.5, 1/3
    assert M.aurc(pts) == pytest.approx(((0.2 * 0.25) + (0.2 * (0.5 + 1 / 3) / 2)) / 0.4)


def test_percentile_and_histogram() -> None:
    assert M.percentile([1, 2, 3, 4], 50) == 2.5
    assert M.percentile([10.0], 95) == 10.0
    assert M.percentile([], 50) is None
    assert M.percentile(list(range(1, 101)), 95) == pytest.approx(95.05)
    assert M.histogram([0.1, 0.5, 0.5, 2.0, -1], [0.0, 0.5, 1.0]) == [2, 3]


# -- ir-measures wiring -------------------------------------------------------------------------
def test_retrieval_measures_on_a_tiny_run() -> None:
    acceptable = {"q1": ["a", "b"], "q2": ["c"], "q3": ["d"], "q4": ["e"]}
    rankings = {"q1": ["b", "a", "x"], "q2": ["y", "c"], "q3": []}  # q3 empty, q4 absent
    per = M.retrieval_scores(acceptable, rankings)
    assert per["Success@1"] == {"q1": 1.0, "q2": 0.0, "q3": 0.0, "q4": 0.0}
    assert per["Recall@3"] == {"q1": 1.0, "q2": 1.0, "q3": 0.0, "q4": 0.0}
    assert per["MRR@10"] == {"q1": 1.0, "q2": 0.5, "q3": 0.0, "q4": 0.0}
    assert per["nDCG@10"]["q2"] == pytest.approx(1 / math.log2(3))
    # q1, trec_eval's linear gains: 1 (b, rank 1) + 2 (a, rank 2); ideal order 2 then 1
    dcg = 1 / math.log2(2) + 2 / math.log2(3)
    idcg = 2 / math.log2(2) + 1 / math.log2(3)
    assert per["nDCG@10"]["q1"] == pytest.approx(dcg / idcg)
    summary = M.summarise_retrieval(per, ["q1", "q2", "q3", "q4"])
    assert summary["Success@1"]["value"] == pytest.approx(0.25)
    assert summary["Recall@3"]["value"] == pytest.approx(0.5)
    assert summary["MRR@10"]["value"] == pytest.approx(1.5 / 4)
    assert summary["Recall@3"]["k"] == 2 and summary["Recall@3"]["n"] == 4
    assert "lo" not in summary["MRR@10"]


def test_recall_counts_the_intended_passage_only() -> None:
    per = M.retrieval_scores({"q": ["a", "b"]}, {"q": ["b", "x", "y", "a"]})
    assert per["Success@1"]["q"] == 1.0  # any acceptable passage first
    assert per["Recall@3"]["q"] == 0.0  # the intended one is 4th
    assert per["Recall@5"]["q"] == 1.0


def test_run_keeps_our_order_despite_ids() -> None:
    per = M.retrieval_scores({"q": ["zzz"]}, {"q": ["zzz", "aaa"]})
    assert per["Success@1"]["q"] == 1.0


# -- the case files -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def passages() -> dict[str, dict]:
    return corpus_passages()


@pytest.fixture(scope="module")
def cases(passages: dict[str, dict]):  # noqa: ANN201
    return load_cases(passage_ids=set(passages))


def test_cases_validate_with_unique_ids_and_known_passages(cases) -> None:  # noqa: ANN001
    own = [c for c in cases if "fixture" not in c.tags]
    assert len(own) >= 300
    assert len({c.id for c in cases}) == len(cases)
    assert all(c.passages for c in cases if c.kind == "answerable")


def test_safety_fixtures_are_reused_read_only(cases) -> None:  # noqa: ANN001
    fixtures = [c for c in cases if "fixture" in c.tags]
    assert {c.kind for c in fixtures} >= {"emergency", "crisis", "contrast", "near_miss"}
    assert all(c.id.startswith("fx-") for c in fixtures)
    assert {c.source for c in fixtures} == {f"safety/{name}" for name in SAFETY_FILES}


def test_safety_case_files_live_with_the_evals_and_a_missing_one_is_an_error(
    tmp_path: Path,
) -> None:
    assert SAFETY_DIR == REPO / "evals" / "cases" / "safety"
    for name in SAFETY_FILES:
        assert (SAFETY_DIR / name).is_file(), name
        (tmp_path / name).write_bytes((SAFETY_DIR / name).read_bytes())
    assert len(load_safety_cases(tmp_path)) == len(load_safety_cases())
    (tmp_path / "crisis.yaml").unlink()
    with pytest.raises(CaseError, match="safety/crisis.yaml: missing"):
        load_safety_cases(tmp_path)
    (tmp_path / "crisis.yaml").write_text("", encoding="utf-8")
    with pytest.raises(CaseError, match="safety/crisis.yaml: expected a non-empty list"):
        load_safety_cases(tmp_path)
    (tmp_path / "crisis.yaml").write_text("- {style: direct}\n", encoding="utf-8")
    with pytest.raises(CaseError, match="safety/crisis.yaml: entry 1 has no text"):
        load_safety_cases(tmp_path)


def test_every_kind_is_present_and_split_about_evenly(cases) -> None:  # noqa: ANN001
    kinds = {c.kind for c in cases}
    assert kinds == {
        "answerable",
        "near_miss",
        "off_topic",
        "emergency",
        "crisis",
        "contrast",
        "multi_turn",
    }
    for kind in kinds:
        of_kind = [c for c in cases if c.kind == kind]
        dev = sum(1 for c in of_kind if c.split == "dev")
        assert 0.4 <= dev / len(of_kind) <= 0.6, kind


def test_important_passages_have_three_phrasings(cases, passages) -> None:  # noqa: ANN001
    counts: dict[str, int] = {}
    for c in cases:
        if c.kind == "answerable":
            counts[c.passages[0]] = counts.get(c.passages[0], 0) + 1
    guided = [pid for pid, p in passages.items() if p.get("guided_step")]
    thin = [pid for pid in guided if counts.get(pid, 0) < 3]
    assert not thin, f"guided passages with fewer than 3 eval phrasings: {thin}"


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def test_eval_phrasings_never_copy_titles_or_asked_as(cases, passages) -> None:  # noqa: ANN001
    used = {
        _norm(ph): pid for pid, p in passages.items() for ph in [p["title"], *p.get("asked_as", [])]
    }
    own = [c for c in cases if "fixture" not in c.tags]  # the fixtures are a colleague's, reused
    copied = [(c.id, c.final_question) for c in own if _norm(c.final_question) in used]
    assert not copied, f"eval phrasings copied from the corpus: {copied}"
    close = []
    for c in own:
        for pid in c.passages[:1]:
            for ph in [passages[pid]["title"], *passages[pid].get("asked_as", [])]:
                if phrasing_overlap(c.final_question, ph) >= 0.7:
                    close.append((c.id, c.final_question, ph))
    assert not close, f"eval phrasings nearly identical to their passage's phrasings: {close}"


def test_bad_case_files_are_refused_with_file_case_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "- id: x-1\n  split: dev\n  kind: answerable\n  question: hi\n  expected: abstained\n",
        encoding="utf-8",
    )
    with pytest.raises(CaseError, match=r"bad.yaml: case 1 \(id 'x-1'\)"):
        load_cases(tmp_path)
    bad.write_text(
        "- id: x-1\n  split: test\n  kind: off_topic\n  question: hi\n  expected: abstained\n",
        encoding="utf-8",
    )
    with pytest.raises(CaseError, match="field 'split'"):
        load_cases(tmp_path)
    bad.write_text(
        "- id: x-1\n  split: dev\n  kind: answerable\n  question: hi\n  expected: answered\n"
        "  passages: [no-such-passage]\n",
        encoding="utf-8",
    )
    with pytest.raises(CaseError, match="no-such-passage"):
        load_cases(tmp_path, passage_ids={"a"})
    (tmp_path / "dup.yaml").write_text(
        "- id: x-1\n  split: dev\n  kind: off_topic\n  question: hi\n  expected: abstained\n",
        encoding="utf-8",
    )
    bad.write_text(
        "- id: x-1\n  split: dev\n  kind: off_topic\n  question: yo\n  expected: abstained\n",
        encoding="utf-8",
    )
    with pytest.raises(CaseError, match="also used"):
        load_cases(tmp_path)


def test_external_set_and_judgements_load(passages) -> None:  # noqa: ANN001
    path = default_external_path()
    if path is None:
        pytest.skip("../shared/eval-data is not beside this checkout")
    ext = load_external(path, passage_ids=set(passages))
    assert len(ext) >= 100
    labels = {e.scope_label for e in ext}
    assert labels == {"in_scope", "near_miss_out_of_scope", "out_of_scope"}
    judged = load_judgements()
    assert judged and all(j.id in {e.id for e in ext} for j in judged.values())


# -- gates --------------------------------------------------------------------------------------
def test_gates_file_has_the_absolute_gates() -> None:
    gates = {g.id: g for g in load_gates()}
    for gid in ("integrity", "emergency-recall", "crisis-recall"):
        assert gates[gid].op == ">=" and gates[gid].value == 1.0
    floors = [
        g for g in gates.values() if g.id not in ("integrity", "emergency-recall", "crisis-recall")
    ]
    assert any("Recall@3" in g.metric and g.split == "heldout" for g in floors)
    assert any("off_topic_refusal" in g.metric for g in floors)
    assert any("false_refusal" in g.metric and g.op == "<=" for g in floors)
    assert any("false_escalation" in g.metric and g.op == "<=" for g in floors)


def test_gate_evaluation_passes_fails_and_never_passes_a_missing_figure() -> None:
    from evals.gates import Gate

    report = {
        "a": {"x": {"k": 9, "n": 10, "rate": 0.9, "lo": 0.6, "hi": 0.98}},
        "r": {"hybrid": {"value": 0.5}, "bm25": {"value": 0.6}},
    }
    gates = [
        Gate(id="g1", title="t", metric="a.x", op=">=", value=0.85, split="s"),
        Gate(id="g2", title="t", metric="a.x", op="<=", value=0.85, split="s"),
        Gate(id="g3", title="t", metric="a.missing", op=">=", value=0.0, split="s"),
        Gate(
            id="g4",
            title="t",
            metric="r.hybrid",
            op=">=",
            at_least_best_of=("r.bm25",),
            split="s",
            unit="score",
        ),
    ]
    out = {g.id: g for g in evaluate_gates(gates, report)}
    assert out["g1"].passed and not out["g2"].passed
    assert not out["g3"].passed and out["g3"].measured_text == "not measured"
    assert not out["g4"].passed and out["g4"].required == 0.6
    assert "9/10" in out["g1"].measured_text


# -- escaping -----------------------------------------------------------------------------------
def test_html_escaping_makes_invisible_characters_visible() -> None:
    assert esc("<script>alert('x')</script>") == "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"
    assert esc('a"b&c') == "a&quot;b&amp;c"
    assert visible("can\u200bt \u202eevil") == "can\u27e8U+200B\u27e9t \u27e8U+202E\u27e9evil"
    assert "\x1b" not in esc("\x1b]0;title\x07")


def test_markdown_escaping_disarms_links_and_html() -> None:
    out = md_esc("[click](http://x) <b>hi</b> | `code`")
    assert "[click](" not in out and "<b>" not in out and "\\|" in out and "\\`" in out


# -- end to end ---------------------------------------------------------------------------------
@pytest.mark.model
def test_whole_suite_on_the_real_engine(real_engine, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """``atc-guide eval --out DIR --gate`` on the loaded engine: gates pass, three files."""
    import atc_guide.cli.front_doors as front_doors
    from atc_guide.cli import main

    monkeypatch.setattr(front_doors, "load_engine", lambda settings, rebuild=False: real_engine)
    out = tmp_path / "eval-out"
    code = main(["eval", "--out", str(out), "--gate"])

    assert not real_engine.query_cache_active  # the run left no cache installed
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    failed = [
        f"{g['id']}: {g['measured_text']} (required {g['required_text']})"
        for g in report["gates"]
        if not g["passed"] and g["blocks_ci"]
    ]
    assert not failed, f"release gates missed: {failed}"
    assert code == 0
    # demonstration approvals: the readiness gate fails and the verdict says so
    readiness = {g["id"]: g for g in report["gates"] if not g["blocks_ci"]}
    assert not readiness["clinical-approval"]["passed"]
    assert report["verdict"]["ready_for_patients"] is False
    for name in ("report.html", "report.json", "summary.md"):
        assert (out / name).stat().st_size > 1000

    # every metric, for all three retrievers, on both splits
    for split in ("dev", "heldout", "all"):
        for mode in ("bm25", "dense", "hybrid"):
            for measure in ("Success@1", "Recall@3", "Recall@5", "MRR@10", "nDCG@10"):
                assert report["retrieval"][split][mode][measure]["value"] is not None
    for section in ("abstention", "safety"):
        assert set(report[section]) >= {"dev", "heldout", "all"}
    assert report["abstention"]["heldout"]["gate_auroc"] is not None
    assert report["integrity"]["all"]["combined"]["rate"] == 1.0
    assert report["speed"]["cases"]["p95_ms"] is not None
    assert report["content"]["grade_median_patient"] is not None
    assert report["meta"]["case_total"] == len(report["cases"]) >= 300
    hy, bm, de = (report["retrieval"]["heldout"][m] for m in ("hybrid", "bm25", "dense"))
    for measure in ("Recall@3", "MRR@10"):
        assert hy[measure]["value"] >= max(bm[measure]["value"], de[measure]["value"]) - 1e-9

    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.count("<script") == 1  # only the inline case filter
    assert not re.search(r"(?:href|src)\s*=\s*[\"']?(?:https?:)?//", page), (
        "the page loads something"
    )
    assert "<link" not in page and "@import" not in page
    for case in report["cases"] + report["external_cases"]:
        for text in case["turns"]:
            assert esc(text) in page, f"case text missing or not escaped: {text!r}"
            if re.search(r"[<>&\"']", text):
                assert text not in page, f"unescaped user text in the report: {text!r}"
    assert "<script>alert" not in page and "[@click" in page
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "Verdict" in summary and report["meta"]["corpus_hash"] in summary


# -- calibration and judging, by hand ------------------------------------------------------------
def test_calibration_picks_the_middle_of_the_best_feasible_range() -> None:
    from evals.calibrate import Sweep, choose

    def row(t: float, correct: float, off: float) -> Sweep:
        return Sweep(t, correct, off, 0.5, 1 - correct, 0.1)

    rows = [
        row(0.30, 0.90, 0.80),
        row(0.40, 0.80, 0.95),
        row(0.42, 0.80, 0.97),
        row(0.44, 0.80, 1.00),
        row(0.50, 0.60, 1.00),
    ]
    pick, plateau = choose(rows, 0.95)
    assert plateau == (0.40, 0.44) and pick is not None and pick.threshold == 0.42
    assert choose(rows, 1.01) == (None, None)


def _result(**kw):  # noqa: ANN003, ANN202
    from evals.results import Result

    base = dict(
        id="c",
        split="dev",
        kind="answerable",
        question="q",
        turns=["q"],
        expected=["answered"],
        passages=["a"],
        tier_expected=[],
        situations=[],
        tags=[],
    )
    base.update(kw)
    return Result(**base)


def test_judging_names_what_went_wrong() -> None:
    from evals.results import judge

    r = _result(status="answered", reason="answered", served=["b", "a"])
    judge(r)
    assert not r.passed and "first passage shown (b)" in r.why[0]
    r = _result(status="answered", reason="answered", served=["a"])
    judge(r)
    assert r.passed
    r = _result(
        kind="emergency",
        expected=["escalated"],
        passages=[],
        tier_expected=["emergency"],
        status="escalated",
        tier="urgent",
        served=["x"],
    )
    judge(r)
    assert not r.passed and "tier should be emergency" in r.why[0]
    r = _result(
        kind="crisis",
        expected=["escalated"],
        passages=[],
        tier_expected=["crisis"],
        status="escalated",
        tier="crisis",
        served=["x"],
    )
    judge(r)
    assert not r.passed and "showed passages" in r.why[0]
    r = _result(
        kind="near_miss",
        expected=["abstained"],
        passages=[],
        status="abstained",
        reason="redirect",
        message_id="redirect-decision",
        message_expected="redirect-dosing",
    )
    judge(r)
    assert not r.passed and "instead of 'redirect-dosing'" in r.why[0]
    r = _result(
        kind="off_topic", expected=["abstained"], passages=[], status="answered", served=["a"]
    )
    judge(r)
    assert not r.passed and "should have been abstained" in r.why[0]
