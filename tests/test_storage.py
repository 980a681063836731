"""Atomic writes, append-only JSON lines and private folders (safety.md §3, §4)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

from botcore.storage import append_jsonl, ensure_private_dir, read_jsonl, write_atomic


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_write_atomic_replaces_and_is_private(tmp_path: Path) -> None:
    target = tmp_path / "f.json"
    write_atomic(target, "old")
    write_atomic(target, "new")
    assert target.read_text() == "new"
    assert mode(target) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["f.json"]  # no temp files left


def test_private_dir_under_permissive_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        folder = ensure_private_dir(tmp_path / "a" / "b")
        write_atomic(folder / "s.json", "{}")
        append_jsonl(folder / "l.jsonl", {"a": 1})
    finally:
        os.umask(old)
    assert mode(folder) == 0o700
    assert mode(folder / "s.json") == 0o600
    assert mode(folder / "l.jsonl") == 0o600


def test_jsonl_is_ascii_and_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "l.jsonl"
    append_jsonl(path, {"text": "caf\u00e9 \u2014 \u2028 x"})
    raw = path.read_bytes()
    assert raw.isascii()
    assert read_jsonl(path).records == [{"text": "caf\u00e9 \u2014 \u2028 x"}]


def test_reader_tolerates_truncation_at_every_byte(tmp_path: Path) -> None:
    path = tmp_path / "l.jsonl"
    for i in range(3):
        append_jsonl(path, {"n": i, "text": "x" * i})
    full = path.read_bytes()
    lines = full.split(b"\n")
    for cut in range(len(full) + 1):
        path.write_bytes(full[:cut])
        result = read_jsonl(path)
        complete = full[:cut].count(b"\n")
        assert [r["n"] for r in result.records][:complete] == list(range(complete))
        assert len(result.records) + len(result.torn_lines) <= 3
        partial = full[:cut].split(b"\n")[-1]
        if partial and partial != lines[complete]:
            assert result.torn_lines  # a torn last line is reported, not silently dropped


def test_append_after_torn_line_starts_a_new_line(tmp_path: Path) -> None:
    path = tmp_path / "l.jsonl"
    append_jsonl(path, {"n": 1})
    with open(path, "ab") as handle:
        handle.write(b'{"n": 2, "tor')
    append_jsonl(path, {"n": 3})
    result = read_jsonl(path)
    assert [r["n"] for r in result.records] == [1, 3]
    assert result.torn_lines == [2]


WRITER = """
import sys
from pathlib import Path
from botcore.storage import write_atomic
target = Path(sys.argv[1])
i = 0
while True:
    i += 1
    write_atomic(target, ("version %d\\n" % i) * 2000)
"""


def test_killed_writer_leaves_a_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "state.txt"
    write_atomic(target, "version 0\n" * 2000)
    for attempt in range(12):  # bounded: kill the writer at varied points
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target)])
        time.sleep(0.05 + 0.02 * attempt)
        proc.kill()
        proc.wait()
        lines = target.read_text().splitlines()
        assert len(lines) == 2000 and len(set(lines)) == 1, "file is a mix of two versions"
    leftovers = [p for p in tmp_path.iterdir() if p.name != "state.txt"]
    assert all(p.name.endswith(".tmp") for p in leftovers)
    json.dumps([p.name for p in leftovers])
