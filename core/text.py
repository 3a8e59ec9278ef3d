"""Persian text helpers: digits, letter variants and the zero-width non-joiner."""

from __future__ import annotations

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
ASCII_DIGITS = "0123456789"
ZWNJ = "\u200c"

# str.translate raises and catches a LookupError for every character missing from its
# table: the characters of a Persian page (ASCII, the Arabic script block, the general
# punctuation with ZWNJ and the isolate marks) are in it, mapped to themselves, so a run of
# text with a few digits translates twice as fast (issue 16). The result is the same.
_TO_PERSIAN_DIGITS = {
    code: code for block in (range(0x80), range(0xA0, 0x100), range(0x600, 0x700), range(0x2000, 0x2070))
    for code in block
} | str.maketrans(ASCII_DIGITS + ARABIC_DIGITS, PERSIAN_DIGITS * 2)
_TO_ASCII_DIGITS = str.maketrans(PERSIAN_DIGITS + ARABIC_DIGITS, ASCII_DIGITS * 2)
# Arabic forms that Persian keyboards and old data still produce.
_TO_PERSIAN_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه"})


def to_persian_digits(text: str) -> str:
    return text.translate(_TO_PERSIAN_DIGITS)


def to_ascii_digits(text: str) -> str:
    return text.translate(_TO_ASCII_DIGITS)


def normalize_persian(text: str) -> str:
    """One spelling for comparison: Persian letters, ASCII digits, ZWNJ as a space."""
    return to_ascii_digits(text.translate(_TO_PERSIAN_LETTERS)).replace(ZWNJ, " ")


def search_variants(word: str) -> list[str]:
    """The spellings a stored text may use for `word` (used by database search)."""
    base = normalize_persian(word)
    variants = {
        base,
        base.replace("ی", "ي").replace("ک", "ك"),
        to_persian_digits(base),
        word,
    }
    return sorted(v for v in variants if v)


# Marks a copy from a web page or an SMS may carry around a code: the bidi controls.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def normalize_identifier(text: str) -> str:
    """A searched code, number or phone as stored: ASCII digits, no bidi marks, trimmed.

    "J-۹DFG۵۴S" (as a Persian keyboard types it) -> "J-9DFG54S"."""
    return to_ascii_digits(str(text or "").translate(_BIDI_CONTROLS)).strip()
