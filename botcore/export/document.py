"""The document model every export shares: a title, a subtitle and a list of blocks.

A handout or packet is built once as blocks and rendered to each format by a renderer
that escapes for that format (SAFETY.md, "the terminal is an attack surface"): HTML
escapes every piece of text, Markdown backslash-escapes so no text becomes a link,
PDF writes text only. No renderer imports a UI library.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Format = Literal["html", "md", "pdf"]
FORMATS: tuple[Format, ...] = ("html", "md", "pdf")


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Para:
    text: str
    note: bool = False
    """Small print (e.g. how to read the handout)."""


@dataclass(frozen=True)
class Card:
    """A boxed block that must stand out: the emergency card."""

    heading: str
    text: str


@dataclass(frozen=True)
class PassageBlock:
    title: str
    text: str
    citation: str
    approval: str


@dataclass(frozen=True)
class Items:
    items: tuple[str, ...]
    user_text: bool = False
    """Written by the user: escaped most strictly (Markdown)."""


@dataclass(frozen=True)
class Definitions:
    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class WriteLines:
    """Empty lines to write on, on paper."""

    count: int


Block = Heading | Para | Card | PassageBlock | Items | Definitions | WriteLines


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)


def approval_line(label: str, approved_by: str, approved_on: str) -> str:
    return f"{label} (approved by {approved_by}, {approved_on})"


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def long_date(day: date) -> str:
    """"1 December 2026": how people write a date (not ISO), in any locale."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
