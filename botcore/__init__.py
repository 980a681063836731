"""ATC Guide engine: grounded, approved-only answers about anaplastic thyroid cancer.

The public API is small on purpose; front doors (CLI, TUI, evals) use only these names.
Importing this package is cheap and never imports ``textual`` or ``torch``: the engine's
heavy dependencies load inside ``Engine.load``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from botcore.answer import Answer, Session, Snippet, Turn
from botcore.config import Settings
from botcore.errors import CorpusError, EngineFault

if TYPE_CHECKING:
    from botcore.engine import Engine

__all__ = [
    "Answer", "CorpusError", "Engine", "EngineFault", "Session", "Settings", "Snippet", "Turn",
]


def __getattr__(name: str) -> Any:
    if name == "Engine":  # lazy: keeps `import botcore` light
        from botcore.engine import Engine

        return Engine
    raise AttributeError(name)
