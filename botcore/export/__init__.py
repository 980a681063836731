"""Headless documents: the patient handout and the care team's packet, as HTML,
Markdown and PDF. The app's export actions and ``atc-guide packet`` both call this; it
never imports a UI library (the import contracts in ``pyproject.toml`` check that)."""

from __future__ import annotations

from botcore.export.document import FORMATS, Document, Format, approval_line, long_date
from botcore.export.handout import HandoutNotes, build_handout
from botcore.export.markdown import md_escape
from botcore.export.packet_doc import (
    CARE_TEAM,
    CARE_TEAM_MARK,
    FAMILY,
    PACKET_FORMATS,
    PACKET_STEM,
    Prepared,
    build_family_pages,
    build_packet_documents,
    build_talking_points,
    is_family,
    write_packet,
)
from botcore.export.pdf import to_latin1
from botcore.export.write import HANDOUT_STEM, dated_stem, render, write_documents

__all__ = [
    "CARE_TEAM", "CARE_TEAM_MARK", "FAMILY", "FORMATS", "HANDOUT_STEM", "PACKET_FORMATS",
    "PACKET_STEM", "Document", "Format", "HandoutNotes", "Prepared", "approval_line",
    "build_family_pages", "build_handout", "build_packet_documents", "build_talking_points",
    "dated_stem", "is_family", "long_date", "md_escape", "render", "to_latin1",
    "write_documents", "write_packet",
]
