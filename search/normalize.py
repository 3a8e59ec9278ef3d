"""The one normalisation of search text, applied to what is indexed AND to what is asked.

Built on `core.text.normalize_persian` (ي/ی, ك/ک, ة/ۀ → ه, digits to ASCII, ZWNJ to a
space), it also drops harakat and tatweel, folds alef forms, lowercases Latin letters,
turns punctuation into spaces and detaches the plural suffix «ها/های/هایی» so that
«کتاب‌ها», «کتاب ها» and «کتابها» all become «کتاب».

`tokens(text)` is what both backends index and search for; `normalize(text)` is the same
tokens joined by single spaces.
"""

from __future__ import annotations

import re
import unicodedata

from core.text import normalize_persian

# Harakat (fathatan … sukun, superscript alef, small high marks) and tatweel.
_MARKS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "و", "ئ": "ی", "ء": ""})
# Anything that is not a letter or a digit separates words.
_SEPARATORS = re.compile(r"[^\w]+|_", re.UNICODE)
_PLURAL_SUFFIXES = ("هایی", "های", "ها")
# Tokens that carry no meaning for search (both languages, kept short on purpose).
STOP_WORDS = frozenset(
    {"ها", "های", "هایی", "و", "در", "به", "از", "که", "را", "با", "برای", "این", "آن", "ان", "یا",
     "the", "a", "an", "of", "and", "or", "for", "to", "in", "on", "with"}
)
MAX_QUERY_WORDS = 8


def _split_plural(word: str) -> str:
    for suffix in _PLURAL_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            return word[: -len(suffix)]
    return word


def tokens(text: str) -> list[str]:
    """The words of `text` in their one searchable spelling (stop words dropped)."""
    if not text:
        return []
    text = unicodedata.normalize("NFKC", normalize_persian(text))
    text = _MARKS.sub("", text).translate(_FOLD).lower()
    out = []
    for word in _SEPARATORS.split(text):
        if not word:
            continue
        word = _split_plural(word)
        if word and word not in STOP_WORDS:
            out.append(word)
    return out


def normalize(text: str) -> str:
    return " ".join(tokens(text))


def query_tokens(text: str) -> list[str]:
    """The words of a query: normalised, de-duplicated, at most MAX_QUERY_WORDS."""
    seen: list[str] = []
    for word in tokens(text[:200]):
        if word not in seen:
            seen.append(word)
    return seen[:MAX_QUERY_WORDS]


def joined_variants(text: str) -> list[str]:
    """Words written apart that people also write as one («لوله کشی» → «لولهکشی»).

    Indexed next to the words themselves, so a query typed without the space or the
    ZWNJ still finds the document.
    """
    words = tokens(text)
    return [a + b for a, b in zip(words, words[1:], strict=False) if len(a) + len(b) <= 20]


# ---------------------------------------------------------------- keyboard layouts
# The standard Persian layout (ISIRI 9147) over a US QWERTY keyboard.
_LAT_TO_FA = dict(zip("qwertyuiop[]asdfghjkl;'zxcvbnm,", "ضصثقفغعهخحجچشسیبلاتنمکگظطزرذدپو", strict=True))
_LAT_TO_FA["\\"] = "پ"
_LAT_TO_FA["C"] = "ژ"
_FA_TO_LAT = {fa: lat for lat, fa in _LAT_TO_FA.items() if lat.islower() or lat in "[];',"}
_FA_TO_LAT.update({"ئ": "m", "ژ": "c", "آ": "h"})  # the older Windows layout, shifted keys


def swap_layout(text: str) -> str | None:
    """The text as it was meant when typed on the other keyboard layout, or None.

    Latin letters become the Persian letters on the same keys and the reverse; a text
    mixing both scripts, or with nothing to swap, gives None.
    """
    stripped = text.strip()
    if not stripped:
        return None
    has_latin = any("a" <= ch.lower() <= "z" for ch in stripped)
    has_persian = any(ch in _FA_TO_LAT or ch in "يك" for ch in stripped)
    if has_latin == has_persian:
        return None
    if has_latin:
        return "".join(_LAT_TO_FA.get(ch.lower() if ch != "C" else ch, ch) for ch in stripped)
    source = normalize_persian(stripped)
    return "".join(_FA_TO_LAT.get(ch, ch) for ch in source)


def edits1(word: str, alphabet: str) -> set[str]:
    """Every spelling one edit away from `word` (delete, swap, replace, insert)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in alphabet}
    inserts = {a + c + b for a, b in splits for c in alphabet}
    return (deletes | swaps | replaces | inserts) - {word}


PERSIAN_ALPHABET = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
LATIN_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def alphabet_for(word: str) -> str:
    return LATIN_ALPHABET if any("a" <= ch <= "z" for ch in word) else PERSIAN_ALPHABET


def within_one_edit(a: str, b: str) -> bool:
    """Damerau distance ≤ 1 (an adjacent swap counts as one edit)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


TYPO_MIN_LENGTH = 5
