"""What ``Engine.load`` did, for the CLI's ``index`` line, the app's status and the eval
report: how many passages are served, what happened to the index cache, which model and
which decision rule answer."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LoadReport:
    passages_served: int
    passages_withheld: int
    index: str
    """What happened to the index cache: loaded, built, or rebuilt (and why)."""
    model: str
    decision: str = "similarity gate"
    """What decides whether to answer: the answerability model (with its sha256 prefix),
    or the similarity gate when the corpus has no fitted model."""
    safety_stage: str = "learned stage on"
    """Whether the learned safety stage runs (off only when the embedder is not the one
    its weights were trained on, e.g. the hashing embedder of the unit tests)."""
