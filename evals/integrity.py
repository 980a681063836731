"""The integrity check: every snippet and message served is the approved text, byte for
byte, checked against a corpus loaded fresh from disk (not the engine's own copy, so a
change the engine made in memory would show)."""

from __future__ import annotations

from pathlib import Path

from botcore import Answer, Snippet
from botcore.corpus import Corpus
from botcore.ledger import sha256_text


class IntegrityChecker:
    """Checks every snippet and message served against a corpus loaded fresh from disk:
    byte-identical text, an approval record whose sha256 is the sha256 of exactly these
    bytes, and a citation and an approval shown with it."""

    def __init__(self, corpus_dir: Path) -> None:
        self.corpus = Corpus(corpus_dir)
        self.snippets_checked = 0
        self.snippets_ok = 0
        self.messages_checked = 0
        self.messages_ok = 0
        self.failures: list[dict[str, str]] = []

    def check(self, case_id: str, answer: Answer) -> list[str]:
        """The problems with one answer (none when it is intact); also counted."""
        problems: list[str] = []
        for snip in answer.snippets:
            self.snippets_checked += 1
            bad = self._snippet_problem(snip)
            if bad:
                problems.append(f"snippet '{snip.passage_id}': {bad}")
            else:
                self.snippets_ok += 1
        if answer.message is not None:
            self.messages_checked += 1
            bad = self._message_problem(answer.message_id, answer.message)
            if bad:
                problems.append(f"message '{answer.message_id}': {bad}")
            else:
                self.messages_ok += 1
        for p in problems:
            self.failures.append({"case": case_id, "problem": p})
        return problems

    def _snippet_problem(self, snip: Snippet) -> str | None:
        passage = self.corpus.passages.get(snip.passage_id)
        if passage is None:
            return "no such passage in the corpus on disk"
        if snip.text.encode("utf-8") != passage.text.encode("utf-8"):
            return "text differs from the passage on disk"
        status = self.corpus.passage_status(passage)
        record = status.record
        if status.state != "approved" or record is None or record.decision != "approved":
            return f"passage is {status.state}, not approved"
        if sha256_text(snip.text) != record.sha256:
            return "sha256 of the served text does not match its approval"
        if not snip.citation.strip() or snip.citation != self.corpus.citation(passage):
            return "citation missing or different from the passage's sources"
        if not snip.approved_by.strip() or not snip.approved_on.strip():
            return "approval (who, when) not shown"
        if snip.title != passage.title:
            return "title differs from the approved title"
        return None

    def _message_problem(self, message_id: str | None, text: str) -> str | None:
        if message_id is None or message_id not in self.corpus.messages:
            return "not a corpus message"
        if text.encode("utf-8") != self.corpus.messages[message_id].text.encode("utf-8"):
            return "text differs from the message on disk"
        status = self.corpus.message_status(message_id)
        if status.state != "approved" or status.record is None:
            return f"message is {status.state}, not approved"
        if sha256_text(text) != status.record.sha256:
            return "sha256 does not match its approval"
        return None
