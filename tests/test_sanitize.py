"""The input cleaner, the matching fold and the one display sanitizer (safety.md S1b, §2, §5).

Every control character and escape sequence here is written as a Python escape: no raw
control byte appears in this file.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from botcore.sanitize import (
    MAX_QUESTION_CHARS,
    clean_input,
    display_safe,
    fold_for_matching,
    strip_escapes,
    truncate,
)

REPO = Path(__file__).resolve().parent.parent
ANY_TEXT = st.text(alphabet=st.characters())  # includes lone surrogates (category Cs)

C0_BUT_NL_TAB = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
C1 = re.compile(r"[\x80-\x9f]")
SURROGATE = re.compile(r"[\ud800-\udfff]")


def _format_chars() -> list[str]:
    """Every code point in category Cf (zero-width, bidi, tags, BOM...), plus the
    tag block's unassigned code points."""
    found = [chr(cp) for cp in range(sys.maxunicode + 1)
             if not 0xD800 <= cp <= 0xDFFF and unicodedata.category(chr(cp)) == "Cf"]
    return found + [chr(cp) for cp in (0xE0000, 0xE0002, 0xE007F)]


FORMAT_CHARS = _format_chars()
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
        "\u2069", "\u200e", "\u200f", "\u061c"]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e"]

ESCAPES = {
    "csi-colour": "\x1b[31m",
    "csi-erase-line": "\x1b[2K",
    "csi-cursor-up": "\x1b[1A",
    "csi-private": "\x1b[?25l",
    "csi-8bit": "\x9b31m",
    "osc-title-bel": "\x1b]0;owned\x07",
    "osc-title-st": "\x1b]2;owned\x1b\\",
    "osc-hyperlink": "\x1b]8;;http://evil.example\x1b\\",
    "osc-8bit": "\x9d0;owned\x9c",
    "dcs": "\x1bPq#0;2;0;0;0\x1b\\",
    "apc": "\x1b_payload\x1b\\",
    "pm": "\x1b^payload\x1b\\",
    "sos": "\x1bXpayload\x1b\\",
    "two-char-reset": "\x1bc",
    "two-char-charset": "\x1b(B",
    "two-char-save": "\x1b7",
}


# -- clean_input ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_clean_input_removes_escape_sequences_whole(name: str) -> None:
    seq = ESCAPES[name]
    assert clean_input(f"can't {seq}breathe{seq}") == "can't breathe"


def test_clean_input_controls_newline_tab_and_del() -> None:
    assert clean_input("a\nb\tc\r\nd") == "a b c d"
    assert clean_input("he\x00llo\x07 wor\x7fld\x85again") == "hello world again"
    assert clean_input("x\x08\x0e\x1ay") == "xy"
    assert clean_input("\x1b") == ""


@pytest.mark.parametrize("char", ZERO_WIDTH + BIDI + ["\U000e0041", "\U000e0001", "\ufe0f"])
def test_clean_input_removes_invisible(char: str) -> None:
    assert clean_input(f"tr{char}ach{char}") == "trach"


def test_every_format_character_is_removed() -> None:
    left = [c for c in FORMAT_CHARS if clean_input(f"a{c}b") != "ab" or display_safe(c) != ""]
    assert left == []


def test_clean_input_nfkc_whitespace_and_strip() -> None:
    assert clean_input("\u3000ｃａｎ＇ｔ\u00a0\u00a0ｂｒｅａｔｈｅ\u2028 ") == "can't breathe"
    assert clean_input("   \t\n  ") == ""
    assert clean_input("") == ""


def test_clean_input_caps_combining_mark_floods() -> None:
    zalgo = "e" + "\u0301\u0302\u0303\u0304\u0306\u0307" * 10 + "x"
    out = clean_input(zalgo)
    marks = [c for c in out if unicodedata.category(c).startswith("M")]
    assert len(marks) <= 4
    assert out.endswith("x")
    assert clean_input("café naïve") == "café naïve"  # ordinary accents are kept


def test_clean_input_lone_surrogates() -> None:
    out = clean_input("a\ud800b\udfffc \ud83d\ude00")
    assert SURROGATE.search(out) is None
    assert out == "a\ufffdb\ufffdc \U0001f600"  # a valid pair is joined, not dropped
    out.encode("utf-8")


# -- fold_for_matching ------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "folded"), [
    ("CAN\u2019T BREATHE \U0001f631", "cant breathe"),
    ("can't breathe", "cant breathe"),
    ("can`t breathe", "cant breathe"),
    ("can\u00b4t breathe", "cant breathe"),
    ("can\u02bct breathe", "cant breathe"),
    ("ｃａｎ＇ｔ\u3000ｂｒｅａｔｈｅ", "cant breathe"),
    ("c\u200ba\u200dn\u2060t b\u202er\u00adeathe", "cant breathe"),
    ("s\u0435 s\u0430li\u00f3 la c\u00e1nula", "se salio la canula"),
    ("No puede respirar", "no puede respirar"),
    ("sangrado", "sangrado"),
    ("Está sangrando", "esta sangrando"),
    ("self-harm", "self harm"),
    ("911!!!", "911"),
    ("he\u2019s bleeding\u2026 \U0001f62d\U0001f64f", "hes bleeding"),
    ("trach_came_out", "trach came out"),
    ("\u041d\u041e\u041c\u0415", "home"),  # Cyrillic capitals
    ("\u0397\u0395\u039b\u03a1", "he\u03bbp"),  # Greek capitals (lambda has no look-alike)
])
def test_fold_examples(typed: str, folded: str) -> None:
    assert fold_for_matching(typed) == folded


@pytest.mark.parametrize(("glyph", "latin"), [
    ("а", "a"), ("е", "e"), ("о", "o"), ("р", "p"), ("с", "c"), ("у", "y"), ("х", "x"),
    ("і", "i"), ("ј", "j"), ("ѕ", "s"), ("ο", "o"), ("α", "a"), ("ν", "v"), ("ρ", "p"),
])
def test_fold_homoglyphs(glyph: str, latin: str) -> None:
    assert fold_for_matching(f"x{glyph}x") == f"x{latin}x"


def test_fold_leaves_only_words_and_single_spaces() -> None:
    out = fold_for_matching("  Hello,\tWORLD!! \u2014 [b]markup[/b] <script> =HYPERLINK(1) ")
    assert out == "hello world b markup b script hyperlink 1"


# -- display_safe -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_display_safe_removes_escape_sequences(name: str) -> None:
    out = display_safe(f"before{ESCAPES[name]}after")
    assert "\x1b" not in out and C1.search(out) is None
    assert out.startswith("before") and out.endswith("after")


def test_display_safe_keeps_ordinary_text_verbatim() -> None:
    text = "Line one.\n\tIndented — café, 988 & 911 😀\nLast [see section 3]"
    assert display_safe(text) == text


def test_display_safe_makes_carriage_return_visible() -> None:
    forged = "user question\r2026-01-01 INFO approved by Dr X"
    out = display_safe(forged)
    assert "\r" not in out and "\u240d" in out
    assert display_safe("a\r\nb") == "a\nb"


def test_display_safe_removes_controls_bidi_and_zero_width() -> None:
    nasty = "a\x00b\x07c\x08d\x0be\x0cf\x7fg\x85h\u202ei\u2066j\u200bk\ufeffl\U000e0041m"
    assert display_safe(nasty) == "abcdefghijklm"


def test_display_safe_lone_surrogates() -> None:
    out = display_safe("x\udc80y")
    assert out == "x\ufffdy"
    out.encode("utf-8")


def test_bundled_messages_display_verbatim() -> None:
    messages = yaml.safe_load((REPO / "corpus" / "messages.yaml").read_text(encoding="utf-8"))
    for m in messages:
        assert display_safe(m["text"]) == m["text"], m["id"]


def test_strip_escapes_keeps_newlines() -> None:
    assert strip_escapes("a\x1b[1mb\nc\ud800") == "ab\nc\ufffd"


# -- truncate -----------------------------------------------------------------------------------

def test_truncate() -> None:
    assert MAX_QUESTION_CHARS == 2000
    assert truncate("x" * 5000) == "x" * 2000
    assert truncate("short") == "short"
    assert truncate("abc def", 4) == "abc"
    assert truncate("", 0) == ""
    with pytest.raises(ValueError, match="negative"):
        truncate("abc", -1)


# -- properties ----------------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_clean_input_properties(text: str) -> None:
    out = clean_input(text)
    assert C0_BUT_NL_TAB.search(out) is None and C1.search(out) is None
    assert "\n" not in out and "\t" not in out
    assert SURROGATE.search(out) is None
    assert not any(c in out for c in FORMAT_CHARS)
    assert out == out.strip() and "  " not in out
    out.encode("utf-8")


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_fold_properties(text: str) -> None:
    out = fold_for_matching(text)
    assert re.fullmatch(r"(?:[^\W_]+(?: [^\W_]+)*)?", out)
    assert out == out.casefold()
    assert fold_for_matching(out) == out


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_display_safe_properties(text: str) -> None:
    out = display_safe(text)
    assert C0_BUT_NL_TAB.search(out) is None
    assert C1.search(out) is None and "\x1b" not in out
    assert SURROGATE.search(out) is None
    assert not any(c in out for c in BIDI + ZERO_WIDTH)
    assert not any(c in out for c in FORMAT_CHARS)
    assert display_safe(out) == out  # idempotent
    out.encode("utf-8")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list(ESCAPES.values()) + ["\r", "\x00", "\u202e", "\u200b",
                                                            "\ud800", "ok", " ", "\n", "\x1b"]),
                max_size=12))
def test_display_safe_on_escape_soup(parts: list[str]) -> None:
    out = display_safe("".join(parts))
    assert "\x1b" not in out and "\r" not in out and C1.search(out) is None
    assert display_safe(out) == out
