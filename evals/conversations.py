"""The conversation suite: multi-turn conversations and single questions, judged turn by
turn, with conversation-level accuracy and a "wrong answer shown" rate.

    python -m evals.conversations                    # our dev + heldout cases, by split
    python -m evals.conversations /path/sealed.yaml  # any file in the same schema (sealed)
    python -m evals.conversations --failures         # also list what failed (ids and why)
    python -m evals.conversations --counts-only /path/sealed/cases.yaml   # the sealed run

A conversation is asked through ONE ``Session``, turn by turn, exactly as the app asks it;
every single question gets a fresh session. Judging (the rule the sealed set is written
for): expect *answer* -> status answered and every ``key_terms`` group has a term
(case-insensitive substring) in the title or text of a shown passage (and, for our own
cases that list ``passages``, a shown passage is one of them); *decline* -> status
abstained, any reason ("related, not an answer" included); *escalate* -> status escalated,
or a safety note shown above the answer. A conversation is right when every turn is.

Printing never shows a question's text unless ``--show-text`` is given. ``--counts-only``
(for a sealed set) prints the figures and nothing else: no ids, no reasons, no text, and a
file that fails to load is named with its item number only (never an id).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from evals import metrics as M
from evals.results import GATE_REASONS
from evals.suite_cases import SuiteError, SuiteItem, SuiteTurn, load_suite


@dataclass
class TurnResult:
    item: str
    group: str
    split: str
    index: int
    expect: str
    status: str = ""
    reason: str = ""
    shown: list[str] = field(default_factory=list)
    suggestions: int = 0
    ok: bool = False
    why: str = ""
    would_be_right: bool | None = None
    """Whether the passages the decision considered would have been a right answer."""
    score: float | None = None
    """The answerability score the engine's decision used (None: no gate ran)."""
    text: str = ""

    @property
    def wrong_answer_shown(self) -> bool:
        """Answered, with passages that do not answer (or where it should not answer)."""
        return self.status == "answered" and not self.ok

    @property
    def reaches_gate(self) -> bool:
        return self.status == "answered" or (
            self.status == "abstained" and self.reason in GATE_REASONS
        )


def snippet_matches(turn: SuiteTurn, snippets: Sequence[tuple[str, str, str]]) -> bool:
    """The answer rule on ``(passage_id, title, text)`` triples."""
    if not snippets:
        return False
    haystacks = [f"{title}\n{text}".casefold() for _, title, text in snippets]
    for group in turn.key_terms:
        if not any(term.casefold() in h for term in group for h in haystacks):
            return False
    return not turn.passages or any(pid in turn.passages for pid, _, _ in snippets)


def judge_turn(turn: SuiteTurn, answer: Any) -> tuple[bool, str]:
    """Right or wrong, and why in a few words (no question text)."""
    status = answer.status
    if turn.expect == "escalate":
        ok = status == "escalated" or getattr(answer, "safety_note", None) is not None
        return ok, "" if ok else f"{status} ({answer.reason}); should escalate"
    if turn.expect == "decline":
        ok = status == "abstained"
        shown = ", ".join(s.passage_id for s in answer.snippets)
        return ok, "" if ok else f"{status} ({shown or answer.reason}); should decline"
    if status != "answered":
        return False, f"{status} ({answer.reason}); should answer"
    triples = [(s.passage_id, s.title, s.text) for s in answer.snippets]
    if snippet_matches(turn, triples):
        return True, ""
    return False, f"answered with {', '.join(p for p, _, _ in triples)}; not what answers it"


def _would_be_right(engine: Any, turn: SuiteTurn, answer: Any) -> bool | None:
    considered = list(getattr(answer, "considered", ()) or [s.passage_id for s in answer.snippets])
    if turn.expect != "answer":
        return False if considered else None
    if not considered:
        return None
    triples = []
    for pid in considered:
        snip = engine.snippet(pid)
        triples.append((pid, snip.title, snip.text))
    return snippet_matches(turn, triples)


def run_item(engine: Any, item: SuiteItem) -> list[TurnResult]:
    from botcore.answer import Session  # noqa: PLC0415

    session = Session()
    out = []
    for index, turn in enumerate(item.as_turns()):
        answer = engine.ask(turn.text, session)
        ok, why = judge_turn(turn, answer)
        score = (
            answer.gate_score
            if answer.gate_score is not None and math.isfinite(answer.gate_score)
            else None
        )
        out.append(
            TurnResult(
                item=item.id,
                group=item.group,
                split=item.split,
                index=index,
                expect=turn.expect,
                status=answer.status,
                reason=answer.reason,
                shown=[s.passage_id for s in answer.snippets],
                suggestions=len(answer.suggestions),
                ok=ok,
                why=why,
                would_be_right=_would_be_right(engine, turn, answer),
                score=score,
                text=turn.text,
            )
        )
    return out


def run_suite(
    engine: Any, items: Iterable[SuiteItem], progress: Callable[[int, int], None] | None = None
) -> list[TurnResult]:
    items = list(items)
    results: list[TurnResult] = []
    for n, item in enumerate(items, start=1):
        results.extend(run_item(engine, item))
        if progress:
            progress(n, len(items))
    return results


# -- figures ------------------------------------------------------------------------------------
FIGURES = (
    ("first_turns", "conversations: first turns right"),
    ("follow_up_turns", "conversations: follow-up turns right"),
    ("conversations", "conversations right from start to end"),
    ("typed", "single questions typed as families type them: right"),
    ("answerable", "questions the reviews answer: answered right"),
    ("unanswerable", "questions the reviews do not answer: declined or related"),
    ("offtopic", "off-topic questions declined"),
    (
        "wrong_answer_shown",
        "wrong answer shown (answered with passages that do not answer; a ceiling)",
    ),
)


def figures(results: Sequence[TurnResult]) -> dict[str, Any]:
    """The issue's figures, each a Wilson-interval rate, plus the risk-coverage curve."""
    conv = [r for r in results if r.group == "conversation"]
    by_conv: dict[str, list[TurnResult]] = {}
    for r in conv:
        by_conv.setdefault(r.item, []).append(r)
    singles = {
        g: [r for r in results if r.group == g]
        for g in ("typed", "answerable", "unanswerable", "offtopic")
    }
    rates = {
        "first_turns": M.rate_of(r.ok for r in conv if r.index == 0),
        "follow_up_turns": M.rate_of(r.ok for r in conv if r.index > 0),
        "conversations": M.rate_of(all(t.ok for t in turns) for turns in by_conv.values()),
        **{g: M.rate_of(r.ok for r in rs) for g, rs in singles.items()},
        "wrong_answer_shown": M.rate_of(r.wrong_answer_shown for r in results),
    }
    declined = [r for r in results if r.status == "abstained" and r.expect == "decline"]
    gate_items = [
        M.GateItem(r.score, r.reaches_gate, bool(r.would_be_right) and r.expect == "answer")
        for r in results
        if r.expect != "escalate"
    ]
    curve = M.risk_coverage(gate_items)
    return {
        "rates": {k: v.as_dict() for k, v in rates.items()},
        "text": {k: v.text() for k, v in rates.items()},
        "turns": len(results),
        "items": len(by_conv) + sum(len(v) for v in singles.values()),
        "related_share_of_declines": M.rate_of(r.reason == "related" for r in declined).as_dict(),
        "risk_coverage": [asdict(p) for p in curve],
        "aurc": M.aurc(curve),
    }


def by_split(results: Sequence[TurnResult]) -> dict[str, dict[str, Any]]:
    splits = sorted({r.split for r in results})
    return {s: figures([r for r in results if r.split == s]) for s in splits}


def summary_lines(report: dict[str, dict[str, Any]]) -> list[str]:
    lines = []
    for split, figs in report.items():
        lines.append(
            f"conversation suite, split {split}: {figs['items']} items, {figs['turns']} turns"
        )
        for key, label in FIGURES:
            lines.append(f"  {label:<86} {figs['text'][key]}")
        aurc = figs["aurc"]
        lines.append(
            f"  {'area under the risk-coverage curve (lower is better)':<86} "
            f"{'n/a' if aurc is None else f'{aurc:.3f}'}"
        )
    return lines


def failure_lines(results: Sequence[TurnResult], show_text: bool = False) -> list[str]:
    lines = []
    for r in results:
        if not r.ok:
            said = f"  \u00ab{r.text}\u00bb" if show_text else ""
            lines.append(
                f"  FAIL {r.split:<7} {r.item} turn {r.index + 1} ({r.expect}): {r.why}{said}"
            )
    return lines


_ID_IN_ERROR = re.compile(r"(?:\(id '[^']*'\)|'[^']*')")


def redacted(message: str) -> str:
    """A load error with every quoted id or value removed (file, item number and field stay)."""
    return _ID_IN_ERROR.sub("(withheld)", message)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m evals.conversations", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "paths", nargs="*", type=Path, help="suite files or folders (default: ours)"
    )
    parser.add_argument("--split", help="only this split (dev, heldout, sealed)")
    parser.add_argument("--failures", action="store_true", help="list failed turns (ids and why)")
    parser.add_argument(
        "--show-text", action="store_true", help="with --failures: the question text too"
    )
    parser.add_argument("--json", type=Path, help="write every figure and turn result here")
    parser.add_argument("--counts-only", action="store_true",
                        help="figures only: no ids, reasons or text (for a sealed set)")
    args = parser.parse_args(argv)
    if args.counts_only and (args.failures or args.show_text or args.json):
        parser.error("--counts-only prints figures only: drop --failures, --show-text, --json")

    from botcore.config import Settings, force_offline  # noqa: PLC0415

    force_offline()
    from botcore.engine import Engine  # noqa: PLC0415

    engine = Engine.load(Settings())
    try:
        items = load_suite(args.paths or None, passage_ids=set(engine.corpus.passages))
    except (SuiteError, OSError) as exc:
        print(f"error: {redacted(str(exc)) if args.counts_only else exc}", file=sys.stderr)
        return 2
    if args.split:
        items = [i for i in items if i.split == args.split]
    results = run_suite(engine, items)
    report = by_split(results)
    print("\n".join(summary_lines(report)))
    if args.failures:
        print("\n".join(failure_lines(results, args.show_text)) or "  no failures")
    if args.json:
        rows = [{**asdict(r), "text": r.text if args.show_text else ""} for r in results]
        args.json.write_text(
            json.dumps({"figures": report, "turns": rows}, indent=2, default=str), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
