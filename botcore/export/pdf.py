"""Documents as PDF (fpdf2, pure Python, so ``make run`` needs no system packages).

The PDF uses a Unicode TrueType font from the system when one is installed (DejaVu,
Liberation, Noto...) and otherwise the PDF core font Helvetica, with text folded to
Latin-1 (curly quotes and dashes become straight ones; anything else unknown becomes
"?"). Every piece of text passes through the display sanitizer first.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

from botcore.export.document import (
    Card,
    Definitions,
    Document,
    Heading,
    Items,
    Para,
    PassageBlock,
    WriteLines,
)
from botcore.sanitize import display_safe

FONT_CANDIDATES: tuple[tuple[str, str], ...] = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
     "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
     "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"),
    ("/Library/Fonts/Arial Unicode.ttf", "/Library/Fonts/Arial Unicode.ttf"),
    ("C:/Windows/Fonts/arial.ttf", "C:/Windows/Fonts/arialbd.ttf"),
)
"""(regular, bold) TrueType fonts with wide Unicode coverage, tried in order."""

BODY_PT = 12.0
"""The smallest type on any page: every line is at least 12 pt, for older readers."""

_LATIN1_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-", "\u2026": "...", "\u2022": "-", "\u00a0": " ",
    "\u2009": " ", "\u202f": " ", "\u2007": " ", "\u2264": "<=", "\u2265": ">=",
    "\u2248": "~", "\u2192": "->", "\u2190": "<-", "\u2122": "(TM)",
})


def to_latin1(text: str) -> str:
    """Fold text into Latin-1 for the PDF core fonts without losing its meaning where
    possible: typographic punctuation becomes ASCII, accents are kept where Latin-1 has
    them, and anything else becomes "?"."""
    text = text.translate(_LATIN1_FOLD)
    out = []
    for ch in text:
        try:
            ch.encode("latin-1")
            out.append(ch)
        except UnicodeEncodeError:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch)
                           if not unicodedata.combining(c))
            try:
                out.append(base.translate(_LATIN1_FOLD).encode("latin-1").decode("latin-1")
                           if base else "?")
            except UnicodeEncodeError:
                out.append("?")
    return "".join(out)


def find_unicode_font(candidates: Iterable[tuple[str, str]] = FONT_CANDIDATES
                      ) -> tuple[Path, Path] | None:
    for regular, bold in candidates:
        reg, bld = Path(regular), Path(bold)
        if reg.is_file():
            return reg, (bld if bld.is_file() else reg)
    return None


def to_pdf(doc: Document, fonts: Sequence[tuple[str, str]] = FONT_CANDIDATES) -> bytes:
    from fpdf import FPDF  # noqa: PLC0415 - only when a PDF is asked for
    from fpdf.enums import XPos, YPos  # noqa: PLC0415

    pdf = FPDF(format="A4")
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_title(to_latin1(display_safe(doc.title)))
    pdf.set_creator("ATC Guide")
    found = find_unicode_font(fonts)
    if found is not None:
        pdf.add_font("Body", "", str(found[0]))
        pdf.add_font("Body", "B", str(found[1]))
        family = "Body"

        def fix(text: str) -> str:
            return display_safe(text)
    else:
        family = "Helvetica"

        def fix(text: str) -> str:
            return to_latin1(display_safe(text))

    pdf.add_page()

    def write(text: str, size: float = BODY_PT, bold: bool = False, height: float = 6.2,
              border: Literal[0, 1] = 0, gap: float = 1.5) -> None:
        pdf.set_font(family, "B" if bold else "", size)
        pdf.multi_cell(0, height, fix(text), border=border, align="L",
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT, padding=2 if border else 0)
        pdf.ln(gap)

    write(doc.title, 20, bold=True, height=10)
    write(doc.subtitle, height=6.2, gap=4)
    for block in doc.blocks:
        match block:
            case Heading(text):
                pdf.ln(2)
                write(text, 15, bold=True, height=8)
            case Para(text, _):
                write(text)
            case Card(heading, text):
                pdf.set_line_width(0.8)
                write(heading.upper(), 14, bold=True, height=7.5, gap=0)
                write(text, border=1, gap=4)
                pdf.set_line_width(0.2)
            case PassageBlock(title, text, citation, approval):
                write(title, 13.5, bold=True, height=7, gap=0.5)
                write(text)
                write(f"Source: {citation}", gap=0.5)
                write(f"Approval: {approval}", gap=4)
            case Items(items, _):
                for item in items:
                    write(f"-  {item}", gap=0.8)
                pdf.ln(1)
            case Definitions(items):
                for term, definition in items:
                    write(term, bold=True, gap=0)
                    write(definition, gap=1.8)
            case WriteLines(count):
                for _ in range(count):
                    pdf.ln(7)
                    y = pdf.get_y()
                    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
                pdf.ln(2)
    return bytes(pdf.output())
