"""Text hygiene at the two edges of the engine: what comes in, and what goes out.

Three jobs, kept apart on purpose (SAFETY.md S1b and hazard H7):

* :func:`clean_input` makes a question safe to process: no escape sequences, no control
  or invisible characters, one normal form. Every stage sees this text.
* :func:`fold_for_matching` goes further, for the red-flag screen and the scope rules
  only: it erases the differences people (and keyboards) introduce when they type the
  same words, so "CAN’T BREATHE 😱", "cаnt brеathe" (Cyrillic letters) and "cant breathe"
  all read as ``cant breathe``.
* :func:`display_safe` is the ONE sanitizer for anything printed to a terminal, a log or
  a console report. It changes nothing in ordinary text (approved passages must show
  verbatim), but removes whatever a terminal would act on instead of showing.

Pure functions, standard library only, and none of them raises on any ``str``
(including lone surrogates).
"""

from __future__ import annotations

import re
import unicodedata

from botcore.unicode_spans import spans as category_spans

MAX_QUESTION_CHARS = 2000
"""Length cap for retrieval. Triage never uses it: it screens the full text."""

MAX_COMBINING_MARKS = 4
"""Combining marks kept after one base character. Real scripts need at most a few;
"Zalgo" floods of dozens are noise that can hide words or break a layout."""


def _category_class(group: str, extra: tuple[tuple[int, int], ...] = ()) -> str:
    """A regex matching one code point of a category group (or extra ranges).

    The spans come from the running Python's own Unicode tables (stored per Unicode
    version by :mod:`botcore.unicode_spans`), so the class follows Unicode upgrades.
    The class is split in two because ``re`` checks a class holding astral code points by
    scanning its ranges one by one (slow on a megabyte); the astral half is only tried
    when the character is astral.
    """
    found = category_spans(group)  # a scan when this Python's Unicode is not stored
    bmp = [s for s in found if s[0] < 0x10000]
    astral = [s for s in found if s[0] >= 0x10000]
    for lo, hi in extra:
        (bmp if hi < 0x10000 else astral).append((lo, hi))

    def body(spans: list[tuple[int, int]]) -> str:
        return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                       for a, b in spans)

    return f"(?:[{body(bmp)}]|(?=[\U00010000-\U0010ffff])[{body(astral)}])"


# Default-ignorable characters that are not in category Cf but still draw nothing:
# combining grapheme joiner, Hangul fillers, Khmer inherent vowels, Mongolian variation
# selectors, variation selectors, and the whole tag / variation-selector supplement
# block (U+E0000-U+E0FFF, including unassigned tag code points).
_IGNORABLE_EXTRA = (
    (0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F),
    (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFFA0, 0xFFA0), (0xE0000, 0xE0FFF),
)
_INVISIBLE_ONE = _category_class("format", _IGNORABLE_EXTRA)
_INVISIBLE = re.compile(f"{_INVISIBLE_ONE}+")
"""Format characters (zero-width, bidi controls, BOM, soft hyphen, tags...) and other
default-ignorable code points: they change how text looks or reads without showing."""

_MARK_ONE = _category_class("mark")
_MARK = re.compile(f"{_MARK_ONE}+")
_MARK_FLOOD = re.compile(f"((?:{_MARK_ONE}){{{MAX_COMBINING_MARKS}}})(?:{_MARK_ONE})+")
_ESC_OR_C1 = re.compile(r"[\x1b\x80-\x9f]")

_ESC_SEQUENCE = re.compile(
    # CSI: ESC [ or 8-bit CSI, parameters, intermediates, final byte (if any).
    r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
    # OSC, DCS, SOS, PM, APC (7- or 8-bit introducer) with their payload, when terminated
    # by BEL or ST. The payload stops at the next ESC or C1, so scanning stays linear.
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x80-\x9f]*(?:\x07|\x1b\\|\x9c)"
    # Any other ESC sequence: intermediates and one final byte (ESC c, ESC ( B, ESC 7...).
    # An unterminated OSC/DCS introducer is caught here too; its payload stays as text.
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]"
)
_SPACE_CONTROLS = re.compile(r"[\t\n\v\f\r\x1c-\x1f\x85]")
"""Controls that separate words: they become spaces so words never fuse."""
_OTHER_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
_DISPLAY_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r" {2,}")
_ASCII_CONTROLS = str.maketrans(
    {**{c: " " for c in "\t\n\v\f\r\x1c\x1d\x1e\x1f"},
     **{chr(c): None for c in (*range(0x00, 0x09), *range(0x0E, 0x1C), 0x7F)}})
"""The ASCII part of the two control rules above, as a translation table."""

_QUOTE_LIKE = re.compile("[\u2018\u2019\u201a\u201b\u2032\u2035\u02b9\u02bc\u02bb"
                         "\u02c8\u02ca\u02cb\u0060\u00b4\uff07\uff40]")
"""Apostrophe look-alikes, mapped before normalisation (NFKC would turn the acute accent
into a space plus a combining mark and split "can´t" in two)."""


class _Replacer:
    """Replace single characters by a table. A regex finds the few characters to change:
    ``str.translate`` looks up every character of a long non-ASCII text, ten times slower.
    """

    def __init__(self, table: dict[str, str]) -> None:
        self._table = table
        self._find = re.compile("[" + "".join(re.escape(c) for c in table) + "]")

    def __call__(self, text: str) -> str:
        return self._find.sub(lambda m: self._table[m.group()], text)


_UPPER_HOMOGLYPHS = _Replacer({
    # Greek capitals, mapped by what they look like before case folding changes them.
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
    "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    # Cyrillic capitals.
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "Х": "X", "У": "Y", "Ѕ": "S", "І": "I", "Ј": "J", "Ԛ": "Q",
    "Ԝ": "W", "Ү": "Y", "Һ": "H", "Ӏ": "I",
})
_LOWER_HOMOGLYPHS = _Replacer({
    # Cyrillic.
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "х": "x", "у": "y", "ѕ": "s", "і": "i", "ј": "j", "ԁ": "d",
    "һ": "h", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ү": "y", "п": "n", "ь": "b", "г": "r",
    # Greek.
    "α": "a", "β": "b", "ε": "e", "ζ": "z", "η": "n", "ι": "i", "κ": "k", "ν": "v",
    "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ς": "s", "σ": "o",
    # Armenian and Latin extensions that read as plain letters.
    "օ": "o", "ս": "u", "հ": "h", "ո": "n", "ı": "i", "ȷ": "j", "ɑ": "a", "ɡ": "g",
    "ʏ": "y", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t", "æ": "ae", "œ": "oe",
    "ð": "d", "þ": "th",
})
_NOT_WORD = re.compile(r"[^\w ]+|_+")
_ASCII_NOT_WORD = str.maketrans(
    {**{c: " " for c in "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~"}, "'": None})
"""ASCII punctuation becomes a space; the apostrophe goes ("can't" = "cant")."""


def _fix_surrogates(text: str) -> str:
    """Join valid surrogate pairs and replace lone surrogates with U+FFFD.

    A Python ``str`` can hold lone surrogates (from ``surrogateescape`` decoding or a
    broken paste); they cannot be encoded, so any later print or write would raise.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text


def _remove_escapes(text: str) -> str:
    """Remove whole ESC sequences; skip the scan when there is no ESC or C1 at all."""
    return _ESC_SEQUENCE.sub("", text) if _ESC_OR_C1.search(text) else text


def strip_escapes(text: str) -> str:
    """Fix surrogates and remove whole terminal escape sequences, nothing else.

    The red-flag screen uses this to find sentence ends (which :func:`clean_input` turns
    into spaces) in text that is otherwise untouched.
    """
    return _remove_escapes(_fix_surrogates(text))


def clean_input(text: str) -> str:
    """The question as every stage sees it: one normal form, nothing hidden.

    Lone surrogates replaced, NFKC, ESC sequences removed whole, word-separating controls
    (tab, newline, CR...) turned into spaces, other C0/DEL/C1 controls removed, format and
    invisible characters removed, combining-mark floods capped, whitespace collapsed.
    """
    s = unicodedata.normalize("NFKC", _fix_surrogates(text))
    s = _remove_escapes(s)
    if s.isascii():  # the common case, done with str.translate (much faster than re)
        return _single_spaces(s.translate(_ASCII_CONTROLS))
    s = _OTHER_CONTROLS.sub("", _SPACE_CONTROLS.sub(" ", s))
    s = _INVISIBLE.sub("", s)  # every invisible character and combining mark is non-ASCII
    s = unicodedata.normalize("NFKC", s)  # removals can leave composable pairs
    s = _MARK_FLOOD.sub(r"\1", s)
    return " ".join(s.split())  # str.split() splits on exactly what re's \s matches


def _single_spaces(ascii_text: str) -> str:
    """Collapse runs of plain spaces (the only whitespace left) and strip."""
    if "  " in ascii_text:
        ascii_text = _SPACES.sub(" ", ascii_text)
    return ascii_text.strip(" ")


def fold_for_matching(text: str) -> str:
    """The question reduced to lowercase words and single spaces, for triage and scope.

    Erases what changes how text looks but not what it says: case, width, look-alike
    letters from other scripts, curly or missing apostrophes ("can’t" = "cant"), accents
    ("cánula" = "canula"), emoji and punctuation.
    """
    s = clean_input(text.replace("`", "'") if text.isascii() else _QUOTE_LIKE.sub("'", text))
    if s.isascii():
        return _single_spaces(s.lower().translate(_ASCII_NOT_WORD))
    s = _UPPER_HOMOGLYPHS(s).casefold()
    s = _MARK.sub("", unicodedata.normalize("NFD", s))
    s = _LOWER_HOMOGLYPHS(unicodedata.normalize("NFC", s))
    return " ".join(_NOT_WORD.sub(" ", s.replace("'", "")).split())


def display_safe(text: str) -> str:
    """Text that a terminal, log or console report can show without acting on it.

    Removes C0 controls (except newline and tab), DEL, C1 and whole ESC sequences (CSI,
    OSC, DCS, SOS, PM, APC); shows a carriage return as the visible symbol ␍ (a bare CR
    lets later text overwrite earlier text, e.g. a forged log line); removes bidi,
    zero-width and other format characters; replaces lone surrogates. Ordinary text,
    including approved passages, passes through unchanged. Idempotent.
    """
    s = _remove_escapes(_fix_surrogates(text).replace("\r\n", "\n"))
    s = _DISPLAY_CONTROLS.sub("", s.replace("\r", "\u240d"))
    if not s.isascii():
        s = _INVISIBLE.sub("", s).replace("\u2028", "\n").replace("\u2029", "\n")
    return s


def truncate(text: str, limit: int = MAX_QUESTION_CHARS) -> str:
    """At most ``limit`` characters, for retrieval and for showing the question back.

    Never used before triage: a red flag after the cut must still escalate.
    """
    if limit < 0:
        raise ValueError("limit must not be negative")
    return text[:limit].rstrip()
