"""Pages of a long list picked by primary key first (a "deferred join"; issue 16).

A list such as "a customer's jobs, newest first" reads one page of rows out of thousands.
Asked directly, with PostgreSQL's prepared statements on, its generic plan may walk a
table-wide index in the list's order and test every row for the owner (9,800 rows for a
page of 20 in the bench). Asked for the page's primary keys first, the same order is read
from the owner's index alone, without touching the table; only the page's rows are then
joined. One query either way: the keys are a subquery.

The page's rows are read by key alone, not with the list's filters again: with them,
PostgreSQL may start from the filters (every row of the owner) and only then match the keys.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet


class KeysFirst:
    """`queryset` for django's Paginator, each page read as
    `queryset.filter(pk__in=<the page's keys, in queryset's order>)`.

    `queryset` must be ordered, its order ending in the primary key, so that the keys of a
    page are exactly the rows the page shows; the rows come back in the same order, with
    `queryset`'s select_related. Annotations are not carried over, so a queryset with any
    is refused.
    """

    def __init__(self, queryset: QuerySet) -> None:
        if not queryset.ordered:
            raise ValueError("KeysFirst needs an ordered queryset.")
        if queryset.query.annotations:
            raise ValueError("KeysFirst reads a page's rows by key alone; annotations would be lost.")
        self.queryset = queryset

    @property
    def ordered(self) -> bool:
        return True

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page: Any) -> QuerySet:
        if not isinstance(page, slice):
            raise TypeError("KeysFirst is read a page (a slice) at a time.")
        keys = self.queryset.values("pk")[page]
        rows = self.queryset.model._default_manager.filter(pk__in=keys)
        rows.query.select_related = self.queryset.query.select_related
        order = self.queryset.query.order_by
        return rows.order_by(*order) if order else rows
