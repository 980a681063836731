"""A fingerprint of every answer the engine gives on the eval cases: the check that a speed
change changed no behaviour (issue 13: "behaviour-identical changes only").

    .venv/bin/python -m tools.answers_fingerprint [--cache DIR] [--data DIR] [--out FILE]

Runs, on one engine, in a fixed order:

* every eval case of ``evals/cases/*.yaml`` and ``evals/cases/safety/`` (``load_cases``):
  its final question alone, without a session (what the warm benchmark times), then the
  whole case in one fresh session (earlier turns first);
* every conversation-suite item of ``evals/cases/conversation/`` and of the dev
  conversation sets A-F in ``evals/cases/sealed/`` (``conv-A.yaml`` .. ``conv-F.yaml``),
  each in a fresh session;
* every case of the dev safety sets E and F, each in a fresh session: read from
  ``corpus/safety/writers/sE/cases.yaml`` (``sF``), where main is moving them, or else from
  ``evals/cases/sealed/safety-E.yaml`` (``-F``).

Only those named sets are opened: never a sealed one (G, H, I or any later letter), found
by name only, so a set added to the folder is never read by accident. Each answer becomes a
canonical JSON record: status, tier, safety note, message id, reason, the shown passage
ids in order, the suggestions, what was considered, the subject, the searched text and
the noted situations (the ``core`` hash; the figure that must not move), and, in the
``full`` hash, also the gate score, each snippet's score and the decision's evidence,
floats written exactly (``repr``). Prints both SHA-256 hashes and the number of answers;
``--out`` writes the records (one JSON line each) for a diff. No text of any sealed
case is printed. Run it from the tree to fingerprint (``PYTHONPATH`` first, like
``evals/bench_warm.py``) to compare two checkouts.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SEALED = REPO / "evals" / "cases" / "sealed"
WRITERS = REPO / "corpus" / "safety" / "writers"
DEV_CONVERSATION = ("A", "B", "C", "D", "E", "F")
"""The conversation sets that are dev data (session 9): run freely. Nothing else is read."""
DEV_SAFETY = ("E", "F")
"""The retired safety sets fingerprinted (G is a training writer too, but was sealed)."""


def _record(answer: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    core = {
        "status": answer.status, "tier": answer.tier, "safety_note": answer.safety_note,
        "message_id": answer.message_id, "reason": answer.reason,
        "passages": [s.passage_id for s in answer.snippets],
        "suggestions": list(answer.suggestions), "considered": list(answer.considered),
        "subject": list(answer.subject), "searched": answer.searched,
        "noted": list(answer.noted),
    }
    full = {**core, "gate_score": repr(answer.gate_score),
            "scores": [repr(s.score) for s in answer.snippets],
            "evidence": {k: repr(v) for k, v in sorted(answer.evidence.items())}}
    return core, full


def conversation_files(sealed: Path = SEALED) -> list[Path]:
    """The dev conversation sets, by name (never a glob: no sealed set is ever opened)."""
    return [sealed / f"conv-{s}.yaml" for s in DEV_CONVERSATION
            if (sealed / f"conv-{s}.yaml").is_file()]


def safety_files(sealed: Path = SEALED, writers: Path = WRITERS) -> list[tuple[str, Path]]:
    """(label, file) of the dev safety sets E and F, from the writers' folder where main
    keeps them now, else from the sealed folder where they were; the label is the old
    file stem either way, so both locations give the same fingerprint."""
    found = []
    for s in DEV_SAFETY:
        for path in (writers / f"s{s}" / "cases.yaml", sealed / f"safety-{s}.yaml"):
            if path.is_file():
                found.append((f"safety-{s}", path))
                break
    return found


def conversations() -> Iterator[tuple[str, tuple[str, ...]]]:
    """(label, turns) of every run, in a fixed order; the label never holds sealed text."""
    from evals.cases import load_cases  # noqa: PLC0415
    from evals.safety_sets import load_cases as load_safety  # noqa: PLC0415
    from evals.suite_cases import SUITE_DIR, load_suite, load_suite_file  # noqa: PLC0415

    cases = load_cases()
    for case in cases:
        yield f"single:{case.id}", (case.final_question,)
    for case in cases:
        yield f"case:{case.id}", (*case.earlier_turns, case.final_question)
    for item in load_suite([SUITE_DIR]):
        yield f"suite:{item.id}", tuple(t.text for t in item.as_turns())
    for path in conversation_files():
        for item in load_suite_file(path):
            yield f"{path.stem}:{item.id}", tuple(t.text for t in item.as_turns())
    for stem, path in safety_files():
        for safety_case in load_safety(path):
            yield f"{stem}:{safety_case.id}", safety_case.turns


def fingerprint(cache: Path, data: Path, out: Path | None) -> dict[str, Any]:
    from botcore.answer import Session  # noqa: PLC0415
    from botcore.config import Settings  # noqa: PLC0415
    from botcore.engine import Engine  # noqa: PLC0415

    engine = Engine.load(Settings(cache_dir=cache, data_dir=data))
    core, full = hashlib.sha256(), hashlib.sha256()
    answers = runs = 0
    lines: list[str] = []
    for label, turns in conversations():
        session = Session()
        runs += 1
        for n, text in enumerate(turns):
            c, f = _record(engine.ask(text, session))
            c_line = json.dumps([label, n, c], sort_keys=True, ensure_ascii=True)
            f_line = json.dumps([label, n, f], sort_keys=True, ensure_ascii=True)
            core.update(c_line.encode() + b"\n")
            full.update(f_line.encode() + b"\n")
            lines.append(f_line)
            answers += 1
    if out is not None:
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"runs": runs, "answers": answers, "core": core.hexdigest(), "full": full.hexdigest()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=None, help="cache folder (default: new)")
    parser.add_argument("--data", type=Path, default=None, help="data folder (default: new)")
    parser.add_argument("--out", type=Path, default=None, help="write the records here")
    args = parser.parse_args(argv)
    from botcore.config import force_offline  # noqa: PLC0415

    force_offline()
    work = Path(tempfile.mkdtemp(prefix="atc-guide-fingerprint-"))
    got = fingerprint(args.cache or work / "cache", args.data or work / "data", args.out)
    print(json.dumps(got))
    return 0


if __name__ == "__main__":
    sys.exit(main())
