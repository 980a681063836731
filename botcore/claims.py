"""Content rules that tie a passage to the reviews: the claim ledger and "newer first".

Pure functions of the passage, the sources and the reviews' lines, so that each rule is
tested on small hand-made cases (``tests/test_claims.py``); ``botcore.lint`` runs them
over the corpus for ``atc-guide corpus check``.

* **Claim ledger.** Every figure a passage states has a claim: the figure as the review
  words it and the review lines it comes from. The figure must be in those lines, and
  the claim must sit inside a section the passage cites (so the citation shown holds
  it). Every number in the text must be covered by a claim, or be an emergency number.
  A review citation whose section holds none of the passage's claims is refused: the
  content is then general guidance and is cited as such.
* **Newer first.** Where the two reviews differ on a subject (``corpus/newer_first.yaml``),
  a passage that cites the older review's section on it also cites the newer review's,
  first; a passage that states a figure only the older review gives calls it older and
  states the newer review's figure too.
"""

from __future__ import annotations

import re
from pathlib import Path

from botcore.schema import Claim, NewerFirstSubject, Passage, Source

ALLOWED_NUMBERS = frozenset({"911", "988"})
"""Numbers a passage may state without a claim: emergency and crisis phone numbers."""

_SUP = re.compile(r"<sup>.*?</sup>", re.IGNORECASE | re.DOTALL)
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_IDENTIFIER = re.compile(r"\b[A-Za-z]+[-/]?[A-Za-z]*\d+[A-Za-z0-9]*\b")
"""Names that hold digits but are not figures: V600E, PD-L1, PD-1, TP53, PI3K, R0, NCT..."""
_NUMBER = re.compile(r"(?<![\w.])(?:\d+(?:[.,]\d+)*|\.\d+)(?!\w)")
OLDER_WORD = re.compile(r"\bolder\b", re.IGNORECASE)


def normalize(text: str) -> str:
    """Lowercase, reference markers (``<sup>12</sup>``) and emphasis out, dashes and
    spaces folded: so that a figure is found however the file typesets it."""
    text = _SUP.sub(" ", text)
    text = text.replace("*", "").replace("\\", "").replace("\u00a0", " ")
    text = _DASHES.sub("-", text)
    return " ".join(text.lower().split())


def contains(haystack: str, needle: str) -> bool:
    """``needle`` occurs in ``haystack`` (both normalized), not inside a longer word or
    number: "5 months" is not found in "25 months"."""
    n = normalize(needle)
    if not n:
        return False
    pattern = (r"(?<![a-z0-9])" if n[0].isalnum() else "") + re.escape(n)
    pattern += r"(?![a-z0-9])" if n[-1].isalnum() else ""
    return re.search(pattern, normalize(haystack)) is not None


def numbers(text: str) -> set[str]:
    """The numerals a text states ("82.5%" gives "82.5"), leaving out names that hold
    digits (V600E, PD-L1, TP53)."""
    return set(_NUMBER.findall(_IDENTIFIER.sub(" ", text)))


def read_source_lines(sources_dir: Path, sources: dict[str, Source]) -> dict[str, list[str]]:
    """Each review's lines, by source id; reviews whose file is missing are left out."""
    out: dict[str, list[str]] = {}
    for source in sources.values():
        path = sources_dir / source.file
        if path.is_file():
            out[source.id] = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return out


def _within(inner: tuple[int, int], outer: tuple[int, int]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def _in_section(claim: Claim, source: str, section: str, sources: dict[str, Source]) -> bool:
    found = sources[source].section(section) if source in sources else None
    return claim.source == source and found is not None and _within(claim.lines, found.lines)


def check_claims(
    passage: Passage, sources: dict[str, Source], lines: dict[str, list[str]]
) -> list[str]:
    """Problems with a passage's claim ledger (empty when it is sound)."""
    problems: list[str] = []
    where = f"passage '{passage.id}'"
    review_cites = [c for c in passage.cites if not c.is_general]
    for claim in passage.claims:
        first, last = claim.lines
        label = f"{where}: claim '{claim.figure}' ({claim.source} lines {first}-{last})"
        if claim.source not in sources:
            problems.append(f"{label}: unknown source")
            continue
        if not any(_in_section(claim, c.source, c.section or "", sources) for c in review_cites):
            problems.append(f"{label}: not inside a section the passage cites")
        shown = claim.shown_as or claim.figure
        if not contains(passage.text, shown):
            problems.append(f"{label}: the text does not say '{shown}'")
        text_lines = lines.get(claim.source)
        if text_lines is None:
            continue  # no copy of this review: the figure cannot be looked up
        if last > len(text_lines):
            problems.append(f"{label}: the review has only {len(text_lines)} lines")
        elif not contains("\n".join(text_lines[first - 1 : last]), claim.figure):
            problems.append(f"{label}: the figure is not in those lines of the review")
    for cite in review_cites:
        section = cite.section or ""
        if not any(_in_section(c, cite.source, section, sources) for c in passage.claims):
            problems.append(
                f"{where}: cites {cite.source} section '{cite.section}', which holds none of its "
                "claims (cite general guidance for content that is not in the reviews)"
            )
    covered = set(ALLOWED_NUMBERS)
    for claim in passage.claims:
        covered |= numbers(claim.shown_as or claim.figure)
    for number in sorted(numbers(passage.text) - covered, key=lambda n: (len(n), n)):
        problems.append(f"{where}: the number {number} has no claim")
    return problems


def check_newer_first(passage: Passage, subjects: list[NewerFirstSubject]) -> list[str]:
    """Problems with how a passage orders the two reviews on subjects where they differ."""
    problems: list[str] = []
    where = f"passage '{passage.id}'"
    keys = [(c.source, c.section) for c in passage.cites]
    for subject in subjects:
        older = (subject.older.source, subject.older.section)
        if older not in keys or not re.search(subject.terms, passage.text, re.IGNORECASE):
            continue
        newer = [keys.index((n.source, n.section)) for n in subject.newer
                 if (n.source, n.section) in keys]
        if not newer:
            problems.append(
                f"{where}: cites only the older review ({older[0]} '{older[1]}') on "
                f"'{subject.id}', which the newer review also covers: cite and lead with "
                + " or ".join(f"{n.source} '{n.section}'" for n in subject.newer))
        elif min(newer) > keys.index(older):
            problems.append(
                f"{where}: on '{subject.id}', cite the newer review before the older one")
        stated = [f for f in subject.older_figures if contains(passage.text, f)]
        if stated and not OLDER_WORD.search(passage.text):
            problems.append(f"{where}: states the older review's '{stated[0]}' on "
                            f"'{subject.id}' without calling it older")
    return problems
