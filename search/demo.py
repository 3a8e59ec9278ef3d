"""Demo data of search: a few synonym groups, then the whole index built (idempotent)."""

from __future__ import annotations

from search.indexing import rebuild_database
from search.models import Synonym
from search.query import forget_synonyms

DEMO_SYNONYMS = (
    "یخچال, refrigerator, fridge",
    "جاروبرقی, vacuum cleaner, جارو برقی",
    "لوله‌کشی, plumbing, plumber, لوله‌کش",
    "کتری, kettle",
)


def seed(command) -> None:
    for terms in DEMO_SYNONYMS:
        Synonym.objects.get_or_create(terms=terms)
    forget_synonyms()
    count = rebuild_database()
    if not getattr(command, "quiet", False):
        command.stdout.write(f"Search index built ({count} products).")
