"""Print the safety figures SAFETY.md reports: red-flag and crisis recall, and the
false-escalation rate on the contrast sets.

    make safety-figures        (or: .venv/bin/python tests/safety_figures.py)

Runs every case through the engine's decision path (``Engine.ask``) with the fast hashing
embedder: whether a question escalates, and to which tier, does not depend on the
embedding model (triage runs before retrieval). Three kinds of set are reported apart:

* gated: ``evals/cases/safety/{redflags,crisis,contrast}.yaml``, written with the lexicon;
  100 % recall and 0 false escalations there are release gates (tests/test_triage.py).
* held out / end to end: ``tests/fixtures/bad_input/*.yaml``, including phrasings written
  after the lexicon (cases marked ``known_gap`` are the misses).
* fresh held out: ``tests/fixtures/heldout_fresh.yaml``, written before a lexicon change
  and never tuned on afterwards (its misses are reported, not fixed in the same change).

Intervals are Wilson 95 % (``evals.metrics``, the same as the eval report).
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from bad_input_cases import ALL_CASES, Case

from botcore.config import Settings, force_offline
from botcore.yamlio import read_yaml
from evals.cases import SAFETY_DIR
from evals.metrics import rate

FRESH = Path(__file__).resolve().parent / "fixtures" / "heldout_fresh.yaml"
RANK = {"urgent": 1, "emergency": 2, "crisis": 3}
CATEGORIES_WITH_ESCALATIONS = ("huge", "control", "markup", "unicode", "language", "redflags",
                               "crisis", "jailbreak", "sink")
Counted = tuple[int, int, list[str]]
"""(k, n, the texts that missed or fired)."""


def line(label: str, k: int, n: int, misses: Sequence[str]) -> None:
    r = rate(k, n)
    share = "   n/a" if r.rate is None else f"{r.rate:6.1%}"
    ci = "no cases" if r.lo is None or r.hi is None else f"95% CI {r.lo:.1%}-{r.hi:.1%}"
    print(f"  {label:52} {k:3}/{n:<3} = {share}   ({ci})")
    for miss in misses:
        print(f"      - {miss}")


class Judge:
    """Asks the engine and counts: recall on cases that must escalate (at least to their
    tier), firings on texts that must not."""

    def __init__(self, ask: Callable[[str], tuple[str, str | None]]) -> None:
        self.ask = ask

    def escalates(self, text: str, tier: str) -> bool:
        status, got = self.ask(text)
        return status == "escalated" and RANK[got or "urgent"] >= RANK[tier]

    def recall(self, cases: Sequence[tuple[str, str]]) -> Counted:
        missed = [t for t, tier in cases if not self.escalates(t, tier)]
        return len(cases) - len(missed), len(cases), missed

    def false_escalations(self, texts: Sequence[str]) -> Counted:
        fired = [t for t in texts if self.ask(t)[0] == "escalated"]
        return len(fired), len(texts), fired


def gated(judge: Judge) -> None:
    red = read_yaml(SAFETY_DIR / "redflags.yaml")
    crisis = read_yaml(SAFETY_DIR / "crisis.yaml")
    contrast = read_yaml(SAFETY_DIR / "contrast.yaml")
    print("Gated sets (written with the lexicon; release gates)")
    k, n, m = judge.recall([(c["text"], c["tier"]) for c in red])
    line("red flags (emergency + urgent), tier reached", k, n, m)
    k2, n2, m2 = judge.recall([(c["text"], "crisis") for c in crisis])
    line("crisis", k2, n2, m2)
    line("red flags + crisis", k + k2, n + n2, [])
    k, n, m = judge.false_escalations(contrast)
    line("contrast: false escalations", k, n, m)


def _of(category: str, held_out: bool | None = None) -> list[Case]:
    return [c for c in ALL_CASES if c.category == category
            and (held_out is None or c.id.startswith("held-out-") == held_out)]


def _escalation_cases(cases: Sequence[Case]) -> list[tuple[str, str]]:
    return [(c.text, c.expect["tier"]) for c in cases if c.expect.get("status") == "escalated"]


def bad_input(judge: Judge) -> None:
    print("\nEnd to end, tests/fixtures/bad_input (all categories, engine decision path)")
    tricks = ("huge", "control", "unicode", "markup", "jailbreak", "sink")
    for label, cases in (
            ("red flags as families type them (written first)", _of("redflags", False)),
            ("red flags, held out", _of("redflags", True)),
            ("crisis (written first)", _of("crisis", False)),
            ("crisis, held out", _of("crisis", True)),
            ("Spanish emergencies and crisis", [c for c in _of("language")
                                                if c.id.startswith("es-")]),
            ("escalations in the trick categories (huge, control, unicode, markup, "
             "jailbreak, sink)", [c for cat in tricks for c in _of(cat)])):
        k, n, m = judge.recall(_escalation_cases(cases))
        line(label, k, n, m)
    every = [c for cat in CATEGORIES_WITH_ESCALATIONS for c in _of(cat)]
    k, n, _ = judge.recall(_escalation_cases(every))
    line("ALL expected escalations in bad_input", k, n, [])
    for label, cases in (("contrast (written first)", _of("contrast", False)),
                         ("contrast, held out", _of("contrast", True))):
        k, n, m = judge.false_escalations([c.text for c in cases])
        line(f"{label}: false escalations", k, n, m)
    k, n, _ = judge.false_escalations([c.text for c in _of("contrast")])
    line("ALL contrast: false escalations", k, n, [])


def fresh(judge: Judge) -> None:
    data = read_yaml(FRESH)
    print("\nFresh held out (tests/fixtures/heldout_fresh.yaml; never tuned on)")
    escalate = [(c["text"], c["tier"]) for c in data["escalate"]]
    k, n, m = judge.recall([c for c in escalate if c[1] != "crisis"])
    line("fresh emergencies, tier reached", k, n, m)
    k2, n2, m2 = judge.recall([c for c in escalate if c[1] == "crisis"])
    line("fresh crisis", k2, n2, m2)
    line("fresh emergencies + crisis", k + k2, n + n2, [])
    k, n, m = judge.false_escalations(data["contrast"])
    line("fresh palliative/education: false escalations", k, n, m)


def main() -> int:
    force_offline()
    from botcore.embedder import HashingEmbedder  # noqa: PLC0415 - after force_offline
    from botcore.engine import Engine  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(cache_dir=Path(tmp) / "cache", data_dir=Path(tmp) / "data")
        engine = Engine.load(settings, embedder=HashingEmbedder())

        def ask(text: str) -> tuple[str, str | None]:
            answer = engine.ask(text)
            return answer.status, answer.tier

        judge = Judge(ask)
        gated(judge)
        bad_input(judge)
        fresh(judge)
    return 0


if __name__ == "__main__":
    sys.exit(main())
