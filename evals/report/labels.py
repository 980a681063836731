"""The report's fixed wording and colours: retriever names, retrieval measures and case
kinds as a clinician reads them."""

from __future__ import annotations

SERIES_COLOURS = {"bm25": "#8c6d31", "dense": "#4a7ab5", "hybrid": "#2e7d32", "served": "#7b5ea7"}
MODE_LABELS = {
    "bm25": "BM25 only",
    "dense": "Dense only",
    "hybrid": "Hybrid (the app)",
    "served": "What users were shown",
}
RANKED_MODES = ("bm25", "dense", "hybrid", "served")
"""The rows of a retrieval table: the three retrievers, then what users were shown."""
MEASURES = ("Success@1", "Recall@3", "Recall@5", "MRR@10", "nDCG@10")
CASE_KIND_LABELS = {
    "answerable": "Answerable question",
    "near_miss": "Near miss (should decline)",
    "off_topic": "Off topic (should decline)",
    "emergency": "Emergency",
    "crisis": "Crisis",
    "contrast": "Contrast (must not escalate)",
    "multi_turn": "Conversation (several turns)",
}
"""Eval case kinds (``evals.cases.Kind``); a kind without a label is shown by its id."""
GRADE_LABELS = ("<4", "4\u20136", "6\u20138", "8\u201310", "10\u201312", "12\u201314", "14+")
"""The reading-grade bins of ``evals.figures.content.GRADE_EDGES``."""
