"""Loading the engine for a command, with a progress bar while the index builds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from atc_guide.cli.terminal import progress_bar
from botcore.config import Settings

if TYPE_CHECKING:
    from botcore.engine import Engine


def load_engine(settings: Settings, rebuild: bool = False) -> Engine:
    """The engine for ``settings``; the model is exported and the index built (each with
    a bar) when missing or stale."""
    from botcore.engine import Engine  # the embedding model loads here

    with progress_bar("Preparing the language model (first run only)") as model, \
            progress_bar("Building search index") as update:
        return Engine.load(settings, progress=update, rebuild=rebuild, model_progress=model)
