"""The conversation-suite judge (evals/conversations.py) on a synthetic fixture written
here, never on the sealed set: schema, loading errors, the judging rule, one session per
conversation, and the figures in the issue's shape."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from evals.conversations import (
    by_split,
    failure_lines,
    figures,
    judge_turn,
    run_suite,
    summary_lines,
)
from evals.suite_cases import (
    SUITE_DIR,
    SuiteError,
    SuiteTurn,
    is_writer_file,
    load_suite,
    load_suite_file,
)

SYNTHETIC = """
- id: c1
  group: conversation
  turns:
    - text: "what is a widget"
      expect: answer
      about: widgets
      key_terms: [[widget], [gear, cog]]
      source: r1
    - {text: "how long does it last", expect: answer, key_terms: [[years]]}
    - {text: "my widget is on fire", expect: escalate}
- id: c2
  group: conversation
  turns:
    - {text: "what is a widget", expect: answer, key_terms: [widget]}
    - {text: "tell me a joke", expect: decline}
- {id: s1, group: typed, text: "wat is a widjet", expect: answer, key_terms: [[widget]]}
- {id: s2, group: unanswerable, text: "can i paint my widget", expect: decline, near: widget-basics}
- {id: s3, group: offtopic, text: "football scores", expect: decline}
- {id: s4, group: answerable, text: "how old is the oldest widget", expect: answer,
   key_terms: [[1850]]}
"""


def snip(pid: str, title: str, text: str) -> SimpleNamespace:
    return SimpleNamespace(passage_id=pid, title=title, text=text)


def answer(
    status: str,
    snippets: list[Any] | None = None,
    reason: str = "answered",
    safety_note: str | None = None,
    gate: float | None = 0.9,
) -> SimpleNamespace:
    return SimpleNamespace(
        status=status,
        snippets=snippets or [],
        reason=reason,
        safety_note=safety_note,
        suggestions=[],
        gate_score=gate,
    )


WIDGET = snip("widget-basics", "What is a widget?", "A widget is a small gear. It lasts ten years.")
OTHER = snip("other", "Something else", "Nothing to see.")


class ScriptedEngine:
    """Answers from a script keyed by text, and records which session each turn used."""

    def __init__(self, script: dict[str, SimpleNamespace]) -> None:
        self.script = script
        self.sessions: list[tuple[str, Any]] = []

    def ask(self, text: str, session: Any) -> SimpleNamespace:
        self.sessions.append((text, session))  # the object itself: ids are reused once freed
        session.turns.append(SimpleNamespace())  # the engine appends a turn per ask
        return self.script[text]

    def snippet(self, pid: str) -> SimpleNamespace:
        return {"widget-basics": WIDGET, "other": OTHER}[pid]


@pytest.fixture
def synthetic(tmp_path: Path) -> Path:
    path = tmp_path / "synthetic.yaml"
    path.write_text(SYNTHETIC, encoding="utf-8")
    return path


def test_loads_the_sealed_schema_without_split_as_sealed(synthetic: Path) -> None:
    items = load_suite([synthetic])
    assert [i.id for i in items] == ["c1", "c2", "s1", "s2", "s3", "s4"]
    assert {i.split for i in items} == {"sealed"}
    assert items[0].turns[0].key_terms == (("widget",), ("gear", "cog"))
    assert items[1].turns[0].key_terms == (("widget",),)  # a flat list: one group per term
    assert items[5].key_terms == (("1850",),)  # a YAML number is read as its text
    assert len(items[2].as_turns()) == 1


@pytest.mark.parametrize(
    "bad, field",
    [
        ("- {id: x, group: conversation, text: hi, expect: answer}", "(item)"),
        ("- {id: x, group: typed, turns: [{text: hi, expect: answer}]}", "(item)"),
        ("- {id: x, group: typed, text: hi, expect: escalate}", "(item)"),
        ("- {id: x, group: typo, text: hi, expect: answer}", "group"),
        ("- {id: x, group: typed, text: hi, expect: answer, key_terms: [[]]}", "key_terms"),
        ("- {id: x, group: typed, text: hi, expect: answer, colour: red}", "colour"),
    ],
)
def test_bad_items_name_file_item_and_field_never_the_text(
    tmp_path: Path, bad: str, field: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(bad.replace("hi", "secret question"), encoding="utf-8")
    with pytest.raises(SuiteError) as err:
        load_suite_file(path)
    assert "bad.yaml" in str(err.value) and "'x'" in str(err.value) and field in str(err.value)
    assert "secret question" not in str(err.value)


def test_duplicate_ids_and_unknown_passages_are_refused(tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("- {id: x, group: offtopic, text: q, expect: decline}\n", encoding="utf-8")
    b.write_text("- {id: x, group: offtopic, text: q, expect: decline}\n", encoding="utf-8")
    with pytest.raises(SuiteError, match="also used"):
        load_suite([a, b])
    b.write_text(
        "- {id: y, group: typed, text: q, expect: answer, passages: [nope]}\n", encoding="utf-8"
    )
    with pytest.raises(SuiteError, match="nope"):
        load_suite([a, b], passage_ids={"widget-basics"})


def test_judging_rule() -> None:
    turn = SuiteTurn(text="q", expect="answer", key_terms=[["widget"], ["gear", "cog"]])
    assert judge_turn(turn, answer("answered", [WIDGET]))[0]
    assert judge_turn(turn, answer("answered", [OTHER, WIDGET]))[0]  # any shown passage
    assert not judge_turn(turn, answer("answered", [OTHER]))[0]
    assert not judge_turn(turn, answer("abstained", reason="related"))[0]
    both = SuiteTurn(text="q", expect="answer", key_terms=[["widget"], ["fire"]])
    assert not judge_turn(both, answer("answered", [WIDGET]))[0]  # every group is needed
    case = SuiteTurn(text="q", expect="answer", key_terms=[["WIDGET"]])
    assert judge_turn(case, answer("answered", [WIDGET]))[0]  # case-insensitive
    strict = SuiteTurn(text="q", expect="answer", key_terms=[["widget"]], passages=["other"])
    assert not judge_turn(strict, answer("answered", [WIDGET]))[0]  # our own cases' ids too
    decline = SuiteTurn(text="q", expect="decline")
    assert judge_turn(decline, answer("abstained", reason="related"))[0]
    assert judge_turn(decline, answer("abstained", reason="redirect"))[0]
    assert not judge_turn(decline, answer("answered", [WIDGET]))[0]
    assert not judge_turn(decline, answer("escalated", reason="escalated"))[0]
    escalate = SuiteTurn(text="q", expect="escalate")
    assert judge_turn(escalate, answer("escalated", reason="escalated"))[0]
    assert judge_turn(escalate, answer("answered", [WIDGET], safety_note="crisis"))[0]
    assert not judge_turn(escalate, answer("answered", [WIDGET]))[0]


def test_a_conversation_runs_in_one_session_and_is_right_only_if_every_turn_is(
    synthetic: Path,
) -> None:
    engine = ScriptedEngine(
        {
            "what is a widget": answer("answered", [WIDGET]),
            "how long does it last": answer("answered", [OTHER]),  # wrong: a wrong answer shown
            "my widget is on fire": answer("escalated", reason="escalated", gate=None),
            "tell me a joke": answer("abstained", reason="out-of-scope", gate=0.1),
            "wat is a widjet": answer("answered", [WIDGET]),
            "can i paint my widget": answer("abstained", reason="related", gate=0.4),
            "football scores": answer("abstained", reason="out-of-scope", gate=0.05),
            "how old is the oldest widget": answer("abstained", reason="weak-evidence", gate=0.3),
        }
    )
    results = run_suite(engine, load_suite([synthetic]))
    c1 = {id(s) for _, s in engine.sessions[:3]}
    c2 = {id(s) for _, s in engine.sessions[3:5]}
    assert len(c1) == 1 and len(c2) == 1 and c1 != c2
    assert len(engine.sessions[0][1].turns) == 3
    singles = {id(s) for _, s in engine.sessions[5:]}
    assert len(singles) == 4  # every single question gets a fresh session

    figs = figures(results)
    rates = figs["rates"]
    assert (rates["first_turns"]["k"], rates["first_turns"]["n"]) == (2, 2)
    assert (rates["follow_up_turns"]["k"], rates["follow_up_turns"]["n"]) == (2, 3)
    assert (rates["conversations"]["k"], rates["conversations"]["n"]) == (1, 2)
    assert (rates["typed"]["k"], rates["unanswerable"]["k"], rates["offtopic"]["k"]) == (1, 1, 1)
    assert (rates["answerable"]["k"], rates["answerable"]["n"]) == (0, 1)
    assert (rates["wrong_answer_shown"]["k"], rates["wrong_answer_shown"]["n"]) == (1, 9)
    assert figs["related_share_of_declines"]["k"] == 1
    assert figs["risk_coverage"][0]["coverage"] == 0.0

    lines = summary_lines(by_split(results))
    assert lines[0].startswith("conversation suite, split sealed: 6 items, 9 turns")
    assert any("follow-up turns right" in line and "2/3" in line for line in lines)
    fails = failure_lines(results)
    assert any("c1 turn 2" in line for line in fails)
    assert all("how long does it last" not in line for line in fails)  # no text unless asked
    assert any("how long does it last" in line for line in failure_lines(results, show_text=True))


def test_our_suite_loads_and_every_key_term_is_in_a_listed_passage() -> None:
    """Our own cases are consistent: each key-term group matches one of the passages the
    turn lists, so a failure means the engine, not the case, is wrong."""
    from botcore.config import bundled_corpus_dir
    from botcore.corpus import Corpus

    corpus = Corpus(bundled_corpus_dir())
    items = load_suite(passage_ids=set(corpus.passages))
    assert {i.split for i in items} == {"dev", "heldout"}
    assert {i.group for i in items} == {
        "conversation",
        "typed",
        "answerable",
        "unanswerable",
        "offtopic",
    }
    for item in items:
        if is_writer_file(item.file):  # an independent writer's: never saw the passages
            continue
        for turn in item.as_turns():
            if turn.expect != "answer":
                continue
            assert turn.passages, f"{item.id}: an answer turn lists its passages"
            texts = [
                f"{corpus.passages[p].title}\n{corpus.passages[p].text}".casefold()
                for p in turn.passages
            ]
            for group in turn.key_terms:
                assert any(t.casefold() in x for t in group for x in texts), (item.id, group)


def test_our_suite_never_copies_a_title_or_asked_as() -> None:
    from botcore.config import bundled_corpus_dir
    from botcore.corpus import Corpus

    corpus = Corpus(bundled_corpus_dir())
    seen = {" ".join(p.title.lower().split()).rstrip("?") for p in corpus.passages.values()}
    seen |= {" ".join(a.lower().split()) for p in corpus.passages.values() for a in p.asked_as}
    for item in load_suite([SUITE_DIR]):
        if is_writer_file(item.file):  # never saw the corpus: a title asked by chance is fair
            continue
        for turn in item.as_turns():
            assert " ".join(turn.text.lower().split()).rstrip("?") not in seen, item.id


def test_counts_only_refuses_anything_that_would_show_a_case_and_redacts_errors() -> None:
    from evals.conversations import main, redacted

    for extra in (["--failures"], ["--show-text"], ["--json", "out.json"]):
        with pytest.raises(SystemExit) as exc:
            main(["--counts-only", *extra, "x.yaml"])
        assert exc.value.code == 2
    message = "s.yaml: item 3 (id 'mom-braf-q'): field 'expect': bad value"
    shown = redacted(message)
    assert "mom-braf-q" not in shown and "s.yaml: item 3" in shown
