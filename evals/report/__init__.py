"""Render the report: a self-contained HTML page for clinicians (:mod:`.html`, with
``report.css`` and ``filter.js`` shipped beside it) and a Markdown summary
(:mod:`.markdown`). Every piece of text from a case, a user or the corpus is escaped by
:mod:`.escape`."""

from __future__ import annotations

from evals.report.escape import esc, md_esc, md_plain, visible
from evals.report.html import render_html
from evals.report.markdown import render_markdown

__all__ = ["esc", "md_esc", "md_plain", "render_html", "render_markdown", "visible"]
