"""Names the app shows for topics and situations (interface wording, not clinical text)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from botcore.corpus import GENERAL_LABEL
from botcore.labels import SITUATION_NAMES, TOPIC_NAMES

if TYPE_CHECKING:
    from botcore.corpus import Corpus

__all__ = ["REASON_HEADINGS", "SAFETY_NOTE_HEADINGS", "SITUATION_NAMES", "TIER_HEADINGS",
           "TOPIC_NAMES", "short_source"]

TIER_HEADINGS: dict[str, str] = {
    "emergency": "EMERGENCY",
    "crisis": "CRISIS SUPPORT",
    "urgent": "URGENT: CALL YOUR CARE TEAM",
}
"""Headings in words (never colour alone) above the approved safety messages."""

SAFETY_NOTE_HEADINGS: dict[str, str] = {
    "crisis": "FIRST, CRISIS SUPPORT",
    "emergency": "FIRST, IF THIS IS AN EMERGENCY",
}
"""Headings above the approved resources shown first when a question carries a weaker
crisis or emergency signal (the answer follows below them)."""

REASON_HEADINGS: dict[str, str] = {
    "related": "Closest approved passages (they may not answer your exact question)",
    "out-of-scope": "No approved answer",
    "weak-evidence": "No approved answer",
    "redirect": "A question for your care team",
    "language": "English only",
    "empty": "Nothing was asked",
    "fault": "Cannot answer right now",
}


def short_source(corpus: Corpus, passage_id: str) -> str | None:
    """A passage's sources in short, for a card: "Maniakas et al. 2022 (Background;
    Immunotherapy)". The handout and packet print the full citation."""
    passage = corpus.passages.get(passage_id)
    if passage is None:
        return None
    by_source: dict[str, list[str]] = {}
    general: list[str] = []
    for cite in passage.cites:
        if cite.is_general:  # plain-language guidance, never shown as a review's words
            general.append(cite.guidance or "")
            continue
        source = corpus.sources[cite.source]
        section = source.section(cite.section)
        names = by_source.setdefault(source.short, [])
        name = section.name if section is not None else cite.section
        if name not in names:
            names.append(name)
    parts = [f"{short} ({'; '.join(names)})" for short, names in by_source.items()]
    if general:
        parts.append(f"{GENERAL_LABEL} ({'; '.join(g for g in general if g)})")
    return "; ".join(parts)
