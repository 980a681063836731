"""Typo- and sound-tolerant key words (issue 10): an oracle of hand-written misspellings,
and a large list of common English words that must never be turned into a key word."""

from __future__ import annotations

from pathlib import Path

import pytest

from botcore.triage import Triage, load_lexicon
from botcore.triage.fuzzy import KeyWords, distance, sound_key

REPO = Path(__file__).resolve().parent.parent
LEXICON = load_lexicon(REPO / "corpus" / "triage.yaml")
COMMON = [w.strip() for w in (REPO / "tests" / "fixtures" / "common_words_en.txt")
          .read_text(encoding="utf-8").splitlines() if w.strip()]

# Hand-written oracle: how people misspell the key words, and the key word meant.
MISSPELT = {
    "sooicide": "suicide", "suiside": "suicide", "suicde": "suicide", "sooicidal": "suicidal",
    "sucidal": "suicidal", "suicidle": "suicide", "myslef": "myself", "mysef": "myself",
    "overdosin": "overdosing", "brething": "breathing", "breething": "breathing",
    "breeth": "breath", "chokin": "choking", "choaking": "choking", "chokeing": "choking",
    "bleding": "bleeding", "bledding": "bleeding", "poped": "popped", "traech": "trach",
    "unconsious": "unconscious", "unconshus": "unconscious", "seizur": "seizure",
    "faintd": "fainted", "colapsed": "collapsed", "suffercating": "suffocating",
    "gaspin": "gasping", "anymor": "anymore", "dissapear": "disappear", "bloked": "blocked",
    "cloged": "clogged", "plugd": "plugged", "couhing": "coughing", "hemmorage": "hemorrhage",
}


@pytest.fixture(scope="module")
def keywords() -> KeyWords:
    assert LEXICON.fuzzy is not None
    return KeyWords(LEXICON.fuzzy.keys, LEXICON.fuzzy.protect)


@pytest.mark.parametrize(("typed", "meant"), sorted(MISSPELT.items()))
def test_misspelt_key_words_are_read_as_meant(keywords: KeyWords, typed: str,
                                              meant: str) -> None:
    assert keywords.match(typed) == meant


def test_no_common_english_word_is_ever_changed(keywords: KeyWords) -> None:
    assert len(COMMON) > 50_000
    changed = {w: keywords.match(w) for w in COMMON if keywords.match(w) is not None}
    assert changed == {}


def test_without_the_protect_list_common_words_would_be_swallowed() -> None:
    """The test above can fail: the matcher alone reaches real words ("breeding")."""
    assert LEXICON.fuzzy is not None
    bare = KeyWords(LEXICON.fuzzy.keys, ())
    assert bare.match("breeding") == "bleeding"
    assert sum(bare.match(w) is not None for w in COMMON[:20_000]) > 50


def test_short_words_and_keys_are_left_alone(keywords: KeyWords) -> None:
    for word in ("kil", "owt", "trak", "the", "suicide", "breathing", "x" * 30, "abc123"):
        assert keywords.match(word) is None, word


def test_sound_key_and_distance() -> None:
    assert sound_key("suicide") == sound_key("sooicide") == sound_key("suiside")
    assert sound_key("breath") == sound_key("breth")
    assert distance("trach", "traech", 2) == 1
    assert distance("abcd", "badc", 2) == 2  # two transpositions
    assert distance("a", "abcdef", 2) == 3  # beyond the limit: limit + 1


def test_misspelt_red_flags_escalate_with_the_approved_rule() -> None:
    triage = Triage(LEXICON)
    for text, tier in (("sooicidal again today", "crisis"), ("she is unconshus", "emergency"),
                       ("his trach is bloked", "emergency"), ("hes colapsed", "emergency")):
        hit = triage.screen(text)
        assert hit is not None and hit.tier == tier and hit.stage == "fuzzy", text
    assert triage.screen("the breeding season for birds") is None
    assert triage.corrected("what is a seaside holiday") is None
    assert triage.corrected("sooicidal again") == "suicidal again"


def test_a_typo_inside_an_exception_does_not_cancel_more() -> None:
    """Correction only completes approved phrases; exceptions still apply per sentence."""
    triage = Triage(LEXICON)
    assert triage.screen("she wants to die at home with hospice") is None
    hit = triage.screen("i want to die. sooicidal")
    assert hit is not None and hit.tier == "crisis"
