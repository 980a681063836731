"""The display boundary of the app: every piece of text shown goes through here.

User and corpus text is never parsed as markup (safety.md §2). It passes through the
one display sanitizer, ``botcore.sanitize.display_safe``, and is wrapped in a
``Content`` so that Textual shows it literally: ``[@click=app.quit]`` stays text,
approved wording like "[see section 3]" keeps every word.
"""

from __future__ import annotations

from textual.content import Content

from botcore.sanitize import display_safe

__all__ = ["display_safe", "safe", "safe_join"]


def safe(text: str, style: str = "") -> Content:
    """Sanitized text as literal ``Content`` (optionally with one style over all of it)."""
    content = Content(display_safe(text))
    return content.stylize(style) if style else content


def safe_join(*parts: tuple[str, str] | str) -> Content:
    """Literal content assembled from pieces: ``"plain"`` or ``("text", "style")``.

    Each piece is sanitized on its own, so a style never comes from text.
    """
    out = Content("")
    for part in parts:
        out = out + (safe(part[0], part[1]) if isinstance(part, tuple) else safe(part))
    return out
