"""The one normalisation of search (search/normalize.py), index and query alike."""

from __future__ import annotations

import pytest

from search.normalize import joined_variants, normalize, query_tokens, swap_layout, tokens, within_one_edit


@pytest.mark.parametrize(("text", "expected"), [
    ("كتاب", "کتاب"),  # Arabic kaf
    ("ميز", "میز"),  # Arabic yeh
    ("خانۀ", "خانه"), ("مدرسة", "مدرسه"),
    ("کتاب‌ها", "کتاب"), ("کتاب ها", "کتاب"), ("کتابها", "کتاب"),  # ZWNJ, space, nothing; plural
    ("سَماوَرِ", "سماور"),  # harakat
    ("سمـــاور", "سماور"),  # tatweel
    ("۱۲۸ ١٢٨ 128", "128 128 128"),  # Persian, Arabic, Latin digits
    ("Electric SAMOVAR!", "electric samovar"),
    ("لوله‌کشی", "لوله کشی"),
    ("آب", "اب"),
])
def test_normalize(text, expected):
    assert normalize(text) == expected


def test_stop_words_and_query_limits():
    assert tokens("the book of کتاب و دفتر") == ["book", "کتاب", "دفتر"]
    assert query_tokens("a b c d e f g h i j k") == ["b", "c", "d", "e", "f", "g", "h", "i"]
    assert query_tokens("سماور سماور") == ["سماور"]


def test_joined_variants_let_words_written_together_match():
    assert joined_variants("لوله‌کشی و رفع نشتی") == ["لولهکشی", "کشیرفع", "رفعنشتی"]


@pytest.mark.parametrize(("typed", "meant"), [
    ("slh,v", "سماور"), ("nvdg", "دریل"), ("زخخنذخخن", "cookbook"), ("سشئسعدل", "samsung"),
])
def test_wrong_keyboard_layout(typed, meant):
    assert swap_layout(typed) == meant


def test_mixed_scripts_are_not_swapped():
    assert swap_layout("iPhone آیفون") is None
    assert swap_layout("123") is None


@pytest.mark.parametrize(("a", "b", "close"), [
    ("سماور", "سماوور", True), ("قلمکار", "قلکمار", True), ("vacuum", "vacum", True),
    ("سماور", "سمور", True), ("سماور", "سماورها", False), ("abc", "xyz", False),
])
def test_one_edit(a, b, close):
    assert within_one_edit(a, b) is close
