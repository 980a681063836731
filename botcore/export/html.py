"""Documents as printable, self-contained HTML: every piece of text sanitized and escaped,
no script, a Content-Security-Policy that forbids fetching anything."""

from __future__ import annotations

import html
from functools import cache
from importlib import resources

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


@cache
def stylesheet() -> str:
    """The handout's print stylesheet, shipped beside this module."""
    return resources.files("botcore.export").joinpath("handout.css").read_text("utf-8")


def html_text(text: str) -> str:
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
        f"<title>{html_text(doc.title)}</title>",
        f"<style>{stylesheet()}</style>",
        "</head>",
        "<body>",
        f"<h1>{html_text(doc.title)}</h1>",
        f'<p class="sub">{html_text(doc.subtitle)}</p>',
    ]
    for block in doc.blocks:
        match block:
            case Heading(text):
                out.append(f"<h2>{html_text(text)}</h2>")
            case Para(text, note):
                cls = "note" if note else "text"
                out.append(f'<p class="{cls}">{html_text(text)}</p>')
            case Card(heading, text):
                out.append(f'<section class="card"><h2>{html_text(heading)}</h2>'
                           f'<p class="text">{html_text(text)}</p></section>')
            case PassageBlock(title, text, citation, approval):
                out.append(
                    f'<section class="passage"><h3>{html_text(title)}</h3>'
                    f'<p class="text">{html_text(text)}</p>'
                    f'<p class="cite"><strong>Source:</strong> {html_text(citation)}</p>'
                    f'<p class="approval"><strong>Approval:</strong> {html_text(approval)}</p>'
                    "</section>"
                )
            case Items(items, _):
                out.append("<ul>" + "".join(f"<li>{html_text(i)}</li>" for i in items) + "</ul>")
            case Definitions(items):
                out.append("<dl>" + "".join(f"<dt>{html_text(t)}</dt><dd>{html_text(d)}</dd>"
                                            for t, d in items) + "</dl>")
            case WriteLines(count):
                out.append('<div class="lines">' + '<div class="line"></div>' * count + "</div>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)
