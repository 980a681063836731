"""The real words the lexicon's fuzzy key words must never swallow (issue 10).

    .venv/bin/python -m tools.fuzzy_guard [WORDLIST ...]

Prints, as the YAML lines for ``fuzzy.protect`` in ``corpus/triage.yaml``, every word
of the word lists that the typo/sound matcher (:mod:`botcore.triage.fuzzy`) would
otherwise turn into a key word ("breeding" -> "bleeding"). With no argument it reads
``tests/fixtures/common_words_en.txt`` (the most frequent English words, from wordfreq);
the bundled list was made from that file and ``/usr/share/dict/american-english``
(Debian's wamerican). ``tests/test_fuzzy.py`` checks that the lexicon protects every
word of the fixture.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from botcore.triage import load_lexicon
from botcore.triage.fuzzy import KeyWords

REPO = Path(__file__).resolve().parent.parent
DEFAULT_LIST = REPO / "tests" / "fixtures" / "common_words_en.txt"


def read_words(path: Path) -> list[str]:
    """One word a line; lines with anything but lowercase letters are skipped."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.strip().lower()
        if word.isascii() and word.isalpha():
            out.append(word)
    return out


def swallowed(keys: Iterable[str], words: Iterable[str]) -> list[str]:
    """The words the matcher would change when nothing is protected, sorted."""
    bare = KeyWords(keys, ())
    return sorted({w for w in words if bare.match(w) is not None})


def main(argv: Sequence[str] | None = None) -> int:
    paths = [Path(a) for a in (argv if argv is not None else sys.argv[1:])] or [DEFAULT_LIST]
    lexicon = load_lexicon(REPO / "corpus" / "triage.yaml")
    if lexicon.fuzzy is None:
        print("corpus/triage.yaml has no fuzzy section", file=sys.stderr)
        return 1
    words = [w for p in paths for w in read_words(p)]
    found = swallowed(lexicon.fuzzy.keys, words)
    print(f"# {len(found)} words from {len(words)} in {', '.join(p.name for p in paths)}")
    line = "    protect: ["
    for word in found:
        piece = f"{word}, "
        if len(line) + len(piece) > 92:
            print(line.rstrip())
            line = "      "
        line += piece
    print(line.rstrip().rstrip(",") + "]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
