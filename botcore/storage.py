"""Crash-safe file writing: atomic whole-file writes, append-only JSON lines, private folders.

Everything the project writes (sessions, handouts, the index, the approvals ledger,
eval reports) goes through these few functions so that a crash or a full disk leaves
either the old file or the new one, never half of each (safety.md §3).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) and make it readable by its owner only, whatever the umask."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    os.chmod(path, PRIVATE_DIR_MODE)
    return path


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # some filesystems cannot fsync a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomic(path: Path, data: bytes | str, mode: int = PRIVATE_FILE_MODE) -> None:
    """Replace ``path`` with ``data`` atomically: temp file in the same folder (0600),
    write, flush, fsync, ``os.replace``, fsync the folder."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    _fsync_dir(folder)


def append_jsonl(path: Path, record: dict[str, Any], mode: int = PRIVATE_FILE_MODE) -> None:
    """Append one JSON object as one line (ASCII only, so a line can never be split inside
    a multi-byte character), then fsync. The file is created with ``mode``."""
    line = json.dumps(record, ensure_ascii=True, sort_keys=True, separators=(",", ":")) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, mode)
    try:
        # A torn last line from an earlier crash must not glue itself to this record.
        if os.fstat(fd).st_size > 0:
            with open(path, "rb") as reader:
                reader.seek(-1, os.SEEK_END)
                if reader.read(1) != b"\n":
                    line = "\n" + line
        os.write(fd, line.encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class JsonLines:
    """What a JSON-lines file held: the whole records, and any lines that were not whole."""

    records: list[dict[str, Any]]
    torn_lines: list[int]
    """1-based numbers of lines that were not a JSON object (a torn write, or damage)."""


def read_jsonl(path: Path) -> JsonLines:
    """Read every whole record; tolerate (and report) lines that are torn or damaged."""
    records: list[dict[str, Any]] = []
    torn: list[int] = []
    if not path.exists():
        return JsonLines(records, torn)
    raw = path.read_bytes()
    for number, line in enumerate(_lines(raw), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line.decode("ascii"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            torn.append(number)
            continue
        if isinstance(obj, dict):
            records.append(obj)
        else:
            torn.append(number)
    return JsonLines(records, torn)


def _lines(raw: bytes) -> Iterator[bytes]:
    yield from raw.split(b"\n")
