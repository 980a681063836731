"""What the review screen shows about one item, as literal content: its citation, the
decisions recorded, the cited sections of the source reviews, and the word diff of
what changed since it was approved."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content

from botcore.corpus import Corpus
from botcore.review import SourceExcerpt, word_diff
from botcore.sanitize import display_safe
from botcore.schema import Approval
from tui.safe import safe, safe_join


def one_line(text: str) -> str:
    return " ".join(display_safe(text).split())


def citation_content(corpus: Corpus, item: str) -> Content:
    kind, _, ident = item.partition(":")
    if kind == "passage" and ident in corpus.passages:
        return safe_join(("Source: ", "bold"), corpus.citation(corpus.passages[ident]))
    if kind == "prompt" and ident in corpus.prompts:
        prompt = corpus.prompts[ident]
        refs = "; ".join(f"{corpus.sources[c.source].short}, {c.section}" for c in prompt.cites)
        return safe_join(("Written from: ", "bold"), refs)
    return Content("")


def history_content(records: Sequence[Approval]) -> Content:
    if not records:
        return safe_join(("Decisions recorded in the ledger: ", "bold"), "none yet")
    lines = [f"{r.at:%Y-%m-%d %H:%M} UTC  {r.decision} by {one_line(r.reviewer)} "
             f"({one_line(r.role)}), {r.meaning}"
             + ("  [demonstration]" if r.demonstration else "")
             + (f"  - {one_line(r.note)}" if r.note else "") for r in records]
    return safe_join(("Decisions recorded in the ledger:\n", "bold"), "\n".join(lines))


def source_content(excerpts: Sequence[SourceExcerpt]) -> Content:
    if not excerpts:
        return Content("This item cites no section of the reviews.")
    content = Content("")
    for excerpt in excerpts:
        content = content + safe(excerpt.heading, "bold") + Content("\n")
        content = content + safe(excerpt.text if excerpt.text is not None
                                 else excerpt.problem) + Content("\n\n")
    return content


def diff_content(old: str | None, current: str, where: str) -> Content:
    """What changed, git's word-diff style ([-removed-] {+added+}), styled too."""
    heading = ("What changed since it was approved ", "bold")
    if old is None:
        return safe_join(heading, ("(diff unavailable): ", "bold"), where)
    if old == current:
        return safe_join(heading, "(", where, "):\nThe text is the same; what is shown with "
                         "it (title, audience, citations or conditions) changed.")
    content = safe_join(heading, "(", where, "). ", ("[-removed-]", "strike"), " ",
                        ("{+added+}", "bold underline"), "\n")
    for op, text in word_diff(old, current):
        if op == "same":
            content = content + safe(text)
        elif op == "removed":
            content = content + Content("[-") + safe(text, "strike") + Content("-]")
        else:
            content = content + Content("{+") + safe(text, "bold underline") + Content("+}")
    return content
