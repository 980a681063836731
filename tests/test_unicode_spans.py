"""The sanitizer's stored Unicode spans equal a fresh scan of this Python's tables."""

from __future__ import annotations

import unicodedata

import pytest

from botcore import unicode_spans, unicode_spans_data


def test_stored_tables_are_for_this_python() -> None:
    # A Python upgrade changes the tables: regenerate (python -m botcore.unicode_spans).
    assert unicodedata.unidata_version == unicode_spans_data.UNIDATA_VERSION


@pytest.mark.parametrize("group", sorted(unicode_spans.GROUPS))
def test_stored_spans_equal_a_fresh_scan(group: str) -> None:
    assert unicode_spans.spans(group) == unicode_spans.scan(unicode_spans.GROUPS[group])


def test_stored_file_is_what_the_generator_writes() -> None:
    stored = unicode_spans.__file__.replace("unicode_spans.py", "unicode_spans_data.py")
    with open(stored, encoding="utf-8") as f:
        assert f.read() == unicode_spans.render()


def test_another_unicode_version_is_scanned_not_trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(unicode_spans_data, "UNIDATA_VERSION", "0.0.0")
    monkeypatch.setattr(unicode_spans_data, "SPANS", {"format": ((0x41, 0x41),), "mark": ()})
    assert unicode_spans.spans("format") == unicode_spans.scan(frozenset({"Cf"}))


def test_spans_stay_out_of_the_astral_boundary() -> None:
    for group in unicode_spans.GROUPS:
        assert all(hi < 0x10000 or lo >= 0x10000 for lo, hi in unicode_spans.spans(group))
