"""Documents as Markdown that shows every text literally: no link, image, HTML or
emphasis can form from a passage or from what a user wrote."""

from __future__ import annotations

import re

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

_MD_STRUCTURE = re.compile(r"([\\`*_{}\[\]<>#|~!])")
_MD_USER = re.compile(r"([\\`*_{}\[\]<>()#|~!&=+\"])|([.:@/])(?=\S)")
_MD_LINE_START = re.compile(r"^(\s*)(\d+)([.)])", re.MULTILINE)
_MD_BULLET = re.compile(r"^(\s*)([-+=>])", re.MULTILINE)


def md_escape(text: str, strict: bool = False) -> str:
    """Sanitized text that Markdown shows literally.

    ``strict`` (for anything a user wrote) backslash-escapes every mark that could
    start a link, image, HTML or emphasis, and the ``.`` ``:`` ``@`` ``/`` inside a word
    (so no autolink forms: "http\\://", "www\\.", "a\\@b"); ordinary punctuation
    ("?", ",", a full stop at the end of a sentence) stays as written. Approved corpus
    text gets the lighter escaping that keeps it readable as plain text (it has no
    links by rule).
    """
    text = " ".join(display_safe(text).split()) if strict else display_safe(text)
    if strict:
        text = _MD_USER.sub(lambda m: "\\" + (m[1] or m[2]), text)
        text = _MD_LINE_START.sub(r"\1\2\\\3", text)
        return _MD_BULLET.sub(r"\1\\\2", text)
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
