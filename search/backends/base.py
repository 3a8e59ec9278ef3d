"""The interface every search backend offers, and the result it returns."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from search.query import Plan, SearchRequest


@dataclass
class SearchResult:
    request: SearchRequest
    plan: Plan
    hits: list[dict] = field(default_factory=list)  # documents of the asked kind, this page
    total: int = 0  # documents of the asked kind (goods: with the filters)
    counts: dict[str, int] = field(default_factory=dict)  # kind -> matches of the words
    facets: dict[str, dict] = field(default_factory=dict)
    sections: dict[str, list[dict]] = field(default_factory=dict)  # overview: the best of each kind
    backend: str = ""

    @property
    def pages(self) -> int:
        per_page = self.request.per_page
        return max(1, (self.total + per_page - 1) // per_page)


class SearchBackend(ABC):
    name = "base"

    @abstractmethod
    def index(self, docs: list[dict]) -> None:
        """Add or replace these documents (dicts of search.documents.FIELDS)."""

    @abstractmethod
    def delete(self, kind: str, object_ids: list[int]) -> None:
        """Remove the documents of these objects (absent ones are ignored)."""

    @abstractmethod
    def search(self, request: SearchRequest) -> SearchResult:
        """Counts per kind, the asked kind's page of hits, goods facets, the other kinds' best."""

    @abstractmethod
    def suggest(self, q: str, *, language: str, limit: int = 8) -> list[dict]:
        """As-you-type: documents whose title starts with the words typed so far."""
