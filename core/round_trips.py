"""Several small reads of a page asked in one round trip, their SQL built once per process
(issue 16).

On PostgreSQL each query costs a network round trip and server-side planning, more than
the answer of a count over an indexed column or of a few dozen names; and building a
`UNION` or a handful of subqueries with the ORM costs more Python than running them.
`KeptRows` runs a queryset that takes nothing from the request (the staff queue's
dropdown choices in one `UNION ALL`); `KeptCounts` counts several querysets as scalar
subqueries of one `SELECT` (no `FROM`: valid on SQLite and PostgreSQL). Only the SQL and
its fixed parameters are kept: every call reads the rows afresh. The rows come as the
database driver returns them (no Django field converters), like `CompiledQuery`'s: use
them for integers and text.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.models import Func, IntegerField, QuerySet


class _KeptSQL(ABC):
    def __init__(self) -> None:
        self._compiled: tuple[str, str, tuple[Any, ...]] | None = None

    @abstractmethod
    def _build(self) -> tuple[str, str, tuple[Any, ...]]:
        """The database alias, the SQL and its fixed parameters, built once."""

    def _fetch(self) -> list[tuple[Any, ...]]:
        if self._compiled is None:
            self._compiled = self._build()
        alias, sql, params = self._compiled
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


class KeptRows(_KeptSQL):
    """`build()` returns a `values_list` queryset whose SQL never changes; `rows()` runs it."""

    def __init__(self, build: Callable[[], QuerySet]) -> None:
        super().__init__()
        self.build = build

    def _build(self) -> tuple[str, str, tuple[Any, ...]]:
        queryset = self.build()
        sql, params = queryset.query.sql_with_params()
        return queryset.db, sql, tuple(params)

    def rows(self) -> list[tuple[Any, ...]]:
        return self._fetch()


class KeptCounts(_KeptSQL):
    """`KeptCounts(name=build, ...)`: `counts()` is `{name: build().count()}`, in one query."""

    def __init__(self, **build: Callable[[], QuerySet]) -> None:
        super().__init__()
        if not build:
            raise ValueError("nothing to count")
        self.build = build

    def _build(self) -> tuple[str, str, tuple[Any, ...]]:
        aliases, parts, params = set(), [], []
        for build in self.build.values():
            queryset = build()
            aliases.add(queryset.db)
            # COUNT(*) as a plain function, not an aggregate: no GROUP BY, one row per subquery.
            count = Func(function="COUNT", template="COUNT(*)", output_field=IntegerField())
            sql, part_params = queryset.order_by().values(n=count).query.sql_with_params()
            parts.append(f"({sql})")
            params.extend(part_params)
        if len(aliases) != 1:
            raise ValueError("the counted querysets must use one database")
        return aliases.pop(), "SELECT " + ", ".join(parts), tuple(params)

    def counts(self) -> dict[str, int]:
        (row,) = self._fetch()
        return {name: int(value) for name, value in zip(self.build, row, strict=True)}
