"""The splits every figure is reported on, and the per-split container the sections use.

``dev`` cases may be used to tune (the abstention threshold is calibrated on them);
``heldout`` cases never are, so heldout figures are the honest estimate; ``all`` is both.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from evals.results import Result

SPLITS = ("dev", "heldout")
T = TypeVar("T")


class Figures(BaseModel):
    """Base of every figures model: a misspelt field is an error, not a silent extra."""

    model_config = ConfigDict(extra="forbid")


class BySplit(Figures, Generic[T]):
    """One figures model per split (``report.json``: ``<section>.dev|heldout|all``)."""

    dev: T
    heldout: T
    all: T


def by_split(results: Sequence[Result]) -> dict[str, list[Result]]:
    """The results of each split, and all of them under ``all``."""
    out = {s: [r for r in results if r.split == s] for s in SPLITS}
    out["all"] = list(results)
    return out
