"""Hash-bound, hash-chained approvals (design non-negotiable 3, safety.md §3)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from botcore.errors import CorpusError
from botcore.ledger import Ledger, sha256_text


def make(tmp_path: Path) -> Ledger:
    return Ledger.load(tmp_path / "approvals.jsonl")


def test_edit_withdraws_approval(tmp_path: Path) -> None:
    ledger = make(tmp_path)
    ledger.record("passage:a", sha256_text("old"), "approved", "Dr A", "oncologist")
    assert ledger.status("passage:a", sha256_text("old")).state == "approved"
    changed = ledger.status("passage:a", sha256_text("old."))
    assert changed.state == "changed" and changed.previous is not None
    assert ledger.status("passage:b", sha256_text("old")).state == "pending"


def test_latest_decision_on_same_text_wins_and_survives_reload(tmp_path: Path) -> None:
    ledger = make(tmp_path)
    sha = sha256_text("t")
    ledger.record("passage:a", sha, "approved", "Dr A", "oncologist")
    ledger.record("passage:a", sha, "rejected", "Dr B", "nurse", note="needs context")
    again = make(tmp_path)
    assert again.problems == []
    assert again.status("passage:a", sha).state == "rejected"


def test_meta_hash_binds_title_too(tmp_path: Path) -> None:
    ledger = make(tmp_path)
    ledger.record("passage:a", sha256_text("t"), "approved", "Dr A", "nurse",
                  meta=sha256_text("title"))
    assert ledger.status("passage:a", sha256_text("t"), sha256_text("title")).state == "approved"
    assert ledger.status("passage:a", sha256_text("t"), sha256_text("new title")).state == "changed"


def test_chain_detects_edit_and_deletion(tmp_path: Path) -> None:
    ledger = make(tmp_path)
    for name in "abc":
        ledger.record(f"passage:{name}", sha256_text(name), "approved", "Dr A", "nurse")
    path = tmp_path / "approvals.jsonl"
    lines = path.read_text().splitlines()

    edited = json.loads(lines[0])
    edited["reviewer"] = "Somebody Else"
    first = json.dumps(edited, sort_keys=True, separators=(",", ":"))
    path.write_text("\n".join([first, *lines[1:]]) + "\n")
    assert make(tmp_path).problems

    path.write_text("\n".join([lines[0], lines[2]]) + "\n")  # a record removed
    damaged = make(tmp_path)
    assert damaged.problems
    with pytest.raises(CorpusError):
        damaged.require_intact()


def test_truncated_ledger_at_every_byte_is_read_and_reported(tmp_path: Path) -> None:
    ledger = make(tmp_path)
    for name in "ab":
        ledger.record(f"passage:{name}", sha256_text(name), "approved", "Dr A", "nurse")
    path = tmp_path / "approvals.jsonl"
    full = path.read_bytes()
    for cut in range(len(full) + 1):
        path.write_bytes(full[:cut])
        loaded = make(tmp_path)  # never raises
        whole = full[:cut].count(b"\n")
        assert len(loaded.records) >= whole
        tail = full[:cut].split(b"\n")[-1]
        if tail and len(loaded.records) == whole:
            assert loaded.problems  # a torn last line is named, and refuses serving


def test_refuses_to_append_to_a_damaged_ledger(tmp_path: Path) -> None:
    path = tmp_path / "approvals.jsonl"
    path.write_text('{"not": "an approval"}\n')
    with pytest.raises(CorpusError):
        make(tmp_path).record("passage:a", sha256_text("a"), "approved", "Dr A", "nurse")


def _status_by_scan(ledger: Ledger, item: str, sha: str, meta: str | None) -> tuple[str, object]:
    """The rule, read off the whole ledger in order (the oracle for the per-item index)."""
    matching = earlier = None
    for rec in ledger.records:
        if rec.item == item and rec.sha256 == sha and rec.meta_sha256 in (None, meta):
            matching = rec
        elif rec.item == item and rec.decision == "approved":
            earlier = rec
    if matching is not None:
        return ("approved" if matching.decision == "approved" else "rejected"), matching
    return ("changed", earlier) if earlier is not None else ("pending", None)


def test_status_by_item_index_equals_a_scan_of_the_whole_ledger(tmp_path: Path) -> None:
    import random

    rng = random.Random(7)
    ledger = make(tmp_path)
    items, texts = ["passage:a", "passage:b", "message:c"], ["one", "two", "three"]
    for step in range(60):
        ledger.record(rng.choice(items), sha256_text(rng.choice(texts)),
                      rng.choice(["approved", "rejected"]), "Dr A", "nurse",
                      meta=rng.choice([None, sha256_text("m")]))
        if step % 7 == 0:  # the index follows records appended after a status was read
            for item in [*items, "passage:none"]:
                for text in texts:
                    for meta in (None, sha256_text("m")):
                        got = ledger.status(item, sha256_text(text), meta)
                        want = _status_by_scan(ledger, item, sha256_text(text), meta)
                        assert (got.state, got.record or got.previous) == want
