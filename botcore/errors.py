"""The project's own exceptions. Each carries one clear line for a user or a reviewer."""

from __future__ import annotations


class CorpusError(ValueError):
    """A corpus file is missing, malformed or not approved. The message names the file,
    the entry and the field, so a content editor can fix it without reading code."""


class EngineFault(RuntimeError):
    """A stage of the engine failed. ``ask`` turns this into the approved fallback
    message (fail closed); it never reaches a user as a traceback."""


class IndexMismatch(RuntimeError):
    """A cached index does not match the corpus, model or settings now loaded."""

