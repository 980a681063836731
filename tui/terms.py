"""Glossary terms in passages, marked for the screen: underlined and clickable.

Finding the terms is ``botcore.glossary_terms`` (shared with the handout and packet
documents); this module only adds the Textual styling.
"""

from __future__ import annotations

from textual.content import Content
from textual.style import Style

from botcore.glossary_terms import TermIndex as _PlainTermIndex
from botcore.glossary_terms import TermSpan, term_forms

__all__ = ["MARK_STYLE", "TermIndex", "TermSpan", "term_forms"]

MARK_STYLE = Style(underline=True, bold=True)


class TermIndex(_PlainTermIndex):
    """The glossary term finder, plus marking for display."""

    def marked(self, text: str) -> Content:
        """``text`` as literal content with each term underlined and clickable.

        The caller passes sanitized text; the plain text of the result is exactly it.
        """
        content = Content(text)
        for span in self.spans(text):
            action = Style.from_meta({"@click": f"app.define({span.term_id!r})"})
            content = content.stylize(MARK_STYLE + action, span.start, span.end)
        return content
