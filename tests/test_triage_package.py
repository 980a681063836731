"""The triage package's layout: its public names, and that the fast paths are in use.

The pre-checks are an optimisation that must never change a result (test_triage.py
switches them off and compares); this file checks the other half: that they are really
on, so a broken pre-check that silently falls back to scanning every regex is caught.
"""

from __future__ import annotations

from pathlib import Path

import botcore.triage as triage_package
from botcore.triage import Triage, load_lexicon

LEXICON_PATH = Path(__file__).resolve().parent.parent / "corpus" / "triage.yaml"


def test_public_names_are_exported() -> None:
    for name in ("Triage", "TriageHit", "ScopeHit", "Lexicon", "load_lexicon",
                 "parse_lexicon", "lexicon_text", "TIER_RANK", "check_pattern", "expand"):
        assert name in triage_package.__all__, name
        assert getattr(triage_package, name) is not None


def test_most_alternatives_have_a_cheap_skip() -> None:
    triage = Triage(load_lexicon(LEXICON_PATH))
    compiled = [c for tier in triage._tiers.values() for m, _ in tier for c in m.patterns]
    with_heads = sum(c.heads is not None for c in compiled)
    skippable = sum(c.heads is not None or c.needles is not None for c in compiled)
    assert len(compiled) > 300
    assert with_heads >= 0.8 * len(compiled)
    assert skippable >= 0.9 * len(compiled)
