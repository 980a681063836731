"""The text an item had when it was approved, to show a reviewer what changed since.

The ledger keeps only hashes. Each approval recorded through ``record_decision`` also
keeps the exact approved text in ``corpus/approved-texts.jsonl`` (keyed by its sha256,
checked by hashing it again when read), so the diff works anywhere, with or without git.
For approvals older than that file, the text is recovered from git history (the corpus
is versioned): each earlier version of the file is checked until one hashes to the
approval's ``sha256``. When neither has it, the diff is reported unavailable.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from botcore.corpus import SAFETY_MODEL_FILE, SAFETY_MODEL_ITEM, Corpus, glossary_text
from botcore.ledger import sha256_text
from botcore.storage import append_jsonl, read_jsonl
from botcore.yamlio import YamlProblem, parse_yaml

TEXTS_FILE = "approved-texts.jsonl"
"""Beside the ledger: the exact text of each approval (by its sha256). Append-only."""
GIT_TIMEOUT_S = 5.0
MAX_VERSIONS = 50
"""How many earlier versions of a corpus file are searched for the approved text."""
KINDS = ("passage", "prompt", "glossary", "message", "lexicon")


def remember_text(corpus: Corpus, text: str) -> None:
    """Keep the exact approved text beside the ledger (once per distinct text)."""
    sha = sha256_text(text)
    if recall_text(corpus, sha) is None:
        append_jsonl(corpus.root / TEXTS_FILE, {"sha256": sha, "text": text})


def recall_text(corpus: Corpus, sha: str) -> str | None:
    """The approved text whose hash is ``sha``, if it was kept; checked by hashing."""
    path = corpus.root / TEXTS_FILE
    if not path.is_file():
        return None
    for record in read_jsonl(path).records:
        text = record.get("text") if isinstance(record, dict) else None
        if record.get("sha256") == sha and isinstance(text, str) and sha256_text(text) == sha:
            return text
    return None


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
    if kind not in KINDS:
        return Recovered(None, f"unknown kind of item '{kind}'")
    kept = recall_text(corpus, sha)
    if kept is not None:
        return Recovered(kept, f"the approved text kept in {TEXTS_FILE}")
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
