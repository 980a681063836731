"""Headless documents: the patient handout and the care team's packet, as HTML,
Markdown and PDF. The app's export actions and ``atc-guide packet`` both call this; it
never imports a UI library (the import contracts in ``pyproject.toml`` check that)."""

from __future__ import annotations

from botcore.export.document import FORMATS, Document, Format, approval_line
from botcore.export.handout import HandoutNotes, build_handout
from botcore.export.markdown import md_escape
from botcore.export.packet_doc import (
    CARE_TEAM_MARK,
    PACKET_FORMATS,
    PACKET_STEM,
    build_packet_document,
    write_packet,
)
from botcore.export.pdf import to_latin1
from botcore.export.write import HANDOUT_STEM, dated_stem, render, write_documents

__all__ = [
    "CARE_TEAM_MARK", "FORMATS", "HANDOUT_STEM", "PACKET_FORMATS", "PACKET_STEM", "Document",
    "Format", "HandoutNotes", "approval_line", "build_handout", "build_packet_document",
    "dated_stem",
    "md_escape", "render", "to_latin1", "write_documents", "write_packet",
]
