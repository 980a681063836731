"""Print the safety figures SAFETY.md reports: red-flag and crisis recall, and the
false-escalation rate on the contrast sets, over the test fixtures.

    .venv/bin/python tests/safety_figures.py

Runs every case through the engine's decision path (``Engine.ask``) with the fast hashing
embedder: whether a question escalates, and to which tier, does not depend on the
embedding model (triage runs before retrieval). Two kinds of set are reported apart:

* gated: ``tests/fixtures/{redflags,crisis,contrast}.yaml``, written with the lexicon;
  100 % recall and 0 false escalations there are release gates (tests/test_triage.py).
* held out / end to end: ``tests/fixtures/bad_input/*.yaml``, including phrasings written
  after the lexicon (cases marked ``known_gap`` are the misses).
* fresh held out: ``tests/fixtures/heldout_fresh.yaml``, written before a lexicon change
  and never tuned on afterwards (its misses are reported, not fixed in the same change).
"""

from __future__ import annotations

import math
import sys
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from botcore.config import Settings, force_offline  # noqa: E402
from botcore.embedder import HashingEmbedder  # noqa: E402

RANK = {"urgent": 1, "emergency": 2, "crisis": 3}


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if n == 0:
        return math.nan, math.nan
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def line(label: str, k: int, n: int, misses: list[str]) -> None:
    lo, hi = wilson(k, n)
    print(f"  {label:52} {k:3}/{n:<3} = {k / n:6.1%}   (95% CI {lo:.1%}-{hi:.1%})")
    for miss in misses:
        print(f"      - {miss}")


def main() -> int:
    force_offline()
    from test_bad_input import ALL_CASES  # noqa: PLC0415

    from botcore.engine import Engine  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as tmp:
        engine = Engine.load(Settings(cache_dir=Path(tmp) / "cache", data_dir=Path(tmp) / "data"),
                             embedder=HashingEmbedder())

        def escalates(text: str, tier: str) -> bool:
            answer = engine.ask(text)
            return answer.status == "escalated" and RANK[answer.tier or "urgent"] >= RANK[tier]

        def recall(cases: list[tuple[str, str]]) -> tuple[int, int, list[str]]:
            missed = [t for t, tier in cases if not escalates(t, tier)]
            return len(cases) - len(missed), len(cases), missed

        def false_escalations(texts: list[str]) -> tuple[int, int, list[str]]:
            fired = [t for t in texts if engine.ask(t).status == "escalated"]
            return len(fired), len(texts), fired

        fixtures = HERE / "fixtures"
        red = yaml.safe_load((fixtures / "redflags.yaml").read_text(encoding="utf-8"))
        crisis = yaml.safe_load((fixtures / "crisis.yaml").read_text(encoding="utf-8"))
        contrast = yaml.safe_load((fixtures / "contrast.yaml").read_text(encoding="utf-8"))

        print("Gated sets (written with the lexicon; release gates)")
        k, n, m = recall([(c["text"], c["tier"]) for c in red])
        line("red flags (emergency + urgent), tier reached", k, n, m)
        k2, n2, m2 = recall([(c["text"], "crisis") for c in crisis])
        line("crisis", k2, n2, m2)
        line("red flags + crisis", k + k2, n + n2, [])
        k, n, m = false_escalations(contrast)
        line("contrast: false escalations", k, n, m)

        def of(category: str, held_out: bool | None = None) -> list:
            return [c for c in ALL_CASES if c.category == category
                    and (held_out is None or c.id.startswith("held-out-") == held_out)]

        def escalation_cases(cases: list) -> list[tuple[str, str]]:
            return [(c.text, c.expect["tier"]) for c in cases
                    if c.expect.get("status") == "escalated"]

        print("\nEnd to end, tests/fixtures/bad_input (all categories, engine decision path)")
        for label, cases in (
                ("red flags as families type them (written first)", of("redflags", False)),
                ("red flags, held out", of("redflags", True)),
                ("crisis (written first)", of("crisis", False)),
                ("crisis, held out", of("crisis", True)),
                ("Spanish emergencies and crisis", [c for c in of("language")
                                                    if c.id.startswith("es-")]),
                ("escalations in the trick categories (huge, control, unicode, markup, "
                 "jailbreak, sink)", [c for cat in ("huge", "control", "unicode", "markup",
                                                    "jailbreak", "sink") for c in of(cat)])):
            k, n, m = recall(escalation_cases(cases))
            line(label, k, n, m)
        all_red = [c for cat in CATEGORIES_WITH_ESCALATIONS for c in of(cat)]
        k, n, _ = recall(escalation_cases(all_red))
        line("ALL expected escalations in bad_input", k, n, [])
        for label, cases in (("contrast (written first)", of("contrast", False)),
                             ("contrast, held out", of("contrast", True))):
            k, n, m = false_escalations([c.text for c in cases])
            line(f"{label}: false escalations", k, n, m)
        k, n, _ = false_escalations([c.text for c in of("contrast")])
        line("ALL contrast: false escalations", k, n, [])

        fresh = yaml.safe_load((fixtures / "heldout_fresh.yaml").read_text(encoding="utf-8"))
        print("\nFresh held out (tests/fixtures/heldout_fresh.yaml; never tuned on)")
        esc = [(c["text"], c["tier"]) for c in fresh["escalate"]]
        k, n, m = recall([c for c in esc if c[1] != "crisis"])
        line("fresh emergencies, tier reached", k, n, m)
        k2, n2, m2 = recall([c for c in esc if c[1] == "crisis"])
        line("fresh crisis", k2, n2, m2)
        line("fresh emergencies + crisis", k + k2, n + n2, [])
        k, n, m = false_escalations(fresh["contrast"])
        line("fresh palliative/education: false escalations", k, n, m)
    return 0


CATEGORIES_WITH_ESCALATIONS = ("huge", "control", "markup", "unicode", "language", "redflags",
                               "crisis", "jailbreak", "sink")

if __name__ == "__main__":
    sys.exit(main())
