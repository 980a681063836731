"""All settings in one place (a pydantic model, environment prefix ``ATC_GUIDE_``).

Paths use ``default_factory`` so that the environment is read when a ``Settings`` is
made, never at import time. Tests redirect every user path to a temporary folder by
setting ``ATC_GUIDE_DATA_DIR``, ``ATC_GUIDE_CACHE_DIR`` and ``ATC_GUIDE_DOCUMENTS_DIR``.

The environment is read here, by :meth:`Settings._from_environment`, rather than by
pydantic-settings: that package imports asyncio, argparse, dotenv and its cloud
providers, about 45 ms of every start for six variables (issue 13).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, model_validator

APP_NAME = "atc-guide"

ENV_PREFIX = "ATC_GUIDE_"
"""Every field of :class:`Settings` can be set as ``ATC_GUIDE_<FIELD>`` (any case)."""

OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TOKENIZERS_PARALLELISM": "false",
}


def force_offline() -> None:
    """Set the offline switches in this process, before any model library is imported:
    nothing is ever downloaded at run time. Each front door calls it once at start."""
    os.environ.update(OFFLINE_ENV)


PACKAGED_CORPUS = Path(__file__).resolve().parent / "_corpus"
"""Where a built wheel carries ``corpus/`` (pyproject: hatch ``force-include``)."""


def bundled_corpus_dir() -> Path:
    """The corpus shipped with the project: ``corpus/`` at the repository root in a
    checkout (an editable install), else the copy packaged inside the wheel."""
    checkout = Path(__file__).resolve().parent.parent / "corpus"
    if checkout.is_dir() or not PACKAGED_CORPUS.is_dir():
        return checkout
    return PACKAGED_CORPUS


def default_documents_dir() -> Path:
    """Where handouts and packets are saved for people to find: "ATC Guide" in the
    user's Documents folder (platformdirs: XDG user dirs, macOS, Windows)."""
    return Path(platformdirs.user_documents_dir()) / "ATC Guide"


def default_sources_dir() -> Path | None:
    """The reviews' text, used only by corpus checks and the review screen. The project
    never ships it; in the development layout it sits in ``../shared/sources``."""
    candidate = Path(__file__).resolve().parent.parent.parent / "shared" / "sources"
    return candidate if candidate.is_dir() else None


class Settings(BaseModel):
    """Runtime settings. Every field can be set as ``ATC_GUIDE_<NAME>`` in the environment;
    a value passed to the constructor wins over the environment, which wins over the
    default. A bad value raises pydantic's ``ValidationError`` naming the field."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    corpus_dir: Path = Field(default_factory=bundled_corpus_dir)
    """Where passages, glossary, messages, triage lexicon and the approvals ledger live."""
    cache_dir: Path = Field(default_factory=lambda: Path(platformdirs.user_cache_dir(APP_NAME)))
    """Where the built index is cached (rebuilt when its manifest does not match)."""
    data_dir: Path = Field(default_factory=lambda: Path(platformdirs.user_data_dir(APP_NAME)))
    """Where sessions and handouts are saved (folder 0700, files 0600)."""
    documents_dir: Path = Field(default_factory=default_documents_dir)
    """Where handouts and packets are saved, for people to find (default: Documents/ATC
    Guide). "Delete this session" removes the ones the session wrote."""
    sources_dir: Path | None = Field(default_factory=default_sources_dir)
    """A clinician's copy of the two reviews, for checks and side-by-side review."""

    top_k: int = Field(default=3, ge=1, le=5)
    """Passages shown per answer (the design caps it at 3)."""
    candidate_k: int = Field(default=20, ge=5, le=100)
    """How many candidates each retriever contributes to fusion."""
    rrf_k: int = Field(default=20, ge=1)
    """Reciprocal-rank-fusion constant. Small because the corpus is small (~130 passages)."""
    min_relevance: float | None = Field(default=None)
    """Override for the abstention threshold on the gate score (None: the calibrated
    value in ``botcore.decide``)."""
    answer_timeout_s: float = Field(default=20.0, gt=0)
    """A question that takes longer than this fails closed with the fallback message."""

    @model_validator(mode="before")
    @classmethod
    def _from_environment(cls, data: object) -> object:
        """Fill each field not given from ``ATC_GUIDE_<FIELD>`` (the name in any case)."""
        given = dict(data) if isinstance(data, Mapping) else {}
        env = {key.upper(): value for key, value in os.environ.items()
               if key.upper().startswith(ENV_PREFIX)}
        for name in cls.model_fields:
            key = ENV_PREFIX + name.upper()
            if name not in given and key in env:
                given[name] = env[key]
        return given


def setting_problem(exc: Exception) -> str:
    """A one-line description of a bad setting (from ``Settings()``'s ValidationError),
    naming the environment variable to fix and never echoing its value."""
    errors = getattr(exc, "errors", None)
    first = errors()[0] if callable(errors) and errors() else {}
    field = ".".join(str(p) for p in first.get("loc", ())) or "a setting"
    return f"the setting {ENV_PREFIX}{field.upper()} is not valid: {first.get('msg', 'bad value')}"
