"""Names shown for guided topics and situations: interface wording, not clinical text.

One place for both the app and the headless documents (handout, packet).
"""

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
