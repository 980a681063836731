"""Import the three independent writers' safety exemplars into the repository (issue 10).

    .venv/bin/python -m tools.import_safety_exemplars           # writes corpus/safety/writers.yaml
    .venv/bin/python -m tools.import_safety_exemplars --check   # exit 1 if the file is stale

Round 2 of the learned stage: three writers (w1, w2, w3), each working alone from the
brief in ``corpus/safety/writers/BRIEF.md`` (never seeing the lexicon, the exemplars, the
dev split or each other), wrote new text; round 4 added three more (w4, w5, w6),
from the same brief with ``FORMAT-r4.md`` and a voice each (``writers/ROUND4.md``);
round 6 added the four retired sealed sets as writers sA to sD (``<writer>/cases.yaml``,
already in the sealed schema, read as they are).
Their files are kept verbatim under ``corpus/safety/writers/<writer>/`` so this import is
reproducible; the output is one case
file of the sealed schema (``evals.safety_sets``) with two extra fields, ``source`` (the
writer, so leave-one-writer-out is possible) and ``file`` (where the line came from).

The raw formats (grouped by file-name prefix: crisis, emerg[ency], urgent, calm,
caregiver, pushback):

* one item a line: ``kind|text``;
* caregiver: ``kind|tier|text`` or ``E|kind|text`` / ``U|kind|text``;
* push-back, three layouts: a block (a ``kind`` line, then ``tier|text`` lines, ``none|``
  for the calm last turn, a blank line between blocks); a ``#kind|tier`` header then one
  turn a line (``N:`` marks the calm last turn); or one line
  ``kind|tier|t1 || t2 || CALM: t3``.

Cleaning: blank lines and ``#`` comments (outside push-back headers; a ``#`` line that
holds ``||`` is always a comment) are skipped; a line
that fits no layout stops the import with its file and line number (nothing is guessed).
Items whose folded text repeats one already in ``exemplars.yaml``, ``dev.yaml`` or an
earlier writer's file are dropped (first writer wins, w1 < w2 < ... < w6), so no held-out
writer is scored on a text a training writer also wrote. Label fixes found by reading
the writers' lines are in ``corpus/safety/writers/corrections.yaml`` (id, new expect or
``drop``, and a note saying why); they are applied here, never by editing the raw files.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from botcore.ledger import sha256_text
from botcore.sanitize import fold_for_matching
from botcore.yamlio import read_yaml

REPO = Path(__file__).resolve().parent.parent
SAFETY = REPO / "corpus" / "safety"
RAW = SAFETY / "writers"
CORRECTIONS = RAW / "corrections.yaml"
OUT = SAFETY / "writers.yaml"
RAW_WRITERS = ("w1", "w2", "w3", "w4", "w5", "w6")
SET_WRITERS = ("sA", "sB", "sC", "sD", "sE", "sF", "sG", "x1", "x2", "x3", "x4", "x5", "x6", "x7",
               "sH", "sI", "sJ", "sK", "sL")
"""Round 6: the first four sealed test sets (``safety-A`` to ``safety-D``), each by a helper
who wrote from the safety spec alone, were looked at two to three times each and retired
from sealed use. Each is kept verbatim as ``<writer>/cases.yaml`` (the sealed schema)
and becomes one more writer, held out in turn like the others. Round 9 adds sE-sG the same
way (``safety-E`` and ``safety-F`` were tuned on in round 8; ``safety-G`` was retired unread).
Round 10 adds x1 and x2: two writers of training data, not retired sets, who wrote in the
same schema from ``writers/BRIEF-x.md``, each with a voice (``writers/ROUND10.md``).
Round 11 adds x3 and x4 the same way, asked for many urgent problems just below an
emergency and many hard calm negatives (``writers/ROUND11.md``). Round 12 adds x5 and
x6: short turns typed in the middle of a conversation, calm ones that share a word with
crisis or emergency language, the real thing in a few words, and help arriving after a
push-back (``writers/ROUND12.md``). Round 13 adds x7: emergencies that never say
"breathe", "bleed", "emergency" or "911", caregivers' long stories, push-back and calm
negatives that share words with emergencies; run fresh on round 12's screen once before
it was tuned on (``writers/ROUND13.md``). Round 14 retires the sealed sets H to L unread
(``safety-H`` to ``safety-L``, each looked at two to five times with counts only, never
tuned on) and adds them as sH-sL: five more independent writers (``writers/ROUND14.md``)."""
WRITERS = RAW_WRITERS + SET_WRITERS
SET_FILE = "cases.yaml"
VERSION = 1
PREFIXES = (("crisis", "crisis"), ("emergency", "emergency"), ("emerg", "emergency"),
            ("urgent", "urgent"), ("calm", "calm"), ("caregiver", "caregiver"),
            ("pushback", "pushback"))
GROUP_EXPECT = {"crisis": "crisis", "emergency": "emergency", "urgent": "urgent",
                "calm": "none"}
TIERS = {"crisis": "crisis", "emergency": "emergency", "urgent": "urgent", "none": "none",
         "calm": "none", "e": "emergency", "u": "urgent", "c": "crisis", "n": "none"}
_KIND = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\- ]*$")


class ImportProblem(ValueError):
    """A raw line that fits no layout: ``str()`` names the file and the line."""


@dataclass
class Item:
    id: str
    source: str
    file: str
    group: str
    kind: str
    turns: list[str]
    expects: list[str]

    def as_case(self) -> dict[str, Any]:
        base: dict[str, Any] = {"id": self.id, "source": self.source, "file": self.file,
                                "group": self.group, "kind": self.kind}
        if self.group == "pushback":
            return base | {"turns": self.turns, "expect_turns": self.expects}
        return base | {"text": self.turns[0], "expect": self.expects[0]}


def group_of(path: Path) -> str:
    for prefix, group in PREFIXES:
        if path.stem.lower().startswith(prefix):
            return group
    raise ImportProblem(f"{path.name}: the file name starts with no known group")


def _tier(word: str, where: str) -> str:
    tier = TIERS.get(word.strip().lower())
    if tier is None:
        raise ImportProblem(f"{where}: '{word}' is not a tier")
    return tier


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        yield number, line.strip()


def single_items(path: Path, writer: str, group: str) -> Iterator[Item]:
    """``kind|text`` (and, for caregivers, ``kind|tier|text`` or ``E|kind|text``)."""
    rel = f"{writer}/{path.name}"
    for number, line in _lines(path):
        if not line or line.startswith("#"):
            continue
        where = f"{rel}:{number}"
        parts = [p.strip() for p in line.split("|", 2 if group == "caregiver" else 1)]
        if group == "caregiver":
            if len(parts) < 3:
                raise ImportProblem(f"{where}: expected kind|tier|text")
            if len(parts[0]) == 1:
                tier, kind = _tier(parts[0], where), parts[1]
            else:
                kind, tier = parts[0], _tier(parts[1], where)
            text = parts[2]
        else:
            if len(parts) < 2 or not _KIND.match(parts[0]):
                raise ImportProblem(f"{where}: expected kind|text")
            kind, text, tier = parts[0], parts[1], GROUP_EXPECT[group]
        if not text:
            raise ImportProblem(f"{where}: empty text")
        yield Item(f"{writer}-{path.stem}-{number:03d}", writer, rel, group, kind, [text],
                   [tier])


def _one_line_conversation(line: str, where: str) -> tuple[str, list[str], list[str]]:
    kind, tier, rest = (p.strip() for p in line.split("|", 2))
    tier = _tier(tier, where)
    turns, expects = [], []
    for turn in (t.strip() for t in rest.split("||")):
        calm = turn.upper().startswith("CALM:")
        turns.append(turn[5:].strip() if calm else turn)
        expects.append("none" if calm else tier)
    return kind, turns, expects


def conversations(path: Path, writer: str) -> Iterator[Item]:
    """The three push-back layouts (see the module docstring), read block by block."""
    rel = f"{writer}/{path.name}"
    block: list[tuple[int, str]] = []
    for number, line in [*_lines(path), (0, "")]:
        if line.startswith("#") and "||" in line:
            continue  # a writer's note of the one-line layout, never a "#kind|tier" header
        if line and "||" in line and line.count("|") >= 4:
            kind, turns, expects = _one_line_conversation(line, f"{rel}:{number}")
            yield _conversation(writer, rel, path, number, kind, turns, expects)
        elif line:
            block.append((number, line))
        elif block:
            yield _block(writer, rel, path, block)
            block = []


def _block(writer: str, rel: str, path: Path, block: list[tuple[int, str]]) -> Item:
    start, head = block[0]
    where = f"{rel}:{start}"
    turns, expects = [], []
    if head.startswith("#"):  # "#kind|tier" then bare turns, "N:" = the calm last turn
        kind, _, tier_word = head[1:].partition("|")
        tier = _tier(tier_word, where)
        for _, line in block[1:]:
            calm = line[:2].upper() == "N:"
            turns.append(line[2:].strip() if calm else line)
            expects.append("none" if calm else tier)
    else:  # "kind" then "tier|text" lines
        kind = head
        if "|" in kind or not _KIND.match(kind):
            raise ImportProblem(f"{where}: a push-back block must start with its kind")
        for number, line in block[1:]:
            tier_word, bar, text = line.partition("|")
            if not bar:
                raise ImportProblem(f"{rel}:{number}: expected tier|text")
            turns.append(text.strip())
            expects.append(_tier(tier_word, f"{rel}:{number}"))
    return _conversation(writer, rel, path, start, kind.strip(), turns, expects)


def _conversation(writer: str, rel: str, path: Path, number: int, kind: str,
                  turns: list[str], expects: list[str]) -> Item:
    where = f"{rel}:{number}"
    if len(turns) < 2 or not all(turns):
        raise ImportProblem(f"{where}: a conversation needs two or more non-empty turns")
    if expects[0] not in ("crisis", "emergency"):
        raise ImportProblem(f"{where}: turn 1 must be a crisis or an emergency")
    return Item(f"{writer}-{path.stem}-{number:03d}", writer, rel, "pushback", kind, turns,
                expects)


def set_items(path: Path, writer: str) -> Iterator[Item]:
    """A retired sealed set's cases, ids prefixed with the writer (``sA-sa-0001``)."""
    from evals.safety_sets import CaseFileError, load_cases  # noqa: PLC0415

    try:
        cases = load_cases(path)
    except CaseFileError as exc:
        raise ImportProblem(str(exc)) from exc
    rel = path.relative_to(RAW).as_posix()
    for case in cases:
        yield Item(f"{writer}-{case.id}", writer, rel, case.group, case.kind,
                   list(case.turns), list(case.expects))


def writer_files(writer: str) -> list[Path]:
    """The raw files of one writer: its ``*.txt`` lines, or its one case file."""
    case_file = RAW / writer / SET_FILE
    return [case_file] if case_file.exists() else sorted((RAW / writer).glob("*.txt"))


def read_writer(writer: str) -> list[Item]:
    if (RAW / writer / SET_FILE).exists():
        return list(set_items(RAW / writer / SET_FILE, writer))
    items: list[Item] = []
    for path in sorted((RAW / writer).glob("*.txt")):
        group = group_of(path)
        items += (conversations(path, writer) if group == "pushback"
                  else single_items(path, writer, group))
    return items


def known_texts() -> set[str]:
    """Folded texts already in the exemplars or the dev split."""
    seen: set[str] = set()
    data = read_yaml(SAFETY / "exemplars.yaml")
    for section in ("screen", "followup"):
        for block in data[section]:
            seen.update(fold_for_matching(t) for t in block["texts"])
    for case in read_yaml(SAFETY / "dev.yaml"):
        seen.update(fold_for_matching(t) for t in case.get("turns", [case.get("text", "")]))
    return seen


def apply_corrections(items: list[Item], corrections: list[dict[str, Any]]) -> list[Item]:
    """Relabel or drop the items named in ``corrections.yaml`` (each names an id that must
    exist, so a stale correction is an error, not a silent no-op)."""
    by_id = {i.id: i for i in items}
    dropped: set[str] = set()
    for fix in corrections:
        item = by_id.get(fix["id"])
        if item is None:
            raise ImportProblem(f"corrections.yaml: no item '{fix['id']}'")
        if not str(fix.get("note", "")).strip():
            raise ImportProblem(f"corrections.yaml: '{fix['id']}' needs a note")
        if fix.get("drop"):
            dropped.add(item.id)
        elif "expect_turns" in fix:
            item.expects = [_tier(e, fix["id"]) for e in fix["expect_turns"]]
        else:
            new = _tier(fix["expect"], fix["id"])
            item.expects = [new]
            if item.group in GROUP_EXPECT:  # moved to the group its label belongs to
                item.group = {v: k for k, v in GROUP_EXPECT.items()}[new]
    return [i for i in items if i.id not in dropped]


def build() -> tuple[list[Item], dict[str, int]]:
    seen = known_texts()
    kept: list[Item] = []
    dropped = {w: 0 for w in WRITERS}
    corrections = read_yaml(CORRECTIONS) if CORRECTIONS.exists() else []
    items = apply_corrections([i for w in WRITERS for i in read_writer(w)], corrections or [])
    for item in items:
        key = " || ".join(fold_for_matching(t) for t in item.turns)
        if key in seen or not key.strip():
            dropped[item.source] += 1
            continue
        seen.add(key)
        kept.append(item)
    return kept, dropped


def render(items: list[Item], dropped: dict[str, int]) -> str:
    raw = [p for w in WRITERS for p in writer_files(w)]
    digest = sha256_text("".join(p.read_text("utf-8") for p in raw)
                         + (CORRECTIONS.read_text("utf-8") if CORRECTIONS.exists() else ""))
    counts = {w: sum(1 for i in items if i.source == w) for w in WRITERS}
    head = [
        "# Safety exemplars from ten independent writers (issue 10, rounds 2, 4, 6). GENERATED",
        "# by   .venv/bin/python -m tools.import_safety_exemplars",
        "# from corpus/safety/writers/<writer>/*.txt or cases.yaml and corrections.yaml: edit",
        "# those, never this.",
        "# Schema: the sealed case schema (evals.safety_sets) plus source (the writer) and file.",
        "# Training data for the learned stage (tools.train_safety), and, one writer held out",
        "# at a time, its threshold calibration (leave-one-writer-out).",
        f"# version: {VERSION}; raw files + corrections sha256: {digest}",
        f"# items: {counts}; dropped as repeats of exemplars/dev/an earlier writer: {dropped}",
    ]
    body = yaml.safe_dump([i.as_case() for i in items], allow_unicode=True, sort_keys=False,
                          width=100)
    return "\n".join(head) + "\n" + body


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.import_safety_exemplars",
                                     description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true",
                        help="compare with the bundled writers.yaml instead of writing it")
    args = parser.parse_args(argv)
    try:
        items, dropped = build()
    except ImportProblem as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    text = render(items, dropped)
    if args.check:
        ok = OUT.exists() and OUT.read_text("utf-8") == text
        print("writers.yaml is up to date" if ok else "writers.yaml differs from a fresh import")
        return 0 if ok else 1
    from botcore.storage import write_atomic  # noqa: PLC0415

    write_atomic(OUT, text, mode=0o644)
    summary = {w: sum(1 for i in items if i.source == w) for w in WRITERS}
    print(f"wrote {OUT.relative_to(REPO)}: {summary}; dropped repeats {dropped}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
