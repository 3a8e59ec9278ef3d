"""From what a person typed to what a backend looks for, the same for every backend.

A `Plan` is a list of word groups: a document must match every group, and a group
matches when any of its alternatives does (the word itself, its synonyms, the indexed
words one typo away). Alternatives with several words are phrases. The dictionary of
indexed words (`SearchTerm`) decides typos and whether a query was typed on the wrong
keyboard layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db import connection

from search.models import SearchTerm, Synonym
from search.normalize import (
    TYPO_MIN_LENGTH,
    alphabet_for,
    edits1,
    query_tokens,
    swap_layout,
    tokens,
    within_one_edit,
)

SYNONYMS_CACHE_KEY = "site_search:synonyms:v1"
MAX_CORRECTIONS = 3

Alternative = tuple[str, ...]


@dataclass
class Plan:
    words: list[str]
    groups: list[list[Alternative]]
    prefix_last: bool = False
    corrected: dict[str, str] = field(default_factory=dict)
    did_you_mean: str = ""

    @property
    def empty(self) -> bool:
        return not self.groups


@dataclass
class Filters:
    category_path: str = ""
    vendor_ids: tuple[int, ...] = ()
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    in_stock: bool = False
    installation: bool = False
    rating_min: int | None = None

    def active(self) -> set[str]:
        names = set()
        if self.category_path:
            names.add("category")
        if self.vendor_ids:
            names.add("vendor")
        if self.price_min is not None or self.price_max is not None:
            names.add("price")
        if self.in_stock:
            names.add("in_stock")
        if self.installation:
            names.add("installation")
        if self.rating_min:
            names.add("rating")
        return names


@dataclass
class SearchRequest:
    q: str
    kind: str = ""  # "" = every kind (the overview)
    language: str = "fa"
    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"  # one of SORTS
    page: int = 1
    per_page: int = 20


# The orders a backend knows: the API's `ordering` terms (ORDERING_FIELDS, `-` descending)
# and the results page's names (relevance, price, -price, newest = -created).
ORDERING_FIELDS = ("price", "rating", "created")
SORTS = ("relevance", "price", "-price", "rating", "-rating", "created", "-created", "newest")
FACETS = ("category", "vendor", "price", "in_stock", "installation", "rating")
# Price ranges offered as a facet (upper bounds; the last range has none).
PRICE_BUCKETS = (Decimal("25"), Decimal("50"), Decimal("100"), Decimal("250"), Decimal("500"))


def synonym_map() -> dict[str, list[Alternative]]:
    """word or phrase (normalised) -> the other spellings of its group."""
    mapping = cache.get(SYNONYMS_CACHE_KEY)
    if mapping is None:
        mapping = {}
        for synonym in Synonym.objects.filter(is_active=True):
            group = [tuple(tokens(part)) for part in synonym.parts()]
            group = [alt for alt in group if alt]
            for alt in group:
                mapping.setdefault(" ".join(alt), [])
                mapping[" ".join(alt)] += [other for other in group if other != alt]
        cache.set(SYNONYMS_CACHE_KEY, mapping, 3600)
    return mapping


def forget_synonyms() -> None:
    cache.delete(SYNONYMS_CACHE_KEY)
    bump_version()


VERSION_KEY = "site_search:version"


def bump_version() -> None:
    """Retire every cached search result (after each index write or synonym change)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, 1, None)


def known_terms(exact: set[str], fuzzy: set[str]) -> set[str]:
    """Which of `exact` are indexed words, and the indexed words one typo from `fuzzy`.

    On PostgreSQL the typo candidates come from the pg_trgm index (similar words), on
    SQLite from the spellings one edit away; either way the final check is one edit.
    """
    if not exact and not fuzzy:
        return set()
    table = SearchTerm._meta.db_table
    candidates = set(exact)
    for word in fuzzy:
        candidates |= edits1(word, alphabet_for(word))
    candidates = sorted(candidates)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Similar words from the trigram index, and the exact spellings one edit away
            # (a swap of two letters shares too few trigrams to be found by similarity).
            cursor.execute(
                f"SELECT term FROM {table} WHERE term = ANY(%s) "
                f"UNION SELECT t.term FROM {table} t, unnest(%s::text[]) AS w(word) WHERE t.term %% w.word",
                [candidates, sorted(fuzzy)],
            )
            found = {row[0] for row in cursor.fetchall()}
            return {t for t in found if t in exact or any(within_one_edit(t, w) for w in fuzzy)}
        found = set()
        for start in range(0, len(candidates), 5000):
            chunk = candidates[start:start + 5000]
            cursor.execute(f"SELECT term FROM {table} WHERE term IN ({','.join(['%s'] * len(chunk))})", chunk)
            found |= {row[0] for row in cursor.fetchall()}
        return found


def plan(q: str, *, prefix_last: bool = False, fix_typos: bool = True) -> Plan:
    words = query_tokens(q)
    if not words:
        return Plan(words=[], groups=[])
    synonyms = synonym_map()
    swapped_words = query_tokens(swap_layout(q) or "")
    typo_words = {w for w in words if len(w) >= TYPO_MIN_LENGTH} if fix_typos else set()
    if prefix_last:
        typo_words.discard(words[-1])
    known = known_terms(set(words) | set(swapped_words), typo_words)
    groups: list[list[Alternative]] = []
    corrected: dict[str, str] = {}
    for index, word in enumerate(words):
        group: list[Alternative] = [(word,)]
        group += [alt for alt in synonyms.get(word, []) if alt not in group]
        is_last_prefix = prefix_last and index == len(words) - 1
        if word not in known and not is_last_prefix and word in typo_words:
            fixes = sorted(t for t in known if t != word and within_one_edit(t, word))[:MAX_CORRECTIONS]
            group += [(fix,) for fix in fixes]
            if fixes:
                corrected[word] = fixes[0]
        groups.append(group)
    did_you_mean = ""
    original_known = all(w in known or w in corrected for w in words)
    if swapped_words and all(w in known for w in swapped_words) and not original_known:
        did_you_mean = swap_layout(q) or ""
    return Plan(words=words, groups=groups, prefix_last=prefix_last, corrected=corrected,
                did_you_mean=did_you_mean.strip())
