"""Queries asked on every page whose SQL differs only in one primary key (the signed-in
user's, the open basket's): built with the ORM once per process, then executed with that
key swapped in (issue 16).

Building a queryset with `Exists` subqueries or a `UNION` and compiling it to SQL costs
about a millisecond of Python per query, twenty times what SQLite or PostgreSQL then take
to answer it; on the header of every signed-in page that was several milliseconds for
text that never changes. The rows are read fresh on every call: only the SQL is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from django.db import connections
from django.db.models import QuerySet

# A primary key no row has: it marks, in the compiled parameters, where the real key goes.
# Within a 32-bit integer: Django compiles a lookup with a value out of the column's range
# on PostgreSQL as "no rows" instead of as a parameter.
STAND_IN_PK = -1_987_654_321


class CompiledQuery:
    """`build(stand_in_pk)` returns the queryset for a key; `rows(pk)` runs its SQL for `pk`.

    Every parameter equal to the stand-in key is replaced, so the queryset may use the key
    as often as it likes (once per subquery). `variant` names anything else the SQL depends
    on (the registered work areas, say): a new variant compiles anew.
    """

    def __init__(self, build: Callable[[int], QuerySet]) -> None:
        self.build = build
        self._compiled: dict[Hashable, tuple[str, str, tuple[Any, ...], tuple[int, ...]]] = {}

    def _compile(self, variant: Hashable) -> tuple[str, str, tuple[Any, ...], tuple[int, ...]]:
        compiled = self._compiled.get(variant)
        if compiled is None:
            queryset = self.build(STAND_IN_PK)
            sql, params = queryset.query.sql_with_params()
            slots = tuple(i for i, value in enumerate(params) if type(value) is int and value == STAND_IN_PK)
            if not slots:
                raise ValueError("the compiled query does not use the key it was built for")
            compiled = (queryset.db, sql, tuple(params), slots)
            self._compiled[variant] = compiled
        return compiled

    def rows(self, pk: int, variant: Hashable = None) -> list[tuple[Any, ...]]:
        alias, sql, params, slots = self._compile(variant)
        values = list(params)
        for slot in slots:
            values[slot] = pk
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, values)
            return cursor.fetchall()
