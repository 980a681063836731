"""Write the in-repo sets that issue 10 did not tune on in the sealed schema.

    .venv/bin/python -m evals.safety_untuned OUT.yaml
    .venv/bin/python -m evals.safety_sets OUT.yaml

The fresh held-out fixture (``tests/fixtures/heldout_fresh.yaml``) and the held-out split of
``evals/cases/{crisis,emergency,contrast}.yaml``: 68 cases, none used to train or tune the
safety screen of issue 10 (both were written with or against the earlier lexicon).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import yaml

from botcore.yamlio import read_yaml

REPO = Path(__file__).resolve().parent.parent


def cases() -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    fresh = read_yaml(REPO / "tests" / "fixtures" / "heldout_fresh.yaml")
    for i, c in enumerate(fresh["escalate"]):
        group = c["tier"] if c["tier"] in ("crisis", "emergency") else "urgent"
        out.append({"id": f"fresh-esc-{i}", "group": group, "kind": "heldout-fresh",
                    "text": c["text"], "expect": c["tier"]})
    for i, text in enumerate(fresh["contrast"]):
        out.append({"id": f"fresh-calm-{i}", "group": "calm", "kind": "heldout-fresh",
                    "text": text, "expect": "none"})
    for name in ("crisis", "emergency", "contrast"):
        for c in read_yaml(REPO / "evals" / "cases" / f"{name}.yaml"):
            if c.get("split") != "heldout" or "question" not in c:
                continue
            tiers = c.get("tier") if isinstance(c.get("tier"), list) else [c.get("tier")]
            group = {"contrast": "calm", "crisis": "crisis"}.get(
                name, "urgent" if "urgent" in tiers else "emergency")
            expect = "none" if group == "calm" else group
            out.append({"id": f"evals-{c['id']}", "group": group, "kind": "evals-heldout",
                        "text": c["question"], "expect": expect})
    return out


def main(argv: Sequence[str] | None = None) -> int:
    args = list(argv if argv is not None else sys.argv[1:])
    if len(args) != 1:
        print("usage: python -m evals.safety_untuned OUT.yaml", file=sys.stderr)
        return 2
    Path(args[0]).write_text(yaml.safe_dump(cases(), sort_keys=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
