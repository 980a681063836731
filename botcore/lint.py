"""``atc-guide corpus check``: the content rules clinicians and the design ask for.

Schema errors stop the load before this runs; these are the rules a schema cannot
express: length, reading grade, no copying from the reviews, nothing about methods or
doses (S4), the claim ledger and "newer first" (``botcore.claims``), and approval
coverage.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from botcore.claims import check_claims, check_newer_first, read_source_lines
from botcore.corpus import Corpus
from botcore.readability import flesch_kincaid_grade

MIN_WORDS, MAX_WORDS = 40, 150
MAX_MEDIAN_GRADE = 6.0
"""Patient passages: median Flesch-Kincaid grade at most this..."""
MAX_GRADE = 8.0
"""...and none above this."""
NGRAM = 8
# S4: no methods, doses or lethality in anything a patient can read.
FORBIDDEN = re.compile(
    r"\b(\d+\s?(mg|mcg|milligrams?|micrograms?|ml)\b|lethal dose|overdose|how many pills|"
    r"fatal dose|to kill yourself)", re.IGNORECASE)
MARKUP = re.compile(r"[\[\]<>]|https?://|www\.")


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def source_ngrams(sources_dir: Path, n: int = NGRAM) -> set[tuple[str, ...]]:
    tokens = words(" ".join(p.read_text(errors="ignore") for p in sorted(sources_dir.glob("*.txt"))))
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def copied_run(text: str, grams: set[tuple[str, ...]], n: int = NGRAM) -> str | None:
    w = words(text)
    for i in range(len(w) - n + 1):
        if tuple(w[i : i + n]) in grams:
            return " ".join(w[i : i + n])
    return None


def reading_grade(text: str) -> float:
    return flesch_kincaid_grade(text)


@dataclass
class LintReport:
    errors: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self) -> list[str]:
        return [*self.facts, *(f"ERROR {e}" for e in self.errors),
                "corpus check: " + ("passed" if self.ok else f"FAILED ({len(self.errors)} problems)")]


def lint_corpus(corpus: Corpus, sources_dir: Path | None) -> LintReport:
    report = LintReport()
    grams = source_ngrams(sources_dir) if sources_dir and sources_dir.is_dir() else None
    if grams is None:
        report.facts.append("copy check and claim look-up skipped: no copy of the reviews found "
                            "(set ATC_GUIDE_SOURCES_DIR)")
    lines = read_source_lines(sources_dir, corpus.sources) if sources_dir and grams else {}
    grades = []
    for p in corpus.passages.values():
        n = len(words(p.text))
        if not MIN_WORDS <= n <= MAX_WORDS:
            report.errors.append(f"passage '{p.id}': {n} words (allowed {MIN_WORDS}-{MAX_WORDS})")
        if p.audience == "patient":
            grade = reading_grade(p.text)
            grades.append(grade)
            if grade > MAX_GRADE:
                report.errors.append(
                    f"passage '{p.id}': reading grade {grade:.1f} is above {MAX_GRADE}")
        report.errors += check_claims(p, corpus.sources, lines)
        report.errors += check_newer_first(p, corpus.newer_first)
        for label, text in (("text", p.text), ("title", p.title)):
            if FORBIDDEN.search(text):
                report.errors.append(f"passage '{p.id}': {label} mentions a dose or method (S4)")
            if MARKUP.search(text):
                report.errors.append(f"passage '{p.id}': {label} has brackets, markup or a link")
            if grams and (run := copied_run(text, grams)):
                report.errors.append(f"passage '{p.id}': {label} copies the reviews: '{run}'")
    for g in corpus.glossary.values():
        if grams and (run := copied_run(g.definition, grams)):
            report.errors.append(f"glossary '{g.id}': definition copies the reviews: '{run}'")
    for prompt in getattr(corpus, "prompts", {}).values():
        if FORBIDDEN.search(prompt.text) or MARKUP.search(prompt.text):
            report.errors.append(f"prompt '{prompt.id}': mentions a dose or method, or has markup")
        if grams and (run := copied_run(prompt.text, grams)):
            report.errors.append(f"prompt '{prompt.id}': copies the reviews: '{run}'")
    for m in corpus.messages.values():
        if FORBIDDEN.search(m.text):
            report.errors.append(f"message '{m.id}': mentions a dose or method (S4)")
        if grams and (run := copied_run(m.text, grams)):
            report.errors.append(f"message '{m.id}': copies the reviews: '{run}'")
    if grades:
        median = statistics.median(grades)
        above = sum(g > MAX_GRADE for g in grades)
        report.facts.append(f"reading grade (patient passages, Flesch-Kincaid): median {median:.1f}, "
                            f"max {max(grades):.1f}, {above} above grade {MAX_GRADE:g}")
        if median > MAX_MEDIAN_GRADE:
            report.errors.append(f"median reading grade {median:.1f} is above {MAX_MEDIAN_GRADE}")
    states = Counter(i.status.state for i in corpus.review_items())
    claims = sum(len(p.claims) for p in corpus.passages.values())
    general = sum(any(c.is_general for c in p.cites) for p in corpus.passages.values())
    report.facts.append(f"passages: {len(corpus.passages)}; glossary terms: {len(corpus.glossary)}; "
                        f"messages: {len(corpus.messages)}")
    report.facts.append(f"claim ledger: {claims} claims; {general} passages cite general guidance; "
                        f"{len(corpus.newer_first)} newer-first subjects")
    report.facts.append("approvals: " + ", ".join(f"{k} {v}" for k, v in sorted(states.items())))
    report.errors += corpus.ledger.problems
    return report
