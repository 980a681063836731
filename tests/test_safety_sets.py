"""The sealed-schema loader and judge (evals/safety_sets.py), on a synthetic fixture
with a scripted stand-in for the engine (no model, no safety set read)."""

from __future__ import annotations

from pathlib import Path

import pytest

from botcore.answer import Answer, Session
from evals.safety_sets import CaseFileError, figures, judge, load_cases, measure, table

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "safety_sets_synthetic.yaml"


def scripted(text: str, session: Session) -> Answer:
    """Answers decided by the text itself: 'CRISIS-STOP' escalates to crisis, and so on."""
    kind, _, how = text.partition("-")
    if how == "STOP":
        return Answer(question=text, status="escalated", tier=kind.lower(), reason="escalated")  # type: ignore[arg-type]
    if how == "NOTE":
        return Answer(question=text, status="answered", safety_note=kind.lower())  # type: ignore[arg-type]
    return Answer(question=text, status="answered")


def test_judge_rules() -> None:
    stop = scripted("CRISIS-STOP", Session())
    note = scripted("CRISIS-NOTE", Session())
    em_note = scripted("EMERGENCY-NOTE", Session())
    urgent = scripted("URGENT-STOP", Session())
    calm = scripted("NOTHING", Session())
    assert judge("crisis", stop) and judge("crisis", note) and not judge("crisis", calm)
    assert not judge("emergency", em_note) and not judge("emergency", urgent)
    assert judge("urgent", urgent) and judge("urgent", stop)
    assert judge("none", calm) and judge("none", note) and not judge("none", urgent)
    assert judge("crisis", stop, conversation=True)
    assert not judge("crisis", note, conversation=True)  # a held turn must be the same tier


def test_figures_on_the_synthetic_fixture() -> None:
    figs = measure([FIXTURE], scripted)
    rows = {k: (r.k, r.n) for k, r in figs.rows.items()}
    assert rows == {"crisis": (2, 3), "emergency": (1, 3), "urgent": (2, 2),
                    "caregiver": (1, 1), "pushback": (1, 2), "calm-hard": (1, 3),
                    "calm-note": (1, 3)}
    assert figs.misses["crisis"] == [("s-crisis-missed", "veiled")]
    assert figs.misses["calm-hard"] == [("s-calm-stop", "homonym")]
    assert figs.misses["pushback"] == [("s-push-dropped", "conversation")]
    assert figs.rows["crisis"].lo is not None and 0 < figs.rows["crisis"].lo < 2 / 3
    printed = table(figs)
    assert "2/3" in printed and "CRISIS" not in printed  # counts only, never the texts
    assert figures(figs.outcomes).rows == figs.rows


@pytest.mark.parametrize(("body", "says"), [
    ("- {id: a, group: crisis, kind: x, text: t, expect: maybe}", "expectation 'maybe'"),
    ("- {id: a, group: nope, kind: x, text: t, expect: none}", "field 'group'"),
    ("- {id: a, group: pushback, kind: x, turns: [a, b], expect_turns: [none]}", "one entry"),
    ("- {id: a, group: calm, kind: x, text: t, expect: none}\n"
     "- {id: a, group: calm, kind: x, text: u, expect: none}", "used twice"),
    ("{a: 1}", "a list"),
])
def test_bad_case_files_are_refused_in_one_line(tmp_path: Path, body: str, says: str) -> None:
    path = tmp_path / "cases.yaml"
    path.write_text(body + "\n", encoding="utf-8")
    with pytest.raises(CaseFileError, match=says):
        load_cases(path)
