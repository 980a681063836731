"""Escaping for the report's two formats. Every piece of text that comes from a case, a
user or the corpus goes through :func:`esc` (HTML) or :func:`md_esc` (Markdown): invisible
and control characters are first shown as visible codes, so nothing in the page is hidden
or reordered. (The handout and packet documents have their own escapers in
``botcore.export``, which drop such characters instead: a clinician auditing the eval
needs to see them.)
"""

from __future__ import annotations

import html
import re
import unicodedata

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~])")


def visible(text: object) -> str:
    """Control, format (zero-width, bidi), private-use and surrogate code points become a
    visible ``<U+200B>`` code, so nothing in the page is hidden or reordered."""
    out = []
    for ch in str(text):
        if ch in "\n\t":
            out.append(ch)
        elif unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs", "Cn"):
            out.append(f"\u27e8U+{ord(ch):04X}\u27e9")
        else:
            out.append(ch)
    return "".join(out)


def esc(text: object) -> str:
    """Text for HTML: visible codes for invisible characters, then html.escape (quotes too)."""
    return html.escape(visible(text), quote=True)


def md_plain(text: object) -> str:
    """Our own generated text for a Markdown table cell: only the cell separator is escaped."""
    return visible(text).replace("|", "\\|").replace("\n", " ")


def md_esc(text: object) -> str:
    """Text for Markdown: special characters backslash-escaped, so user text never becomes
    a link, an image, HTML or a table break."""
    return _MD_SPECIAL.sub(r"\\\1", visible(text).replace("\n", " ").replace("\t", " "))
