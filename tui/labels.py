"""Names the app shows for topics and situations (interface wording, not clinical text)."""

from __future__ import annotations

TOPIC_NAMES: dict[str, str] = {
    "understanding": "Understanding the diagnosis",
    "treatment": "Treatment options",
    "airway": "Breathing and tracheostomy",
    "planning": "Planning ahead",
}
"""The four guided journeys, in the order they are offered."""

SITUATION_NAMES: dict[str, str] = {
    "stage-iva": "Stage IVA",
    "stage-ivb": "Stage IVB",
    "stage-ivc": "Stage IVC",
    "braf-v600e": "BRAF V600E mutation found",
    "braf-negative": "No BRAF V600E mutation",
    "trach": "Has a tracheostomy",
    "no-trach": "No tracheostomy",
}

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
