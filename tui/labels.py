"""Names the app shows for topics and situations (interface wording, not clinical text)."""

from __future__ import annotations

from botcore.labels import SITUATION_NAMES, TOPIC_NAMES

__all__ = ["REASON_HEADINGS", "SITUATION_NAMES", "TIER_HEADINGS", "TOPIC_NAMES"]

TIER_HEADINGS: dict[str, str] = {
    "emergency": "EMERGENCY",
    "crisis": "CRISIS SUPPORT",
    "urgent": "URGENT: CONTACT YOUR CARE TEAM TODAY",
}
"""Headings in words (never colour alone) above the approved safety messages."""

REASON_HEADINGS: dict[str, str] = {
    "out-of-scope": "No approved answer",
    "weak-evidence": "No approved answer",
    "redirect": "A question for your care team",
    "language": "English only",
    "empty": "Nothing was asked",
    "fault": "Cannot answer right now",
}
