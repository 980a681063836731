"""Rendering a document to bytes and writing it, atomically and privately (0600)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from botcore.export.document import FORMATS, Document, Format
from botcore.export.html import to_html
from botcore.export.markdown import to_markdown
from botcore.export.pdf import to_pdf
from botcore.storage import write_atomic

HANDOUT_STEM = "atc-guide-handout"

RENDERERS = {"html": to_html, "md": to_markdown}


def render(doc: Document, fmt: Format) -> bytes:
    if fmt == "pdf":
        return to_pdf(doc)
    return RENDERERS[fmt](doc).encode("utf-8")


def dated_stem(folder: Path, base: str, when: datetime, formats: Iterable[Format] = FORMATS,
               suffix: str = "") -> str:
    """A file stem no earlier export in ``folder`` uses: ``base-2026-12-01-1432`` (then
    ``-2``, ``-3``...), so one export never overwrites another."""
    stem = f"{base}-{when:%Y-%m-%d-%H%M}"
    candidate, n = stem, 1
    while any((folder / f"{candidate}{suffix}.{fmt}").exists() for fmt in formats):
        n += 1
        candidate = f"{stem}-{n}"
    return candidate


def write_documents(doc: Document, folder: Path, formats: Iterable[Format] = FORMATS,
                  stem: str = HANDOUT_STEM) -> list[Path]:
    """Write the document in each format into ``folder`` (atomically, 0600)."""
    written = []
    for fmt in formats:
        path = folder / f"{stem}.{fmt}"
        write_atomic(path, render(doc, fmt))
        written.append(path)
    return written
