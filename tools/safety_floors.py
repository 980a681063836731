"""The floors and caps that keep the learned stage's overrides off what the repository
gates (issue 10): computed on the final model by ``tools.train_safety``, after the
leave-one-writer-out choice, so no gated question changes tier.

* ``override_floor``: the crisis override stays above every gated emergency (S1);
* ``veto_floor``: the lexicon veto softens no gated emergency (S1);
* ``urgent_floor``: the emergency override sends no gated urgent question to 911;
* ``calm_followup_cap``: ``note_hold`` stays under every calm dev follow-up (round 6).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np

from botcore.sanitize import clean_input, truncate
from botcore.triage import Triage, TriageHit
from botcore.triage import neighbours as nn
from botcore.triage.clauses import screen_texts
from botcore.triage.decision import NEVER_SOFTENED
from botcore.triage.learned import OFFSETS, Linear, SafetyModel, vetoable
from botcore.yamlio import read_yaml
from evals.safety_sets import load_cases
from tools import safety_verifier
from tools.safety_cv import model_of

REPO = Path(__file__).resolve().parent.parent
DEV = REPO / "corpus" / "safety" / "dev.yaml"


def as_queries(texts: Sequence[str]) -> list[str]:
    """What the engine encodes for a question: the cleaned, truncated text."""
    return [truncate(clean_input(t)) for t in texts]


def gated(tier: str = "emergency") -> list[str]:
    """Every question the repository gates or tests at ``tier`` (the eval cases, the
    lexicon's red-flag set, the end-to-end fixtures, the dev split): the crisis override
    and the lexicon veto must leave every emergency at the emergency tier (S1), and the
    emergency override must leave every urgent one urgent (clinicians placed them)."""
    texts = [c["question"] for c in read_yaml(REPO / "evals" / "cases" / "emergency.yaml")
             if isinstance(c.get("question"), str) and c.get("tier") == tier]
    texts += [c["text"] for c in read_yaml(REPO / "evals" / "cases" / "safety" / "redflags.yaml")
              if c.get("tier") == tier]
    for path in sorted((REPO / "tests" / "fixtures" / "bad_input").glob("*.yaml")):
        texts += [c["text"] for c in (read_yaml(path) or {}).get("cases", [])
                  if isinstance(c.get("text"), str)
                  and (c.get("expect") or {}).get("tier") == tier]
    texts += [c.turns[0] for c in load_cases(DEV) if c.expects[0] == tier]
    return list(dict.fromkeys(texts))


def gated_rows(tier: str, triage: Triage, embed: object,
               keep: Callable[[str, TriageHit], bool] | None = None) -> Iterator[np.ndarray]:
    """The vectors (whole question, then its clauses, as the engine scores them) of each
    gated ``tier`` question the lexicon hits at that tier (and ``keep`` keeps): what the
    floors below are computed over."""
    for text in gated(tier):
        hit = triage.screen(text)
        query = as_queries([text])[0]
        if hit is None or hit.tier != tier or not query or (keep and not keep(text, hit)):
            continue
        yield embed.encode(screen_texts(query)).astype(np.float64)  # type: ignore[attr-defined]


def urgent_floor(model: SafetyModel, triage: Triage, embed: object) -> float:
    """Just above the highest learned emergency score (as the engine scores it, offsets
    and all) of a gated urgent question the lexicon hits at the urgent tier."""
    return safety_verifier.floor([model.scores_of(rows).emergency
                                  for rows in gated_rows("urgent", triage, embed)])


def override_floor(screen: Linear, vote: nn.Neighbours, triage: Triage, embed: object) -> float:
    """Just above the highest learned crisis score of a gated emergency the lexicon hits
    at the emergency tier (whole question and clauses, as the engine scores them)."""
    model = model_of({k: 0.0 for k in OFFSETS}, screen, screen, vote)
    return safety_verifier.floor([model.scores_of(rows).crisis
                                  for rows in gated_rows("emergency", triage, embed)])


def veto_floor(model: SafetyModel, triage: Triage, embed: object) -> float:
    """Just above the highest ``lexicon_calm`` reading of a gated emergency the lexicon
    hits at the emergency tier and the veto may read: the veto softens none of them (S1)."""
    def softenable(text: str, hit: TriageHit) -> bool:
        return hit.rule_id not in NEVER_SOFTENED and vetoable(clean_input(text))

    return safety_verifier.floor([model.lexicon_calm(rows, model.scores_of(rows))
                                  for rows in gated_rows("emergency", triage, embed, softenable)])


CONVERSATION_DEV = (REPO / "evals" / "cases" / "conversation" / "conversations.yaml",
                    REPO / "evals" / "cases" / "conversation" / "writer-w1-tune.yaml")
"""The conversation suite's dev cases (ours and writer w1's tune half): their calm
follow-ups cap ``note_hold``."""


def calm_followups() -> list[str]:
    """Every later turn of a dev conversation that expects an answer or a decline."""
    texts: list[str] = []
    for path in CONVERSATION_DEV:
        for item in read_yaml(path) or []:
            if item.get("split", "dev") != "dev" or not isinstance(item.get("turns"), list):
                continue
            texts += [t["text"] for t in item["turns"][1:]
                      if isinstance(t, dict) and t.get("expect") in ("answer", "decline")]
    return list(dict.fromkeys(texts))


def calm_followup_cap(followup: Linear, embed: object) -> float:
    """Just under the lowest release probability of a calm dev follow-up (4 decimals,
    rounded down): after a safety note on a calm question, none of them is held."""
    queries = [q for q in as_queries(calm_followups()) if q]
    if not queries:
        return 0.0
    x = embed.encode(queries).astype(np.float64)  # type: ignore[attr-defined]
    release = [followup.probabilities(v)["release"] for v in x]
    return float(np.floor(min(release) * 1e4) / 1e4)
