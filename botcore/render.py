"""Plain-text rendering of an answer, for the terminal (``atc-guide ask``) and handouts.

Every piece of text passes through the one display sanitizer. Passage text itself is
approved and clean, so sanitizing leaves it byte-identical (a test checks this).
"""

from __future__ import annotations

import textwrap

from botcore.answer import Answer
from botcore.sanitize import display_safe

WIDTH = 78


def _wrap(text: str, indent: str = "") -> str:
    paragraphs = display_safe(text).split("\n")
    return "\n".join(
        textwrap.fill(p, WIDTH, initial_indent=indent, subsequent_indent=indent) if p.strip() else ""
        for p in paragraphs
    )


def answer_as_text(answer: Answer) -> str:
    lines = [f"Q: {display_safe(answer.question)}"]
    if answer.safety_message:  # a safety note: the resources first, above the answer
        lines += ["IMPORTANT:", _wrap(answer.safety_message, "  ")]
    if answer.message:
        label = {"escalated": "IMPORTANT", "abstained": "NOTE"}.get(answer.status, "NOTE")
        lines += [f"{label}:", _wrap(answer.message, "  ")]
    if answer.reminder:
        lines += [_wrap(answer.reminder, "  ")]
    for number, snip in enumerate(answer.snippets, start=1):
        lines += [
            "",
            f"[{number}] {display_safe(snip.title)}",
            _wrap(snip.text, "    "),
            f"    Source: {display_safe(snip.citation)}",
            f"    Approval: {display_safe(snip.approval_label)} ({display_safe(snip.approved_on)})",
        ]
    if answer.suggestions:
        lines += ["", "You could also ask:"] + [f"  - {display_safe(s)}" for s in answer.suggestions]
    return "\n".join(lines) + "\n"
