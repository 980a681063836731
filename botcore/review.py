"""Reviewing corpus content: recording a decision, and what a clinician needs beside an
item under review (the cited section of the source review, the text that was approved
before an edit and how it changed, the decisions recorded so far, approval coverage).
Pure logic: the ``atc-guide review`` command and the review screen both call it.

One rule, one place: :func:`record_decision` is the only way a decision reaches the
ledger from a front door. It checks the reviewer's name and role (one length rule),
binds the decision to the text the reviewer read (refusing it when the file changed
meanwhile) and gives the approval its meaning: nurse-only for nurse-audience passages
and conversation prompts, patient-facing otherwise (:func:`meaning_for`), unless the
caller overrides it (the CLI's ``--nurse-only``).

The ledger stores only hashes, never the approved text. When an approved item has been
edited, the earlier text is recovered from git history (the corpus is versioned): each
earlier version of the file is checked until one hashes to the approval's ``sha256``.
Outside a git checkout, or when no version matches, the diff is reported unavailable.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from botcore.corpus import (
    LEXICON_ITEM,
    SAFETY_MODEL_FILE,
    SAFETY_MODEL_ITEM,
    Corpus,
    ReviewItem,
    glossary_text,
    passage_meta,
    prompt_meta,
)
from botcore.errors import CorpusError
from botcore.ledger import sha256_text
from botcore.schema import Approval, CitationRef
from botcore.yamlio import YamlProblem, parse_yaml

GIT_TIMEOUT_S = 5.0
MAX_VERSIONS = 50
"""How many earlier versions of a corpus file are searched for the approved text."""

KIND_NAMES: dict[str, str] = {
    "passage": "passages", "prompt": "prompts", "glossary": "glossary terms",
    "message": "messages", "lexicon": "red-flag lexicon",
}
AWAITING = ("pending", "changed")
Decision = Literal["approved", "rejected"]
Meaning = Literal["patient-facing", "nurse-only"]


# -- coverage -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Coverage:
    by_kind: dict[str, Counter[str]]
    """For each kind of item (passage, prompt, glossary, message, lexicon): states counted."""

    @property
    def awaiting(self) -> int:
        """Items waiting for a decision: new (pending) or edited since approval (changed)."""
        return sum(c[s] for c in self.by_kind.values() for s in AWAITING)

    @property
    def passages_awaiting(self) -> int:
        counts = self.by_kind.get("passage", Counter())
        return sum(counts[s] for s in AWAITING)

    def summary(self) -> str:
        """One line: approved / total for each kind, and how many await review."""
        parts = []
        for kind, counts in self.by_kind.items():
            total = sum(counts.values())
            approved = counts["approved"]
            pct = round(100 * approved / total) if total else 100
            parts.append(f"{KIND_NAMES.get(kind, kind)} {approved}/{total} ({pct}%)")
        return (f"Approved: {', '.join(parts)}. Awaiting review: {self.awaiting}"
                f" ({self.passages_awaiting} passages).")


def item_kind(item: str) -> str:
    return item.split(":", 1)[0]


def coverage(corpus: Corpus, items: list[ReviewItem] | None = None) -> Coverage:
    by_kind: dict[str, Counter[str]] = {}
    for review_item in items if items is not None else corpus.review_items():
        by_kind.setdefault(item_kind(review_item.item), Counter())[review_item.status.state] += 1
    return Coverage(by_kind)


def awaiting_review(corpus: Corpus) -> int:
    """How many items await a clinician's decision (for the app's status line)."""
    return coverage(corpus).awaiting


def meaning_for(corpus: Corpus, item: str) -> Meaning:
    """Nurse-audience passages and conversation prompts are approved for the care team."""
    kind, _, ident = item.partition(":")
    if kind == "passage" and ident in corpus.passages:
        return "nurse-only" if corpus.passages[ident].audience == "nurse" else "patient-facing"
    if kind == "prompt" and ident in corpus.prompts:
        return "nurse-only" if corpus.prompts[ident].kind == "conversation" else "patient-facing"
    return "patient-facing"


# -- recording a decision ---------------------------------------------------------------------
REVIEWER_CHARS = (2, 120)
ROLE_CHARS = (2, 80)
NOTE_CHARS = 1000
"""The one length rule for who decided (the ledger's model checks the same bounds)."""


class DecisionRefused(ValueError):
    """A decision that cannot be recorded; the message is one line, safe to show."""


class StaleItem(DecisionRefused):
    """The item changed on disk after the reviewer read it: they must read it again."""


def _one_line(text: str) -> str:
    return " ".join(text.split())


def check_reviewer(reviewer: str, role: str) -> tuple[str, str]:
    """The reviewer's name and role as they will be recorded (spaces tidied, nothing
    else changed), or :class:`DecisionRefused` naming what is missing."""
    name, job = _one_line(reviewer), _one_line(role)
    low, high = REVIEWER_CHARS
    if not low <= len(name) <= high:
        raise DecisionRefused(f"enter your name ({low}-{high} characters)")
    low, high = ROLE_CHARS
    if not low <= len(job) <= high:
        raise DecisionRefused(f"enter your role ({low}-{high} characters), e.g. "
                              "'head and neck oncology nurse'")
    return name, job


def record_decision(corpus: Corpus, item: ReviewItem, decision: Decision, reviewer: str,
                    role: str, *, note: str = "", meaning: Meaning | None = None,
                    demonstration: bool = False) -> Approval:
    """Record one decision on ``item`` in the ledger and return the record.

    ``item`` is what the reviewer read; the decision is refused when the item's text or
    what is shown with it has changed on disk since (the caller re-reads it). ``meaning``
    None gives :func:`meaning_for`'s answer. Raises :class:`DecisionRefused`.
    """
    name, job = check_reviewer(reviewer, role)
    note = _one_line(note)
    if len(note) > NOTE_CHARS:
        raise DecisionRefused(f"the note is longer than {NOTE_CHARS} characters")
    text = current_hashed_text(corpus, item.item)
    if text is None or sha256_text(text) != item.sha256 or meta_of(corpus, item.item) != item.meta:
        raise StaleItem(f"{item.item} changed on disk since it was read: read it again")
    try:
        return corpus.ledger.record(
            item.item, item.sha256, decision, name, job, meta=item.meta,
            meaning=meaning or meaning_for(corpus, item.item), note=note,
            demonstration=demonstration)
    except CorpusError as exc:
        raise DecisionRefused(str(exc)) from None


def history(corpus: Corpus, item: str) -> list[Approval]:
    """Every decision recorded for ``item``, oldest first."""
    return [r for r in corpus.ledger.records if r.item == item]


# -- the cited section of a source review ---------------------------------------------------
@dataclass(frozen=True)
class SourceExcerpt:
    heading: str
    """Review, section and lines, e.g. 'Maniakas et al. 2022 - Goals of care (lines 105-109)'."""
    text: str | None
    """The section's text from the reviewer's copy, or None when it is not available."""
    problem: str = ""


def cites_of(corpus: Corpus, item: str) -> tuple[CitationRef, ...]:
    kind, _, ident = item.partition(":")
    if kind == "passage" and ident in corpus.passages:
        return corpus.passages[ident].cites
    if kind == "prompt" and ident in corpus.prompts:
        return corpus.prompts[ident].cites
    return ()


def source_excerpts(corpus: Corpus, item: str, sources_dir: Path | None) -> list[SourceExcerpt]:
    """The cited sections of the reviews, read from the reviewer's own copy."""
    out = []
    for cite in cites_of(corpus, item):
        if cite.is_general:  # general guidance: no review section to show
            continue
        source = corpus.sources[cite.source]
        section = source.section(cite.section or "")
        if section is None:  # the loader already refuses this; keep the screen robust
            continue
        first, last = section.lines
        heading = f"{source.short} - {section.name} (lines {first}-{last} of {source.file})"
        if sources_dir is None:
            out.append(SourceExcerpt(heading, None, "No copy of the reviews is set up "
                                     "(set ATC_GUIDE_SOURCES_DIR to the folder holding them)."))
            continue
        path = sources_dir / source.file
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            out.append(SourceExcerpt(heading, None,
                                     f"{source.file} was not found in {sources_dir}."))
            continue
        text = "\n".join(lines[first - 1:last]).strip()
        out.append(SourceExcerpt(heading, text or None,
                                 "" if text else f"lines {first}-{last} are empty in your copy."))
    return out


# -- the approved text before an edit -------------------------------------------------------
@dataclass(frozen=True)
class Recovered:
    text: str | None
    """The text that was approved, or None when it could not be recovered."""
    where: str
    """The commit it was found in, or why it is unavailable."""


def _git(args: list[str], cwd: Path) -> str | None:
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0", LC_ALL="C")
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=GIT_TIMEOUT_S,
                              env=env, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", errors="replace")


def _entries(raw: str) -> list[dict[str, Any]]:
    try:
        data = parse_yaml(raw)
    except YamlProblem:
        return []
    return [e for e in data if isinstance(e, dict)] if isinstance(data, list) else []


def _text_of(kind: str, ident: str, raw: str) -> str | None:
    """The hashed text of an item in one version of its file."""
    if kind == "lexicon":
        return raw
    for entry in _entries(raw):
        if entry.get("id") != ident:
            continue
        if kind == "glossary":
            return glossary_text(entry)
        text = entry.get("text")
        return text if isinstance(text, str) else None
    return None


def _files_for(corpus: Corpus, kind: str, item: str = "") -> list[Path]:
    root = corpus.root
    if kind == "passage":
        return [root / "passages"]
    if item == SAFETY_MODEL_ITEM:  # the learned stage's weights: a whole file, like the lexicon
        return [root / SAFETY_MODEL_FILE]
    return [root / {"prompt": "prompts.yaml", "message": "messages.yaml",
                    "glossary": "glossary.yaml", "lexicon": "triage.yaml"}[kind]]


def recover_approved_text(corpus: Corpus, item: str, sha: str) -> Recovered:
    """The earlier text of ``item`` whose hash is ``sha``, from the corpus's git history."""
    kind, _, ident = item.partition(":")
    if kind not in KIND_NAMES:
        return Recovered(None, f"unknown kind of item '{kind}'")
    top = _git(["rev-parse", "--show-toplevel"], corpus.root)
    if top is None:
        return Recovered(None, "the corpus is not in a git checkout, so the approved text "
                               "cannot be recovered (the ledger keeps only its hash)")
    top_path = Path(top.strip())
    for path in _files_for(corpus, kind, item):
        try:
            rel = path.resolve().relative_to(top_path.resolve()).as_posix()
        except ValueError:
            continue
        log = _git(["log", f"-n{MAX_VERSIONS}", "--format=%H", "--", rel], top_path) or ""
        for commit in log.split():
            names = [rel]
            if kind == "passage":
                listing = _git(["ls-tree", "--name-only", commit, f"{rel}/"], top_path) or ""
                names = [n for n in listing.split("\n") if n.endswith(".yaml")]
            for name in names:
                raw = _git(["show", f"{commit}:{name}"], top_path)
                if raw is None:
                    continue
                text = _text_of(kind, ident, raw)
                if text is not None and sha256_text(text) == sha:
                    return Recovered(text, f"commit {commit[:10]}, {name}")
    return Recovered(None, f"no version in the last {MAX_VERSIONS} commits of the corpus has "
                           "the approved text (the ledger keeps only its hash)")


def readable(corpus: Corpus, item: str, text: str) -> str:
    """Hashed text in a form a reviewer reads (a glossary term's JSON as lines)."""
    if item_kind(item) != "glossary":
        return text
    try:
        data = json.loads(text)
    except ValueError:
        return text
    lay = ", ".join(data.get("lay_terms") or []) or "(none)"
    return f"{data.get('term')}\n{data.get('definition')}\nWords people use: {lay}"


def meta_of(corpus: Corpus, item: str) -> str | None:
    """The hash of what is shown with an item besides its text (passages and prompts)."""
    kind, _, ident = item.partition(":")
    if kind == "passage" and ident in corpus.passages:
        return passage_meta(corpus.passages[ident])
    if kind == "prompt" and ident in corpus.prompts:
        return prompt_meta(corpus.prompts[ident])
    return None


def current_hashed_text(corpus: Corpus, item: str) -> str | None:
    kind, _, ident = item.partition(":")
    if kind == "passage" and ident in corpus.passages:
        return corpus.passages[ident].text
    if kind == "prompt" and ident in corpus.prompts:
        return corpus.prompts[ident].text
    if kind == "message" and ident in corpus.messages:
        return corpus.messages[ident].text
    if kind == "glossary" and ident in corpus.glossary:
        return glossary_text(corpus.glossary[ident])
    if item == LEXICON_ITEM:
        return corpus.lexicon_text()
    if item == SAFETY_MODEL_ITEM:
        return corpus.safety_model_text()
    return None


# -- word diff ------------------------------------------------------------------------------
Op = Literal["same", "removed", "added"]
_TOKEN = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> list[tuple[Op, str]]:
    """The change from ``old`` to ``new`` word by word (whitespace kept), as runs of
    unchanged, removed and added text."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    out: list[tuple[Op, str]] = []

    def push(op: Op, text: str) -> None:
        if not text:
            return
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))

    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            push("same", "".join(a[i1:i2]))
        else:
            push("removed", "".join(a[i1:i2]))
            push("added", "".join(b[j1:j2]))
    return out


def diff_as_text(runs: list[tuple[Op, str]]) -> str:
    """The diff as plain text, git's word-diff style: [-removed-] {+added+}."""
    marks = {"same": ("", ""), "removed": ("[-", "-]"), "added": ("{+", "+}")}
    return "".join(marks[op][0] + text + marks[op][1] for op, text in runs)
