"""The speller's close match is difflib's, exactly (an oracle test), on the corpus's own
vocabulary and on words of any letters."""

from __future__ import annotations

import difflib

from hypothesis import given, settings
from hypothesis import strategies as st

from botcore.close_match import CloseMatcher
from botcore.config import Settings
from botcore.corpus import Corpus
from botcore.textproc import Speller, words

VOCAB = sorted({"tracheostomy", "trach", "lenvatinib", "dabrafenib", "trametinib", "hospice",
                "radiation", "surgery", "breathing", "tumor", "tumour", "airway", "stent",
                "chemotherapy", "immunotherapy", "pembrolizumab", "palliative", "caregiver",
                "abcde", "edcba", "aaaaa", "bbbbb", "ab12c", "stage", "staging"})


def _difflib(word: str, vocabulary: list[str], cutoff: float) -> str | None:
    found = difflib.get_close_matches(word, vocabulary, n=1, cutoff=cutoff)
    return found[0] if found else None


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="abcdeilmnorst0129", min_size=0, max_size=14),
       st.sampled_from([0.6, 0.8, 0.84]))
def test_same_word_as_difflib_on_any_letters(word: str, cutoff: float) -> None:
    assert CloseMatcher(VOCAB).closest(word, cutoff) == _difflib(word, VOCAB, cutoff)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(VOCAB), st.integers(0, 40), st.sampled_from("aeiostx"),
       st.sampled_from([0.8, 0.84]))
def test_same_word_as_difflib_on_typos(word: str, at: int, letter: str, cutoff: float) -> None:
    at %= len(word) + 1
    for typo in (word[:at] + letter + word[at:], word[:at] + word[at + 1:],
                 word[:at] + letter + word[at + 1:]):
        assert CloseMatcher(VOCAB).closest(typo, cutoff) == _difflib(typo, VOCAB, cutoff)


def test_other_letters_go_to_difflib_itself() -> None:
    assert CloseMatcher(VOCAB).closest("tumör", 0.8) == _difflib("tumör", VOCAB, 0.8)
    assert CloseMatcher(["café", "cafe"]).closest("cafe", 0.8) == "cafe"
    assert CloseMatcher([]).closest("anything", 0.8) is None


def test_the_corpus_speller_repairs_as_difflib_would() -> None:
    corpus = Corpus(Settings().corpus_dir)
    vocab = [w for p in corpus.approved_passages() for w in words(f"{p.title} {p.text}")]
    speller = Speller(vocab)
    probes = ["tracheostamy", "lenvatinb", "dabrafenb", "hospise", "radiaton", "surgry",
              "paliative", "chemotheraphy", "immunotherepy", "prognossis", "breathng",
              "mutaton", "anaplastik", "thyriod", "whistleing", "grapefruit", "insurance"]
    for word in probes:
        cutoff = 0.84 if len(word) < 8 else 0.8
        assert speller.fix(word) == (_difflib(word, speller.vocab, cutoff) or word), word
