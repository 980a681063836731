"""The take-home handout: HTML (printable), Markdown and PDF.

A handout is built once as a small list of blocks (``Document``) and rendered to each
format by a function that escapes for that format (safety.md §2): HTML escapes every
piece of text, Markdown backslash-escapes so that no text becomes a link or markup,
PDF writes text only. Every piece of text passes through the display sanitizer first.

The PDF uses a Unicode TrueType font from the system when one is installed (DejaVu,
Liberation, Noto...) and otherwise the PDF core font Helvetica, with text folded to
Latin-1 (curly quotes and dashes become straight ones; anything else unknown becomes
"?"). fpdf2 is pure Python, so ``make run`` needs no system packages.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from botcore.corpus import Corpus
from botcore.sanitize import display_safe
from botcore.storage import write_atomic
from tui.labels import SITUATION_NAMES
from tui.session_store import GuideState
from tui.terms import TermIndex

Format = Literal["html", "md", "pdf"]
FORMATS: tuple[Format, ...] = ("html", "md", "pdf")
HANDOUT_STEM = "atc-guide-handout"


# -- the document model ---------------------------------------------------------------------
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


# -- building the handout -------------------------------------------------------------------
def approval_line(label: str, approved_by: str, approved_on: str) -> str:
    return f"{label} (approved by {approved_by}, {approved_on})"


def build_handout(corpus: Corpus, state: GuideState, terms: TermIndex, made_on: str) -> Document:
    """The handout for this session: emergency card first, then the disclaimer, the
    situation, the saved passages with citations and approvals, the glossary terms
    used, and the user's own questions."""
    blocks: list[Block] = [Card("Emergency card", corpus.message("emergency-card"))]
    blocks += [Heading("About this handout"), Para(corpus.message("disclaimer"))]
    if state.session.situations:
        names = [SITUATION_NAMES[s] for s in sorted(state.session.situations)]
        blocks += [Heading("The situation you told the app"), Items(tuple(names))]

    blocks.append(Heading("What you saved"))
    texts: list[str] = []
    snippets = [corpus.snippet(pid, 1.0) for pid in state.saved if corpus.is_approved(pid)]
    if not snippets:
        blocks.append(Para("You did not save any passages in this session.", note=True))
    for snip in snippets:
        texts.append(snip.text)
        blocks.append(PassageBlock(snip.title, snip.text, snip.citation,
                                   approval_line(snip.approval_label, snip.approved_by,
                                                 snip.approved_on)))

    used: dict[str, None] = {}
    for text in texts:
        for term in terms.terms_in(text):
            used[term.id] = None
    for term_id in state.looked_up:
        used[term_id] = None
    definitions = tuple((terms.terms[t].term, terms.terms[t].definition)
                        for t in used if t in terms.terms)
    if definitions:
        blocks += [Heading("Words to know"), Definitions(definitions)]

    blocks.append(Heading("My questions for the care team"))
    if state.my_questions:
        blocks.append(Items(tuple(state.my_questions), user_text=True))
    blocks.append(WriteLines(4))
    return Document(
        title="ATC Guide: my handout",
        subtitle=f"Made on {made_on}. General information approved for ATC Guide; "
                 "it is not advice from your own doctor.",
        blocks=tuple(blocks),
    )


# -- HTML -----------------------------------------------------------------------------------
_CSS = """
body { font-family: Georgia, 'DejaVu Serif', serif; max-width: 42em; margin: 2em auto;
       padding: 0 1em; line-height: 1.5; color: #000; background: #fff; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; border-bottom: 1px solid #444; margin-top: 1.6em; }
.sub, .note { color: #333; font-size: 0.92em; }
.card { border: 4px solid #000; padding: 0.8em 1em; margin: 1em 0; }
.card h2 { border: none; margin-top: 0; text-transform: uppercase; }
.passage { border-left: 3px solid #444; padding-left: 1em; margin: 1.2em 0;
           break-inside: avoid; }
.passage h3 { margin: 0 0 0.3em 0; font-size: 1.08em; }
.text { white-space: pre-line; }
.cite, .approval { font-size: 0.9em; margin: 0.2em 0; }
dt { font-weight: bold; } dd { margin: 0 0 0.6em 1.2em; }
.line { border-bottom: 1px solid #666; height: 2em; }
@media print { body { margin: 0; } a { color: #000; text-decoration: none; } }
"""


def _h(text: str) -> str:
    return html.escape(display_safe(text), quote=True)


def to_html(doc: Document) -> str:
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_h(doc.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{_h(doc.title)}</h1>",
        f'<p class="sub">{_h(doc.subtitle)}</p>',
    ]
    for block in doc.blocks:
        match block:
            case Heading(text):
                out.append(f"<h2>{_h(text)}</h2>")
            case Para(text, note):
                cls = "note" if note else "text"
                out.append(f'<p class="{cls}">{_h(text)}</p>')
            case Card(heading, text):
                out.append(f'<section class="card"><h2>{_h(heading)}</h2>'
                           f'<p class="text">{_h(text)}</p></section>')
            case PassageBlock(title, text, citation, approval):
                out.append(
                    f'<section class="passage"><h3>{_h(title)}</h3>'
                    f'<p class="text">{_h(text)}</p>'
                    f'<p class="cite"><strong>Source:</strong> {_h(citation)}</p>'
                    f'<p class="approval"><strong>Approval:</strong> {_h(approval)}</p></section>'
                )
            case Items(items, _):
                out.append("<ul>" + "".join(f"<li>{_h(i)}</li>" for i in items) + "</ul>")
            case Definitions(items):
                out.append("<dl>" + "".join(f"<dt>{_h(t)}</dt><dd>{_h(d)}</dd>" for t, d in items)
                           + "</dl>")
            case WriteLines(count):
                out.append('<div class="lines">' + '<div class="line"></div>' * count + "</div>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


# -- Markdown -------------------------------------------------------------------------------
_MD_STRUCTURE = re.compile(r"([\\`*_{}\[\]<>#|~!])")
_MD_ALL_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
_MD_LINE_START = re.compile(r"^(\s*)(\d+)([.)])", re.MULTILINE)
_MD_BULLET = re.compile(r"^(\s*)([-+=>])", re.MULTILINE)


def md_escape(text: str, strict: bool = False) -> str:
    """Sanitized text that Markdown shows literally.

    ``strict`` (for anything a user wrote) backslash-escapes every ASCII punctuation
    mark, which CommonMark defines as literal: no link, autolink ("http\\://",
    "www\\.", "a\\@b"), image, HTML or emphasis can form. Approved corpus text gets the
    lighter escaping that keeps it readable as plain text (it has no links by rule).
    """
    text = " ".join(display_safe(text).split()) if strict else display_safe(text)
    if strict:
        return _MD_ALL_PUNCT.sub(r"\\\1", text)
    text = _MD_STRUCTURE.sub(r"\\\1", text)
    text = _MD_LINE_START.sub(r"\1\2\\\3", text)
    return _MD_BULLET.sub(r"\1\\\2", text)


def _md_paragraph(text: str) -> str:
    # Keep the passage's own line breaks (a hard break is two trailing spaces).
    return "  \n".join(md_escape(line) for line in text.split("\n"))


def to_markdown(doc: Document) -> str:
    out = [f"# {md_escape(doc.title)}", "", f"*{md_escape(doc.subtitle)}*", ""]
    for block in doc.blocks:
        match block:
            case Heading(text):
                out += [f"## {md_escape(text)}", ""]
            case Para(text, note):
                out += [f"*{_md_paragraph(text)}*" if note else _md_paragraph(text), ""]
            case Card(heading, text):
                out += [f"> **{md_escape(heading).upper()}**", ">"]
                out += [f"> {md_escape(line)}" if line else ">" for line in text.split("\n")]
                out.append("")
            case PassageBlock(title, text, citation, approval):
                out += [f"### {md_escape(title)}", "", _md_paragraph(text), "",
                        f"- **Source:** {md_escape(citation)}",
                        f"- **Approval:** {md_escape(approval)}", ""]
            case Items(items, user_text):
                out += [f"- {md_escape(i, strict=user_text)}" for i in items] + [""]
            case Definitions(items):
                out += [f"- **{md_escape(t)}**: {md_escape(d)}" for t, d in items] + [""]
            case WriteLines(count):
                out += ["- " + "_" * 40 for _ in range(count)] + [""]
    return "\n".join(out).rstrip("\n") + "\n"


# -- PDF ------------------------------------------------------------------------------------
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

    def write(text: str, size: float = 11, bold: bool = False, height: float = 5.6,
              border: int = 0, gap: float = 1.5) -> None:
        pdf.set_font(family, "B" if bold else "", size)
        pdf.multi_cell(0, height, fix(text), border=border, align="L",
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT, padding=2 if border else 0)
        pdf.ln(gap)

    write(doc.title, 18, bold=True, height=9)
    write(doc.subtitle, 9, height=4.5, gap=4)
    for block in doc.blocks:
        match block:
            case Heading(text):
                pdf.ln(2)
                write(text, 13.5, bold=True, height=7)
            case Para(text, note):
                write(text, 9.5 if note else 11)
            case Card(heading, text):
                pdf.set_line_width(0.8)
                write(heading.upper(), 13, bold=True, height=7, gap=0)
                write(text, 11.5, border=1, gap=4)
                pdf.set_line_width(0.2)
            case PassageBlock(title, text, citation, approval):
                write(title, 12, bold=True, height=6.5, gap=0.5)
                write(text)
                write(f"Source: {citation}", 9, height=4.6, gap=0.5)
                write(f"Approval: {approval}", 9, height=4.6, gap=4)
            case Items(items, _):
                for item in items:
                    write(f"-  {item}", gap=0.8)
                pdf.ln(1)
            case Definitions(items):
                for term, definition in items:
                    write(term, 10.5, bold=True, height=5, gap=0)
                    write(definition, 10, height=5, gap=1.8)
            case WriteLines(count):
                for _ in range(count):
                    pdf.ln(7)
                    y = pdf.get_y()
                    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
                pdf.ln(2)
    return bytes(pdf.output())


# -- writing --------------------------------------------------------------------------------
RENDERERS = {"html": to_html, "md": to_markdown}


def render(doc: Document, fmt: Format) -> bytes:
    if fmt == "pdf":
        return to_pdf(doc)
    return RENDERERS[fmt](doc).encode("utf-8")


def write_handout(doc: Document, folder: Path, formats: Iterable[Format] = FORMATS,
                  stem: str = HANDOUT_STEM) -> list[Path]:
    """Write the handout in each format into ``folder`` (atomically, 0600)."""
    written = []
    for fmt in formats:
        path = folder / f"{stem}.{fmt}"
        write_atomic(path, render(doc, fmt))
        written.append(path)
    return written
