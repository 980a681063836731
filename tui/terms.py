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
    """The glossary term finder, plus marking for display.

    Spans are remembered per text: a card needs them twice (its word count and its
    marking), and the same passages come back in a conversation; finding them is a few
    milliseconds each time, which a new answer should not wait for.
    """

    def spans(self, text: str) -> list[TermSpan]:
        cache: dict[str, list[TermSpan]] = self.__dict__.setdefault("_span_cache", {})
        found = cache.get(text)
        if found is None:
            found = cache[text] = list(super().spans(text))
            if len(cache) > 512:  # the corpus has a few hundred texts; stay bounded
                cache.pop(next(iter(cache)))
        return list(found)

    def marked(self, text: str) -> Content:
        """``text`` as literal content with each term underlined and clickable.

        The caller passes sanitized text; the plain text of the result is exactly it.
        """
        content = Content(text)
        for span in self.spans(text):
            action = Style.from_meta({"@click": f"app.define({span.term_id!r})"})
            content = content.stylize(MARK_STYLE + action, span.start, span.end)
        return content
