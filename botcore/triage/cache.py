"""The start-up cache of the lexicon check and the triage analysis (issue 13).

Checking the lexicon (re-parsing every pattern for the lints) and analysing it for the
screen (splitting alternatives, finding heads and needles) took about 680 ms at every
start, and both are pure functions of the lexicon's text and this code. So the result is
kept as JSON (never pickle: a cache file is data, not code) in the cache folder, under a
key made of sha256(lexicon text + the source of the triage package and the sanitizer +
Python version). A file whose key, format or shape does not fit is ignored and rebuilt.

What is never skipped: the approval of the lexicon (``Corpus.require_safety_approved``
runs on every start), the YAML parse and the structural validation of the lexicon.

The cache folder is the user's own (private, 0700); a cache there is trusted as much as
the rest of that folder (the index cache too). See SAFETY.md, hazard H12.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from pathlib import Path
from typing import Any

from botcore.storage import write_atomic
from botcore.triage.loader import lexicon_text, parse_lexicon
from botcore.triage.screen import Triage

log = logging.getLogger("atc_guide.triage")

FORMAT = "atc-guide-triage-cache/1"
_CODE = ("lexicon.py", "patterns.py", "prefilter.py", "prepared.py", "screen.py", "fuzzy.py")


def cache_key(text: str) -> str:
    """sha256 of what the cached result depends on: the text, the code, the Python."""
    digest = hashlib.sha256()
    digest.update(FORMAT.encode())
    digest.update(sys.version.encode())
    here = Path(__file__).resolve().parent
    for name in _CODE:
        digest.update((here / name).read_bytes())
    digest.update((here.parent / "sanitize.py").read_bytes())
    digest.update(text.encode("utf-8"))
    return digest.hexdigest()


def _path(cache_dir: Path, key: str) -> Path:
    return cache_dir / f"triage-{key[:32]}.json"


def _read(cache_dir: Path, key: str) -> dict[str, list[list[object]]] | None:
    try:
        data: Any = json.loads(_path(cache_dir, key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not (isinstance(data, dict) and data.get("format") == FORMAT and data.get("key") == key
            and isinstance(data.get("precompute"), dict)):
        return None
    return data["precompute"]  # type: ignore[no-any-return]


def load_triage(path: Path, cache_dir: Path | None) -> Triage:
    """The checked lexicon, compiled for the screen: from the cache when this exact text
    and code were checked before, else checked and analysed here (and cached)."""
    text = lexicon_text(path)
    key = cache_key(text)
    cached = _read(cache_dir, key) if cache_dir is not None else None
    if cached is not None:
        try:
            return Triage(parse_lexicon(text, path.name, checked=True), cached)
        except (ValueError, TypeError, IndexError, KeyError):
            log.warning("triage cache unreadable; rebuilding it")
    triage = Triage(parse_lexicon(text, path.name))
    if cache_dir is not None:
        payload = {"format": FORMAT, "key": key, "precompute": triage.precompute()}
        try:
            write_atomic(_path(cache_dir, key), json.dumps(payload, sort_keys=True))
        except OSError as exc:
            log.warning("triage cache not written (%s)", type(exc).__name__)
    return triage
