"""Tokenising, light stemming, typo repair and lay-term expansion for the lexical channel.

Kept dependency-free and deterministic so that BM25 and the glossary expansion can be
tested against hand-worked examples.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from botcore.close_match import CloseMatcher
from botcore.storage import ensure_private_dir, write_atomic

STOPWORDS = frozenset(
    [
        "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "could", "did",
        "do", "does", "doing", "for", "from", "had", "has", "have", "he", "her", "hers", "him",
        "his", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "of", "on", "or",
        "our", "she", "so", "than", "that", "the", "their", "them", "then", "there", "these",
        "they", "this", "those", "to", "too", "us", "was", "we", "were", "what", "when",
        "where", "which", "who", "whom", "why", "will", "with", "would", "you", "your",
        "yours", "am", "also", "just", "any", "about", "get", "got",
    ]
)

_WORD = re.compile(r"[a-z0-9]+")


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A deliberately small suffix stripper (plural and common verb endings). Remembered:
    a pure function of the word, called for every word of every passage at start-up."""
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""),
                         ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            return word[: len(word) - len(suffix)] + repl
    return word


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def folded_text(text: str) -> str:
    """The text's words, lowercased and joined by single spaces, with apostrophes dropped
    first ("what's" = "whats"): what the conversation, ask and interaction patterns read."""
    return " ".join(words(text.replace("'", "")))


_SENTENCE_BREAK = re.compile(r"(?<=[.!?;])\s+|\n+")


def sentences(text: str) -> list[str]:
    """The sentences of a text as typed (split after . ! ? ; and at line breaks), trimmed,
    empty ones dropped: where a follow-up's question or a switch marker may start."""
    return [p.strip() for p in _SENTENCE_BREAK.split(text.strip()) if p.strip()]


def tokens(text: str) -> list[str]:
    """Lowercased, stop words out, stemmed."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


class Speller:
    """Repairs misspelt query words against the corpus's own vocabulary.

    Only long-ish words that are not in the vocabulary are touched, and only when a
    close match exists, so ordinary English outside the corpus is left alone.
    """

    CACHE = 4096
    """Repairs remembered (a pure function of the word; the close match is the slow part)."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self.vocab = sorted({w for w in vocabulary if len(w) >= 4})
        self._known = set(self.vocab)
        self._matcher = CloseMatcher(self.vocab)
        self._fixed: dict[str, str] = {}

    def fix(self, word: str) -> str:
        if len(word) < 5 or word in self._known or word.isdigit():
            return word
        hit = self._fixed.get(word)
        if hit is None:
            cutoff = 0.84 if len(word) < 8 else 0.8
            hit = self._matcher.closest(word, cutoff) or word  # difflib's answer, faster
            if len(self._fixed) >= self.CACHE:
                self._fixed.clear()
            self._fixed[word] = hit
        return hit

    def clear(self) -> None:
        """Forget remembered repairs (benchmarks measure words seen for the first time)."""
        self._fixed.clear()

    def fix_text(self, text: str) -> str:
        return " ".join(self.fix(w) for w in words(text))


class LayTerms:
    """Maps the words families use ("trach", "breathing tube", "Tafinlar") to the glossary
    term, so that a question in lay words also matches passages written with the medical
    word, and so that the conversation knows which terms a question names."""

    MEMO = 8192
    """Texts whose terms are remembered (the passages' at start-up, then questions)."""

    def __init__(self, pairs: Iterable[tuple[str, Iterable[str]]]) -> None:
        glossary = [(term, tuple(lay)) for term, lay in pairs]
        self.fingerprint = _fingerprint(glossary)
        """Hash of the glossary pairs and of this module's code: what ``terms_in`` results
        depend on (the key of the start-up memo, :meth:`save_memo`)."""
        self._memo: dict[str, tuple[str, ...]] = {}
        self._patterns: list[tuple[_PhrasePattern, str]] = []
        self._phrases: list[tuple[str, ...]] = []
        """The words of each lay phrase, aligned with ``_patterns``."""
        self._names: list[tuple[_PhrasePattern, str]] = []
        self._lay_by_first: dict[str, list[int]] = {}
        self._name_by_first: dict[str, list[int]] = {}
        for term, lay in glossary:
            for phrase in lay:
                pattern = _phrase_pattern(phrase)
                if pattern is not None:
                    self._lay_by_first.setdefault(words(phrase)[0], []).append(len(self._patterns))
                    self._patterns.append((pattern, term))
                    self._phrases.append(tuple(words(phrase)))
            for name in term_names(term):
                pattern = _phrase_pattern(name)
                if pattern is not None:
                    self._name_by_first.setdefault(words(name)[0], []).append(len(self._names))
                    self._names.append((pattern, term))

    def _candidates(self, lowered: str) -> tuple[list[int], list[int]]:
        """Lay phrases and names whose first word occurs in the text (a plural counts):
        only those can match, so the rest are never tried."""
        present: set[str] = set()
        for w in lowered.split():
            present.add(w)
            if w.endswith("es"):
                present.add(w[:-2])
            if w.endswith("s"):
                present.add(w[:-1])
        lay = sorted({i for w in present for i in self._lay_by_first.get(w, ())})
        names = sorted({i for w in present for i in self._name_by_first.get(w, ())})
        return lay, names

    def expand(self, text: str) -> str:
        """``text`` plus the medical term for every lay phrase found in it."""
        lowered = " ".join(words(text))
        lay, _ = self._candidates(lowered)
        extra = [self._patterns[i][1] for i in lay if self._patterns[i][0].search(lowered)]
        return text if not extra else text + " " + " ".join(dict.fromkeys(extra))

    def named_by_phrase(self, text: str) -> list[str]:
        """The terms ``text`` names only by a lay phrase of two words or more that shares no
        word with the term's own names ("who can she name to speak for her": Surrogate
        decision maker; "food pipe": Esophagus): ordinary words the dense model reads in
        their ordinary sense, so the caller also searches with the term's name."""
        lowered = " ".join(words(text))
        said = set(lowered.split())
        out = []
        for i in self._candidates(lowered)[0]:
            pattern, term = self._patterns[i]
            named = {w for name in term_names(term) for w in words(name)}
            if len(self._phrases[i]) >= 2 and not (set(self._phrases[i]) | said) & named \
                    and pattern.search(lowered):
                out.append(term)
        return list(dict.fromkeys(out))

    def vocabulary(self) -> set[str]:
        """Every word of the glossary's terms and lay phrases: the medical words a family
        may misspell ("hosipce", "radation")."""
        return {w for term in self.terms() for name in term_names(term) for w in words(name)} \
            | {w for phrase in self._phrases for w in phrase}

    def terms(self) -> list[str]:
        """Every glossary term known here."""
        return list(dict.fromkeys(term for _, term in (*self._names, *self._patterns)))

    def terms_in(self, text: str) -> list[str]:
        """The glossary terms ``text`` names, by the term itself or one of its lay
        phrases, in order of first mention (each once). A term named only inside a longer
        one is left out ("BRAF" inside "BRAF positive", which names BRAF V600E)."""
        found = self._memo.get(text)
        if found is None:
            found = tuple(self._find_terms(text))
            if len(self._memo) >= self.MEMO:
                self._memo.clear()
            self._memo[text] = found
        return list(found)

    def load_memo(self, path: Path) -> int:
        """Remember the terms of texts found before (``save_memo``): the passages' terms,
        which cost about 0.2 s to find at every start. A file made for another glossary or
        another version of this code, or unreadable, is ignored. Returns texts loaded."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("fingerprint") != self.fingerprint:
                return 0
            memo = _memo_entries(data.get("terms"))
        except (OSError, ValueError):
            return 0
        self._memo.update(memo)
        return len(memo)

    @property
    def memo_size(self) -> int:
        return len(self._memo)

    def save_memo(self, path: Path) -> None:
        """Write every remembered text's terms for the next start, atomically in a private
        folder (the caller handles ``OSError``: a read-only cache only costs time). Called
        right after start-up, when what is remembered is the passages' terms."""
        ensure_private_dir(path.parent)
        terms = {text: list(found) for text, found in self._memo.items()}
        write_atomic(path, json.dumps({"fingerprint": self.fingerprint, "terms": terms}))

    def _find_terms(self, text: str) -> list[str]:
        lowered = " ".join(words(text))
        lay, names = self._candidates(lowered)
        found: list[tuple[int, int, str]] = []
        for pattern, term in [self._names[i] for i in names] + [self._patterns[i] for i in lay]:
            for match in pattern.finditer(lowered):
                found.append((match.start(), match.end(), term))
        kept = [(s, e, t) for s, e, t in found
                if not any(s2 <= s and e <= e2 and (e2 - s2) > (e - s) and t2 != t
                           for s2, e2, t2 in found)]
        return list(dict.fromkeys(t for _, _, t in sorted(kept, key=lambda f: (f[0], f[1]))))

    def canonical(self, text: str, known: Iterable[str] | set[str]) -> str:
        """``text`` with every lay phrase made only of words the passages never use (a
        brand name on the box: "Tafinlar", "Keytruda") replaced by its glossary term.

        The dense model has never seen "Lenvima" next to "lenvatinib", so a question that
        names the box would otherwise miss the passage that names the drug. Lay words the
        passages do use ("trach", "chemo") are left alone: they already match; so are
        abbreviations shorter than four letters ("OS" in "__import__('os')")."""
        known_words = known if isinstance(known, set) else set(known)
        lowered = " ".join(words(text))
        out = lowered
        lay, _ = self._candidates(lowered)
        for i in lay:
            pattern, term = self._patterns[i]
            phrase = self._phrases[i]
            if any(w in known_words or len(w) < 4 for w in phrase) or not pattern.search(out):
                continue  # known to the passages, or an abbreviation ("OS") too easy to misread
            out = pattern.sub(" ".join(words(term_names(term)[0])), out)
        return text if out == lowered else out


def _fingerprint(pairs: list[tuple[str, tuple[str, ...]]]) -> str:
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(json.dumps(pairs).encode("utf-8"))
    return digest.hexdigest()


def _memo_entries(raw: object) -> dict[str, tuple[str, ...]]:
    """The memo's entries, checked: text -> list of term strings (else ValueError)."""
    if not isinstance(raw, Mapping):
        raise ValueError("no terms")
    out: dict[str, tuple[str, ...]] = {}
    for text, terms in raw.items():
        if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
            raise ValueError("bad entry")
        out[str(text)] = tuple(terms)
    return out


class _PhrasePattern:
    """A phrase's regex, compiled the first time it is needed: a question can only match
    phrases whose first word it holds (``LayTerms._candidates``), so compiling all ~370
    at start-up cost ~18 ms of every start for a handful used (issue 13)."""

    __slots__ = ("_compiled", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self._compiled: re.Pattern[str] | None = None

    @property
    def regex(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.source)
        return self._compiled

    def search(self, text: str) -> re.Match[str] | None:
        return self.regex.search(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.regex.finditer(text)

    def sub(self, replacement: str, text: str) -> str:
        return self.regex.sub(replacement, text)


def _phrase_pattern(phrase: str) -> _PhrasePattern | None:
    """The phrase as whole words; its last word also in the plural ("gene changes")."""
    phrase_words = words(phrase)
    if not phrase_words:
        return None
    body = r"\s+".join(map(re.escape, phrase_words))
    plural = "" if phrase_words[-1].endswith("s") or phrase_words[-1].isdigit() else "(?:e?s)?"
    return _PhrasePattern(r"\b" + body + plural + r"\b")


def term_names(term: str) -> list[str]:
    """A glossary term's names: "Do not resuscitate (DNR)" is named both "do not
    resuscitate" and "DNR"; a longer parenthesis ("Stage IV (for ATC)") is a note."""
    main = re.sub(r"\s*\([^)]*\)", "", term).strip()
    names = [main] if main else []
    for inner in re.findall(r"\(([^)]*)\)", term):
        if len(inner.split()) == 1:
            names.append(inner)
    return names or [term]


def one_edit(a: str, b: str) -> bool:
    """True when ``b`` is ``a`` or one insertion, deletion, substitution or swap away."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k in range(len(short)) if short[k] != long_[k]), len(short))
    return short[i:] == long_[i + 1 :]
