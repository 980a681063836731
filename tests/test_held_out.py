"""The held-out section: sets listed in a manifest, judged, shown beside each other."""

from __future__ import annotations

from pathlib import Path

import pytest

from botcore import Engine
from evals.figures.held_out import SETS_FILE, SetInfo, held_out_section, load_sets
from evals.gates import Gate, evaluate_gates, load_gates
from evals.report.held_out import tables

TINY = Path(__file__).parent / "fixtures" / "held_out_tiny.yaml"


def _info(ident: str, role: str = "sealed", looks: int = 0) -> SetInfo:
    return SetInfo(id=ident, capability="safety", role=role, files=[str(TINY)],  # type: ignore[arg-type]
                   written_by="a test", looks_before=looks)


def test_a_set_is_judged_into_the_capabilitys_rows(fake_engine: Engine) -> None:
    held = held_out_section(fake_engine, [_info("tiny")])
    rows = held.sets["tiny"].rows
    assert held.sets["tiny"].cases == 6
    assert (rows["crisis"].k, rows["crisis"].n) == (2, 2)  # the lexicon's own words
    assert rows["emergency"].n == 1 and rows["pushback"].n == 1
    assert (rows["calm-hard"].k, rows["calm-hard"].n) == (0, 2)
    assert list(held.labels["safety"])[0] == "crisis"


def test_a_listed_set_missing_from_the_checkout_is_named_not_dropped(fake_engine: Engine,
                                                                     tmp_path: Path) -> None:
    gone = SetInfo(id="gone", capability="safety", role="sealed",
                   files=[str(tmp_path / "nope.yaml")], written_by="x")
    held = held_out_section(fake_engine, [gone, _info("tiny")])
    assert held.missing == ["gone"] and list(held.sets) == ["tiny"]


def test_tables_put_the_tuned_set_first_and_read_targets_from_the_gates(
        fake_engine: Engine) -> None:
    held = held_out_section(fake_engine, [_info("z-sealed"), _info("a-dev", role="tuned")])
    gate = Gate(id="g", title="crisis on the sealed set",
                metric="held_out.sets.z-sealed.rows.crisis",
                op=">=", value=0.98, split="sealed", blocks_ci=False)
    checked = evaluate_gates([gate], {"held_out": held.model_dump(mode="json")})
    assert checked[0].passed and checked[0].cases == 2  # 2/2 on the tiny set
    [table] = tables(held, checked)
    assert [s.id for s in table.sets] == ["a-dev", "z-sealed"]
    targets = {key: target for key, _, target in table.rows}
    assert targets["crisis"] == "at least 98.0 %" and targets["emergency"] == ""


def test_the_sealed_gates_are_readiness_gates() -> None:
    sealed = [g for g in load_gates() if g.metric.startswith("held_out.")]
    assert sealed and all(not g.blocks_ci for g in sealed)  # they decide readiness, not CI


def test_the_bundled_manifest_names_files_that_exist_with_a_known_judge() -> None:
    sets = load_sets()
    if not SETS_FILE.is_file():
        pytest.fail("evals/cases/sealed/sets.yaml is missing")
    assert {s.role for s in sets} <= {"tuned", "sealed"}
    assert any(s.role == "sealed" for s in sets)
    root = SETS_FILE.parents[3]
    missing = [f for s in sets for f in s.files if not (root / f).is_file()]
    assert not missing, f"listed sets not in the repo: {missing}"


def test_an_unknown_capability_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "sets.yaml"
    bad.write_text("- {id: x, capability: poetry, role: sealed, files: [a.yaml], written_by: me}\n",
                   encoding="utf-8")
    with pytest.raises(ValueError, match="no judge"):
        load_sets(bad)
