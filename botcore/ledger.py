"""The approvals ledger: append-only, hash-bound, hash-chained.

A decision (approved / rejected) is bound to the sha256 of the exact text it was made
on, so editing a passage withdraws its approval until it is reviewed again. Every line
also carries the hash of the line before it; ``verify`` reports any record that was
edited, removed or reordered after the fact.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from botcore.errors import CorpusError
from botcore.schema import Approval
from botcore.storage import append_jsonl, read_jsonl

State = Literal["approved", "pending", "changed", "rejected"]


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _line_hash(record: dict[str, object]) -> str:
    """Hash of a record as ``append_jsonl`` writes it (canonical JSON, ASCII)."""
    line = json.dumps(record, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(line.encode("ascii")).hexdigest()


@dataclass(frozen=True)
class ItemStatus:
    state: State
    record: Approval | None
    """The decision that applies to the current text (None when pending or changed)."""
    previous: Approval | None = None
    """For ``changed``: the approval given to an earlier version of the text."""


class Ledger:
    """An in-memory view of ``approvals.jsonl``; ``record`` appends to the file."""

    def __init__(
        self, path: Path, records: list[Approval], problems: list[str], last_hash: str = ""
    ) -> None:
        self.path = path
        self._last_hash = last_hash
        self.records = records
        self.problems = problems
        """Torn lines, invalid records and chain breaks: empty for a healthy ledger."""
        self._by_item: dict[str, list[Approval]] = {}
        self._indexed = 0
        """How many of ``records`` ``_by_item`` holds (records are only ever appended)."""

    def _decisions_on(self, item: str) -> list[Approval]:
        """The records about one item, in ledger order. Every shown message and passage
        asks for its status, so a scan of the whole ledger per question adds up."""
        if self._indexed != len(self.records):
            self._by_item = {}
            for rec in self.records:
                self._by_item.setdefault(rec.item, []).append(rec)
            self._indexed = len(self.records)
        return self._by_item.get(item, [])

    @classmethod
    def load(cls, path: Path) -> Ledger:
        raw = read_jsonl(path)
        problems = [f"{path.name}: line {n} is not a whole record (torn write?)"
                    for n in raw.torn_lines]
        records: list[Approval] = []
        expected_prev = ""
        for number, obj in enumerate(raw.records, start=1):
            try:
                approval = Approval.model_validate(obj)
            except ValidationError as exc:
                field = ".".join(str(p) for p in exc.errors()[0]["loc"])
                problems.append(f"{path.name}: record {number}: field '{field}' is invalid")
                continue
            if approval.prev != expected_prev:
                problems.append(
                    f"{path.name}: record {number} ({approval.item}) "
                    "does not follow the one before it:"
                    " the ledger was edited"
                )
            expected_prev = _line_hash(obj)
            records.append(approval)
        return cls(path, records, problems, expected_prev)

    def require_intact(self) -> None:
        """Refuse a damaged ledger: approvals from it cannot be trusted (fail closed)."""
        if self.problems:
            raise CorpusError(self.problems[0])

    def status(self, item: str, sha: str, meta: str | None = None) -> ItemStatus:
        """The review state of ``item`` whose current text hashes to ``sha``."""
        matching: Approval | None = None
        earlier_approval: Approval | None = None
        for rec in self._decisions_on(item):
            if rec.sha256 == sha and (rec.meta_sha256 is None or rec.meta_sha256 == meta):
                matching = rec  # the latest decision on this exact text wins
            elif rec.decision == "approved":
                earlier_approval = rec
        if matching is not None:
            state: State = "approved" if matching.decision == "approved" else "rejected"
            return ItemStatus(state, matching)
        if earlier_approval is not None:
            return ItemStatus("changed", None, earlier_approval)
        return ItemStatus("pending", None)

    def record(
        self,
        item: str,
        sha: str,
        decision: Literal["approved", "rejected"],
        reviewer: str,
        role: str,
        *,
        meta: str | None = None,
        meaning: Literal["patient-facing", "nurse-only"] = "patient-facing",
        note: str = "",
        demonstration: bool = False,
        at: datetime | None = None,
    ) -> Approval:
        """Append one decision, chained to the last record, and return it."""
        self.require_intact()
        prev = self._last_hash
        approval = Approval(
            item=item, sha256=sha, meta_sha256=meta, decision=decision, reviewer=reviewer,
            role=role, meaning=meaning, at=at or datetime.now(UTC), note=note, prev=prev,
            demonstration=demonstration,
        )
        line = approval.model_dump(mode="json")
        append_jsonl(self.path, line)
        self.records.append(approval)
        self._last_hash = _line_hash(line)
        return approval
